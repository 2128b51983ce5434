//! GraphQL over HTTP: methods, status codes, media types, limits, health,
//! request ids, introspection, errors.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

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
async fn a_body_without_a_query_string_is_400_for_either_type() {
    let app = TestApp::spawn().await;
    for body in [
        r#"{"qeury":"{ __typename }"}"#,
        r#"{"query":42}"#,
        r#"{"query":"  "}"#,
        "{}",
    ] {
        for accept in [GRAPHQL_RESPONSE, "application/json"] {
            let res = post_raw(&app, body, Some(accept)).await;
            assert_eq!(res.status(), 400, "{body} {accept}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        }
    }
}

#[tokio::test]
async fn bad_json_is_400_with_a_graphql_response_body() {
    let app = TestApp::spawn().await;
    let res = post_raw(&app, "{not json", Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(res.status(), 400);
    assert!(content_type(&res).starts_with(GRAPHQL_RESPONSE));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

#[tokio::test]
async fn parse_and_validation_errors_are_400_with_their_codes_and_no_data() {
    let app = TestApp::spawn().await;
    for (query, code) in [
        ("{ me { id ", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
        (
            "query($x: Int!) { __typename }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "query { me { ...A } } fragment A on User { id ...B } fragment B on User { ...A }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
    ] {
        let body = json!({ "query": query }).to_string();
        let res = post_raw(&app, &body, Some(GRAPHQL_RESPONSE)).await;
        assert_eq!(res.status(), 400, "{query}");
        assert!(content_type(&res).starts_with(GRAPHQL_RESPONSE));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body}");
        assert!(body.get("data").is_none(), "{body}");
        // The legacy type answers 200, with no data either.
        let res = post_raw(
            &app,
            &json!({ "query": query }).to_string(),
            Some("application/json"),
        )
        .await;
        assert_eq!(res.status(), 200, "{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body}");
        assert!(body.get("data").is_none(), "{body}");
    }
    // An operation name the document lacks is the document's fault too.
    let res = post_raw(
        &app,
        &json!({ "query": "query A { __typename }", "operationName": "B" }).to_string(),
        Some(GRAPHQL_RESPONSE),
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
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
async fn without_accept_or_with_any_type_accepted_application_json_is_used() {
    let app = TestApp::spawn().await;
    for accept in [None, Some("*/*"), Some("application/*")] {
        // reqwest sends */* unless told otherwise: leave the header out by hand.
        let res = match accept {
            Some(accept) => post_raw(&app, r#"{"query":"{ __typename }"}"#, Some(accept)).await,
            None => {
                let mut headers = reqwest::header::HeaderMap::new();
                headers.insert("content-type", "application/json".parse().unwrap());
                let client = reqwest::Client::builder()
                    .default_headers(headers)
                    .build()
                    .unwrap();
                let req = client
                    .post(app.url("/graphql"))
                    .body(r#"{"query":"{ __typename }"}"#)
                    .build()
                    .unwrap();
                assert!(req.headers().get("accept").is_none());
                client.execute(req).await.unwrap()
            }
        };
        assert_eq!(res.status(), 200, "{accept:?}");
        assert!(
            content_type(&res).starts_with("application/json"),
            "{accept:?}: {}",
            content_type(&res)
        );
    }
    let res = post_raw(
        &app,
        r#"{"query":"{ __typename }"}"#,
        Some("application/graphql-response+json, */*"),
    )
    .await;
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
    let res = post_raw(&app, &body, Some(GRAPHQL_RESPONSE)).await;
    assert_eq!(res.status(), 413);
    assert!(content_type(&res).starts_with(GRAPHQL_RESPONSE));
    let error: Value = res.json().await.unwrap();
    assert_eq!(error["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        error["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("larger than 1024 KiB"),
        "{error}"
    );
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
async fn a_request_id_that_is_not_a_short_safe_token_is_replaced() {
    let app = TestApp::spawn().await;
    let long = "a".repeat(65);
    for given in [
        "has space",
        "quote\"d",
        "<script>",
        "line%0Abreak",
        "semi;colon",
        "ünïcode",
        long.as_str(),
    ] {
        let value = reqwest::header::HeaderValue::from_bytes(given.as_bytes()).unwrap();
        let res = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", value)
            .send()
            .await
            .unwrap();
        let id = res.headers()["x-request-id"].to_str().unwrap();
        assert_ne!(id, given);
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{given:?} gave {id:?}");
    }
    let kept = "a".repeat(64);
    for given in ["abc-DEF_123.4", kept.as_str()] {
        let res = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", given)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["x-request-id"], given);
    }
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
    assert_eq!(res.code(), "QUERY_TOO_COMPLEX");
    assert!(
        res.message().contains("nested too deep"),
        "{}",
        res.message()
    );
    assert_eq!(res.body["errors"][0]["extensions"]["maxCost"], 400);
    // 16 levels of fields are one too many; 15 pass.
    let mut nested = String::from("name");
    for _ in 0..13 {
        nested = format!("ofType {{ {nested} }}");
    }
    let fifteen = format!(r#"{{ __type(name: "User") {{ {nested} }} }}"#);
    app.gql(None, &fifteen, json!({})).await.data();
    let sixteen = format!(r#"{{ __type(name: "User") {{ ofType {{ {nested} }} }} }}"#);
    let res = app.gql(None, &sixteen, json!({})).await;
    assert_eq!(res.code(), "QUERY_TOO_COMPLEX");
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
    assert_eq!(res.code(), "QUERY_TOO_COMPLEX");
    assert!(res.message().contains("too complex"), "{}", res.message());
    let ext = &res.body["errors"][0]["extensions"];
    // 500 times me and its id.
    assert_eq!(ext["cost"], 1000);
    assert_eq!(ext["maxCost"], 400);
    // 200 of them cost exactly 400, the limit.
    let aliases: String = (0..200).map(|i| format!("a{i}: me {{ id }} ")).collect();
    app.gql(
        Some(&app.org.admin_token),
        &format!("{{ {aliases} }}"),
        json!({}),
    )
    .await
    .data();
}

/// `query { me { ...F0 } }`, then each fragment spreading the next twice:
/// 2^levels fields once expanded, in a document of a few hundred bytes.
fn fan_out(levels: usize) -> String {
    let mut q = String::from("query{me{...F0}}");
    for i in 0..levels {
        q.push_str(&format!(
            " fragment F{i} on User{{...F{} ...F{}}}",
            i + 1,
            i + 1
        ));
    }
    q.push_str(&format!(" fragment F{levels} on User{{id}}"));
    q
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_of_fragment_spreads_is_refused_at_once_and_health_stays_fast() {
    let app = Arc::new(TestApp::spawn().await);
    // 20 levels first: a million spreads, which expansion takes seconds.
    for levels in [20, 30] {
        let query = fan_out(levels);
        // The best of five: the work the server does, not the machine's load.
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let started = Instant::now();
            let res =
                tokio::time::timeout(Duration::from_secs(5), app.gql(None, &query, json!({})))
                    .await
                    .expect("refused within 5 s");
            best = best.min(started.elapsed());
            assert_eq!(res.status, 400, "{}", res.body);
            assert_eq!(res.code(), "QUERY_TOO_COMPLEX");
            let ext = &res.body["errors"][0]["extensions"];
            assert_eq!(ext["cost"], (1u64 << levels) + 1);
            assert_eq!(ext["maxCost"], 400);
            assert!(res.body.get("data").is_none());
        }
        assert!(
            best < Duration::from_millis(50),
            "{levels} levels: {best:?}"
        );
    }
    // Many at once do not hold up a health check.
    let query = fan_out(30);
    let mut storm = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (app, query) = (app.clone(), query.clone());
        storm.spawn(async move { app.gql(None, &query, json!({})).await.status });
    }
    let started = Instant::now();
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    let took = started.elapsed();
    assert_eq!(health.status(), 200);
    assert!(took < Duration::from_millis(500), "{took:?}");
    while let Some(status) = storm.join_next().await {
        assert_eq!(status.unwrap(), 400);
    }
}

#[tokio::test]
async fn fragments_that_cost_nothing_are_still_counted() {
    let app = TestApp::spawn().await;
    let mut q = String::from("query{me{...F0}}");
    for i in 0..30 {
        q.push_str(&format!(
            " fragment F{i} on User{{...F{} ...F{}}}",
            i + 1,
            i + 1
        ));
    }
    q.push_str(" fragment F30 on User{__typename}");
    let res = tokio::time::timeout(Duration::from_secs(5), app.gql(None, &q, json!({})))
        .await
        .expect("refused within 5 s");
    assert_eq!(res.code(), "QUERY_TOO_COMPLEX");
    assert!(res.message().contains("selections"), "{}", res.message());
}

#[tokio::test]
async fn an_execution_that_outlives_the_time_limit_is_stopped() {
    let mut settings = Settings::for_tests(crate::helpers::fresh_database().await);
    settings.graphql_timeout = Duration::from_millis(1);
    let app = Application::build(settings, ManualClock::new(start_time()))
        .await
        .unwrap();
    let url = format!("http://127.0.0.1:{}/graphql", app.port());
    tokio::spawn(app.run_until_stopped());
    // Sign-in verifies an Argon2 hash: far longer than a millisecond.
    let res = reqwest::Client::new()
        .post(url)
        .header("accept", GRAPHQL_RESPONSE)
        .json(&json!({ "query": r#"mutation { login(email: "nobody@acme.example", password: "some password here") { accessToken } }"# }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "INTERNAL_SERVER_ERROR"
    );
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("took longer"), "{message}");
    assert!(body.get("data").is_none());
}

#[tokio::test]
async fn a_refused_nullable_field_is_null_and_its_siblings_stay() {
    let app = TestApp::spawn().await;
    let (_, employee) = app.create_user("emp@acme.example", &[]).await;
    let res = app
        .gql(
            Some(&employee),
            "query($id: ID!) { me { email } user(id: $id) { id } }",
            json!({ "id": app.org.admin_id }),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["data"]["me"]["email"], "emp@acme.example");
    let data = res.body["data"].as_object().unwrap();
    assert_eq!(data.get("user"), Some(&Value::Null), "{}", res.body);
    assert_eq!(res.code(), "FORBIDDEN");
    assert_eq!(res.body["errors"][0]["path"], json!(["user"]));
}

#[tokio::test]
async fn a_refused_non_null_field_nulls_its_parents_up_to_data() {
    let app = TestApp::spawn().await;
    app.admin(
        "mutation { updateOrganization(input: { individualAnalytics: true }) { id } }",
        json!({}),
    )
    .await
    .data();
    let (_, ann) = crate::content::ambassador(&app, "ann@acme.example").await;
    crate::content::ambassador(&app, "bob@acme.example").await;
    // Bob's accounts are not Ann's to read: socialAccounts is
    // [SocialAccount!]!, so is every field up to the root.
    let res = app
        .gql(
            Some(&ann),
            "{ me { email } leaderboard { rank user { displayName socialAccounts { network } } } }",
            json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["data"], Value::Null, "{}", res.body);
    assert_eq!(res.code(), "FORBIDDEN");
    let path = res.body["errors"][0]["path"].as_array().unwrap();
    assert_eq!(path.first(), Some(&json!("leaderboard")));
    assert_eq!(path.last(), Some(&json!("socialAccounts")));

    // Sign-in then reads the user without a token: the nested non-null
    // field fails and takes login, and data, with it.
    let res = app
        .gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { email socialAccounts { network } } } }",
            json!({ "e": "ann@acme.example", "p": crate::helpers::PASSWORD }),
        )
        .await;
    assert_eq!(res.body["data"], Value::Null, "{}", res.body);
    assert_eq!(res.code(), "UNAUTHENTICATED");
    assert_eq!(
        res.body["errors"][0]["path"],
        json!(["login", "user", "socialAccounts"])
    );
}

#[tokio::test]
async fn the_scalars_specification_urls_answer() {
    let app = TestApp::spawn().await;
    let res = app
        .gql(
            None,
            r#"{ long: __type(name: "Long") { specifiedByURL } date: __type(name: "Date") { specifiedByURL } }"#,
            json!({}),
        )
        .await;
    let url = res.data()["long"]["specifiedByURL"].as_str().unwrap();
    assert_eq!(url, "/docs/scalars#long");
    assert!(
        res.data()["date"]["specifiedByURL"]
            .as_str()
            .unwrap()
            .starts_with("https://datatracker.ietf.org/doc/html/rfc3339")
    );
    // Relative to the API's own address.
    let page = app.client.get(app.url(url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for id in ["datetime", "date", "long"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
}
