//! Recording shares exactly once, on flaky mobile networks: idempotency,
//! the sharedAt window, who may share what, potential reach, points, the
//! leaderboard, myShares and a person's figures.

use std::sync::Arc;

use advocacy::startup::Application;
use chrono::{DateTime, Duration, Utc};
use entity::shares;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    content::{
        ambassador, archive, create, create_group, curator, input, input_with, publish_new,
        rfc3339, set_status, try_publish,
    },
    helpers::{Gql, PASSWORD, TestApp, fresh_database},
};

pub const SHARE_FIELDS: &str =
    "id network comment sharedAt potentialReach trackingUrl clicks content { id title }";

pub async fn try_record(app: &TestApp, token: &str, input: Value) -> Gql {
    app.gql(
        Some(token),
        &format!(
            "mutation($i: RecordShareInput!) {{ recordShare(input: $i) {{ replayed pointsAwarded share {{ {SHARE_FIELDS} }} }} }}"
        ),
        json!({ "i": input }),
    )
    .await
}

/// Records a share and returns the payload.
pub async fn record(app: &TestApp, token: &str, input: Value) -> Value {
    try_record(app, token, input).await.data()["recordShare"].clone()
}

pub fn share_input(content_id: &str, network: &str, key: &str) -> Value {
    json!({ "contentId": content_id, "network": network, "idempotencyKey": key })
}

/// A published item and an ACTIVE ambassador: (curator token, item id, ambassador token).
pub async fn setup(app: &TestApp) -> (String, String, String) {
    let curator = curator(app).await;
    let item = publish_new(app, &curator, input("News")).await;
    let (_, amb) = ambassador(app, "amb@acme.example").await;
    (curator, item, amb)
}

async fn share_rows(app: &TestApp) -> u64 {
    shares::Entity::find().count(&app.state.db).await.unwrap()
}

async fn set_followers(app: &TestApp, token: &str, network: &str, count: i64) {
    app.gql(
        Some(token),
        "mutation($i: SocialAccountInput!) { setSocialAccount(input: $i) { network } }",
        json!({ "i": { "network": network, "handle": "someone", "followerCount": count } }),
    )
    .await
    .data();
}

#[tokio::test]
async fn fifty_concurrent_calls_with_one_key_make_one_share_and_forty_nine_replays() {
    let app = Arc::new(TestApp::spawn().await);
    let (_, item, amb) = setup(&app).await;
    let input = share_input(&item, "LINKEDIN", "0b7c1d9e-retry-key");
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (app, amb, input) = (app.clone(), amb.clone(), input.clone());
        calls.spawn(async move { record(&app, &amb, input).await });
    }
    let mut payloads = Vec::new();
    while let Some(result) = calls.join_next().await {
        payloads.push(result.unwrap());
    }
    let firsts: Vec<&Value> = payloads.iter().filter(|p| p["replayed"] == false).collect();
    assert_eq!(firsts.len(), 1);
    assert_eq!(firsts[0]["pointsAwarded"], 10);
    let replays: Vec<&Value> = payloads.iter().filter(|p| p["replayed"] == true).collect();
    assert_eq!(replays.len(), 49);
    for replay in &replays {
        assert_eq!(replay["pointsAwarded"], 0);
        assert_eq!(replay["share"], firsts[0]["share"]);
    }
    assert_eq!(share_rows(&app).await, 1);
    let stats = app
        .gql(Some(&amb), "{ me { stats { shares points } } }", json!({}))
        .await;
    assert_eq!(
        stats.data()["me"]["stats"],
        json!({ "shares": 1, "points": 10 })
    );
}

