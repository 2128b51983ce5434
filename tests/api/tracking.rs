//! Tracking links over HTTP: where they redirect, which visits count as
//! clicks (no robots, no repeats within 24 hours, the right client
//! address), unknown codes, and the figures clicks feed.

use std::net::IpAddr;

use chrono::Duration;
use entity::clicks;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    content::{archive, create, curator, input, input_with, publish_new, try_publish},
    helpers::{PASSWORD, TestApp},
    shares::{record, setup, share_input},
};

const BROWSER: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

/// Shares `item` on `network` and returns (share id, tracking URL).
async fn share(
    app: &TestApp,
    token: &str,
    item: &str,
    network: &str,
    key: &str,
) -> (String, String) {
    let payload = record(app, token, share_input(item, network, key)).await;
    (
        payload["share"]["id"].as_str().unwrap().to_owned(),
        payload["share"]["trackingUrl"].as_str().unwrap().to_owned(),
    )
}

/// The path of a tracking URL, served by the test server.
fn local(app: &TestApp, tracking_url: &str) -> String {
    let path = tracking_url
        .strip_prefix("http://links.test")
        .expect("tracking URLs start with PUBLIC_BASE_URL");
    app.url(path)
}

async fn visit(
    app: &TestApp,
    url: &str,
    user_agent: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let mut req = app.client.get(url).header("user-agent", user_agent);
    if let Some(xff) = forwarded {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.expect("request sent")
}

async fn clicks_of(app: &TestApp, token: &str) -> Vec<i64> {
    let res = app
        .gql(
            Some(token),
            "{ myShares { edges { node { clicks } } } }",
            json!({}),
        )
        .await;
    res.data()["myShares"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["clicks"].as_i64().unwrap())
        .collect()
}

async fn click_rows(app: &TestApp) -> u64 {
    clicks::Entity::find().count(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn tracking_urls_live_under_the_public_base_url_with_an_unguessable_code() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let (_, a) = share(&app, &amb, &item, "LINKEDIN", "1").await;
    let (_, b) = share(&app, &amb, &item, "LINKEDIN", "2").await;
    assert_ne!(a, b);
    for url in [&a, &b] {
        let code = url.strip_prefix("http://links.test/r/").unwrap();
        assert!(code.len() >= 10);
        assert!(code.bytes().all(|c| c.is_ascii_alphanumeric()));
    }
}

#[tokio::test]
async fn the_link_redirects_to_the_content_url_with_utm_parameters_and_no_caching() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, amb) = crate::content::ambassador(&app, "amb@acme.example").await;
    let cases = [
        (
            "https://example.com/news",
            "LINKEDIN",
            "https://example.com/news?utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign={id}",
        ),
        (
            "https://example.com/jobs?team=ops&page=2",
            "X",
            "https://example.com/jobs?team=ops&page=2&utm_source=x&utm_medium=employee_advocacy&utm_campaign={id}",
        ),
        (
            "https://example.com/a?utm_source=newsletter&x=1&utm_campaign=spring",
            "FACEBOOK",
            "https://example.com/a?x=1&utm_source=facebook&utm_medium=employee_advocacy&utm_campaign={id}",
        ),
        (
            "https://example.com/event?day=2#programme",
            "XING",
            "https://example.com/event?day=2&utm_source=xing&utm_medium=employee_advocacy&utm_campaign={id}#programme",
        ),
        (
            "https://example.com/métiers/éco",
            "OTHER",
            "https://example.com/m%C3%A9tiers/%C3%A9co?utm_source=other&utm_medium=employee_advocacy&utm_campaign={id}",
        ),
        (
            "https://example.com/café?q=thé#top",
            "TIKTOK",
            "https://example.com/caf%C3%A9?q=th%C3%A9&utm_source=tiktok&utm_medium=employee_advocacy&utm_campaign={id}#top",
        ),
    ];
    for (i, (url, network, expected)) in cases.into_iter().enumerate() {
        let item = publish_new(&app, &curator, input_with("Item", json!({ "url": url }))).await;
        let (_, link) = share(&app, &amb, &item, network, &i.to_string()).await;
        let res = visit(&app, &local(&app, &link), BROWSER, None).await;
        assert_eq!(res.status().as_u16(), 302, "{url}");
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert_eq!(
            res.headers()["location"].to_str().unwrap(),
            expected.replace("{id}", &item),
            "{url}"
        );
    }
}

#[tokio::test]
async fn archived_and_expired_content_still_redirects() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let now = app.clock_now();
    let expiring = create(&app, &curator, input("Expiring")).await;
    try_publish(
        &app,
        &curator,
        &expiring,
        None,
        Some(now + Duration::hours(1)),
    )
    .await
    .data();
    let archived = publish_new(&app, &curator, input("Archived")).await;
    let (_, amb) = crate::content::ambassador(&app, "amb@acme.example").await;
    let (_, a) = share(&app, &amb, &expiring, "LINKEDIN", "1").await;
    let (_, b) = share(&app, &amb, &archived, "LINKEDIN", "2").await;
    archive(&app, &curator, &archived).await.data();
    app.clock.advance(Duration::hours(2));
    let amb = app.login_token("amb@acme.example", PASSWORD).await;
    for link in [a, b] {
        let res = visit(&app, &local(&app, &link), BROWSER, None).await;
        assert_eq!(res.status().as_u16(), 302);
    }
    assert_eq!(clicks_of(&app, &amb).await, vec![1, 1]);
}

