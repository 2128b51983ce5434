//! The audit trail: every change by HR, an ADMIN or the system writes one
//! entry in the change's transaction; only an ADMIN reads it, newest first;
//! nothing can change an entry, not even plain SQL.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

pub const AUDIT_LOG: &str = "query($first: Int, $after: String) { auditLog(first: $first, after: $after) { edges { cursor node { id at actor { id } actorKind action targetId details } } pageInfo { hasNextPage hasPreviousPage endCursor } } }";

/// Every entry of the first organization's log, newest first.
pub async fn entries(app: &TestApp) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let res = app
            .admin(AUDIT_LOG, json!({ "first": 100, "after": after }))
            .await;
        let log = &res.data()["auditLog"];
        for edge in log["edges"].as_array().unwrap() {
            out.push(edge["node"].clone());
        }
        if !log["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return out;
        }
        after = log["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

fn details(entry: &Value) -> Value {
    serde_json::from_str(entry["details"].as_str().unwrap()).unwrap()
}

/// The entries with `action`, newest first.
pub fn with_action<'a>(all: &'a [Value], action: &str) -> Vec<&'a Value> {
    all.iter().filter(|e| e["action"] == action).collect()
}

#[tokio::test]
async fn each_change_by_an_admin_or_hr_writes_one_entry_naming_actor_action_and_target() {
    let app = TestApp::spawn().await;
    let admin = app.org.admin_id.clone();

    // createUser
    let res = app
        .admin(
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "email": "hr@acme.example", "displayName": "Hélène RH", "password": PASSWORD, "roles": ["HR"] } }),
        )
        .await;
    let hr_id = res.data()["createUser"]["id"].as_str().unwrap().to_owned();
    let hr = app.login_token("hr@acme.example", PASSWORD).await;
    let (amelie, _) = app.create_user("amelie@acme.example", &[]).await;

    // setUserRoles: a change, then the same roles again (no change, no entry)
    for roles in [json!(["CURATOR"]), json!(["CURATOR"])] {
        app.admin(
            "mutation($u: ID!, $r: [Role!]!) { setUserRoles(userId: $u, roles: $r) { id } }",
            json!({ "u": amelie, "r": roles }),
        )
        .await
        .data();
    }

    // updateOrganization
    app.admin(
        "mutation($i: OrganizationInput!) { updateOrganization(input: $i) { id } }",
        json!({ "i": { "minimumGroupSize": 3, "cpm": [{ "network": "LINKEDIN", "amount": 12.5 }] } }),
    )
    .await
    .data();

    // createGroup and setGroupMembers, by HR
    let res = app
        .gql(
            Some(&hr),
            "mutation { createGroup(name: \"Lyon\") { id } }",
            json!({}),
        )
        .await;
    let group = res.data()["createGroup"]["id"].as_str().unwrap().to_owned();
    for members in [json!([amelie]), json!([hr_id])] {
        app.gql(
            Some(&hr),
            "mutation($g: ID!, $u: [ID!]!) { setGroupMembers(groupId: $g, userIds: $u) { id } }",
            json!({ "g": group, "u": members }),
        )
        .await
        .data();
    }

    // inviteAmbassadors, by HR, with a note that must stay out of the trail
    app.gql(
        Some(&hr),
        "mutation($u: [ID!]!) { inviteAmbassadors(userIds: $u, message: \"Dear Amélie, join us\") { invited { id } } }",
        json!({ "u": [amelie] }),
    )
    .await
    .data();

    let log = entries(&app).await;
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "invitation.create",
            "group.members",
            "group.members",
            "group.create",
            "organization.update",
            "user.roles",
            "user.create",
            "user.create",
            // The organization's first ADMIN, made by the command line.
            "user.create",
        ]
    );
    let by = |e: &Value| e["actor"]["id"].as_str().map(str::to_owned);
    assert!(
        log.iter()
            .all(|e| e["id"].is_string() && e["at"].is_string())
    );

    let invite = with_action(&log, "invitation.create")[0];
    assert_eq!(by(invite).as_deref(), Some(hr_id.as_str()));
    assert_eq!(invite["actorKind"], "USER");
    assert_eq!(invite["targetId"], amelie);
    assert_eq!(details(invite)["message"], true);
    assert!(details(invite)["invitationId"].is_string());

    let members = with_action(&log, "group.members");
    assert_eq!(members[0]["targetId"], group);
    assert_eq!(
        details(members[0]),
        json!({ "members": 1, "added": 1, "removed": 1 })
    );
    assert_eq!(
        details(members[1]),
        json!({ "members": 1, "added": 1, "removed": 0 })
    );
    let created = with_action(&log, "group.create")[0];
    assert_eq!(created["targetId"], group);
    assert_eq!(by(created).as_deref(), Some(hr_id.as_str()));
    assert_eq!(details(created), json!({ "name": "Lyon" }));

    let org = with_action(&log, "organization.update")[0];
    assert_eq!(org["targetId"], app.org.id.to_string());
    assert_eq!(by(org).as_deref(), Some(admin.as_str()));
    assert_eq!(
        details(org),
        json!({ "minimumGroupSize": 3, "cpm": { "LINKEDIN": 12.5 } })
    );

    let roles = with_action(&log, "user.roles");
    assert_eq!(roles.len(), 1, "the same roles again change nothing");
    assert_eq!(roles[0]["targetId"], amelie);
    assert_eq!(
        details(roles[0]),
        json!({ "roles": ["EMPLOYEE", "CURATOR"], "previous": ["EMPLOYEE"] })
    );

    let users = with_action(&log, "user.create");
    assert_eq!(users[0]["targetId"], amelie);
    assert_eq!(users[1]["targetId"], hr_id);
    assert_eq!(by(users[1]).as_deref(), Some(admin.as_str()));
    assert_eq!(
        details(users[1]),
        json!({ "roles": ["EMPLOYEE", "HR"], "groups": 0, "password": true })
    );
    assert_eq!(users[2]["targetId"], admin);
    assert_eq!(users[2]["actorKind"], "SYSTEM");
    assert_eq!(users[2]["actor"], Value::Null);

    // Nothing secret or personal in any entry: no password, hash, email,
    // name or free text.
    let text = serde_json::to_string(&log).unwrap();
    for secret in [
        PASSWORD,
        "argon2",
        "@acme.example",
        "Hélène",
        "amelie",
        "Dear Amélie",
    ] {
        assert!(
            !text.contains(secret),
            "{secret:?} in the audit log: {text}"
        );
    }
}

