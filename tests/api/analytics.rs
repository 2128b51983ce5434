//! Engagement report: roles, validation, privacy rules, another
//! organization's ids, the CSV export and rollups that follow the write's
//! transaction.

use std::collections::{BTreeMap, BTreeSet};

use advocacy::{analytics::rollups, tenant::Tenant};
use chrono::{TimeZone, Utc};
use entity::{organizations, shares};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    analytics_world::{
        Ask, ClickSpec, NETWORKS, REPORT, ShareSpec, Spec, UserSpec, World, assert_close, base_day,
    },
    helpers::TestApp,
};

const TOTALS: &str = "query($f: EngagementFilter!) { engagement(filter: $f) { totals { shares activeAmbassadors clicks } byGroup { group { id } shares } topAmbassadors { user { id } shares } } }";

fn share(user: usize, content: usize, network: usize, day: i64, reach: i64) -> ShareSpec {
    ShareSpec {
        user,
        content,
        network,
        day,
        second: 3600 * (day % 24),
        reach,
    }
}

/// Four people: 0 ACTIVE, 1 ACTIVE, 2 WITHDRAWN (the busiest sharer), 3 PAUSED.
/// Group Z: 0, 1, 2; group Y: 0, 3 (groups are named from Z down).
fn spec(individual_analytics: bool, minimum_group_size: i32) -> Spec {
    Spec {
        individual_analytics,
        minimum_group_size,
        cpm: vec![(0, 1250), (1, 400)],
        company: vec![(0, 10_000), (1, 2_000)],
        users: vec![
            UserSpec {
                status: 2,
                accounts: vec![(0, 1000), (1, 300)],
            },
            UserSpec {
                status: 2,
                accounts: vec![(0, 500)],
            },
            UserSpec {
                status: 5,
                accounts: vec![(0, 4000)],
            },
            UserSpec {
                status: 3,
                accounts: vec![(2, 800)],
            },
        ],
        groups: vec![vec![0, 1, 2], vec![0, 3]],
        topics: 2,
        contents: vec![vec![0], vec![1], vec![]],
        shares: vec![
            share(0, 0, 0, 10, 1000),
            share(0, 1, 1, 10, 300),
            share(1, 0, 0, 11, 500),
            share(2, 0, 0, 11, 4000),
            share(2, 1, 0, 12, 4000),
            share(2, 2, 0, 13, 4000),
            share(3, 2, 2, 12, 800),
        ],
        clicks: vec![
            ClickSpec {
                share: 0,
                after: 0,
                second: 70_000,
            },
            ClickSpec {
                share: 0,
                after: 1,
                second: 10,
            },
            ClickSpec {
                share: 3,
                after: 2,
                second: 10,
            },
            ClickSpec {
                share: 6,
                after: 0,
                second: 86_399,
            },
        ],
    }
}

fn ask(from: i64, len: i64) -> Ask {
    Ask {
        from,
        len,
        group: None,
        network: None,
        content: None,
        topic: None,
    }
}

fn day(offset: i64) -> String {
    (base_day() + chrono::Duration::days(offset)).to_string()
}

async fn check(app: &TestApp, world: &World, token: &str, ask: &Ask) -> Value {
    let res = app
        .gql(Some(token), REPORT, json!({ "f": world.filter(ask) }))
        .await;
    let expected = world.recount(ask).expect("allowed");
    assert_close(&res.data()["engagement"], &expected, "engagement");
    res.data()["engagement"].clone()
}

