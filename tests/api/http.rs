//! GraphQL over HTTP: methods, status codes, media types, limits, health,
//! request ids, introspection, errors.

use std::time::Duration;

use advocacy::{clock::ManualClock, config::AppEnv, config::Settings, startup::Application};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use crate::helpers::{TestApp, start_time};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post_raw(app: &TestApp, body: &str, accept: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(accept) = accept {
        req = req.header("accept", accept);
    }
    req.send().await.unwrap()
}

fn content_type(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_json_array_batch_is_refused_with_400() {
    let app = TestApp::spawn().await;
    let res = post_raw(
        &app,
        r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#,
        None,
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn bad_json_is_400_with_a_graphql_response_body() {
    let app = TestApp::spawn().await;
    let res = post_raw(&app, "{not json", None).await;
    assert_eq!(res.status(), 400);
    assert!(content_type(&res).starts_with(GRAPHQL_RESPONSE));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn parse_and_validation_errors_are_400_for_graphql_response_json() {
    let app = TestApp::spawn().await;
    for query in [
        "{ me { id ",
        "{ noSuchField }",
        "query($x: Int!) { __typename }",
    ] {
        let body = json!({ "query": query }).to_string();
        let res = post_raw(&app, &body, Some(GRAPHQL_RESPONSE)).await;
        assert_eq!(res.status(), 400, "{query}");
        assert!(content_type(&res).starts_with(GRAPHQL_RESPONSE));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(body.get("data").is_none_or(Value::is_null));
    }
}

#[tokio::test]
async fn application_json_is_served_when_asked_for() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "{ noSuchField }" }).to_string();
    let res = post_raw(&app, &body, Some("application/json")).await;
    // The legacy media type answers 200 for a request that reached GraphQL.
    assert_eq!(res.status(), 200);
    assert!(content_type(&res).starts_with("application/json"));
    let ok = post_raw(
        &app,
        &json!({ "query": "{ __typename }" }).to_string(),
        Some("application/json"),
    )
    .await;
    assert_eq!(ok.status(), 200);
    assert!(content_type(&ok).starts_with("application/json"));
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn without_accept_the_graphql_response_type_is_used() {
    let app = TestApp::spawn().await;
    let res = post_raw(
        &app,
        &json!({ "query": "{ __typename }" }).to_string(),
        None,
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(content_type(&res).starts_with(GRAPHQL_RESPONSE));
}

#[tokio::test]
async fn an_accept_header_it_cannot_serve_is_406() {
    let app = TestApp::spawn().await;
    let res = post_raw(
        &app,
        &json!({ "query": "{ __typename }" }).to_string(),
        Some("text/html"),
    )
    .await;
    assert_eq!(res.status(), 406);
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = TestApp::spawn().await;
    let padding = " ".repeat(1024 * 1024 + 10);
    let body = format!(r#"{{"query":"{{ __typename }}"{padding}}}"#);
    let res = post_raw(&app, &body, None).await;
    assert_eq!(res.status(), 413);
    // Just under the limit is fine.
    let padding = " ".repeat(1024 * 1024 - 100);
    let body = format!(r#"{{"query":"{{ __typename }}"{padding}}}"#);
    assert_eq!(post_raw(&app, &body, None).await.status(), 200);
}

#[tokio::test]
async fn queries_work_over_get_and_mutations_over_get_are_405() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ me { email } }")])
        .bearer_auth(&app.org.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["data"]["me"]["email"], app.org.admin_email.as_str());

    let res = app
        .client
        .get(app.url("/graphql"))
        .query(&[(
            "query",
            r#"mutation { createTopic(name: "Sneaky") { id } }"#,
        )])
        .bearer_auth(&app.org.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");
    // Nothing was written.
    let topics = app.admin("{ topics { name } }", json!({})).await;
    assert_eq!(topics.data()["topics"], json!([]));
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn readiness_is_503_when_the_database_is_unreachable() {
    let app = TestApp::spawn().await;
    app.state.db.close_by_ref().await.unwrap();
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_given_one_is_kept() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(!id.is_empty());
    let res = post_raw(&app, "oops", None).await;
    assert!(res.headers().contains_key("x-request-id"));
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "client-chosen-42");
}

#[tokio::test]
async fn graphiql_is_served_in_development_only() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/graphiql")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );

    let prod = TestApp::spawn_with(|s| {
        s.app_env = AppEnv::Production;
        s.graphql_introspection = false;
    })
    .await;
    let res = prod.client.get(prod.url("/graphiql")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

const INTROSPECT: &str = "{ __schema { queryType { name } } }";

#[tokio::test]
async fn introspection_is_on_in_development() {
    let app = TestApp::spawn().await;
    let res = app.gql(None, INTROSPECT, json!({})).await;
    assert_eq!(res.data()["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn introspection_is_refused_in_production_unless_enabled() {
    let settings = |enabled: bool| {
        move |s: &mut Settings| {
            s.app_env = AppEnv::Production;
            s.graphql_introspection = enabled;
        }
    };
    let prod = TestApp::spawn_with(settings(false)).await;
    for query in [INTROSPECT, r#"{ __type(name: "User") { name } }"#] {
        let res = prod.gql(None, query, json!({})).await;
        assert!(res.body["errors"].is_array(), "{query}: {}", res.body);
        assert!(res.body.get("data").is_none_or(Value::is_null));
    }
    // __typename stays available: clients rely on it.
    prod.gql(None, "{ __typename }", json!({})).await.data();
    let enabled = TestApp::spawn_with(settings(true)).await;
    let res = enabled.gql(None, INTROSPECT, json!({})).await;
    assert_eq!(res.data()["__schema"]["queryType"]["name"], "Query");
}

#[test]
fn production_requires_a_jwt_secret_and_introspection_defaults_off() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    assert!(
        Settings::from_lookup(env(&[
            ("APP_ENV", "production"),
            ("DATABASE_URL", "postgres://app@db/advocacy"),
        ]))
        .is_err()
    );
    let prod = Settings::from_lookup(env(&[
        ("APP_ENV", "production"),
        ("DATABASE_URL", "postgres://app@db/advocacy"),
        ("JWT_SECRET", "0123456789abcdef0123456789abcdef0123"),
    ]))
    .unwrap();
    assert!(!prod.graphql_introspection);
    let prod_on = Settings::from_lookup(env(&[
        ("APP_ENV", "production"),
        ("DATABASE_URL", "postgres://app@db/advocacy"),
        ("JWT_SECRET", "0123456789abcdef0123456789abcdef0123"),
        ("GRAPHQL_INTROSPECTION", "true"),
    ]))
    .unwrap();
    assert!(prod_on.graphql_introspection);
    let dev = Settings::from_lookup(env(&[])).unwrap();
    assert!(dev.graphql_introspection);
    assert_eq!(dev.bind.to_string(), "127.0.0.1:8080");
    assert!(dev.database_url.expose_secret().starts_with("sqlite:"));
    assert!(dev.seed_demo_when_empty);
}

#[tokio::test]
async fn deeply_nested_queries_are_refused_before_execution() {
    let app = TestApp::spawn().await;
    // 50 levels of valid nesting (introspection types nest without end).
    let mut nested = String::from("name");
    for _ in 0..50 {
        nested = format!("ofType {{ {nested} }}");
    }
    let query = format!(r#"{{ __type(name: "User") {{ {nested} }} }}"#);
    let res = app.gql(Some(&app.org.admin_token), &query, json!({})).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(res.code(), "BAD_USER_INPUT");
    assert!(
        res.message().contains("nested too deep"),
        "{}",
        res.message()
    );
    // A modest depth is fine.
    let ok = r#"{ __type(name: "User") { fields { type { ofType { name } } } } }"#;
    app.gql(None, ok, json!({})).await.data();
}

#[tokio::test]
async fn five_hundred_aliases_of_one_field_are_refused_before_execution() {
    let app = TestApp::spawn().await;
    let aliases: String = (0..500).map(|i| format!("a{i}: me {{ id }} ")).collect();
    let res = app
        .gql(
            Some(&app.org.admin_token),
            &format!("{{ {aliases} }}"),
            json!({}),
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(res.code(), "BAD_USER_INPUT");
    assert!(res.message().contains("too complex"), "{}", res.message());
}

#[tokio::test]
async fn misspelled_fields_get_no_suggestions() {
    let app = TestApp::spawn().await;
    let res = app.gql(None, "{ mee { id } }", json!({})).await;
    assert_eq!(res.status, 400);
    assert!(!res.message().contains("Did you mean"), "{}", res.message());
    assert!(!res.body.to_string().contains("\"me\""));
}

#[tokio::test]
async fn internal_errors_are_opaque_to_clients() {
    let app = TestApp::spawn().await;
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared("DROP TABLE topic_follows")
        .await
        .unwrap();
    let topic = app
        .admin(
            r#"mutation { createTopic(name: "Careers") { id } }"#,
            json!({}),
        )
        .await;
    let id = topic.data()["createTopic"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .admin(
            "mutation($t: ID!) { followTopic(topicId: $t) { id } }",
            json!({ "t": id }),
        )
        .await;
    assert_eq!(res.code(), "INTERNAL_SERVER_ERROR");
    assert_eq!(res.message(), "internal error");
    let text = res.body.to_string().to_lowercase();
    assert!(
        !text.contains("topic_follows") && !text.contains("sql"),
        "{text}"
    );
}

#[tokio::test]
async fn shutdown_lets_the_server_finish_and_stop() {
    let database_url = crate::helpers::fresh_database().await;
    let app = Application::build(
        Settings::for_tests(database_url),
        ManualClock::new(start_time()),
    )
    .await
    .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tx.send(()).unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        matches!(stopped, Ok(Ok(Ok(())))),
        "server did not stop cleanly"
    );
    assert!(
        reqwest::Client::new()
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err()
    );
}