#[tokio::test]
async fn a_refused_change_writes_no_entry() {
    let app = TestApp::spawn().await;
    let before = entries(&app).await.len();
    app.admin(
        "mutation { createGroup(name: \"Paris\") { id } }",
        json!({}),
    )
    .await
    .data();
    // A duplicate name is CONFLICT; an unknown user NOT_FOUND; a bad
    // setting BAD_USER_INPUT: none of them leaves an entry.
    let dup = app
        .admin(
            "mutation { createGroup(name: \"Paris\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(dup.code(), "CONFLICT");
    let unknown = app
        .admin(
            "mutation($u: ID!) { setUserRoles(userId: $u, roles: [HR]) { id } }",
            json!({ "u": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(unknown.code(), "NOT_FOUND");
    let bad = app
        .admin(
            "mutation { updateOrganization(input: { name: \"New\", minimumGroupSize: 0 }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(bad.code(), "BAD_USER_INPUT");
    let after = entries(&app).await;
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[0]["action"], "group.create");
}

#[tokio::test]
async fn only_an_admin_reads_the_audit_log() {
    let app = TestApp::spawn().await;
    for (i, roles) in [&["HR"][..], &["CURATOR"], &[]].into_iter().enumerate() {
        let (_, token) = app.create_user(&format!("u{i}@acme.example"), roles).await;
        let res = app.gql(Some(&token), AUDIT_LOG, json!({})).await;
        assert_eq!(res.code(), "FORBIDDEN", "{roles:?}");
        assert_eq!(res.body["data"], Value::Null);
    }
    let res = app.gql(None, AUDIT_LOG, json!({})).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    for first in [0, 101] {
        let res = app.admin(AUDIT_LOG, json!({ "first": first })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT");
    }
    let res = app
        .admin(AUDIT_LOG, json!({ "after": "not-a-cursor" }))
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn the_audit_log_pages_newest_first_by_keyset_within_the_organization() {
    let app = TestApp::spawn().await;
    let other = app.create_org("Globex", "globex").await;
    for i in 0..7 {
        app.admin(
            "mutation($n: String!) { createGroup(name: $n) { id } }",
            json!({ "n": format!("Team {i}") }),
        )
        .await
        .data();
        app.gql(
            Some(&other.admin_token),
            "mutation($n: String!) { createGroup(name: $n) { id } }",
            json!({ "n": format!("Other {i}") }),
        )
        .await
        .data();
    }
    // Several entries at the very same instant: the id breaks the tie.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let res = app
            .admin(AUDIT_LOG, json!({ "first": 3, "after": after }))
            .await;
        let log = &res.data()["auditLog"];
        assert_eq!(log["pageInfo"]["hasPreviousPage"], after.is_some());
        for edge in log["edges"].as_array().unwrap() {
            seen.push(edge["node"].clone());
        }
        pages += 1;
        if !log["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = log["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    let groups: Vec<Value> = with_action(&seen, "group.create")
        .into_iter()
        .map(|e| details(e)["name"].clone())
        .collect();
    let expected: Vec<Value> = (0..7).rev().map(|i| json!(format!("Team {i}"))).collect();
    assert_eq!(groups, expected);
    assert_eq!(seen.len(), 8, "7 groups and the first ADMIN");
    let ids: std::collections::BTreeSet<&str> =
        seen.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), seen.len(), "no entry twice");
}

#[tokio::test]
async fn no_statement_can_change_an_audit_entry() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let backend = db.get_database_backend();
    for sql in [
        "UPDATE audit_entries SET action = 'user.nothing'",
        "UPDATE audit_entries SET actor_user_id = NULL",
    ] {
        let err = db
            .execute_raw(Statement::from_string(backend, sql.to_owned()))
            .await
            .expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    let log = entries(&app).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["action"], "user.create");
}