#[tokio::test]
async fn hr_sees_every_figure_of_a_small_history_as_a_recount_gives_it() {
    let app = TestApp::spawn().await;
    let world = World::build(&app, "small", spec(true, 2)).await;
    let (_, hr) = app
        .create_user_in(&world.org.admin_token, "hr@small.example", "HR", &["HR"])
        .await;
    let mut world = world;
    world.others = 2; // the admin and the HR user
    let report = check(&app, &world, &hr, &ask(0, 30)).await;
    let totals = &report["totals"];
    assert_eq!(totals["shares"], 7);
    assert_eq!(totals["activeAmbassadors"], 4);
    assert_eq!(totals["enrolledAmbassadors"], 3);
    assert_eq!(totals["clicks"], 4);
    assert_eq!(totals["potentialReach"], 14_600);
    // LinkedIn 13,500 reach at 12.50, X 300 at 4.00, Facebook 800 at 0.
    assert!(
        (totals["earnedMediaValue"].as_f64().unwrap() - (13.5 * 12.5 + 0.3 * 4.0)).abs() < 1e-9
    );
    // ACTIVE ambassadors declare 1,800 followers; the company has 12,000.
    assert!((totals["networkMultiplier"].as_f64().unwrap() - 0.15).abs() < 1e-12);
    assert_eq!(report["daily"].as_array().unwrap().len(), 31);
    assert_eq!(
        report["byNetwork"].as_array().unwrap().len(),
        NETWORKS.len()
    );

    // Every filter, alone and combined.
    for a in [
        Ask {
            group: Some(0),
            ..ask(0, 30)
        },
        Ask {
            network: Some(0),
            ..ask(0, 30)
        },
        Ask {
            content: Some(0),
            ..ask(0, 30)
        },
        Ask {
            topic: Some(1),
            ..ask(0, 30)
        },
        Ask {
            group: Some(0),
            topic: Some(0),
            network: Some(0),
            ..ask(0, 30)
        },
        Ask {
            group: Some(1),
            content: Some(2),
            ..ask(11, 1)
        },
        // Clicks count on their own day, on shares made before the range.
        ask(12, 5),
    ] {
        check(&app, &world, &hr, &a).await;
    }
}

#[tokio::test]
async fn engagement_is_for_hr_and_admins_only() {
    let app = TestApp::spawn().await;
    let f = json!({ "f": { "from": "2026-01-01", "to": "2026-01-31" } });
    let res = app.gql(None, TOTALS, f.clone()).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
    for roles in [vec!["EMPLOYEE"], vec!["CURATOR"]] {
        let (_, token) = app
            .create_user(&format!("{}@acme.example", roles[0].to_lowercase()), &roles)
            .await;
        let res = app.gql(Some(&token), TOTALS, f.clone()).await;
        assert_eq!(res.code(), "FORBIDDEN", "{roles:?}");
    }
    let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
    assert_eq!(
        app.gql(Some(&hr), TOTALS, f.clone()).await.data()["engagement"]["totals"]["shares"],
        0
    );
    assert_eq!(
        app.admin(TOTALS, f).await.data()["engagement"]["totals"]["shares"],
        0
    );
}

#[tokio::test]
async fn a_reversed_range_or_one_over_366_days_is_bad_user_input() {
    let app = TestApp::spawn().await;
    for (from, to, ok) in [
        ("2026-01-02", "2026-01-01", false),
        ("2024-01-01", "2025-01-02", false),
        ("2024-01-01", "2025-01-01", true),
        ("2026-03-01", "2026-03-01", true),
    ] {
        let res = app
            .admin(TOTALS, json!({ "f": { "from": from, "to": to } }))
            .await;
        if ok {
            res.data();
        } else {
            assert_eq!(res.code(), "BAD_USER_INPUT", "{from}..{to}");
        }
    }
    let res = app
        .admin(
            TOTALS,
            json!({ "f": { "from": "2026-02-30", "to": "2026-03-01" } }),
        )
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
    for first in [0, 101] {
        let res = app
            .admin(
                "query($f: EngagementFilter!, $n: Int) { engagement(filter: $f) { topContent(first: $n) { shares } } }",
                json!({ "f": { "from": "2026-01-01", "to": "2026-01-02" }, "n": first }),
            )
            .await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "first {first}");
    }
    let res = app
        .admin(
            TOTALS,
            json!({ "f": { "from": "2026-01-01", "to": "2026-01-02", "groupId": "nope" } }),
        )
        .await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn another_organizations_group_content_or_topic_is_not_found() {
    let app = TestApp::spawn().await;
    let other = World::build(&app, "other", spec(true, 1)).await;
    let base = json!({ "from": day(0), "to": day(30) });
    for (key, id) in [
        ("groupId", other.group_ids[0]),
        ("contentId", other.content_ids[0]),
        ("topicId", other.topic_ids[0]),
        ("groupId", Uuid::now_v7()),
    ] {
        let mut f = base.clone();
        f[key] = json!(id.to_string());
        let res = app.admin(TOTALS, json!({ "f": f })).await;
        assert_eq!(res.code(), "NOT_FOUND", "{key}");
    }
    // Their own organization reads them.
    let mut f = base.clone();
    f["contentId"] = json!(other.content_ids[0].to_string());
    let res = app
        .gql(Some(&other.org.admin_token), TOTALS, json!({ "f": f }))
        .await;
    assert_eq!(res.data()["engagement"]["totals"]["shares"], 3);
    // And the first organization's report does not see their shares.
    let res = app.admin(TOTALS, json!({ "f": base })).await;
    assert_eq!(res.data()["engagement"]["totals"]["shares"], 0);
}