#[tokio::test]
async fn a_retry_after_a_server_restart_replays_the_first_share() {
    // A database that outlives the first server: a file for SQLite.
    let file = std::env::temp_dir().join(format!("advocacy-restart-{}.db", uuid::Uuid::new_v4()));
    let database_url = if std::env::var("TEST_DATABASE_URL").is_ok() {
        fresh_database().await
    } else {
        format!("sqlite://{}?mode=rwc", file.display())
    };
    let app = TestApp::spawn_with(|s| s.database_url = database_url.into()).await;
    let (_, item, amb) = setup(&app).await;
    let input = share_input(&item, "X", "offline-queue-1");
    let first = record(&app, &amb, input.clone()).await;
    assert_eq!(first["replayed"], false);

    let restarted = Application::build(app.state.settings.clone(), app.clock.clone())
        .await
        .expect("second server");
    let base = format!("http://127.0.0.1:{}", restarted.port());
    tokio::spawn(restarted.run_until_stopped());
    let res: Value = app
        .client
        .post(format!("{base}/graphql"))
        .bearer_auth(&amb)
        .json(&json!({
            "query": format!("mutation($i: RecordShareInput!) {{ recordShare(input: $i) {{ replayed pointsAwarded share {{ {SHARE_FIELDS} }} }} }}"),
            "variables": { "i": input },
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let again = &res["data"]["recordShare"];
    assert_eq!(again["replayed"], true, "{res}");
    assert_eq!(again["pointsAwarded"], 0);
    assert_eq!(again["share"], first["share"]);
    assert_eq!(share_rows(&app).await, 1);
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn reusing_a_key_with_other_input_is_a_conflict_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let (curator, item, amb) = setup(&app).await;
    let other = publish_new(&app, &curator, input("Other")).await;
    let first = record(&app, &amb, share_input(&item, "LINKEDIN", "k1")).await;
    for changed in [
        share_input(&item, "X", "k1"),
        share_input(&other, "LINKEDIN", "k1"),
        json!({ "contentId": item, "network": "LINKEDIN", "idempotencyKey": "k1", "comment": "Proud!" }),
        json!({ "contentId": item, "network": "LINKEDIN", "idempotencyKey": "k1", "sharedAt": rfc3339(app.clock_now()) }),
    ] {
        let res = try_record(&app, &amb, changed.clone()).await;
        assert_eq!(res.code(), "CONFLICT", "{changed}");
    }
    assert_eq!(share_rows(&app).await, 1);
    // The same input is still a replay, and the same key is free for someone else.
    let replay = record(&app, &amb, share_input(&item, "LINKEDIN", "k1")).await;
    assert_eq!(replay["share"], first["share"]);
    let (_, other_amb) = ambassador(&app, "other@acme.example").await;
    let theirs = record(&app, &other_amb, share_input(&item, "LINKEDIN", "k1")).await;
    assert_eq!(theirs["replayed"], false);
    assert_ne!(theirs["share"]["id"], first["share"]["id"]);
}

#[tokio::test]
async fn shared_at_may_be_five_minutes_ahead_and_seven_days_back_and_not_before_publication() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let now = app.clock_now();
    let old = create(&app, &curator, input("Old")).await;
    try_publish(&app, &curator, &old, Some(now - Duration::days(8)), None)
        .await
        .data();
    let fresh = create(&app, &curator, input("Fresh")).await;
    let published = now - Duration::hours(1);
    try_publish(&app, &curator, &fresh, Some(published), None)
        .await
        .data();
    let (_, amb) = ambassador(&app, "amb@acme.example").await;
    let at = |item: &str, t: DateTime<Utc>, key: &str| json!({ "contentId": item, "network": "LINKEDIN", "idempotencyKey": key, "sharedAt": rfc3339(t) });
    let ok = [
        (old.as_str(), now + Duration::minutes(5)),
        (old.as_str(), now - Duration::days(7)),
        (fresh.as_str(), published),
    ];
    for (i, (item, t)) in ok.iter().enumerate() {
        let res = record(&app, &amb, at(item, *t, &format!("ok-{i}"))).await;
        assert_eq!(res["share"]["sharedAt"], rfc3339(*t));
    }
    let refused = [
        (
            old.as_str(),
            now + Duration::minutes(5) + Duration::seconds(1),
        ),
        (old.as_str(), now - Duration::days(7) - Duration::seconds(1)),
        (fresh.as_str(), published - Duration::seconds(1)),
    ];
    for (i, (item, t)) in refused.iter().enumerate() {
        let res = try_record(&app, &amb, at(item, *t, &format!("no-{i}"))).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "{t}");
    }
    // Omitted, sharedAt is now.
    let res = record(&app, &amb, share_input(&old, "X", "default")).await;
    assert_eq!(res["share"]["sharedAt"], rfc3339(now));
    assert_eq!(share_rows(&app).await, 4);
}

#[tokio::test]
async fn only_active_ambassadors_record_shares() {
    let app = TestApp::spawn().await;
    let (_, item, _) = setup(&app).await;
    for status in ["NONE", "INVITED", "PAUSED", "DECLINED", "WITHDRAWN"] {
        let (id, token) = app
            .create_user(&format!("{}@acme.example", status.to_lowercase()), &[])
            .await;
        set_status(&app, &id, status).await;
        let res = try_record(&app, &token, share_input(&item, "LINKEDIN", "k")).await;
        assert_eq!(res.code(), "FORBIDDEN", "{status}");
    }
    // Roles do not make an ambassador.
    let res = try_record(
        &app,
        &app.org.admin_token,
        share_input(&item, "LINKEDIN", "k"),
    )
    .await;
    assert_eq!(res.code(), "FORBIDDEN");
    let res = app
        .gql(
            None,
            "mutation($i: RecordShareInput!) { recordShare(input: $i) { replayed } }",
            json!({ "i": share_input(&item, "LINKEDIN", "k") }),
        )
        .await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    assert_eq!(share_rows(&app).await, 0);
}

#[tokio::test]
async fn items_outside_the_ambassadors_feed_are_not_found_whatever_their_roles() {
    let app = TestApp::spawn().await;
    let curator_token = curator(&app).await;
    let now = app.clock_now();
    let draft = create(&app, &curator_token, input("Draft")).await;
    let archived = publish_new(&app, &curator_token, input("Archived")).await;
    archive(&app, &curator_token, &archived).await.data();
    let scheduled = create(&app, &curator_token, input("Scheduled")).await;
    try_publish(
        &app,
        &curator_token,
        &scheduled,
        Some(now + Duration::hours(1)),
        None,
    )
    .await
    .data();
    let expired = create(&app, &curator_token, input("Expired")).await;
    try_publish(
        &app,
        &curator_token,
        &expired,
        Some(now - Duration::days(2)),
        Some(now - Duration::days(1)),
    )
    .await
    .data();
    // A curator who is also an ACTIVE ambassador sees what the feed shows, no more.
    let (staff_id, staff) = app
        .create_user("staff@acme.example", &["CURATOR", "HR"])
        .await;
    set_status(&app, &staff_id, "ACTIVE").await;
    let group = create_group(&app, "Lyon", &[]).await;
    let targeted = publish_new(
        &app,
        &curator_token,
        input_with("Lyon only", json!({ "targetGroupIds": [group] })),
    )
    .await;
    let other_org = app.create_org("Globex", "globex").await;
    let (_, other_curator) = app
        .create_user_in(
            &other_org.admin_token,
            "cur@globex.example",
            "Cur",
            &["CURATOR"],
        )
        .await;
    let foreign = publish_new(&app, &other_curator, input("Foreign")).await;
    for (name, item) in [
        ("draft", &draft),
        ("archived", &archived),
        ("scheduled", &scheduled),
        ("expired", &expired),
        ("targeted away", &targeted),
        ("other organization", &foreign),
    ] {
        let res = try_record(&app, &staff, share_input(item, "LINKEDIN", name)).await;
        assert_eq!(res.code(), "NOT_FOUND", "{name}");
    }
    assert_eq!(share_rows(&app).await, 0);
}

#[tokio::test]
async fn comments_and_keys_have_length_limits() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let with = |comment: String, key: String| json!({ "contentId": item, "network": "LINKEDIN", "idempotencyKey": key, "comment": comment });
    let res = try_record(&app, &amb, with("é".repeat(3001), "a".into())).await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
    for key in [String::new(), "k".repeat(256)] {
        let res = try_record(&app, &amb, with("fine".into(), key)).await;
        assert_eq!(res.code(), "BAD_USER_INPUT");
    }
    let res = record(&app, &amb, with("é".repeat(3000), "k".repeat(255))).await;
    assert_eq!(
        res["share"]["comment"].as_str().unwrap().chars().count(),
        3000
    );
    assert_eq!(share_rows(&app).await, 1);
}

