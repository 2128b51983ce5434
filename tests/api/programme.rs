//! The volunteer ambassador programme: the status machine and its consent
//! record, invitations and the 90-day rule, candidates, social accounts,
//! withdrawal and push tokens.

use std::collections::BTreeMap;

use advocacy::{clock::ManualClock, config::Settings};
use chrono::{DateTime, Duration, Utc};
use entity::{device_tokens, invitations, notifications_outbox, social_accounts};
use futures_util::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Gql, TestApp, shared_database, start_time};

const ME: &str = "{ me { id ambassadorStatus enrolledAt consentRecords { action charterVersion at } socialAccounts { network handle followerCount updatedAt } } }";
const ENROLL: &str =
    "mutation($v: String!) { enroll(charterVersion: $v) { id ambassadorStatus enrolledAt } }";
const DECLINE: &str = "mutation { declineInvitation { id ambassadorStatus } }";
const PAUSE: &str = "mutation { pauseAmbassadorship { id ambassadorStatus } }";
const RESUME: &str = "mutation { resumeAmbassadorship { id ambassadorStatus } }";
const WITHDRAW: &str = "mutation { withdraw { id ambassadorStatus enrolledAt } }";
const INVITE: &str = "mutation($ids: [ID!]!, $m: String) { inviteAmbassadors(userIds: $ids, message: $m) { invited { id ambassadorStatus } skipped { userId reason } } }";
const SET_ACCOUNT: &str = "mutation($i: SocialAccountInput!) { setSocialAccount(input: $i) { network handle followerCount updatedAt } }";
const REMOVE_ACCOUNT: &str = "mutation($n: SocialNetwork!) { removeSocialAccount(network: $n) }";
const CANDIDATES: &str = "query($f: Int) { ambassadorCandidates(first: $f) { user { id displayName } totalFollowers networks } }";
const REGISTER: &str =
    "mutation($p: DevicePlatform!, $t: String!) { registerDevice(platform: $p, token: $t) }";

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// A user of the first organization with an HR colleague to invite them.
struct Programme {
    app: TestApp,
    hr: String,
}

impl Programme {
    async fn new() -> Self {
        // These tests move the clock by months; sessions outlast that here.
        let app = TestApp::spawn_with(|s| s.access_token_ttl = 400 * 24 * 3600).await;
        let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
        Self { app, hr }
    }

    async fn employee(&self, email: &str) -> (String, String) {
        self.app.create_user(email, &[]).await
    }

    async fn me(&self, token: &str) -> Value {
        self.app.gql(Some(token), ME, json!({})).await.data()["me"].clone()
    }

    async fn enroll(&self, token: &str) -> Gql {
        self.app.gql(Some(token), ENROLL, json!({ "v": "1" })).await
    }

    async fn call(&self, token: &str, mutation: &str) -> Gql {
        self.app.gql(Some(token), mutation, json!({})).await
    }

    async fn invite(&self, ids: &[&str], message: Option<&str>) -> Gql {
        self.app
            .gql(Some(&self.hr), INVITE, json!({ "ids": ids, "m": message }))
            .await
    }

    async fn set_account(&self, token: &str, network: &str, handle: &str, followers: i64) -> Gql {
        self.app
            .gql(
                Some(token),
                SET_ACCOUNT,
                json!({ "i": { "network": network, "handle": handle, "followerCount": followers } }),
            )
            .await
    }

    async fn register(&self, token: &str, device: &str) -> Gql {
        self.app
            .gql(Some(token), REGISTER, json!({ "p": "IOS", "t": device }))
            .await
    }

    /// Puts a fresh employee in `status` through the API.
    async fn employee_in(&self, email: &str, status: &str) -> (String, String) {
        let (id, token) = self.employee(email).await;
        match status {
            "NONE" => {}
            "INVITED" => {
                self.invite(&[&id], None).await.data();
            }
            "ACTIVE" => {
                self.enroll(&token).await.data();
            }
            "PAUSED" => {
                self.enroll(&token).await.data();
                self.call(&token, PAUSE).await.data();
            }
            "DECLINED" => {
                self.invite(&[&id], None).await.data();
                self.call(&token, DECLINE).await.data();
            }
            "WITHDRAWN" => {
                self.enroll(&token).await.data();
                self.call(&token, WITHDRAW).await.data();
            }
            other => panic!("unknown status {other}"),
        }
        assert_eq!(self.me(&token).await["ambassadorStatus"], status);
        (id, token)
    }

    async fn device_tokens_of(&self, user_id: &str) -> Vec<String> {
        device_tokens::Entity::find()
            .filter(device_tokens::Column::UserId.eq(Uuid::parse_str(user_id).unwrap()))
            .order_by_asc(device_tokens::Column::CreatedAt)
            .all(&self.app.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.token)
            .collect()
    }
}