#[tokio::test]
async fn an_unknown_or_malformed_code_is_a_404_page() {
    let app = TestApp::spawn().await;
    for path in [
        "/r/abcdefghij12",
        "/r/short",
        "/r/has-a-dash-in-it",
        "/r/%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9",
    ] {
        let res = visit(&app, &app.url(path), BROWSER, None).await;
        assert_eq!(res.status().as_u16(), 404, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(res.text().await.unwrap().contains("Link not found"));
    }
}

#[tokio::test]
async fn link_preview_robots_are_not_counted() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let (_, link) = share(&app, &amb, &item, "LINKEDIN", "1").await;
    let url = local(&app, &link);
    for robot in [
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0 A",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "SomeBOT/3.1",
        "Example-Crawler/1.0",
        "tiny spider",
    ] {
        let res = visit(&app, &url, robot, None).await;
        assert_eq!(res.status().as_u16(), 302, "{robot}");
    }
    // A HEAD request learns the target without counting.
    let res = app
        .client
        .head(&url)
        .header("user-agent", BROWSER)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(click_rows(&app).await, 0);
    visit(&app, &url, BROWSER, None).await;
    assert_eq!(clicks_of(&app, &amb).await, vec![1]);
}

#[tokio::test]
async fn a_repeat_by_the_same_visitor_counts_once_per_24_hours() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let (_, link) = share(&app, &amb, &item, "LINKEDIN", "1").await;
    let (_, other_link) = share(&app, &amb, &item, "X", "2").await;
    let url = local(&app, &link);
    visit(&app, &url, BROWSER, None).await;
    visit(&app, &url, BROWSER, None).await;
    app.clock
        .advance(Duration::hours(24) - Duration::seconds(1));
    visit(&app, &url, BROWSER, None).await;
    assert_eq!(click_rows(&app).await, 1);
    // Another user agent is another visitor; another link is another count.
    visit(
        &app,
        &url,
        "Mozilla/5.0 (Windows NT 10.0) Firefox/130.0",
        None,
    )
    .await;
    visit(&app, &local(&app, &other_link), BROWSER, None).await;
    assert_eq!(click_rows(&app).await, 3);
    // 24 hours after the counted click, it counts again.
    app.clock.advance(Duration::seconds(1));
    visit(&app, &url, BROWSER, None).await;
    let amb = app.login_token("amb@acme.example", PASSWORD).await;
    assert_eq!(clicks_of(&app, &amb).await, vec![1, 3]);
    // No raw address is stored: the visitor key is a keyed hash.
    for click in clicks::Entity::find().all(&app.state.db).await.unwrap() {
        assert_eq!(click.visitor_key.len(), 64);
        assert!(click.visitor_key.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!click.visitor_key.contains("127.0.0.1"));
    }
}

#[tokio::test]
async fn x_forwarded_for_is_ignored_from_an_untrusted_peer() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = setup(&app).await;
    let (_, link) = share(&app, &amb, &item, "LINKEDIN", "1").await;
    let url = local(&app, &link);
    for client in ["203.0.113.7", "198.51.100.9", "192.0.2.1"] {
        visit(&app, &url, BROWSER, Some(client)).await;
    }
    // All from the same socket address: one visitor.
    assert_eq!(click_rows(&app).await, 1);
}

#[tokio::test]
async fn x_forwarded_for_is_honoured_from_a_trusted_proxy() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = vec!["127.0.0.1".parse::<IpAddr>().unwrap()];
    })
    .await;
    let (_, item, amb) = setup(&app).await;
    let (_, link) = share(&app, &amb, &item, "LINKEDIN", "1").await;
    let url = local(&app, &link);
    visit(&app, &url, BROWSER, Some("203.0.113.7")).await;
    visit(&app, &url, BROWSER, Some("198.51.100.9")).await;
    // A repeat from the first client, through the proxy chain.
    visit(&app, &url, BROWSER, Some("203.0.113.7, 127.0.0.1")).await;
    assert_eq!(click_rows(&app).await, 2);
}

#[tokio::test]
async fn user_stats_sum_shares_clicks_reach_and_points_over_all_time() {
    let app = TestApp::spawn().await;
    let (curator, item, amb) = setup(&app).await;
    let other = publish_new(&app, &curator, input("Other")).await;
    app.gql(
        Some(&amb),
        "mutation { setSocialAccount(input: { network: LINKEDIN, handle: \"amb\", followerCount: 700 }) { network } }",
        json!({}),
    )
    .await
    .data();
    let (_, a) = share(&app, &amb, &item, "LINKEDIN", "1").await;
    share(&app, &amb, &item, "LINKEDIN", "2").await;
    share(&app, &amb, &other, "X", "3").await;
    visit(&app, &local(&app, &a), BROWSER, None).await;
    visit(&app, &local(&app, &a), "Another browser", None).await;
    let (someone_id, someone) = crate::content::ambassador(&app, "someone@acme.example").await;
    share(&app, &someone, &item, "X", "1").await;
    let amb_id = amb_id(&app, &amb).await;
    // All time: figures do not age.
    app.clock.advance(Duration::days(60));
    let admin = app.login_token(&app.org.admin_email, PASSWORD).await;
    let res = app
        .gql(
            Some(&admin),
            "query($a: ID!, $b: ID!) { a: user(id: $a) { stats { shares clicks potentialReach points } } b: user(id: $b) { stats { shares clicks potentialReach points } } }",
            json!({ "a": amb_id, "b": someone_id }),
        )
        .await;
    assert_eq!(
        res.data()["a"]["stats"],
        json!({ "shares": 3, "clicks": 2, "potentialReach": 1400, "points": 20 })
    );
    assert_eq!(
        res.data()["b"]["stats"],
        json!({ "shares": 1, "clicks": 0, "potentialReach": 0, "points": 10 })
    );
}

async fn amb_id(app: &TestApp, token: &str) -> Value {
    app.gql(Some(token), "{ me { id } }", json!({}))
        .await
        .data()["me"]["id"]
        .clone()
}
