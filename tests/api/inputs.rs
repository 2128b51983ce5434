//! Strings at the edge: control characters in any input, and email
//! addresses that look like others.

use entity::{contents, users};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::{
    content::{curator, input, input_with, try_create},
    helpers::{PASSWORD, TestApp},
};

const CREATE_USER: &str =
    "mutation($i: CreateUserInput!) { createUser(input: $i) { id email displayName } }";

async fn user_rows(app: &TestApp) -> u64 {
    users::Entity::find().count(&app.state.db).await.unwrap()
}

async fn content_rows(app: &TestApp) -> u64 {
    contents::Entity::find().count(&app.state.db).await.unwrap()
}

fn assert_refused(res: &crate::helpers::Gql, what: &str) {
    assert_eq!(res.code(), "BAD_USER_INPUT", "{what}: {}", res.body);
    assert!(
        res.message().contains("control character"),
        "{what}: {}",
        res.message()
    );
    assert!(res.body.get("data").is_none(), "{what}: {}", res.body);
}

#[tokio::test]
async fn a_nul_in_a_sign_in_email_is_bad_user_input_not_a_server_error() {
    let app = TestApp::spawn().await;
    // As a variable and as a literal escape in the document.
    let res = app.login("a\u{0}@x.example", PASSWORD).await;
    assert_refused(&res, "variable");
    let res = app
        .gql(
            None,
            r#"mutation { login(email: "a\u0000@x.example", password: "whatever it is") { accessToken } }"#,
            json!({}),
        )
        .await;
    assert_refused(&res, "literal");
    assert!(res.message().contains("line 1"), "{}", res.message());
}

#[tokio::test]
async fn control_characters_are_refused_in_nested_inputs_and_lists_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let users_before = user_rows(&app).await;
    let base = json!({ "email": "new@acme.example", "displayName": "New", "password": PASSWORD });
    for (field, value) in [
        ("displayName", json!("Ann\u{0}")),
        ("displayName", json!("Ann\nSmith")),
        ("displayName", json!("Ann\u{1b}[31m")),
        ("displayName", json!("Ann\u{85}")),
        ("email", json!("new\u{7}@acme.example")),
        ("password", json!("a long password\u{0}")),
        ("language", json!("fr\u{0}")),
        ("groupIds", json!(["\u{0}"])),
    ] {
        let mut i = base.clone();
        i[field] = value;
        let res = app.admin(CREATE_USER, json!({ "i": i })).await;
        assert_refused(&res, field);
    }
    assert_eq!(user_rows(&app).await, users_before);
    // Tab is fine anywhere.
    let mut i = base.clone();
    i["displayName"] = json!("Ann\tSmith");
    app.admin(CREATE_USER, json!({ "i": i })).await.data();

    let curator = curator(&app).await;
    let contents_before = content_rows(&app).await;
    for (what, content) in [
        ("title", input("News\u{0}")),
        ("title", input("Two\nlines")),
        (
            "url",
            input_with("News", json!({ "url": "https://example.com/\u{0}" })),
        ),
        ("body", input_with("News", json!({ "body": "Hello\u{0}" }))),
        (
            "body",
            input_with("News", json!({ "body": "carriage\rreturn" })),
        ),
        (
            "suggested text",
            input_with(
                "News",
                json!({ "suggestedTexts": [
                    { "network": "X", "text": "fine" },
                    { "network": "LINKEDIN", "text": "bell\u{7}" }
                ] }),
            ),
        ),
    ] {
        let res = try_create(&app, &curator, content).await;
        assert_refused(&res, what);
    }
    assert_eq!(content_rows(&app).await, contents_before);
    // New lines belong in multi-line texts.
    let ok = input_with(
        "News",
        json!({
            "body": "First paragraph.\n\nSecond,\r\nfrom Windows.",
            "summary": "One\nTwo",
            "suggestedTexts": [{ "network": "X", "text": "Line one\nLine two" }]
        }),
    );
    let res = try_create(&app, &curator, ok).await;
    assert_eq!(
        res.data()["createContent"]["body"],
        "First paragraph.\n\nSecond,\r\nfrom Windows."
    );
}

#[tokio::test]
async fn control_characters_in_literals_and_variable_defaults_are_refused_too() {
    let app = TestApp::spawn().await;
    let before = user_rows(&app).await;
    let literal = r#"mutation { createUser(input: { email: "lit@acme.example", displayName: "Li\u0000t", password: "correct horse battery staple" }) { id } }"#;
    assert_refused(&app.admin(literal, json!({})).await, "literal");
    let default = r#"mutation($n: String! = "Def\u0000") { createUser(input: { email: "def@acme.example", displayName: $n, password: "correct horse battery staple" }) { id } }"#;
    assert_refused(&app.admin(default, json!({})).await, "default");
    // A query argument, through a fragment.
    let search =
        r#"query($s: String) { ...F } fragment F on Query { users(search: $s) { totalCount } }"#;
    assert_refused(
        &app.admin(search, json!({ "s": "a\u{0}" })).await,
        "fragment",
    );
    // A default used only in a fragment, of the operation that runs.
    let two = r#"query A($s: String = "fine") { ...F } query B($s: String = "b\u0000d") { ...F } fragment F on Query { users(search: $s) { totalCount } }"#;
    let res = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&app.org.admin_token)
        .json(&json!({ "query": two, "operationName": "B" }))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(user_rows(&app).await, before);
}
async fn create_user(app: &TestApp, email: &str) -> crate::helpers::Gql {
    app.admin(
        CREATE_USER,
        json!({ "i": { "email": email, "displayName": "Someone", "password": PASSWORD } }),
    )
    .await
}

#[tokio::test]
async fn look_alike_and_invisible_emails_are_refused() {
    let app = TestApp::spawn().await;
    create_user(&app, "bob@acme.example").await.data();
    let before = user_rows(&app).await;
    for email in [
        // Cyrillic о among Latin letters.
        "b\u{43e}b@acme.example",
        // Zero-width space, zero-width joiner, soft hyphen, BOM, bidi override.
        "bo\u{200b}b@acme.example",
        "bo\u{200d}b@acme.example",
        "bo\u{ad}b@acme.example",
        "\u{feff}bob@acme.example",
        "bob\u{202e}@acme.example",
        // Greek ο among Latin letters, and in the domain.
        "b\u{3bf}b@acme.example",
        "bob@acm\u{435}.example",
    ] {
        let res = create_user(&app, email).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "{email:?}: {}", res.body);
    }
    assert_eq!(user_rows(&app).await, before);
    // One script at a time is fine, and so are Latin letters with accents.
    for email in [
        "\u{431}\u{43e}\u{440}\u{438}\u{441}@acme.example",
        "zo\u{eb}@acme.example",
        "\u{7530}\u{4e2d}\u{305f}\u{308d}\u{3046}@acme.example",
    ] {
        create_user(&app, email).await.data();
    }
}

#[tokio::test]
async fn emails_are_normalised_so_one_address_has_one_spelling() {
    let app = TestApp::spawn().await;
    // "zoë" typed with a combining diaeresis (NFD) is stored as NFC ...
    let res = create_user(&app, "Zoe\u{308}@Acme.example").await;
    let email = res.data()["createUser"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(email, "zo\u{eb}@acme.example");
    // ... so the precomposed spelling is the same person.
    let res = create_user(&app, "zo\u{eb}@acme.example").await;
    assert_eq!(res.code(), "CONFLICT", "{}", res.body);
    // Sign-in normalises the same way.
    for typed in ["zoe\u{308}@acme.example", "ZO\u{cb}@acme.example"] {
        app.login(typed, PASSWORD).await.data();
    }
}
