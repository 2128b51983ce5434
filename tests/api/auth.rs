//! Sign-in, access tokens, refresh-token rotation, sign-out and throttling.

use std::time::Instant;

use base64::Engine;
use chrono::Duration;
use entity::{refresh_tokens, users};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{PASSWORD, TestApp};

const ME: &str = "{ me { id email displayName roles } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken expiresIn user { email } } }";

fn jwt_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

#[tokio::test]
async fn login_then_me_returns_the_signed_in_user() {
    let app = TestApp::spawn().await;
    let res = app.login("ADMIN@acme.example", PASSWORD).await;
    let login = &res.data()["login"];
    assert_eq!(login["expiresIn"], 900);
    assert_eq!(login["user"]["email"], "admin@acme.example");
    let token = login["accessToken"].as_str().unwrap();
    let me = app.gql(Some(token), ME, json!({})).await;
    assert_eq!(me.data()["me"]["email"], "admin@acme.example");
    assert_eq!(me.data()["me"]["roles"], json!(["EMPLOYEE", "ADMIN"]));
}

#[tokio::test]
async fn me_without_a_token_is_unauthenticated() {
    let app = TestApp::spawn().await;
    let res = app.gql(None, ME, json!({})).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    let res = app.gql(Some("not-a-jwt"), ME, json!({})).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn unknown_email_and_wrong_password_give_the_same_error_in_about_the_same_time() {
    let app = TestApp::spawn().await;
    let mut unknown_total = std::time::Duration::ZERO;
    let mut wrong_total = std::time::Duration::ZERO;
    let mut messages = Vec::new();
    for i in 0..3 {
        let started = Instant::now();
        let unknown = app
            .login(&format!("nobody{i}@acme.example"), PASSWORD)
            .await;
        unknown_total += started.elapsed();
        let started = Instant::now();
        let wrong = app.login("admin@acme.example", "wrong password here").await;
        wrong_total += started.elapsed();
        assert_eq!(unknown.code(), "UNAUTHENTICATED");
        assert_eq!(wrong.code(), "UNAUTHENTICATED");
        messages.push((unknown.message().to_owned(), wrong.message().to_owned()));
    }
    for (unknown, wrong) in messages {
        assert_eq!(unknown, wrong);
    }
    // Both run a full Argon2 verification; an unknown email must not answer
    // visibly faster.
    assert!(
        unknown_total.as_secs_f64() > wrong_total.as_secs_f64() * 0.3,
        "unknown {unknown_total:?} vs wrong password {wrong_total:?}"
    );
}

#[tokio::test]
async fn access_tokens_are_hs256_with_every_required_claim() {
    let app = TestApp::spawn().await;
    let token = &app.org.admin_token;
    assert_eq!(jwt_part(token, 0)["alg"], "HS256");
    let claims = jwt_part(token, 1);
    for claim in ["sub", "org", "roles", "iss", "aud", "exp", "iat", "jti"] {
        assert!(!claims[claim].is_null(), "claim {claim} missing: {claims}");
    }
    assert_eq!(claims["sub"], app.org.admin_id.as_str());
    assert_eq!(claims["org"], app.org.id.to_string());
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        15 * 60
    );
}

