//! Writing content: roles, validation, the lifecycle and the curators' list.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use entity::users;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Gql, PASSWORD, TestApp};

pub const CONTENT_FIELDS: &str = "id kind title summary body url imageUrl language pinned status \
    publishAt expiresAt createdAt shareCount viewerHasShared \
    topics { id name } targetGroups { id name } suggestedTexts { network text }";

/// Makes the user an ACTIVE ambassador, as enrolling would.
pub async fn make_ambassador(app: &TestApp, user_id: &str) {
    set_status(app, user_id, "ACTIVE").await;
}

pub async fn set_status(app: &TestApp, user_id: &str, status: &str) {
    let id = Uuid::parse_str(user_id).unwrap();
    users::Entity::update_many()
        .col_expr(users::Column::AmbassadorStatus, Expr::value(status))
        .filter(users::Column::Id.eq(id))
        .exec(&app.state.db)
        .await
        .expect("update status");
}

/// An ACTIVE ambassador of the first organization: (id, token).
pub async fn ambassador(app: &TestApp, email: &str) -> (String, String) {
    let (id, token) = app.create_user(email, &[]).await;
    make_ambassador(app, &id).await;
    (id, token)
}

pub async fn set_language(app: &TestApp, token: &str, language: &str) {
    app.gql(
        Some(token),
        "mutation($l: String) { updateProfile(input: { language: $l }) { id } }",
        json!({ "l": language }),
    )
    .await
    .data();
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A minimal valid input with `title`.
pub fn input(title: &str) -> Value {
    json!({ "kind": "ARTICLE", "title": title, "url": "https://example.com/news" })
}

/// `input(title)` with `extra` fields merged in.
pub fn input_with(title: &str, extra: Value) -> Value {
    let mut value = input(title);
    for (k, v) in extra.as_object().unwrap() {
        value[k] = v.clone();
    }
    value
}

pub async fn try_create(app: &TestApp, token: &str, input: Value) -> Gql {
    app.gql(
        Some(token),
        &format!(
            "mutation($i: ContentInput!) {{ createContent(input: $i) {{ {CONTENT_FIELDS} }} }}"
        ),
        json!({ "i": input }),
    )
    .await
}

pub async fn create(app: &TestApp, token: &str, input: Value) -> String {
    try_create(app, token, input).await.data()["createContent"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub async fn try_publish(
    app: &TestApp,
    token: &str,
    id: &str,
    publish_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
) -> Gql {
    app.gql(
        Some(token),
        "mutation($id: ID!, $p: DateTime, $e: DateTime) { publishContent(id: $id, publishAt: $p, expiresAt: $e) { id status publishAt expiresAt } }",
        json!({ "id": id, "p": publish_at.map(rfc3339), "e": expires_at.map(rfc3339) }),
    )
    .await
}

/// Creates and publishes now an item; returns its id.
pub async fn publish_new(app: &TestApp, token: &str, input: Value) -> String {
    let id = create(app, token, input).await;
    try_publish(app, token, &id, None, None).await.data();
    id
}

pub async fn create_group(app: &TestApp, name: &str, members: &[&str]) -> String {
    let res = app
        .admin(
            "mutation($n: String!) { createGroup(name: $n) { id } }",
            json!({ "n": name }),
        )
        .await;
    let id = res.data()["createGroup"]["id"].as_str().unwrap().to_owned();
    app.admin(
        "mutation($g: ID!, $u: [ID!]!) { setGroupMembers(groupId: $g, userIds: $u) { id } }",
        json!({ "g": id, "u": members }),
    )
    .await
    .data();
    id
}

pub async fn create_topic(app: &TestApp, token: &str, name: &str) -> String {
    let res = app
        .gql(
            Some(token),
            "mutation($n: String!) { createTopic(name: $n) { id } }",
            json!({ "n": name }),
        )
        .await;
    res.data()["createTopic"]["id"].as_str().unwrap().to_owned()
}

pub async fn curator(app: &TestApp) -> String {
    app.create_user("curator@acme.example", &["CURATOR"])
        .await
        .1
}

async fn contents(app: &TestApp, token: &str, vars: Value) -> Gql {
    app.gql(
        Some(token),
        "query($f: Int, $a: String, $s: ContentStatus, $q: String) { contents(first: $f, after: $a, status: $s, search: $q) { totalCount edges { cursor node { id title status } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
        vars,
    )
    .await
}

async fn statuses(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let res = contents(app, token, json!({ "f": 100 })).await;
    res.data()["contents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["title"].as_str().unwrap().to_owned(),
                e["node"]["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub async fn archive(app: &TestApp, token: &str, id: &str) -> Gql {
    app.gql(
        Some(token),
        "mutation($id: ID!) { archiveContent(id: $id) { id status } }",
        json!({ "id": id }),
    )
    .await
}

async fn total(app: &TestApp, token: &str) -> i64 {
    contents(app, token, json!({})).await.data()["contents"]["totalCount"]
        .as_i64()
        .unwrap()
}

fn titles(res: &Gql, field: &str) -> Vec<String> {
    res.data()[field]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn curator_creates_a_draft_with_every_field() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let careers = create_topic(&app, &token, "Careers").await;
    let events = create_topic(&app, &token, "Events").await;
    let lyon = create_group(&app, "Lyon", &[]).await;
    let res = try_create(
        &app,
        &token,
        json!({
            "kind": "JOB_OFFER",
            "title": "  We are hiring welders  ",
            "summary": "Ten jobs in Lyon",
            "body": "Long text",
            "url": "https://jobs.example.com/welders?x=1",
            "imageUrl": "http://img.example.com/w.png",
            "language": "FR-ca",
            "topicIds": [events, careers],
            "targetGroupIds": [lyon],
            "suggestedTexts": [
                { "network": "X", "text": "Join us! 🔥" },
                { "network": "LINKEDIN", "text": "We are hiring" }
            ],
            "pinned": true
        }),
    )
    .await;
    let item = &res.data()["createContent"];
    assert_eq!(item["kind"], "JOB_OFFER");
    assert_eq!(item["title"], "We are hiring welders");
    assert_eq!(item["summary"], "Ten jobs in Lyon");
    assert_eq!(item["body"], "Long text");
    assert_eq!(item["url"], "https://jobs.example.com/welders?x=1");
    assert_eq!(item["imageUrl"], "http://img.example.com/w.png");
    assert_eq!(item["language"], "fr-CA");
    assert_eq!(item["pinned"], true);
    assert_eq!(item["status"], "DRAFT");
    assert_eq!(item["publishAt"], Value::Null);
    assert_eq!(item["expiresAt"], Value::Null);
    assert_eq!(item["createdAt"], "2026-03-02T09:00:00Z");
    assert_eq!(item["shareCount"], 0);
    assert_eq!(item["viewerHasShared"], false);
    assert_eq!(
        item["topics"],
        json!([{ "id": careers, "name": "Careers" }, { "id": events, "name": "Events" }])
    );
    assert_eq!(
        item["targetGroups"],
        json!([{ "id": lyon, "name": "Lyon" }])
    );
    assert_eq!(
        item["suggestedTexts"],
        json!([
            { "network": "LINKEDIN", "text": "We are hiring" },
            { "network": "X", "text": "Join us! 🔥" }
        ])
    );
    // Optional fields default to none.
    let res = try_create(&app, &token, input("Plain")).await;
    let item = &res.data()["createContent"];
    assert_eq!(item["summary"], Value::Null);
    assert_eq!(item["language"], Value::Null);
    assert_eq!(item["pinned"], false);
    assert_eq!(item["topics"], json!([]));
    assert_eq!(item["targetGroups"], json!([]));
    assert_eq!(item["suggestedTexts"], json!([]));
}

#[tokio::test]
async fn only_curators_and_admins_write_and_list_content() {
    let app = TestApp::spawn().await;
    let (_, employee) = app.create_user("emp@acme.example", &[]).await;
    let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
    let curator = curator(&app).await;
    let id = create(&app, &curator, input("Existing")).await;
    for token in [&employee, &hr] {
        assert_eq!(
            try_create(&app, token, input("Nope")).await.code(),
            "FORBIDDEN"
        );
        assert_eq!(
            try_publish(&app, token, &id, None, None).await.code(),
            "FORBIDDEN"
        );
        let res = app
            .gql(
                Some(token),
                "mutation($id: ID!, $i: ContentInput!) { updateContent(id: $id, input: $i) { id } }",
                json!({ "id": id, "i": input("Changed") }),
            )
            .await;
        assert_eq!(res.code(), "FORBIDDEN");
        let res = app
            .gql(
                Some(token),
                "mutation($id: ID!) { archiveContent(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(res.code(), "FORBIDDEN");
        assert_eq!(contents(&app, token, json!({})).await.code(), "FORBIDDEN");
    }
    let res = app
        .gql(None, "{ contents { totalCount } }", json!({}))
        .await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    // The admin may do everything; nothing the others tried was written.
    let res = try_create(&app, &app.org.admin_token.clone(), input("By admin")).await;
    res.data();
    let res = contents(&app, &app.org.admin_token, json!({})).await;
    assert_eq!(titles(&res, "contents"), vec!["By admin", "Existing"]);
    assert_eq!(
        res.data()["contents"]["edges"][1]["node"]["status"],
        "DRAFT"
    );
}

#[tokio::test]
async fn every_invalid_field_is_bad_user_input_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let long_url = format!("https://example.com/{}", "a".repeat(2049 - 20));
    assert_eq!(long_url.chars().count(), 2049);
    let cases: Vec<(&str, Value)> = vec![
        ("empty title", json!({ "title": "" })),
        ("blank title", json!({ "title": "   " })),
        (
            "title of 301 characters",
            json!({ "title": "é".repeat(301) }),
        ),
        ("relative url", json!({ "url": "/news/1" })),
        ("url without scheme", json!({ "url": "example.com/news" })),
        ("ftp url", json!({ "url": "ftp://example.com/file" })),
        ("javascript url", json!({ "url": "javascript:alert(1)" })),
        ("url of 2049 characters", json!({ "url": long_url })),
        (
            "url with a space",
            json!({ "url": "https://example.com/a b" }),
        ),
        (
            "imageUrl of another scheme",
            json!({ "imageUrl": "data:image/png;base64,AAAA" }),
        ),
        ("relative imageUrl", json!({ "imageUrl": "img.png" })),
        (
            "summary of 1001 characters",
            json!({ "summary": "s".repeat(1001) }),
        ),
        (
            "body of 20001 characters",
            json!({ "body": "b".repeat(20_001) }),
        ),
        ("malformed language", json!({ "language": "english" })),
        ("empty language", json!({ "language": "" })),
        ("malformed topic id", json!({ "topicIds": ["nope"] })),
        ("malformed group id", json!({ "targetGroupIds": ["nope"] })),
        (
            "two texts for one network",
            json!({ "suggestedTexts": [
                { "network": "X", "text": "one" },
                { "network": "X", "text": "two" }
            ] }),
        ),
        (
            "X text of 281 characters",
            json!({ "suggestedTexts": [{ "network": "X", "text": "🙂".repeat(281) }] }),
        ),
        (
            "LinkedIn text of 3001 characters",
            json!({ "suggestedTexts": [{ "network": "LINKEDIN", "text": "a".repeat(3001) }] }),
        ),
        (
            "Facebook text of 2201 characters",
            json!({ "suggestedTexts": [{ "network": "FACEBOOK", "text": "a".repeat(2201) }] }),
        ),
        (
            "empty suggested text",
            json!({ "suggestedTexts": [{ "network": "XING", "text": " " }] }),
        ),
    ];
    for (what, extra) in &cases {
        let res = try_create(&app, &token, input_with("Valid", extra.clone())).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "{what}: {}", res.body);
    }
    assert_eq!(total(&app, &token).await, 0);
    // The same checks guard updates, which change nothing when refused.
    let id = create(&app, &token, input("Original")).await;
    for (what, extra) in &cases {
        let res = app
            .gql(
                Some(&token),
                "mutation($id: ID!, $i: ContentInput!) { updateContent(id: $id, input: $i) { id } }",
                json!({ "id": id, "i": input_with("Changed", extra.clone()) }),
            )
            .await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "update, {what}: {}", res.body);
    }
    let res = contents(&app, &token, json!({})).await;
    assert_eq!(titles(&res, "contents"), vec!["Original"]);
}

#[tokio::test]
async fn values_at_their_limits_are_accepted() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let url = format!("https://example.com/{}", "a".repeat(2048 - 20));
    assert_eq!(url.chars().count(), 2048);
    let res = try_create(
        &app,
        &token,
        json!({
            "kind": "STUDY",
            "title": "é".repeat(300),
            "url": url,
            "imageUrl": url,
            "summary": "s".repeat(1000),
            "body": "b".repeat(20_000),
            "language": "zh-Hant-TW",
            "suggestedTexts": [
                { "network": "X", "text": "🙂".repeat(280) },
                { "network": "LINKEDIN", "text": "a".repeat(3000) },
                { "network": "FACEBOOK", "text": "a".repeat(2200) },
                { "network": "INSTAGRAM", "text": "a".repeat(2200) },
                { "network": "XING", "text": "a".repeat(2200) },
                { "network": "TIKTOK", "text": "a".repeat(2200) },
                { "network": "OTHER", "text": "a".repeat(2200) }
            ]
        }),
    )
    .await;
    let item = &res.data()["createContent"];
    assert_eq!(item["title"].as_str().unwrap().chars().count(), 300);
    assert_eq!(item["url"], json!(url));
    assert_eq!(item["suggestedTexts"].as_array().unwrap().len(), 7);
    assert_eq!(item["suggestedTexts"][1]["network"], "X");
    assert_eq!(
        item["suggestedTexts"][1]["text"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        280
    );
}

#[tokio::test]
async fn another_organizations_ids_are_not_found() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let other = app.create_org("Globex", "globex").await;
    let their_topic = app
        .gql(
            Some(&other.admin_token),
            "mutation { createTopic(name: \"Theirs\") { id } }",
            json!({}),
        )
        .await
        .data()["createTopic"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let their_group = app
        .gql(
            Some(&other.admin_token),
            "mutation { createGroup(name: \"Theirs\") { id } }",
            json!({}),
        )
        .await
        .data()["createGroup"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let their_item = create(&app, &other.admin_token, input("Their news")).await;
    try_publish(&app, &other.admin_token, &their_item, None, None)
        .await
        .data();
    let unknown = Uuid::now_v7().to_string();

    for topic in [&their_topic, &unknown] {
        let res = try_create(
            &app,
            &token,
            input_with("x", json!({ "topicIds": [topic] })),
        )
        .await;
        assert_eq!(res.code(), "NOT_FOUND");
    }
    for group in [&their_group, &unknown] {
        let res = try_create(
            &app,
            &token,
            input_with("x", json!({ "targetGroupIds": [group] })),
        )
        .await;
        assert_eq!(res.code(), "NOT_FOUND");
    }
    assert_eq!(total(&app, &token).await, 0);

    for id in [&their_item, &unknown] {
        assert_eq!(
            try_publish(&app, &token, id, None, None).await.code(),
            "NOT_FOUND"
        );
        let res = app
            .gql(
                Some(&token),
                "mutation($id: ID!, $i: ContentInput!) { updateContent(id: $id, input: $i) { id } }",
                json!({ "id": id, "i": input("Hijack") }),
            )
            .await;
        assert_eq!(res.code(), "NOT_FOUND");
        let res = app
            .gql(
                Some(&token),
                "mutation($id: ID!) { archiveContent(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(res.code(), "NOT_FOUND");
        let res = app
            .gql(
                Some(&token),
                "query($id: ID!) { content(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(res.data()["content"], Value::Null);
    }
    // Their item is untouched and still theirs alone.
    let res = contents(&app, &other.admin_token, json!({})).await;
    assert_eq!(titles(&res, "contents"), vec!["Their news"]);
    assert_eq!(
        res.data()["contents"]["edges"][0]["node"]["status"],
        "PUBLISHED"
    );
    let res = app
        .gql(
            Some(&token),
            "query($id: ID!) { content(id: $id) { id } }",
            json!({ "id": "42" }),
        )
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn update_replaces_every_field_and_keeps_the_status() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let careers = create_topic(&app, &token, "Careers").await;
    let events = create_topic(&app, &token, "Events").await;
    let lyon = create_group(&app, "Lyon", &[]).await;
    let id = create(
        &app,
        &token,
        input_with(
            "First",
            json!({
                "summary": "old",
                "language": "fr",
                "topicIds": [careers],
                "targetGroupIds": [lyon],
                "suggestedTexts": [{ "network": "X", "text": "old" }],
                "pinned": true
            }),
        ),
    )
    .await;
    try_publish(&app, &token, &id, None, None).await.data();
    app.clock.advance(Duration::minutes(5));
    let res = app
        .gql(
            Some(&token),
            &format!("mutation($id: ID!, $i: ContentInput!) {{ updateContent(id: $id, input: $i) {{ {CONTENT_FIELDS} }} }}"),
            json!({ "id": id, "i": {
                "kind": "EVENT",
                "title": "Second",
                "url": "https://example.com/event",
                "topicIds": [events],
                "suggestedTexts": [{ "network": "FACEBOOK", "text": "new" }]
            } }),
        )
        .await;
    let item = &res.data()["updateContent"];
    assert_eq!(item["kind"], "EVENT");
    assert_eq!(item["title"], "Second");
    assert_eq!(item["summary"], Value::Null);
    assert_eq!(item["language"], Value::Null);
    assert_eq!(item["pinned"], false);
    assert_eq!(item["topics"], json!([{ "id": events, "name": "Events" }]));
    assert_eq!(item["targetGroups"], json!([]));
    assert_eq!(
        item["suggestedTexts"],
        json!([{ "network": "FACEBOOK", "text": "new" }])
    );
    assert_eq!(item["status"], "PUBLISHED");
    assert_eq!(item["publishAt"], "2026-03-02T09:00:00Z");
    assert_eq!(item["createdAt"], "2026-03-02T09:00:00Z");
}

#[tokio::test]
async fn publishing_schedules_and_expires_by_the_clock() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let now = app.clock_now();

    let scheduled = create(&app, &token, input("Scheduled")).await;
    let res = try_publish(
        &app,
        &token,
        &scheduled,
        Some(now + Duration::hours(2)),
        Some(now + Duration::hours(26)),
    )
    .await;
    let item = &res.data()["publishContent"];
    assert_eq!(item["status"], "SCHEDULED");
    assert_eq!(item["publishAt"], "2026-03-02T11:00:00Z");
    assert_eq!(item["expiresAt"], "2026-03-03T11:00:00Z");

    let now_item = create(&app, &token, input("Now")).await;
    let res = try_publish(&app, &token, &now_item, None, None).await;
    assert_eq!(res.data()["publishContent"]["status"], "PUBLISHED");
    assert_eq!(
        res.data()["publishContent"]["publishAt"],
        "2026-03-02T09:00:00Z"
    );
    assert_eq!(res.data()["publishContent"]["expiresAt"], Value::Null);

    let backdated = create(&app, &token, input("Backdated")).await;
    let res = try_publish(
        &app,
        &token,
        &backdated,
        Some(now - Duration::days(3)),
        None,
    )
    .await;
    assert_eq!(res.data()["publishContent"]["status"], "PUBLISHED");

    // expiresAt must come after publishAt; a refusal changes nothing.
    let draft = create(&app, &token, input("Draft")).await;
    for (publish, expires) in [
        (None, now),
        (None, now - Duration::hours(1)),
        (Some(now + Duration::hours(3)), now + Duration::hours(3)),
        (Some(now + Duration::hours(3)), now + Duration::hours(1)),
    ] {
        let res = try_publish(&app, &token, &draft, publish, Some(expires)).await;
        assert_eq!(res.code(), "BAD_USER_INPUT");
    }

    let s = statuses(&app, &token).await;
    assert!(s.contains(&("Draft".into(), "DRAFT".into())));
    assert!(s.contains(&("Scheduled".into(), "SCHEDULED".into())));

    // Access tokens are short-lived: sign in again after moving the clock.
    app.clock.advance(Duration::hours(2));
    let token = app.login_token("curator@acme.example", PASSWORD).await;
    assert!(
        statuses(&app, &token)
            .await
            .contains(&("Scheduled".into(), "PUBLISHED".into()))
    );
    app.clock.advance(Duration::hours(24));
    let token = app.login_token("curator@acme.example", PASSWORD).await;
    assert!(
        statuses(&app, &token)
            .await
            .contains(&("Scheduled".into(), "EXPIRED".into()))
    );
    assert!(
        statuses(&app, &token)
            .await
            .contains(&("Now".into(), "PUBLISHED".into()))
    );
}

#[tokio::test]
async fn archiving_takes_an_item_out_until_it_is_published_again() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let id = publish_new(&app, &token, input("News")).await;
    let res = archive(&app, &token, &id).await;
    assert_eq!(res.data()["archiveContent"]["status"], "ARCHIVED");
    // Archiving twice is not an error.
    let res = archive(&app, &token, &id).await;
    assert_eq!(res.data()["archiveContent"]["status"], "ARCHIVED");
    let res = contents(&app, &token, json!({ "s": "ARCHIVED" })).await;
    assert_eq!(titles(&res, "contents"), vec!["News"]);
    let res = try_publish(&app, &token, &id, None, None).await;
    assert_eq!(res.data()["publishContent"]["status"], "PUBLISHED");
    let res = contents(&app, &token, json!({ "s": "ARCHIVED" })).await;
    assert_eq!(res.data()["contents"]["totalCount"], 0);
}

#[tokio::test]
async fn contents_lists_newest_first_with_filters_search_and_pages() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let now = app.clock_now();
    // Created one minute apart: Alpha oldest, Echo newest.
    let mut ids = Vec::new();
    for title in [
        "Alpha report",
        "Bravo 100% news",
        "Charlie REPORT",
        "Delta",
        "Echo",
    ] {
        ids.push(create(&app, &token, input(title)).await);
        app.clock.advance(Duration::minutes(1));
    }
    try_publish(&app, &token, &ids[0], None, None).await.data();
    try_publish(&app, &token, &ids[1], Some(now + Duration::days(1)), None)
        .await
        .data();
    try_publish(
        &app,
        &token,
        &ids[2],
        Some(now - Duration::days(2)),
        Some(now - Duration::days(1)),
    )
    .await
    .data();
    app.gql(
        Some(&token),
        "mutation($id: ID!) { archiveContent(id: $id) { id } }",
        json!({ "id": ids[3] }),
    )
    .await
    .data();

    let res = contents(&app, &token, json!({})).await;
    assert_eq!(
        titles(&res, "contents"),
        vec![
            "Echo",
            "Delta",
            "Charlie REPORT",
            "Bravo 100% news",
            "Alpha report"
        ]
    );
    assert_eq!(res.data()["contents"]["totalCount"], 5);

    for (status, expected) in [
        ("DRAFT", "Echo"),
        ("ARCHIVED", "Delta"),
        ("EXPIRED", "Charlie REPORT"),
        ("SCHEDULED", "Bravo 100% news"),
        ("PUBLISHED", "Alpha report"),
    ] {
        let res = contents(&app, &token, json!({ "s": status })).await;
        assert_eq!(titles(&res, "contents"), vec![expected], "{status}");
        assert_eq!(res.data()["contents"]["totalCount"], 1);
        assert_eq!(res.data()["contents"]["edges"][0]["node"]["status"], status);
    }

    let res = contents(&app, &token, json!({ "q": "rEpOrT" })).await;
    assert_eq!(
        titles(&res, "contents"),
        vec!["Charlie REPORT", "Alpha report"]
    );
    assert_eq!(res.data()["contents"]["totalCount"], 2);
    // Wildcards in the search are taken literally.
    let res = contents(&app, &token, json!({ "q": "0%" })).await;
    assert_eq!(titles(&res, "contents"), vec!["Bravo 100% news"]);
    let res = contents(&app, &token, json!({ "q": "_" })).await;
    assert_eq!(res.data()["contents"]["totalCount"], 0);

    // Pages of two.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let res = contents(&app, &token, json!({ "f": 2, "a": after })).await;
        let conn = &res.data()["contents"];
        assert_eq!(conn["totalCount"], 5);
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], after.is_some());
        seen.extend(titles(&res, "contents"));
        if conn["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(
        seen,
        vec![
            "Echo",
            "Delta",
            "Charlie REPORT",
            "Bravo 100% news",
            "Alpha report"
        ]
    );

    for first in [0, -1, 101] {
        let res = contents(&app, &token, json!({ "f": first })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "first = {first}");
    }
    assert_eq!(
        contents(&app, &token, json!({ "f": 100 })).await.data()["contents"]["totalCount"],
        5
    );
    for cursor in ["garbage", "eyJmb28iOjF9", "%%%"] {
        let res = contents(&app, &token, json!({ "a": cursor })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "cursor {cursor}");
    }
}

#[tokio::test]
async fn each_mutation_of_a_request_returns_what_it_wrote() {
    let app = TestApp::spawn().await;
    let token = curator(&app).await;
    let careers = create_topic(&app, &token, "Careers").await;
    let events = create_topic(&app, &token, "Events").await;
    let id = create(
        &app,
        &token,
        input_with("Item", json!({ "topicIds": [careers] })),
    )
    .await;
    let res = app
        .gql(
            Some(&token),
            "mutation($id: ID!, $a: ContentInput!, $b: ContentInput!) {
                a: updateContent(id: $id, input: $a) { topics { name } suggestedTexts { text } }
                b: updateContent(id: $id, input: $b) { topics { name } suggestedTexts { text } }
            }",
            json!({
                "id": id,
                "a": input_with("Item", json!({ "topicIds": [events], "suggestedTexts": [{ "network": "X", "text": "a" }] })),
                "b": input_with("Item", json!({ "topicIds": [careers, events] })),
            }),
        )
        .await;
    assert_eq!(
        res.data()["a"],
        json!({ "topics": [{ "name": "Events" }], "suggestedTexts": [{ "text": "a" }] })
    );
    assert_eq!(
        res.data()["b"],
        json!({ "topics": [{ "name": "Careers" }, { "name": "Events" }], "suggestedTexts": [] })
    );
}