#[tokio::test]
async fn potential_reach_is_the_follower_count_declared_on_that_network_at_the_time() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    set_followers(&app, &amb, "LINKEDIN", 1200).await;
    let first = record(&app, &amb, share_input(&item, "LINKEDIN", "a")).await;
    assert_eq!(first["share"]["potentialReach"], 1200);
    let none = record(&app, &amb, share_input(&item, "X", "b")).await;
    assert_eq!(none["share"]["potentialReach"], 0);
    set_followers(&app, &amb, "LINKEDIN", 1500).await;
    let later = record(&app, &amb, share_input(&item, "LINKEDIN", "c")).await;
    assert_eq!(later["share"]["potentialReach"], 1500);
    // Recorded values stay as they were.
    let res = app
        .gql(
            Some(&amb),
            "{ myShares { edges { node { potentialReach } } } }",
            json!({}),
        )
        .await;
    let reaches: Vec<i64> = res.data()["myShares"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["potentialReach"].as_i64().unwrap())
        .collect();
    assert_eq!(reaches, vec![1500, 0, 1200]);
}

#[tokio::test]
async fn points_go_to_the_first_share_of_an_item_on_each_network_only() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let first = record(&app, &amb, share_input(&item, "LINKEDIN", "a")).await;
    assert_eq!(first["pointsAwarded"], 10);
    let replay = record(&app, &amb, share_input(&item, "LINKEDIN", "a")).await;
    assert_eq!(replay["pointsAwarded"], 0);
    let repeat = record(&app, &amb, share_input(&item, "LINKEDIN", "b")).await;
    assert_eq!(repeat["replayed"], false);
    assert_eq!(repeat["pointsAwarded"], 0);
    // The setting at the time of the share applies.
    app.admin(
        "mutation { updateOrganization(input: { pointsPerShare: 25 }) { id } }",
        json!({}),
    )
    .await
    .data();
    let other_network = record(&app, &amb, share_input(&item, "X", "c")).await;
    assert_eq!(other_network["pointsAwarded"], 25);
    let stats = app
        .gql(Some(&amb), "{ me { stats { shares points } } }", json!({}))
        .await;
    assert_eq!(
        stats.data()["me"]["stats"],
        json!({ "shares": 3, "points": 35 })
    );
}