#[tokio::test]
async fn access_token_expires_after_fifteen_minutes_with_small_leeway() {
    let app = TestApp::spawn().await;
    let token = app.org.admin_token.clone();
    app.clock
        .advance(Duration::minutes(15) + Duration::seconds(20));
    app.gql(Some(&token), ME, json!({})).await.data();
    app.clock.advance(Duration::seconds(60));
    let res = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

fn forge(app: &TestApp, alg: Algorithm, mutate: impl FnOnce(&mut Value)) -> String {
    let mut claims = jwt_part(&app.org.admin_token, 1);
    mutate(&mut claims);
    let secret = app.state.settings.jwt_secret.expose_secret().as_bytes();
    jsonwebtoken::encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn tokens_with_a_wrong_algorithm_key_or_claim_are_refused() {
    let app = TestApp::spawn().await;
    // The same claims re-signed are accepted: the forging itself is sound.
    let same = forge(&app, Algorithm::HS256, |_| {});
    app.gql(Some(&same), ME, json!({})).await.data();

    let mut bad = vec![
        forge(&app, Algorithm::HS512, |_| {}),
        forge(&app, Algorithm::HS256, |c| c["iss"] = json!("someone-else")),
        forge(&app, Algorithm::HS256, |c| c["aud"] = json!("another-api")),
        forge(&app, Algorithm::HS256, |c| {
            c.as_object_mut().unwrap().remove("aud");
        }),
        forge(&app, Algorithm::HS256, |c| {
            c.as_object_mut().unwrap().remove("exp");
        }),
        forge(&app, Algorithm::HS256, |c| {
            c.as_object_mut().unwrap().remove("org");
        }),
        forge(&app, Algorithm::HS256, |c| {
            c.as_object_mut().unwrap().remove("jti");
        }),
        forge(&app, Algorithm::HS256, |c| {
            c["roles"] = json!(["SUPERUSER"])
        }),
    ];
    // Signed with another key.
    let claims = jwt_part(&app.org.admin_token, 1);
    bad.push(
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"another secret that is long enough to use"),
        )
        .unwrap(),
    );
    // alg "none".
    let header =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = app.org.admin_token.split('.').nth(1).unwrap();
    bad.push(format!("{header}.{payload}."));
    for token in bad {
        let res = app.gql(Some(&token), ME, json!({})).await;
        assert_eq!(res.code(), "UNAUTHENTICATED", "accepted: {token}");
    }
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_whole_family() {
    let app = TestApp::spawn().await;
    let first = app.login(&app.org.admin_email, PASSWORD).await;
    let r1 = first.data()["login"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();

    let second = app.gql(None, REFRESH, json!({ "t": r1 })).await;
    let r2 = second.data()["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(r1, r2);
    let access = second.data()["refreshSession"]["accessToken"]
        .as_str()
        .unwrap();
    app.gql(Some(access), ME, json!({})).await.data();

    // r1 again: taken as stolen.
    let replay = app.gql(None, REFRESH, json!({ "t": r1 })).await;
    assert_eq!(replay.code(), "UNAUTHENTICATED");
    // ... and the legitimate descendant is revoked with it.
    let after = app.gql(None, REFRESH, json!({ "t": r2 })).await;
    assert_eq!(after.code(), "UNAUTHENTICATED");

    // Another sign-in is another family, untouched.
    let other = app.login(&app.org.admin_email, PASSWORD).await;
    let r3 = other.data()["login"]["refreshToken"].as_str().unwrap();
    app.gql(None, REFRESH, json!({ "t": r3 })).await.data();
}

#[tokio::test]
async fn refresh_tokens_expire_thirty_days_after_sign_in_even_when_rotated() {
    let app = TestApp::spawn().await;
    let login = app.login(&app.org.admin_email, PASSWORD).await;
    let mut token = login.data()["login"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Duration::days(29));
    let rotated = app.gql(None, REFRESH, json!({ "t": token })).await;
    token = rotated.data()["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Duration::days(1) + Duration::seconds(1));
    let res = app.gql(None, REFRESH, json!({ "t": token })).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn refresh_tokens_are_long_random_and_stored_only_as_hashes() {
    let app = TestApp::spawn().await;
    let login = app.login(&app.org.admin_email, PASSWORD).await;
    let token = login.data()["login"]["refreshToken"].as_str().unwrap();
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .expect("base64url token");
    assert!(raw.len() * 8 >= 256);
    let rows = refresh_tokens::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.token_hash != token));
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    assert!(rows.iter().any(|r| r.token_hash == hash));
}

#[tokio::test]
async fn garbage_refresh_token_is_unauthenticated() {
    let app = TestApp::spawn().await;
    let res = app.gql(None, REFRESH, json!({ "t": "garbage" })).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let login = app.login(&app.org.admin_email, PASSWORD).await;
    let token = login.data()["login"]["refreshToken"].as_str().unwrap();
    let logout = "mutation($t: String!) { logout(refreshToken: $t) }";
    let res = app.gql(None, logout, json!({ "t": token })).await;
    assert_eq!(res.data()["logout"], true);
    let res = app.gql(None, REFRESH, json!({ "t": token })).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    let again = app.gql(None, logout, json!({ "t": token })).await;
    assert_eq!(again.data()["logout"], false);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_at_owasp_parameters() {
    let app = TestApp::spawn().await;
    let admin = users::Entity::find()
        .filter(users::Column::Email.eq(app.org.admin_email.clone()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let hash = admin.password_hash.unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(PASSWORD));
}

#[tokio::test]
async fn ten_failed_logins_for_one_email_are_rate_limited_until_the_window_passes() {
    let app = TestApp::spawn().await;
    for _ in 0..10 {
        let res = app.login(&app.org.admin_email, "wrong password here").await;
        assert_eq!(res.code(), "UNAUTHENTICATED");
    }
    // Even the right password is refused while throttled.
    let res = app.login(&app.org.admin_email, PASSWORD).await;
    assert_eq!(res.code(), "RATE_LIMITED");
    assert!(
        res.body["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .unwrap()
            > 0
    );
    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.login(&app.org.admin_email, PASSWORD).await.code(),
        "RATE_LIMITED"
    );
    app.clock
        .advance(Duration::minutes(1) + Duration::seconds(1));
    app.login(&app.org.admin_email, PASSWORD).await.data();
}

#[tokio::test]
async fn nine_failed_logins_are_not_rate_limited() {
    let app = TestApp::spawn().await;
    for _ in 0..9 {
        app.login(&app.org.admin_email, "wrong password here").await;
    }
    app.login(&app.org.admin_email, PASSWORD).await.data();
}

#[tokio::test]
async fn ten_failed_logins_from_one_client_address_are_rate_limited() {
    let app = TestApp::spawn().await;
    for i in 0..10 {
        let res = app
            .login(&format!("guess{i}@acme.example"), "wrong password here")
            .await;
        assert_eq!(res.code(), "UNAUTHENTICATED");
    }
    let res = app.login(&app.org.admin_email, PASSWORD).await;
    assert_eq!(res.code(), "RATE_LIMITED");
}

#[tokio::test]
async fn unauthenticated_errors_carry_a_reason_so_clients_refresh_only_on_expiry() {
    let app = TestApp::spawn().await;
    let reason = |res: &crate::helpers::Gql| {
        assert_eq!(res.code(), "UNAUTHENTICATED", "{}", res.body);
        res.body["errors"][0]["extensions"]["reason"]
            .as_str()
            .unwrap_or_else(|| panic!("no reason: {}", res.body))
            .to_owned()
    };
    let wrong = app.login(&app.org.admin_email, "wrong password here").await;
    assert_eq!(reason(&wrong), "INVALID_CREDENTIALS");
    let unknown = app.login("nobody@acme.example", PASSWORD).await;
    assert_eq!(reason(&unknown), "INVALID_CREDENTIALS");
    assert_eq!(reason(&app.gql(None, ME, json!({})).await), "TOKEN_MISSING");
    assert_eq!(
        reason(&app.gql(Some("not-a-jwt"), ME, json!({})).await),
        "TOKEN_INVALID"
    );
    let refresh = app.gql(None, REFRESH, json!({ "t": "garbage" })).await;
    assert_eq!(reason(&refresh), "REFRESH_TOKEN_INVALID");
    let token = app.org.admin_token.clone();
    app.clock.advance(Duration::minutes(16));
    assert_eq!(
        reason(&app.gql(Some(&token), ME, json!({})).await),
        "TOKEN_EXPIRED"
    );
    // A forged token stays TOKEN_INVALID even once its expiry has passed.
    let forged = forge(&app, Algorithm::HS384, |_| {});
    assert_eq!(
        reason(&app.gql(Some(&forged), ME, json!({})).await),
        "TOKEN_INVALID"
    );
}