#[tokio::test]
async fn no_one_is_named_unless_the_organization_allows_individual_analytics() {
    let app = TestApp::spawn().await;
    let world = World::build(&app, "private", spec(false, 1)).await;
    let f = json!({ "f": { "from": day(0), "to": day(30) } });
    let res = app
        .gql(Some(&world.org.admin_token), TOTALS, f.clone())
        .await;
    assert_eq!(res.data()["engagement"]["totals"]["shares"], 7);
    assert_eq!(res.data()["engagement"]["topAmbassadors"], json!([]));

    let model = organizations::Entity::find_by_id(world.org.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut active = model.into_active_model();
    active.individual_analytics = Set(true);
    active.update(&app.state.db).await.unwrap();
    let res = app.gql(Some(&world.org.admin_token), TOTALS, f).await;
    let named: Vec<&str> = res.data()["engagement"]["topAmbassadors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["user"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(named.len(), 3);
}

#[tokio::test]
async fn a_withdrawn_ambassador_is_never_named_but_their_shares_still_count() {
    let app = TestApp::spawn().await;
    let world = World::build(&app, "withdrawn", spec(true, 1)).await;
    let res = app
        .gql(
            Some(&world.org.admin_token),
            TOTALS,
            json!({ "f": { "from": day(0), "to": day(30) } }),
        )
        .await;
    let report = &res.data()["engagement"];
    // Person 2 withdrew; they made 3 of the 7 shares.
    assert_eq!(report["totals"]["shares"], 7);
    let withdrawn = world.user_ids[2].to_string();
    let named: Vec<&str> = report["topAmbassadors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["user"]["id"].as_str().unwrap())
        .collect();
    assert!(!named.contains(&withdrawn.as_str()));
    assert_eq!(named[0], world.user_ids[0].to_string(), "2 shares, first");
}

#[tokio::test]
async fn groups_below_the_minimum_size_are_left_out_and_cannot_be_singled_out() {
    let app = TestApp::spawn().await;
    // Group Z has 3 members, group Y 2; the minimum is 3.
    let world = World::build(&app, "small-groups", spec(true, 3)).await;
    let token = world.org.admin_token.clone();
    let f = json!({ "from": day(0), "to": day(30) });
    let res = app.gql(Some(&token), TOTALS, json!({ "f": f })).await;
    let groups: Vec<&str> = res.data()["engagement"]["byGroup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(groups, vec![world.group_ids[0].to_string()]);
    assert_eq!(res.data()["engagement"]["byGroup"][0]["shares"], 6);

    let mut small = f.clone();
    small["groupId"] = json!(world.group_ids[1].to_string());
    let res = app.gql(Some(&token), TOTALS, json!({ "f": small })).await;
    assert_eq!(res.code(), "FORBIDDEN");
    let mut large = f;
    large["groupId"] = json!(world.group_ids[0].to_string());
    let res = app.gql(Some(&token), TOTALS, json!({ "f": large })).await;
    assert_eq!(res.data()["engagement"]["totals"]["shares"], 6);
}

async fn get_csv(app: &TestApp, token: Option<&str>, query: &str) -> reqwest::Response {
    let mut req = app
        .client
        .get(app.url(&format!("/export/engagement.csv{query}")));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_day_with_the_reports_figures() {
    let app = TestApp::spawn().await;
    let world = World::build(&app, "csv", spec(true, 1)).await;
    let token = world.org.admin_token.clone();
    let (from, to) = (day(5), day(20));
    let res = get_csv(&app, Some(&token), &format!("?from={from}&to={to}")).await;
    assert_eq!(res.status(), 200);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/csv"));
    assert!(header("content-disposition").starts_with("attachment"));
    let body = res.text().await.unwrap();
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("date,shares,clicks,potential_reach,earned_media_value,active_ambassadors")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();

    let report = app
        .gql(
            Some(&token),
            REPORT,
            json!({ "f": { "from": from, "to": to } }),
        )
        .await;
    let report = &report.data()["engagement"];
    let daily = report["daily"].as_array().unwrap();
    assert_eq!(rows.len(), daily.len());
    let mut emv = 0.0;
    for (row, d) in rows.iter().zip(daily) {
        assert_eq!(row[0], d["date"].as_str().unwrap());
        assert_eq!(row[1], d["shares"].to_string());
        assert_eq!(row[2], d["clicks"].to_string());
        assert_eq!(row[3], d["potentialReach"].to_string());
        emv += row[4].parse::<f64>().unwrap();
    }
    let total = report["totals"]["earnedMediaValue"].as_f64().unwrap();
    assert!((emv - total).abs() < 1e-9, "{emv} vs {total}");
    // Distinct sharers per day, recounted.
    let mut sharers: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for s in &world.spec.shares {
        sharers.entry(day(s.day)).or_default().insert(s.user);
    }
    for row in &rows {
        let expected = sharers.get(row[0]).map_or(0, BTreeSet::len);
        assert_eq!(row[5], expected.to_string(), "{}", row[0]);
    }
    assert!(rows.iter().any(|r| r[5] != "0"));
}

#[tokio::test]
async fn the_csv_export_follows_the_reports_token_role_and_range_rules() {
    let app = TestApp::spawn().await;
    let ok = "?from=2026-01-01&to=2026-01-31";
    assert_eq!(get_csv(&app, None, ok).await.status(), 401);
    assert_eq!(get_csv(&app, Some("not-a-token"), ok).await.status(), 401);
    let (_, employee) = app.create_user("e@acme.example", &["EMPLOYEE"]).await;
    assert_eq!(get_csv(&app, Some(&employee), ok).await.status(), 403);
    let admin = app.org.admin_token.clone();
    for bad in [
        "",
        "?from=2026-01-01",
        "?from=2026-1-1&to=2026-01-31",
        "?from=2026-02-01&to=2026-01-31",
        "?from=2024-01-01&to=2025-01-02",
    ] {
        let res = get_csv(&app, Some(&admin), bad).await;
        assert_eq!(res.status(), 400, "{bad}");
    }
    let res = get_csv(&app, Some(&admin), ok).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap().lines().count(), 32);
}

#[tokio::test]
async fn a_rolled_back_share_leaves_no_trace_in_the_figures() {
    let app = TestApp::spawn().await;
    let world = World::build(&app, "rollback", spec(true, 1)).await;
    let db = &app.state.db;
    let t = Utc.with_ymd_and_hms(2026, 1, 3, 10, 0, 0).unwrap();
    let row = shares::Model {
        id: Uuid::now_v7(),
        organization_id: world.org.id,
        user_id: world.user_ids[0],
        content_id: world.content_ids[0],
        network: "LINKEDIN".to_owned(),
        comment: None,
        shared_at: t,
        potential_reach: 999,
        idempotency_key: "rolled-back".to_owned(),
        request_hash: "x".to_owned(),
        tracking_code: Uuid::new_v4().simple().to_string(),
        points_awarded: 0,
        created_at: t,
    };
    let txn = db.begin().await.unwrap();
    shares::Entity::insert(row.clone().into_active_model())
        .exec(&txn)
        .await
        .unwrap();
    rollups::on_share(&txn, Tenant::seeding(world.org.id), &row)
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    let f = json!({ "f": { "from": "2026-01-03", "to": "2026-01-03" } });
    let res = app
        .gql(Some(&world.org.admin_token), TOTALS, f.clone())
        .await;
    assert_eq!(res.data()["engagement"]["totals"]["shares"], 0);

    rollups::insert_shares(db, Tenant::seeding(world.org.id), &[row])
        .await
        .unwrap();
    let res = app.gql(Some(&world.org.admin_token), TOTALS, f).await;
    assert_eq!(res.data()["engagement"]["totals"]["shares"], 1);
}

#[tokio::test]
async fn the_demo_organization_has_two_months_of_engagement_history() {
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
    let today = app.clock_now().date_naive();
    let from = today - chrono::Duration::days(60);
    let res = app
        .gql(
            Some(&hr),
            REPORT
                .replace(
                    "topAmbassadors(first: 100) { user { id } shares clicks potentialReach }",
                    "",
                )
                .as_str(),
            json!({ "f": { "from": from.to_string(), "to": today.to_string() } }),
        )
        .await;
    let report = &res.data()["engagement"];
    let active_days = report["daily"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["shares"].as_i64().unwrap() > 0)
        .count();
    assert!(active_days >= 40, "{active_days} days with shares");
    assert!(report["totals"]["clicks"].as_i64().unwrap() > 0);
    assert!(report["totals"]["earnedMediaValue"].as_f64().unwrap() >= 0.0);
}

#[tokio::test]
async fn shares_and_clicks_made_through_the_api_are_in_the_report() {
    let app = TestApp::spawn().await;
    let (_, item, amb) = crate::shares::setup(&app).await;
    app.gql(
        Some(&amb),
        "mutation($i: SocialAccountInput!) { setSocialAccount(input: $i) { network } }",
        json!({ "i": { "network": "LINKEDIN", "handle": "amb", "followerCount": 1200 } }),
    )
    .await
    .data();
    let payload = crate::shares::record(
        &app,
        &amb,
        crate::shares::share_input(&item, "LINKEDIN", "first"),
    )
    .await;
    // A replay adds nothing.
    crate::shares::record(
        &app,
        &amb,
        crate::shares::share_input(&item, "LINKEDIN", "first"),
    )
    .await;
    let url = payload["share"]["trackingUrl"].as_str().unwrap();
    let code = url.rsplit('/').next().unwrap();
    for agent in [
        "Mozilla/5.0 (iPhone)",
        "Mozilla/5.0 (iPhone)",
        "LinkedInBot/1.0",
        "Mozilla/5.0 (Android)",
    ] {
        let res = app
            .client
            .get(app.url(&format!("/r/{code}")))
            .header("user-agent", agent)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
    }
    let day = app.clock_now().date_naive().to_string();
    let res = app
        .admin(
            "query($f: EngagementFilter!) { engagement(filter: $f) { totals { shares activeAmbassadors potentialReach clicks } daily { date shares clicks } byNetwork { network shares clicks potentialReach } } }",
            json!({ "f": { "from": day, "to": day } }),
        )
        .await;
    let report = &res.data()["engagement"];
    assert_eq!(
        report["totals"],
        json!({ "shares": 1, "activeAmbassadors": 1, "potentialReach": 1200, "clicks": 2 })
    );
    assert_eq!(
        report["daily"],
        json!([{ "date": day, "shares": 1, "clicks": 2 }])
    );
    let linkedin = report["byNetwork"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["network"] == "LINKEDIN")
        .unwrap();
    assert_eq!(
        linkedin,
        &json!({ "network": "LINKEDIN", "shares": 1, "clicks": 2, "potentialReach": 1200 })
    );
}

/// How many migrations to undo to stand before the week and month rollups
/// (migration 9), however many landed after it.
fn migrations_since_the_weeks_and_months() -> u32 {
    use migration::{Migrator, MigratorTrait};
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let at = names
        .iter()
        .position(|n| n == "m20261126_000009_engagement_weeks_months")
        .expect("migration 9 is listed");
    (names.len() - at) as u32
}

#[tokio::test]
async fn a_database_upgraded_with_history_reports_it_through_the_week_and_month_rollups() {
    use migration::{Migrator, MigratorTrait};
    let app = TestApp::spawn().await;
    let world = World::build(&app, "upgrade", spec(true, 1)).await;
    let db = &app.state.db;
    // Back to before the week and month rollups, with the history in place:
    // migrating again fills them from the per-day ones.
    Migrator::down(db, Some(migrations_since_the_weeks_and_months()))
        .await
        .unwrap();
    Migrator::up(db, None).await.unwrap();
    crate::seed_bench::assert_weeks_and_months_regroup_days(db, world.org.id).await;
    // Whole months, whole weeks and single days, with and without a network.
    for a in [
        ask(0, 30),
        ask(0, 58),
        ask(3, 20),
        Ask {
            network: Some(0),
            ..ask(1, 44)
        },
    ] {
        check(&app, &world, &world.org.admin_token, &a).await;
    }
}

/// Migration 9 filled the week and month rollups from the per-day ones
/// with SQL of its own (a landed migration is never edited): it must put
/// every day in the bucket that `rollups::week_of` and `month_of`, the one
/// definition of weeks and months, give it.
#[tokio::test]
async fn migration_9_buckets_days_exactly_as_week_of_and_month_of() {
    use chrono::{Days, NaiveDate};
    use entity::{
        engagement_content_days as content_days, engagement_content_months as content_months,
        engagement_content_weeks as content_weeks, engagement_user_days as user_days,
        engagement_user_weeks as user_weeks,
    };
    use migration::{Migrator, MigratorTrait};

    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let org = app.org.id;
    let (user, content) = (Uuid::now_v7(), Uuid::now_v7());
    // Before migration 9, with a day of history on every day of 15 months:
    // every length of month, a leap February, every week of each.
    Migrator::down(db, Some(migrations_since_the_weeks_and_months()))
        .await
        .unwrap();
    let first = NaiveDate::from_ymd_opt(2027, 12, 1).unwrap();
    let days: Vec<(NaiveDate, i64)> = (0..456)
        .map(|n| (first + Days::new(n), n as i64 + 1))
        .collect();
    for chunk in days.chunks(100) {
        user_days::Entity::insert_many(chunk.iter().map(|&(day, n)| user_days::ActiveModel {
            organization_id: Set(org),
            day: Set(day),
            user_id: Set(user),
            network: Set("LINKEDIN".to_owned()),
            shares: Set(n),
            potential_reach: Set(10 * n),
            clicks: Set(n % 3),
        }))
        .exec(db)
        .await
        .unwrap();
        content_days::Entity::insert_many(chunk.iter().map(|&(day, n)| {
            content_days::ActiveModel {
                organization_id: Set(org),
                day: Set(day),
                content_id: Set(content),
                network: Set("LINKEDIN".to_owned()),
                shares: Set(n),
                potential_reach: Set(10 * n),
                clicks: Set(n % 3),
            }
        }))
        .exec(db)
        .await
        .unwrap();
    }
    Migrator::up(db, None).await.unwrap();

    let expected = |bucket: fn(NaiveDate) -> NaiveDate| {
        let mut sums: BTreeMap<NaiveDate, [i64; 3]> = BTreeMap::new();
        for &(day, n) in &days {
            let s = sums.entry(bucket(day)).or_default();
            s[0] += n;
            s[1] += 10 * n;
            s[2] += n % 3;
        }
        sums
    };
    let weeks = expected(rollups::week_of);
    let months = expected(rollups::month_of);
    // Five weeks in every month but February 2029, which has 28 days.
    assert_eq!((weeks.len(), months.len()), (15 * 5 - 1, 15));
    let user_weeks: BTreeMap<NaiveDate, [i64; 3]> = user_weeks::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.week, [r.shares, r.potential_reach, r.clicks]))
        .collect();
    let content_weeks: BTreeMap<NaiveDate, [i64; 3]> = content_weeks::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.week, [r.shares, r.potential_reach, r.clicks]))
        .collect();
    let content_months: BTreeMap<NaiveDate, [i64; 3]> = content_months::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.month, [r.shares, r.potential_reach, r.clicks]))
        .collect();
    assert_eq!(user_weeks, weeks, "engagement_user_weeks");
    assert_eq!(content_weeks, weeks, "engagement_content_weeks");
    assert_eq!(content_months, months, "engagement_content_months");
}