async fn leaderboard(app: &TestApp, token: &str, period: &str) -> Vec<(i64, String, i64, i64)> {
    let res = app
        .gql(
            Some(token),
            "query($p: LeaderboardPeriod) { leaderboard(period: $p) { rank points shares user { displayName } } }",
            json!({ "p": period }),
        )
        .await;
    res.data()["leaderboard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rank"].as_i64().unwrap(),
                e["user"]["displayName"].as_str().unwrap().to_owned(),
                e["points"].as_i64().unwrap(),
                e["shares"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn leaderboard_ranks_by_points_then_shares_then_name_and_ties_share_a_rank() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let a = publish_new(&app, &curator, input("A")).await;
    let b = publish_new(&app, &curator, input("B")).await;
    let (_, zoe) = ambassador(&app, "zoe@acme.example").await;
    let (_, ann) = ambassador(&app, "ann@acme.example").await;
    let (_, bob) = ambassador(&app, "bob@acme.example").await;
    let (_, cat) = ambassador(&app, "cat@acme.example").await;
    let (_, _dan) = ambassador(&app, "dan@acme.example").await;
    // zoe: 20 points, 2 shares; ann and bob: 10 points, 2 shares (a repeat); cat: 10 points, 1 share.
    record(&app, &zoe, share_input(&a, "LINKEDIN", "1")).await;
    record(&app, &zoe, share_input(&b, "LINKEDIN", "2")).await;
    for t in [&ann, &bob] {
        record(&app, t, share_input(&a, "X", "1")).await;
        record(&app, t, share_input(&a, "X", "2")).await;
    }
    record(&app, &cat, share_input(&b, "X", "1")).await;
    let board = leaderboard(&app, &ann, "MONTH").await;
    assert_eq!(
        board,
        vec![
            (1, "zoe".into(), 20, 2),
            (2, "ann".into(), 10, 2),
            (2, "bob".into(), 10, 2),
            (4, "cat".into(), 10, 1),
            (5, "dan".into(), 0, 0),
        ]
    );
    // Default period is MONTH, first defaults to 10 and is bounded.
    let res = app
        .gql(
            Some(&ann),
            "{ leaderboard(first: 2) { rank user { displayName } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        res.data()["leaderboard"],
        json!([{ "rank": 1, "user": { "displayName": "zoe" } }, { "rank": 2, "user": { "displayName": "ann" } }])
    );
    let res = app
        .gql(
            Some(&ann),
            "{ leaderboard(first: 101) { rank } }",
            json!({}),
        )
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn leaderboard_periods_count_the_last_7_days_30_days_or_all_time() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let items = [
        publish_new(&app, &curator, input("1")).await,
        publish_new(&app, &curator, input("2")).await,
        publish_new(&app, &curator, input("3")).await,
    ];
    let (_, old) = ambassador(&app, "old@acme.example").await;
    let (_, mid) = ambassador(&app, "mid@acme.example").await;
    let (_, new) = ambassador(&app, "new@acme.example").await;
    // old shares three items at day 0, mid two at day 20, new one at day 29.
    for (i, item) in items.iter().enumerate() {
        record(&app, &old, share_input(item, "X", &i.to_string())).await;
    }
    // Access tokens are short-lived: sign in again after moving the clock.
    let _ = (mid, new);
    app.clock.advance(Duration::days(20));
    let mid = app.login_token("mid@acme.example", PASSWORD).await;
    for (i, item) in items.iter().take(2).enumerate() {
        record(&app, &mid, share_input(item, "X", &i.to_string())).await;
    }
    app.clock.advance(Duration::days(9));
    let new = app.login_token("new@acme.example", PASSWORD).await;
    record(&app, &new, share_input(&items[0], "X", "0")).await;
    app.clock.advance(Duration::days(2));
    let old = app.login_token("old@acme.example", PASSWORD).await;
    // Now day 31: old's shares are 31 days old, mid's 11, new's 2.
    assert_eq!(
        leaderboard(&app, &old, "WEEK").await[0],
        (1, "new".into(), 10, 1)
    );
    let month = leaderboard(&app, &old, "MONTH").await;
    assert_eq!(
        month[..2],
        [(1, "mid".into(), 20, 2), (2, "new".into(), 10, 1)]
    );
    assert_eq!(month[2], (3, "old".into(), 0, 0));
    let all = leaderboard(&app, &old, "ALL_TIME").await;
    assert_eq!(
        all,
        vec![
            (1, "old".into(), 30, 3),
            (2, "mid".into(), 20, 2),
            (3, "new".into(), 10, 1)
        ]
    );
}

#[tokio::test]
async fn withdrawn_and_paused_ambassadors_are_absent_from_the_leaderboard_but_their_shares_remain()
{
    let app = TestApp::spawn().await;
    let (curator, item, amb) = setup(&app).await;
    let _ = curator;
    let (gone_id, gone) = ambassador(&app, "gone@acme.example").await;
    record(&app, &gone, share_input(&item, "X", "1")).await;
    record(&app, &amb, share_input(&item, "LINKEDIN", "1")).await;
    app.gql(
        Some(&gone),
        "mutation { withdraw { ambassadorStatus } }",
        json!({}),
    )
    .await
    .data();
    let board = leaderboard(&app, &amb, "ALL_TIME").await;
    assert_eq!(board, vec![(1, "amb".into(), 10, 1)]);
    assert!(!board.iter().any(|e| e.1 == "gone"));
    let _ = gone_id;
    let res = app
        .gql(
            Some(&amb),
            "query($id: ID!) { content(id: $id) { shareCount } }",
            json!({ "id": item }),
        )
        .await;
    assert_eq!(res.data()["content"]["shareCount"], 2);
}

#[tokio::test]
async fn my_shares_pages_newest_first_with_a_total_count() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let now = app.clock_now();
    let published = |title: &'static str| {
        let (app, curator) = (&app, &curator);
        async move {
            let id = create(app, curator, input(title)).await;
            try_publish(app, curator, &id, Some(now - Duration::hours(2)), None)
                .await
                .data();
            id
        }
    };
    let item = published("News").await;
    let other = published("Other").await;
    let (_, amb) = ambassador(&app, "amb@acme.example").await;
    let (_, someone) = ambassador(&app, "someone@acme.example").await;
    record(&app, &someone, share_input(&item, "X", "theirs")).await;
    let mut expected = Vec::new();
    for i in 0..5 {
        let t = now - Duration::minutes(50 - i * 10);
        let target = if i % 2 == 0 { &item } else { &other };
        let res = record(
            &app,
            &amb,
            json!({ "contentId": target, "network": "LINKEDIN", "idempotencyKey": format!("k{i}"), "sharedAt": rfc3339(t) }),
        )
        .await;
        expected.push(res["share"]["id"].as_str().unwrap().to_owned());
    }
    expected.reverse();
    let page = |after: Option<String>| {
        let app = &app;
        let amb = &amb;
        async move {
            app.gql(
                Some(amb),
                "query($a: String) { myShares(first: 2, after: $a) { totalCount edges { cursor node { id clicks content { title } } } pageInfo { hasNextPage hasPreviousPage endCursor } } }",
                json!({ "a": after }),
            )
            .await
            .data()["myShares"]
                .clone()
        }
    };
    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let p = page(after.clone()).await;
        pages += 1;
        assert_eq!(p["totalCount"], 5);
        assert_eq!(p["pageInfo"]["hasPreviousPage"], after.is_some());
        for e in p["edges"].as_array().unwrap() {
            seen.push(e["node"]["id"].as_str().unwrap().to_owned());
            assert_eq!(e["node"]["clicks"], 0);
        }
        if p["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = p["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected);
    let first = page(None).await;
    assert_eq!(first["edges"][0]["node"]["content"]["title"], "News");
    assert_eq!(first["edges"][1]["node"]["content"]["title"], "Other");
    let res = app
        .gql(
            Some(&amb),
            "{ myShares(after: \"garbage\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn content_share_count_and_viewer_has_shared_follow_recorded_shares() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let (_, other) = ambassador(&app, "other@acme.example").await;
    let query = "query($id: ID!) { content(id: $id) { shareCount viewerHasShared } }";
    let read = |token: String| {
        let app = &app;
        let item = item.clone();
        async move {
            app.gql(Some(&token), query, json!({ "id": item }))
                .await
                .data()["content"]
                .clone()
        }
    };
    assert_eq!(
        read(amb.clone()).await,
        json!({ "shareCount": 0, "viewerHasShared": false })
    );
    record(&app, &amb, share_input(&item, "X", "1")).await;
    record(&app, &amb, share_input(&item, "LINKEDIN", "2")).await;
    assert_eq!(
        read(amb.clone()).await,
        json!({ "shareCount": 2, "viewerHasShared": true })
    );
    assert_eq!(
        read(other).await,
        json!({ "shareCount": 2, "viewerHasShared": false })
    );
}