fn actions(me: &Value) -> Vec<String> {
    me["consentRecords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_owned())
        .collect()
}

fn skipped(res: &Gql) -> Vec<(String, String)> {
    res.data()["inviteAmbassadors"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["userId"].as_str().unwrap().to_owned(),
                s["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn invited(res: &Gql) -> Vec<String> {
    res.data()["inviteAmbassadors"]["invited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

// --- the status machine and the consent record ---

#[tokio::test]
async fn an_employee_enrolls_by_quoting_the_current_charter_and_the_consent_is_recorded() {
    let p = Programme::new().await;
    let (id, token) = p.employee("ann@acme.example").await;
    let now = p.app.clock_now();

    let res = p.enroll(&token).await;
    let user = &res.data()["enroll"];
    assert_eq!(user["id"], id.as_str());
    assert_eq!(user["ambassadorStatus"], "ACTIVE");
    assert_eq!(user["enrolledAt"], rfc3339(now));

    let me = p.me(&token).await;
    assert_eq!(
        me["consentRecords"],
        json!([{ "action": "ENROLL", "charterVersion": "1", "at": rfc3339(now) }])
    );
}

#[tokio::test]
async fn enrolling_with_another_charter_version_is_bad_user_input_and_changes_nothing() {
    let p = Programme::new().await;
    let (_, token) = p.employee("ann@acme.example").await;
    p.app
        .admin(
            "mutation { updateOrganization(input: { charterVersion: \"2026-11\" }) { id } }",
            json!({}),
        )
        .await
        .data();

    let res = p.enroll(&token).await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
    assert!(res.message().contains("2026-11"), "{}", res.message());
    let me = p.me(&token).await;
    assert_eq!(me["ambassadorStatus"], "NONE");
    assert_eq!(me["enrolledAt"], Value::Null);
    assert_eq!(me["consentRecords"], json!([]));

    let res = p
        .app
        .gql(Some(&token), ENROLL, json!({ "v": "2026-11" }))
        .await;
    assert_eq!(res.data()["enroll"]["ambassadorStatus"], "ACTIVE");
    assert_eq!(
        p.me(&token).await["consentRecords"][0]["charterVersion"],
        "2026-11"
    );
}

#[tokio::test]
async fn every_allowed_transition_moves_the_status_and_appends_to_the_consent_record() {
    let p = Programme::new().await;
    let (id, token) = p.employee("ann@acme.example").await;
    let start = p.app.clock_now();
    let day = Duration::days(1);

    // NONE -> ACTIVE -> PAUSED -> ACTIVE -> WITHDRAWN -> ACTIVE -> PAUSED -> WITHDRAWN
    let steps: &[(&str, &str)] = &[
        (ENROLL, "ACTIVE"),
        (PAUSE, "PAUSED"),
        (RESUME, "ACTIVE"),
        (WITHDRAW, "WITHDRAWN"),
        (ENROLL, "ACTIVE"),
        (PAUSE, "PAUSED"),
        (WITHDRAW, "WITHDRAWN"),
    ];
    for (mutation, expected) in steps {
        p.app.clock.advance(day);
        let res = p.app.gql(Some(&token), mutation, json!({ "v": "1" })).await;
        let data = res.data();
        let user = data.as_object().unwrap().values().next().unwrap();
        assert_eq!(user["ambassadorStatus"], *expected, "after {mutation}");
    }
    // WITHDRAWN -> ACTIVE again, then INVITED -> DECLINED -> ACTIVE for a colleague.
    p.app.clock.advance(day);
    p.enroll(&token).await.data();

    let me = p.me(&token).await;
    assert_eq!(
        actions(&me),
        [
            "ENROLL", "PAUSE", "RESUME", "WITHDRAW", "ENROLL", "PAUSE", "WITHDRAW", "ENROLL"
        ]
    );
    let times: Vec<&str> = me["consentRecords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["at"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (1..=8).map(|d| rfc3339(start + day * d)).collect();
    assert_eq!(times, expected);
    // enrolledAt is the latest enrollment.
    assert_eq!(me["enrolledAt"], rfc3339(start + day * 8));
    assert_eq!(me["id"], id.as_str());

    let (bob_id, bob) = p.employee("bob@acme.example").await;
    p.invite(&[&bob_id], None).await.data();
    assert_eq!(
        p.call(&bob, DECLINE).await.data()["declineInvitation"]["ambassadorStatus"],
        "DECLINED"
    );
    assert_eq!(
        p.enroll(&bob).await.data()["enroll"]["ambassadorStatus"],
        "ACTIVE"
    );
    assert_eq!(actions(&p.me(&bob).await), ["DECLINE", "ENROLL"]);

    // An invited employee may also enroll straight away.
    let (cat_id, cat) = p.employee("cat@acme.example").await;
    p.invite(&[&cat_id], None).await.data();
    assert_eq!(
        p.enroll(&cat).await.data()["enroll"]["ambassadorStatus"],
        "ACTIVE"
    );
}

#[tokio::test]
async fn every_refused_transition_is_a_conflict_and_writes_nothing() {
    let p = Programme::new().await;
    let all = [
        ("enroll", ENROLL),
        ("declineInvitation", DECLINE),
        ("pauseAmbassadorship", PAUSE),
        ("resumeAmbassadorship", RESUME),
        ("withdraw", WITHDRAW),
    ];
    let allowed: &[(&str, &[&str])] = &[
        ("NONE", &["enroll"]),
        ("INVITED", &["enroll", "declineInvitation"]),
        ("ACTIVE", &["pauseAmbassadorship", "withdraw"]),
        ("PAUSED", &["resumeAmbassadorship", "withdraw"]),
        ("DECLINED", &["enroll"]),
        ("WITHDRAWN", &["enroll"]),
    ];
    let mut refused = 0;
    for (status, ok) in allowed {
        let (_, token) = p
            .employee_in(&format!("{}@acme.example", status.to_lowercase()), status)
            .await;
        p.set_account(&token, "LINKEDIN", "someone", 10).await;
        let before = p.me(&token).await;
        for (name, mutation) in all {
            if ok.contains(&name) {
                continue;
            }
            p.app.clock.advance(Duration::minutes(1));
            let res = p.app.gql(Some(&token), mutation, json!({ "v": "1" })).await;
            assert_eq!(res.code(), "CONFLICT", "{name} from {status}: {}", res.body);
            assert_eq!(
                p.me(&token).await,
                before,
                "{name} from {status} wrote something"
            );
            refused += 1;
        }
    }
    assert_eq!(refused, 6 * 5 - 9);
}

#[tokio::test]
async fn concurrent_calls_leave_one_whole_transition() {
    let p = Programme::new().await;
    let (_, token) = p.employee_in("ann@acme.example", "ACTIVE").await;
    p.set_account(&token, "LINKEDIN", "ann", 10).await.data();
    p.register(&token, "phone-1").await.data();

    let (a, b, c, d) = tokio::join!(
        p.call(&token, WITHDRAW),
        p.call(&token, WITHDRAW),
        p.call(&token, WITHDRAW),
        p.call(&token, WITHDRAW),
    );
    let results = [a, b, c, d];
    let wins = results
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    assert_eq!(wins, 1, "{results:?}");
    for r in results.iter().filter(|r| r.body.get("errors").is_some()) {
        assert_eq!(r.code(), "CONFLICT");
    }
    let me = p.me(&token).await;
    assert_eq!(me["ambassadorStatus"], "WITHDRAWN");
    assert_eq!(actions(&me), ["ENROLL", "WITHDRAW"]);
    assert_eq!(me["socialAccounts"], json!([]));

    let (e, f, g) = tokio::join!(p.enroll(&token), p.enroll(&token), p.enroll(&token));
    assert_eq!(
        [e, f, g]
            .iter()
            .filter(|r| r.body.get("errors").is_none())
            .count(),
        1
    );
    assert_eq!(
        actions(&p.me(&token).await),
        ["ENROLL", "WITHDRAW", "ENROLL"]
    );
}

#[tokio::test]
async fn hr_reads_an_employees_consent_record() {
    let p = Programme::new().await;
    let (id, _) = p.employee_in("ann@acme.example", "PAUSED").await;
    let res = p
        .app
        .gql(
            Some(&p.hr),
            "query($id: ID!) { user(id: $id) { consentRecords { action charterVersion } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        res.data()["user"]["consentRecords"],
        json!([
            { "action": "ENROLL", "charterVersion": "1" },
            { "action": "PAUSE", "charterVersion": "1" },
        ])
    );
}

#[tokio::test]
async fn programme_mutations_need_a_signed_in_user() {
    let p = Programme::new().await;
    for mutation in [DECLINE, PAUSE, RESUME, WITHDRAW] {
        let res = p.app.gql(None, mutation, json!({})).await;
        assert_eq!(res.code(), "UNAUTHENTICATED");
    }
    let res = p.app.gql(None, ENROLL, json!({ "v": "1" })).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

// --- invitations ---

#[tokio::test]
async fn hr_invites_employees_and_each_invitation_is_stored_and_queued_for_delivery() {
    let p = Programme::new().await;
    let (ann, ann_token) = p.employee("ann@acme.example").await;
    let (bob, _) = p.employee("bob@acme.example").await;
    let now = p.app.clock_now();

    let res = p
        .invite(
            &[&ann, &bob, &ann],
            Some("  Would you share our job fair?  "),
        )
        .await;
    assert_eq!(invited(&res), [ann.clone(), bob.clone()]);
    assert_eq!(skipped(&res), Vec::<(String, String)>::new());
    for user in res.data()["inviteAmbassadors"]["invited"]
        .as_array()
        .unwrap()
    {
        assert_eq!(user["ambassadorStatus"], "INVITED");
    }
    assert_eq!(p.me(&ann_token).await["ambassadorStatus"], "INVITED");

    let stored = invitations::Entity::find()
        .order_by_asc(invitations::Column::Id)
        .all(&p.app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let hr_id = p.me(&p.hr).await["id"].as_str().unwrap().to_owned();
    for (row, user) in stored.iter().zip([&ann, &bob]) {
        assert_eq!(row.user_id.to_string(), *user);
        assert_eq!(row.organization_id, p.app.org.id);
        assert_eq!(row.invited_by.to_string(), hr_id);
        assert_eq!(
            row.message.as_deref(),
            Some("Would you share our job fair?")
        );
        assert_eq!(row.created_at, now);
    }

    let outbox = notifications_outbox::Entity::find()
        .order_by_asc(notifications_outbox::Column::Id)
        .all(&p.app.state.db)
        .await
        .unwrap();
    assert_eq!(outbox.len(), 2);
    for ((row, user), invitation) in outbox.iter().zip([&ann, &bob]).zip(&stored) {
        assert_eq!(row.organization_id, p.app.org.id);
        assert_eq!(row.recipient_id.to_string(), *user);
        assert_eq!(row.kind, "AMBASSADOR_INVITATION");
        assert_eq!(row.created_at, now);
        assert_eq!(row.delivered_at, None);
        assert_eq!(row.payload["invitationId"], invitation.id.to_string());
        assert_eq!(row.payload["message"], "Would you share our job fair?");
        assert_eq!(row.payload["charterVersion"], "1");
    }
}

#[tokio::test]
async fn an_invitation_without_a_message_stores_none() {
    let p = Programme::new().await;
    let (ann, _) = p.employee("ann@acme.example").await;
    assert_eq!(invited(&p.invite(&[&ann], None).await), [ann]);
    let row = invitations::Entity::find()
        .one(&p.app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.message, None);
}

#[tokio::test]
async fn an_invitation_message_may_hold_1000_characters_but_not_1001() {
    let p = Programme::new().await;
    let (ann, _) = p.employee("ann@acme.example").await;
    let res = p.invite(&[&ann], Some(&"é".repeat(1001))).await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
    assert_eq!(
        invitations::Entity::find()
            .all(&p.app.state.db)
            .await
            .unwrap()
            .len(),
        0
    );
    let res = p.invite(&[&ann], Some(&"é".repeat(1000))).await;
    assert_eq!(invited(&res), [ann]);
}

#[tokio::test]
async fn invitations_skip_each_employee_who_cannot_be_invited_with_the_reason() {
    let p = Programme::new().await;
    let (invited_id, _) = p.employee_in("invited@acme.example", "INVITED").await;
    let (active, _) = p.employee_in("active@acme.example", "ACTIVE").await;
    let (paused, _) = p.employee_in("paused@acme.example", "PAUSED").await;
    let (declined, _) = p.employee_in("declined@acme.example", "DECLINED").await;
    let (withdrawn, _) = p.employee_in("withdrawn@acme.example", "WITHDRAWN").await;
    let (fresh, _) = p.employee("fresh@acme.example").await;
    let unknown = Uuid::now_v7().to_string();
    let other = p.app.create_org("Globex", "globex").await;
    let (foreign, _) = p
        .app
        .create_user_in(&other.admin_token, "eve@globex.example", "Eve", &[])
        .await;

    let res = p
        .invite(
            &[
                &invited_id,
                &active,
                &paused,
                &declined,
                &withdrawn,
                &unknown,
                &foreign,
                &fresh,
            ],
            None,
        )
        .await;
    assert_eq!(invited(&res), [fresh]);
    assert_eq!(
        skipped(&res),
        [
            (invited_id, "ALREADY_INVITED".to_owned()),
            (active, "ALREADY_ENROLLED".to_owned()),
            (paused, "ALREADY_ENROLLED".to_owned()),
            (declined, "DECLINED_RECENTLY".to_owned()),
            (withdrawn, "WITHDRAWN_RECENTLY".to_owned()),
            (unknown, "NOT_FOUND".to_owned()),
            (foreign.clone(), "NOT_FOUND".to_owned()),
        ]
    );
    assert_eq!(
        invitations::Entity::find()
            .all(&p.app.state.db)
            .await
            .unwrap()
            .len(),
        // INVITED and DECLINED were invited while being set up, plus `fresh`.
        3
    );
    // The other organization's employee is untouched.
    let res = p
        .app
        .gql(
            Some(&other.admin_token),
            "query($id: ID!) { user(id: $id) { ambassadorStatus } }",
            json!({ "id": foreign }),
        )
        .await;
    assert_eq!(res.data()["user"]["ambassadorStatus"], "NONE");
}

#[tokio::test]
async fn a_declined_employee_can_be_invited_again_from_exactly_90_days_after_declining() {
    let p = Programme::new().await;
    let (id, token) = p.employee("ann@acme.example").await;
    p.invite(&[&id], None).await.data();
    p.app.clock.advance(Duration::days(3));
    p.call(&token, DECLINE).await.data();

    p.app.clock.advance(Duration::days(89));
    assert_eq!(
        skipped(&p.invite(&[&id], None).await),
        [(id.clone(), "DECLINED_RECENTLY".to_owned())]
    );
    p.app
        .clock
        .advance(Duration::days(1) - Duration::seconds(1));
    assert_eq!(
        skipped(&p.invite(&[&id], None).await),
        [(id.clone(), "DECLINED_RECENTLY".to_owned())]
    );
    p.app.clock.advance(Duration::seconds(1));
    let res = p.invite(&[&id], None).await;
    assert_eq!(invited(&res), [id]);
    assert_eq!(p.me(&token).await["ambassadorStatus"], "INVITED");
}

#[tokio::test]
async fn a_withdrawn_employee_can_be_invited_again_90_days_after_the_withdrawal_not_the_enrollment()
{
    let p = Programme::new().await;
    let (id, token) = p.employee_in("ann@acme.example", "ACTIVE").await;
    p.app.clock.advance(Duration::days(60));
    p.call(&token, WITHDRAW).await.data();

    // 89 days after the withdrawal, 149 after the enrollment.
    p.app.clock.advance(Duration::days(89));
    assert_eq!(
        skipped(&p.invite(&[&id], None).await),
        [(id.clone(), "WITHDRAWN_RECENTLY".to_owned())]
    );
    p.app.clock.advance(Duration::days(1));
    assert_eq!(invited(&p.invite(&[&id], None).await), [id]);
}

#[tokio::test]
async fn employees_and_curators_cannot_invite_or_list_candidates() {
    let p = Programme::new().await;
    let (ann, employee) = p.employee("ann@acme.example").await;
    let (_, curator) = p.app.create_user("cleo@acme.example", &["CURATOR"]).await;
    for token in [&employee, &curator] {
        let res = p
            .app
            .gql(Some(token), INVITE, json!({ "ids": [ann], "m": null }))
            .await;
        assert_eq!(res.code(), "FORBIDDEN");
        let res = p.app.gql(Some(token), CANDIDATES, json!({})).await;
        assert_eq!(res.code(), "FORBIDDEN");
    }
    assert_eq!(p.me(&employee).await["ambassadorStatus"], "NONE");
    // ADMIN may.
    let res = p
        .app
        .admin(INVITE, json!({ "ids": [ann], "m": null }))
        .await;
    assert_eq!(invited(&res), [ann]);
}

const INVITATIONS: &str = "query($f: Int, $a: String) { invitations(first: $f, after: $a) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id sentAt message user { id ambassadorStatus } invitedBy { id } } } } }";

fn invitation_users(res: &Gql) -> Vec<String> {
    res.data()["invitations"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["user"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn hr_lists_the_invitations_sent_newest_first_with_where_each_person_stands_now() {
    let p = Programme::new().await;
    let hr_id = p.me(&p.hr).await["id"].as_str().unwrap().to_owned();
    let (ann, ann_token) = p.employee("ann@acme.example").await;
    let (bob, _) = p.employee("bob@acme.example").await;
    let (cid, _) = p.employee("cid@acme.example").await;
    p.invite(&[&ann], Some("Join us")).await.data();
    p.app.clock.advance(Duration::hours(1));
    // One call, two invitations at the same instant: the id breaks the tie.
    p.invite(&[&bob, &cid], None).await.data();
    p.app.clock.advance(Duration::hours(1));
    p.call(&ann_token, DECLINE).await.data();

    let res = p.app.gql(Some(&p.hr), INVITATIONS, json!({ "f": 2 })).await;
    let list = &res.data()["invitations"];
    assert_eq!(list["totalCount"], 3);
    assert_eq!(list["pageInfo"]["hasNextPage"], true);
    assert_eq!(list["pageInfo"]["hasPreviousPage"], false);
    let first_page = invitation_users(&res);
    let mut same_instant = first_page.clone();
    same_instant.sort();
    let mut expected = vec![bob.clone(), cid.clone()];
    expected.sort();
    assert_eq!(same_instant, expected);
    let node = &list["edges"][0]["node"];
    assert_eq!(node["invitedBy"]["id"], hr_id);
    assert_eq!(node["user"]["ambassadorStatus"], "INVITED");
    assert_eq!(node["message"], Value::Null);

    let after = list["pageInfo"]["endCursor"].as_str().unwrap();
    let res = p
        .app
        .gql(Some(&p.hr), INVITATIONS, json!({ "f": 2, "a": after }))
        .await;
    assert_eq!(invitation_users(&res), [ann]);
    let list = &res.data()["invitations"];
    assert_eq!(list["pageInfo"]["hasNextPage"], false);
    assert_eq!(list["pageInfo"]["hasPreviousPage"], true);
    let node = &list["edges"][0]["node"];
    assert_eq!(node["message"], "Join us");
    assert_eq!(node["user"]["ambassadorStatus"], "DECLINED");
    assert_eq!(
        node["sentAt"],
        rfc3339(crate::helpers::start_time()),
        "sentAt is when the invitation went out"
    );
}

#[tokio::test]
async fn the_invitation_list_is_for_hr_and_admins_of_the_organization_only() {
    let p = Programme::new().await;
    let (ann, employee) = p.employee("ann@acme.example").await;
    p.invite(&[&ann], None).await.data();
    let (_, curator) = p.app.create_user("cleo@acme.example", &["CURATOR"]).await;
    for token in [&employee, &curator] {
        let res = p.app.gql(Some(token), INVITATIONS, json!({})).await;
        assert_eq!(res.code(), "FORBIDDEN");
    }
    let res = p.app.gql(None, INVITATIONS, json!({})).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    assert_eq!(
        invitation_users(&p.app.admin(INVITATIONS, json!({})).await),
        [ann]
    );
    let other = p.app.create_org("Other", "other").await;
    let res = p
        .app
        .gql(Some(&other.admin_token), INVITATIONS, json!({}))
        .await;
    assert_eq!(res.data()["invitations"]["totalCount"], 0);
    let res = p
        .app
        .gql(Some(&p.hr), INVITATIONS, json!({ "a": "not-a-cursor" }))
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn reinvitable_at_is_90_days_after_a_decline_or_withdrawal_and_null_otherwise() {
    let p = Programme::new().await;
    let (ann, ann_token) = p.employee("ann@acme.example").await;
    let (bob, bob_token) = p.employee_in("bob@acme.example", "ACTIVE").await;
    let query = "query($id: ID!) { user(id: $id) { ambassadorStatus reinvitableAt } }";
    let read = |id: String| {
        let app = &p.app;
        let hr = p.hr.clone();
        async move {
            app.gql(Some(&hr), query, json!({ "id": id })).await.data()["user"]["reinvitableAt"]
                .clone()
        }
    };
    assert_eq!(read(ann.clone()).await, Value::Null);
    assert_eq!(read(bob.clone()).await, Value::Null);
    p.invite(&[&ann], None).await.data();
    assert_eq!(read(ann.clone()).await, Value::Null);
    p.app.clock.advance(Duration::days(2));
    let declined_at = p.app.clock_now();
    p.call(&ann_token, DECLINE).await.data();
    p.call(&bob_token, WITHDRAW).await.data();
    let expected = Value::String(rfc3339(declined_at + Duration::days(90)));
    assert_eq!(read(ann.clone()).await, expected);
    assert_eq!(read(bob.clone()).await, expected);
    // Exactly then the employee may be invited again, as the value says.
    p.app
        .clock
        .advance(Duration::days(90) - Duration::seconds(1));
    assert_eq!(
        skipped(&p.invite(&[&ann], None).await),
        [(ann.clone(), "DECLINED_RECENTLY".to_owned())]
    );
    p.app.clock.advance(Duration::seconds(1));
    assert_eq!(invited(&p.invite(&[&ann], None).await), [ann]);

    // The person reads their own.
    let own = p
        .app
        .gql(Some(&bob_token), "{ me { reinvitableAt } }", json!({}))
        .await;
    assert_eq!(own.data()["me"]["reinvitableAt"], expected);
}

#[tokio::test]
async fn a_malformed_user_id_is_bad_user_input() {
    let p = Programme::new().await;
    let res = p.invite(&["not-an-id"], None).await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

// --- social accounts ---

#[tokio::test]
async fn an_employee_keeps_one_account_per_network_and_setting_it_again_replaces_it() {
    let p = Programme::new().await;
    let (_, token) = p.employee("ann@acme.example").await;
    let first = p.app.clock_now();
    let res = p.set_account(&token, "X", "  @ann  ", 300).await;
    assert_eq!(
        res.data()["setSocialAccount"],
        json!({ "network": "X", "handle": "@ann", "followerCount": 300, "updatedAt": rfc3339(first) })
    );
    p.set_account(&token, "LINKEDIN", "ann-smith", 1200)
        .await
        .data();
    p.app.clock.advance(Duration::hours(5));
    let later = p.app.clock_now();
    p.set_account(&token, "X", "@ann_s", 450).await.data();

    let me = p.me(&token).await;
    assert_eq!(
        me["socialAccounts"],
        json!([
            { "network": "LINKEDIN", "handle": "ann-smith", "followerCount": 1200, "updatedAt": rfc3339(first) },
            { "network": "X", "handle": "@ann_s", "followerCount": 450, "updatedAt": rfc3339(later) },
        ])
    );
}

#[tokio::test]
async fn handles_and_follower_counts_are_validated() {
    let p = Programme::new().await;
    let (_, token) = p.employee("ann@acme.example").await;
    let long = "a".repeat(101);
    for (handle, followers) in [
        ("", 10),
        ("   ", 10),
        ("ann smith", 10),
        ("ann\tsmith", 10),
        (long.as_str(), 10),
        ("ann", -1),
        ("ann", 1_000_000_001),
    ] {
        let res = p.set_account(&token, "LINKEDIN", handle, followers).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "{handle:?} {followers}");
    }
    assert_eq!(p.me(&token).await["socialAccounts"], json!([]));

    let max = "é".repeat(100);
    let res = p.set_account(&token, "LINKEDIN", &max, 1_000_000_000).await;
    assert_eq!(res.data()["setSocialAccount"]["handle"], max.as_str());
    let res = p.set_account(&token, "X", "ann", 0).await;
    assert_eq!(res.data()["setSocialAccount"]["followerCount"], 0);
}

#[tokio::test]
async fn removing_an_account_deletes_it_and_removing_an_unset_network_is_not_found() {
    let p = Programme::new().await;
    let (_, token) = p.employee("ann@acme.example").await;
    let (_, bob) = p.employee("bob@acme.example").await;
    p.set_account(&token, "LINKEDIN", "ann", 10).await.data();
    p.set_account(&bob, "LINKEDIN", "bob", 20).await.data();

    let res = p
        .app
        .gql(Some(&token), REMOVE_ACCOUNT, json!({ "n": "X" }))
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = p
        .app
        .gql(Some(&token), REMOVE_ACCOUNT, json!({ "n": "LINKEDIN" }))
        .await;
    assert_eq!(res.data()["removeSocialAccount"], true);
    assert_eq!(p.me(&token).await["socialAccounts"], json!([]));
    let res = p
        .app
        .gql(Some(&token), REMOVE_ACCOUNT, json!({ "n": "LINKEDIN" }))
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    // A colleague's account on the same network stays.
    assert_eq!(p.me(&bob).await["socialAccounts"][0]["handle"], "bob");
}

#[tokio::test]
async fn hr_sees_every_listed_users_social_accounts() {
    let p = Programme::new().await;
    for (i, email) in ["ann@acme.example", "bob@acme.example", "cat@acme.example"]
        .iter()
        .enumerate()
    {
        let (_, token) = p.employee(email).await;
        p.set_account(&token, "LINKEDIN", "someone", 100 * (i as i64 + 1))
            .await
            .data();
    }
    let res = p
        .app
        .gql(
            Some(&p.hr),
            "{ users(first: 10, search: \"acme\") { edges { node { email socialAccounts { network followerCount } } } } }",
            json!({}),
        )
        .await;
    let accounts: Vec<(String, Value)> = res.data()["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["email"].as_str().unwrap().to_owned(),
                e["node"]["socialAccounts"].clone(),
            )
        })
        .collect();
    let find = |email: &str| {
        accounts
            .iter()
            .find(|(e, _)| e == email)
            .map(|(_, a)| a.clone())
            .unwrap()
    };
    assert_eq!(
        find("cat@acme.example"),
        json!([{ "network": "LINKEDIN", "followerCount": 300 }])
    );
    assert_eq!(find("hr@acme.example"), json!([]));
}

// --- candidates ---

#[tokio::test]
async fn candidates_are_invitable_employees_with_accounts_ranked_by_followers_then_name() {
    let p = Programme::new().await;
    let admin = p.app.org.admin_token.clone();
    let person = |email: &'static str, name: &'static str| {
        let app = &p.app;
        let admin = admin.clone();
        async move { app.create_user_in(&admin, email, name, &[]).await }
    };
    let (zoe, zoe_t) = person("zoe@acme.example", "Zoe").await;
    let (adam, adam_t) = person("adam@acme.example", "Adam").await;
    let (bea, bea_t) = person("bea@acme.example", "Bea").await;
    let (_, none_t) = person("noaccounts@acme.example", "Nora").await;
    p.set_account(&zoe_t, "LINKEDIN", "zoe", 500).await.data();
    p.set_account(&zoe_t, "X", "zoe", 500).await.data();
    p.set_account(&adam_t, "INSTAGRAM", "adam", 1000)
        .await
        .data();
    p.set_account(&bea_t, "LINKEDIN", "bea", 3000).await.data();
    drop(none_t);

    // Never listed: ACTIVE, PAUSED, INVITED, and DECLINED/WITHDRAWN recently.
    for (email, status) in [
        ("active@acme.example", "ACTIVE"),
        ("paused@acme.example", "PAUSED"),
        ("invited@acme.example", "INVITED"),
        ("declined@acme.example", "DECLINED"),
        ("withdrawn@acme.example", "WITHDRAWN"),
    ] {
        let (_, token) = p.employee_in(email, status).await;
        p.set_account(&token, "LINKEDIN", "big", 1_000_000)
            .await
            .data();
    }
    // Another organization's employee.
    let other = p.app.create_org("Globex", "globex").await;
    let (_, eve) = p
        .app
        .create_user_in(&other.admin_token, "eve@globex.example", "Eve", &[])
        .await;
    p.set_account(&eve, "LINKEDIN", "eve", 9_000_000)
        .await
        .data();

    let res = p.app.gql(Some(&p.hr), CANDIDATES, json!({})).await;
    assert_eq!(
        res.data()["ambassadorCandidates"],
        json!([
            { "user": { "id": bea, "displayName": "Bea" }, "totalFollowers": 3000, "networks": ["LINKEDIN"] },
            { "user": { "id": adam, "displayName": "Adam" }, "totalFollowers": 1000, "networks": ["INSTAGRAM"] },
            { "user": { "id": zoe, "displayName": "Zoe" }, "totalFollowers": 1000, "networks": ["LINKEDIN", "X"] },
        ])
    );

    let res = p.app.gql(Some(&p.hr), CANDIDATES, json!({ "f": 1 })).await;
    assert_eq!(
        res.data()["ambassadorCandidates"][0]["user"]["id"],
        bea.as_str()
    );
    assert_eq!(
        res.data()["ambassadorCandidates"].as_array().unwrap().len(),
        1
    );
    for bad in [0, 101] {
        let res = p
            .app
            .gql(Some(&p.hr), CANDIDATES, json!({ "f": bad }))
            .await;
        assert_eq!(res.code(), "BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn declined_and_withdrawn_employees_become_candidates_again_after_90_days() {
    let p = Programme::new().await;
    let (declined, declined_t) = p.employee_in("declined@acme.example", "DECLINED").await;
    let (withdrawn, withdrawn_t) = p.employee_in("withdrawn@acme.example", "WITHDRAWN").await;
    p.set_account(&declined_t, "LINKEDIN", "d", 200)
        .await
        .data();
    // A withdrawal deleted the accounts; declaring one again is allowed.
    p.set_account(&withdrawn_t, "LINKEDIN", "w", 100)
        .await
        .data();

    let ids = |res: &Gql| -> Vec<String> {
        res.data()["ambassadorCandidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["user"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    p.app
        .clock
        .advance(Duration::days(90) - Duration::seconds(1));
    let res = p.app.gql(Some(&p.hr), CANDIDATES, json!({})).await;
    assert_eq!(ids(&res), Vec::<String>::new());
    p.app.clock.advance(Duration::seconds(1));
    let res = p.app.gql(Some(&p.hr), CANDIDATES, json!({})).await;
    assert_eq!(ids(&res), [declined, withdrawn]);
}

// --- withdrawal ---

#[tokio::test]
async fn withdrawing_deletes_the_social_accounts_and_push_tokens_and_keeps_enrolled_at() {
    let p = Programme::new().await;
    let (ann, token) = p.employee_in("ann@acme.example", "PAUSED").await;
    let enrolled_at = p.me(&token).await["enrolledAt"].clone();
    let (bob, bob_t) = p.employee_in("bob@acme.example", "ACTIVE").await;
    for t in [&token, &bob_t] {
        p.set_account(t, "LINKEDIN", "someone", 10).await.data();
        p.set_account(t, "X", "someone", 10).await.data();
    }
    p.register(&token, "ann-phone").await.data();
    p.register(&token, "ann-tablet").await.data();
    p.register(&bob_t, "bob-phone").await.data();

    p.app.clock.advance(Duration::days(2));
    let res = p.call(&token, WITHDRAW).await;
    assert_eq!(res.data()["withdraw"]["ambassadorStatus"], "WITHDRAWN");
    assert_eq!(res.data()["withdraw"]["enrolledAt"], enrolled_at);

    let me = p.me(&token).await;
    assert_eq!(me["socialAccounts"], json!([]));
    assert_eq!(actions(&me), ["ENROLL", "PAUSE", "WITHDRAW"]);
    assert_eq!(p.device_tokens_of(&ann).await, Vec::<String>::new());
    let ann_uuid = Uuid::parse_str(&ann).unwrap();
    assert_eq!(
        social_accounts::Entity::find()
            .filter(social_accounts::Column::UserId.eq(ann_uuid))
            .all(&p.app.state.db)
            .await
            .unwrap()
            .len(),
        0
    );
    // Colleagues keep theirs.
    assert_eq!(
        p.me(&bob_t).await["socialAccounts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(p.device_tokens_of(&bob).await, ["bob-phone"]);
}

#[tokio::test]
async fn a_refused_withdrawal_keeps_the_accounts_and_tokens() {
    let p = Programme::new().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    p.set_account(&token, "LINKEDIN", "ann", 10).await.data();
    p.register(&token, "ann-phone").await.data();
    assert_eq!(p.call(&token, WITHDRAW).await.code(), "CONFLICT");
    assert_eq!(
        p.me(&token).await["socialAccounts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(p.device_tokens_of(&ann).await, ["ann-phone"]);
}

// --- push tokens ---

#[tokio::test]
async fn registering_the_same_token_again_changes_nothing() {
    let p = Programme::new().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    assert_eq!(
        p.register(&token, "ann-phone").await.data()["registerDevice"],
        true
    );
    let before = device_tokens::Entity::find()
        .all(&p.app.state.db)
        .await
        .unwrap();
    p.app.clock.advance(Duration::hours(1));
    assert_eq!(
        p.register(&token, "ann-phone").await.data()["registerDevice"],
        true
    );
    let after = device_tokens::Entity::find()
        .all(&p.app.state.db)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].user_id.to_string(), ann);
    assert_eq!(after[0].platform, "IOS");
    assert_eq!(after[0].organization_id, p.app.org.id);
}

#[tokio::test]
async fn a_token_registered_by_a_colleague_moves_to_the_new_owner() {
    let p = Programme::new().await;
    let (ann, ann_t) = p.employee("ann@acme.example").await;
    let (bob, bob_t) = p.employee("bob@acme.example").await;
    p.register(&ann_t, "shared-phone").await.data();
    p.register(&ann_t, "ann-tablet").await.data();

    let res = p
        .app
        .gql(
            Some(&bob_t),
            REGISTER,
            json!({ "p": "ANDROID", "t": "shared-phone" }),
        )
        .await;
    assert_eq!(res.data()["registerDevice"], true);
    assert_eq!(p.device_tokens_of(&ann).await, ["ann-tablet"]);
    assert_eq!(p.device_tokens_of(&bob).await, ["shared-phone"]);
    let row = device_tokens::Entity::find()
        .filter(device_tokens::Column::Token.eq("shared-phone"))
        .all(&p.app.state.db)
        .await
        .unwrap();
    assert_eq!(row.len(), 1);
    assert_eq!(row[0].platform, "ANDROID");
}

#[tokio::test]
async fn the_same_token_in_another_organization_does_not_move() {
    let p = Programme::new().await;
    let (ann, ann_t) = p.employee("ann@acme.example").await;
    let other = p.app.create_org("Globex", "globex").await;
    let (eve, eve_t) = p
        .app
        .create_user_in(&other.admin_token, "eve@globex.example", "Eve", &[])
        .await;
    p.register(&ann_t, "phone").await.data();
    p.register(&eve_t, "phone").await.data();
    assert_eq!(p.device_tokens_of(&ann).await, ["phone"]);
    assert_eq!(p.device_tokens_of(&eve).await, ["phone"]);
}

#[tokio::test]
async fn a_user_keeps_the_ten_newest_tokens() {
    let p = Programme::new().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    for i in 1..=11 {
        p.app.clock.advance(Duration::minutes(1));
        p.register(&token, &format!("device-{i:02}")).await.data();
    }
    let expected: Vec<String> = (2..=11).map(|i| format!("device-{i:02}")).collect();
    assert_eq!(p.device_tokens_of(&ann).await, expected);
}

#[tokio::test]
async fn a_token_has_1_to_4096_characters() {
    let p = Programme::new().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    for bad in [String::new(), "   ".to_owned(), "x".repeat(4097)] {
        assert_eq!(p.register(&token, &bad).await.code(), "BAD_USER_INPUT");
    }
    assert_eq!(p.device_tokens_of(&ann).await, Vec::<String>::new());
    let longest = "x".repeat(4096);
    p.register(&token, &longest).await.data();
    assert_eq!(p.device_tokens_of(&ann).await, [longest]);
}

// --- demo data ---

#[tokio::test]
async fn the_demo_organization_has_ambassadors_with_accounts_and_consent_records() {
    let app = TestApp::spawn().await;
    let logins = advocacy::seed::seed_demo(
        &app.state.db,
        &app.state.passwords,
        app.state.settings.app_env,
        app.clock_now(),
    )
    .await
    .expect("seed");
    let hr = app.login_token("hr@demo.example", &logins.password).await;
    let res = app.gql(Some(&hr), CANDIDATES, json!({})).await;
    let names: Vec<&str> = res.data()["ambassadorCandidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["user"]["displayName"].as_str().unwrap())
        .collect();
    // NONE with accounts; Grace declined too recently, Emma is invited.
    assert_eq!(names, ["Farid Haddad", "Hana Rossi"]);

    let res = app
        .gql(
            Some(&hr),
            "{ users(first: 50) { edges { node { email ambassadorStatus socialAccounts { network } consentRecords { action } } } } }",
            json!({}),
        )
        .await;
    let users = res.data()["users"]["edges"].as_array().unwrap().clone();
    let node = |email: &str| {
        users
            .iter()
            .map(|e| &e["node"])
            .find(|n| n["email"] == email)
            .unwrap()
            .clone()
    };
    let david = node("david@demo.example");
    assert_eq!(david["ambassadorStatus"], "PAUSED");
    assert_eq!(actions(&david), ["ENROLL", "PAUSE"]);
    assert_eq!(actions(&node("amelie@demo.example")), ["ENROLL"]);
    assert_eq!(
        node("amelie@demo.example")["socialAccounts"],
        json!([{ "network": "LINKEDIN" }, { "network": "X" }])
    );
    let hugo = node("hugo@demo.example");
    assert_eq!(hugo["socialAccounts"], json!([]));
    assert_eq!(actions(&hugo), ["ENROLL", "WITHDRAW"]);
}

#[tokio::test]
async fn concurrent_registrations_of_one_token_store_it_once() {
    let p = Programme::new().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    let (a, b, c) = tokio::join!(
        p.register(&token, "phone"),
        p.register(&token, "phone"),
        p.register(&token, "phone"),
    );
    for res in [a, b, c] {
        assert_eq!(res.data()["registerDevice"], true);
    }
    assert_eq!(p.device_tokens_of(&ann).await, ["phone"]);
}

#[tokio::test]
async fn concurrent_invitations_of_one_employee_invite_once() {
    let p = Programme::new().await;
    let (ann, _) = p.employee("ann@acme.example").await;
    let ids = [ann.as_str()];
    let (a, b) = tokio::join!(
        p.invite(&ids, Some("from HR")),
        p.app
            .admin(INVITE, json!({ "ids": [ann], "m": "from the admin" })),
    );
    let mut outcomes = vec![invited(&a).len(), invited(&b).len()];
    outcomes.sort();
    assert_eq!(outcomes, [0, 1]);
    let loser = if invited(&a).is_empty() { &a } else { &b };
    assert_eq!(
        skipped(loser),
        [(ann.clone(), "ALREADY_INVITED".to_owned())]
    );
    let db = &p.app.state.db;
    assert_eq!(invitations::Entity::find().all(db).await.unwrap().len(), 1);
    assert_eq!(
        notifications_outbox::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn concurrent_registrations_of_many_tokens_keep_at_most_ten() {
    let p = Programme::new().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    for i in 0..8 {
        p.register(&token, &format!("old-{i}")).await.data();
    }
    let (a, b, c, d) = tokio::join!(
        p.register(&token, "new-a"),
        p.register(&token, "new-b"),
        p.register(&token, "new-c"),
        p.register(&token, "new-d"),
    );
    for res in [a, b, c, d] {
        assert_eq!(res.data()["registerDevice"], true);
    }
    assert_eq!(p.device_tokens_of(&ann).await.len(), 10);
}

// --- many requests at once on a database that many connections share ---

/// Simultaneous calls per test: more than the connection pool holds.
const AT_ONCE: usize = 50;

impl Programme {
    /// As `new`, on a file SQLite database (or PostgreSQL), so that
    /// requests run on several pooled connections at once.
    async fn on_shared_database() -> Self {
        let mut settings = Settings::for_tests(shared_database().await);
        settings.access_token_ttl = 400 * 24 * 3600;
        let app = TestApp::spawn_on(settings, ManualClock::new(start_time())).await;
        let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
        Self { app, hr }
    }
}

/// How many of `results` succeeded ("OK") and failed with each code.
fn outcomes(results: &[Gql]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in results {
        let key = if r.body.get("errors").is_none() {
            "OK".to_owned()
        } else {
            r.code().to_owned()
        };
        *out.entry(key).or_default() += 1;
    }
    out
}

/// One success and `n - 1` CONFLICTs, as PostgreSQL answers a race.
fn one_ok_and_conflicts(n: usize) -> BTreeMap<String, usize> {
    [("CONFLICT".to_owned(), n - 1), ("OK".to_owned(), 1)].into()
}

#[tokio::test]
async fn fifty_simultaneous_moves_of_one_employee_make_one_move_and_conflicts() {
    let p = Programme::on_shared_database().await;
    for (n, (from, mutation, to)) in [
        ("NONE", ENROLL, "ACTIVE"),
        ("ACTIVE", PAUSE, "PAUSED"),
        ("PAUSED", RESUME, "ACTIVE"),
        ("INVITED", DECLINE, "DECLINED"),
        ("ACTIVE", WITHDRAW, "WITHDRAWN"),
    ]
    .into_iter()
    .enumerate()
    {
        let (_, token) = p.employee_in(&format!("e{n}@acme.example"), from).await;
        let results =
            join_all((0..AT_ONCE).map(|_| p.app.gql(Some(&token), mutation, json!({ "v": "1" }))))
                .await;
        assert_eq!(
            outcomes(&results),
            one_ok_and_conflicts(AT_ONCE),
            "{mutation}"
        );
        let me = p.me(&token).await;
        assert_eq!(me["ambassadorStatus"], to, "{mutation}");
    }
}

#[tokio::test]
async fn fifty_simultaneous_invitations_of_one_employee_invite_once() {
    let p = Programme::on_shared_database().await;
    for n in 0..3 {
        let (id, _) = p.employee(&format!("e{n}@acme.example")).await;
        let ids = [id.as_str()];
        let results = join_all((0..AT_ONCE).map(|_| p.invite(&ids, None))).await;
        assert_eq!(outcomes(&results), [("OK".to_owned(), AT_ONCE)].into());
        assert_eq!(results.iter().map(|r| invited(r).len()).sum::<usize>(), 1);
        for r in results.iter().filter(|r| invited(r).is_empty()) {
            assert_eq!(skipped(r), [(id.clone(), "ALREADY_INVITED".to_owned())]);
        }
    }
    let db = &p.app.state.db;
    assert_eq!(invitations::Entity::find().all(db).await.unwrap().len(), 3);
    assert_eq!(
        notifications_outbox::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn fifty_simultaneous_device_registrations_store_each_token_once_and_keep_ten() {
    let p = Programme::on_shared_database().await;
    let (ann, token) = p.employee("ann@acme.example").await;
    let same = join_all((0..AT_ONCE).map(|_| p.register(&token, "phone"))).await;
    assert_eq!(outcomes(&same), [("OK".to_owned(), AT_ONCE)].into());
    assert_eq!(p.device_tokens_of(&ann).await, ["phone"]);
    let names: Vec<String> = (0..AT_ONCE).map(|i| format!("phone-{i}")).collect();
    let many = join_all(names.iter().map(|name| p.register(&token, name))).await;
    assert_eq!(outcomes(&many), [("OK".to_owned(), AT_ONCE)].into());
    assert_eq!(p.device_tokens_of(&ann).await.len(), 10);
}