#[tokio::test]
async fn the_demo_organization_has_two_months_of_shares_clicks_and_points() {
    use entity::{clicks, points_ledger};
    let app = TestApp::spawn().await;
    let logins = advocacy::seed::seed_demo(
        &app.state.db,
        &app.state.passwords,
        app.state.settings.app_env,
        app.clock_now(),
    )
    .await
    .expect("seed");
    let amelie = app
        .login_token("amelie@demo.example", &logins.password)
        .await;
    let res = app
        .gql(
            Some(&amelie),
            "{ myShares(first: 100) { totalCount edges { node { sharedAt clicks content { title } } } } me { stats { shares clicks points potentialReach } } leaderboard(period: ALL_TIME) { rank points shares user { ambassadorStatus } } }",
            json!({}),
        )
        .await;
    let data = res.data();
    let total = data["myShares"]["totalCount"].as_i64().unwrap();
    assert!(total >= 4, "{total}");
    assert_eq!(data["me"]["stats"]["shares"], total);
    assert!(data["me"]["stats"]["points"].as_i64().unwrap() > 0);
    let board = data["leaderboard"].as_array().unwrap();
    assert!(board.len() >= 2);
    assert!(
        board
            .iter()
            .all(|e| e["user"]["ambassadorStatus"] == "ACTIVE")
    );
    assert!(board[0]["points"].as_i64().unwrap() > 0);
    // Two months back at most, and consistent with what the services write.
    let now = app.clock_now();
    let all = shares::Entity::find().all(&app.state.db).await.unwrap();
    assert!(
        all.iter()
            .all(|s| s.shared_at >= now - Duration::days(60) && s.shared_at <= now)
    );
    let ledger = points_ledger::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    let awarded: i32 = all.iter().map(|s| s.points_awarded).sum();
    assert_eq!(awarded, ledger.iter().map(|p| p.points).sum::<i32>());
    assert!(clicks::Entity::find().count(&app.state.db).await.unwrap() > 0);
}

#[tokio::test]
async fn my_shares_and_the_leaderboard_cost_the_same_statements_for_any_page_size() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let mut items = Vec::new();
    for i in 0..6 {
        items.push(publish_new(&app, &curator, input(&format!("Item {i}"))).await);
    }
    let mut tokens = Vec::new();
    for i in 0..12 {
        tokens.push(ambassador(&app, &format!("amb{i:02}@acme.example")).await.1);
    }
    for (i, token) in tokens.iter().enumerate() {
        for (j, item) in items.iter().enumerate().take(1 + i % 6) {
            record(&app, token, share_input(item, "LINKEDIN", &format!("{j}"))).await;
            record(&app, token, share_input(item, "X", &format!("x{j}"))).await;
        }
    }
    let me = &tokens[11];
    let mut counts = Vec::new();
    for first in [2, 12] {
        let before = app.state.statement_count();
        let res = app
            .gql(
                Some(me),
                "query($f: Int) { myShares(first: $f) { totalCount edges { node { clicks trackingUrl content { title shareCount viewerHasShared topics { name } } } } } leaderboard(first: $f, period: ALL_TIME) { rank user { displayName stats { shares clicks points potentialReach } } } }",
                json!({ "f": first }),
            )
            .await;
        let after = app.state.statement_count();
        let data = res.data();
        assert_eq!(data["myShares"]["edges"].as_array().unwrap().len(), first);
        assert_eq!(data["leaderboard"].as_array().unwrap().len(), first);
        assert_eq!(data["myShares"]["totalCount"], 12);
        counts.push(after - before);
    }
    assert_eq!(counts[0], counts[1], "statements: {counts:?}");
}

#[tokio::test]
async fn colleagues_on_the_leaderboard_cannot_read_each_others_accounts_or_consent() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let (_, other) = ambassador(&app, "other@acme.example").await;
    set_followers(&app, &other, "LINKEDIN", 900).await;
    record(&app, &other, share_input(&item, "LINKEDIN", "k")).await;
    let query = "{ leaderboard(period: ALL_TIME) { user { displayName socialAccounts { handle } consentRecords { action } } } }";
    let res = app.gql(Some(&amb), query, json!({})).await;
    let codes: Vec<&str> = res.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["extensions"]["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| *c == "FORBIDDEN"),
        "{}",
        res.body
    );
    // Their own, and HR, may.
    let own = app
        .gql(
            Some(&other),
            "{ me { socialAccounts { followerCount } consentRecords { action } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        own.data()["me"]["socialAccounts"],
        json!([{ "followerCount": 900 }])
    );
    let hr = app.admin(query, json!({})).await;
    hr.data();
}
