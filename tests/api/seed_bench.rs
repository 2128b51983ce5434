//! `seed-bench` at a tiny size: deterministic, consistent with
//! what the API itself writes, usable by the load benchmark, and careful
//! with organizations it did not create.

use std::collections::BTreeMap;

use advocacy::analytics::rollups;
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use seed_bench::{Options, Sizes};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{TestApp, start_time};

fn tiny(force: bool) -> Options {
    Options {
        seed: 7,
        sizes: Sizes {
            employees: 60,
            ambassadors: 12,
            groups: 4,
            topics: 5,
            days: 20,
            items_per_day: 3,
            shares: 300,
            clicks: 900,
            small_orgs: 1,
        },
        fixtures: None,
        force,
        password: "bench-password-1".to_owned(),
        // History ends the day before the test clock's "now".
        last_day: Some(start_time().date_naive() - Duration::days(1)),
        progress: false,
    }
}

async fn number(db: &DatabaseConnection, sql: &str, org: Uuid) -> i64 {
    let backend = db.get_database_backend();
    // sum() of a BIGINT is NUMERIC on PostgreSQL.
    let sql = format!("SELECT CAST(({sql}) AS BIGINT)");
    let sql = if backend == sea_orm::DatabaseBackend::Sqlite {
        sql.replace("$1", "?")
    } else {
        sql.to_owned()
    };
    let params = sql.matches('?').count().max(1);
    let values: Vec<sea_orm::Value> = if backend == sea_orm::DatabaseBackend::Sqlite {
        vec![org.into(); params]
    } else {
        vec![org.into()]
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql.clone(), values))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("one row");
    row.try_get_by_index::<Option<i64>>(0)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or(0)
}

/// Each week and month rollup of `org` is its per-day rollup regrouped by
/// the API's own week and month of each day.
pub async fn assert_weeks_and_months_regroup_days(db: &DatabaseConnection, org: Uuid) {
    for key in ["user", "content"] {
        let days = format!("engagement_{key}_days");
        for (bucket, of) in [
            ("week", rollups::week_of as fn(NaiveDate) -> NaiveDate),
            ("month", rollups::month_of),
        ] {
            let coarse = format!("engagement_{key}_{bucket}s");
            assert_eq!(
                regrouped(db, &days, "day", key, org, of).await,
                regrouped(db, &coarse, bucket, key, org, |d| d).await,
                "{coarse} of {org}"
            );
        }
    }
}

/// The rows of a rollup per (bucket, key, network), each bucket mapped by
/// `to_bucket` and the sums added up.
async fn regrouped(
    db: &DatabaseConnection,
    table: &str,
    bucket: &str,
    key: &str,
    org: Uuid,
    to_bucket: fn(NaiveDate) -> NaiveDate,
) -> BTreeMap<(NaiveDate, Uuid, String), [i64; 3]> {
    let backend = db.get_database_backend();
    let placeholder = if backend == sea_orm::DatabaseBackend::Sqlite {
        "?"
    } else {
        "$1"
    };
    let sql = format!(
        "SELECT {bucket} AS b, {key}_id AS k, network, shares, potential_reach, clicks \
         FROM {table} WHERE organization_id = {placeholder}"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [org.into()]))
        .await
        .unwrap();
    let mut out: BTreeMap<(NaiveDate, Uuid, String), [i64; 3]> = BTreeMap::new();
    for row in rows {
        let sums = out
            .entry((
                to_bucket(row.try_get("", "b").unwrap()),
                row.try_get("", "k").unwrap(),
                row.try_get("", "network").unwrap(),
            ))
            .or_default();
        for (i, column) in ["shares", "potential_reach", "clicks"]
            .into_iter()
            .enumerate()
        {
            sums[i] += row.try_get::<i64>("", column).unwrap();
        }
    }
    assert!(!out.is_empty(), "{table} of {org} has rows");
    out
}

#[tokio::test]
async fn seed_bench_is_deterministic_consistent_and_usable_by_the_load_benchmark() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;

    // The test organization "acme" is not seed-bench's: refused without --force.
    let refused = seed_bench::run(db, &tiny(false)).await;
    let message = format!("{:#}", refused.expect_err("refused without --force"));
    assert!(message.contains("did not create"), "{message}");
    assert_eq!(
        number(
            db,
            "SELECT count(*) FROM organizations WHERE id <> $1",
            app.org.id
        )
        .await,
        0,
        "nothing written when refused"
    );

    // With --force it seeds beside acme, and a second run replaces its own data.
    let first = seed_bench::run(db, &tiny(true)).await.expect("first run");
    let second = seed_bench::run(db, &tiny(true)).await.expect("second run");
    assert_eq!(first.rows, second.rows, "same row counts for the same seed");
    assert_eq!(
        first.fixtures, second.fixtures,
        "same fixtures for the same seed"
    );
    assert!(!second.fixtures.ambassador_emails.is_empty());
    assert!(!second.fixtures.tracking_codes.is_empty());
    assert_eq!(second.rows["organizations"], 2);
    assert_eq!(
        number(
            db,
            "SELECT count(*) FROM organizations WHERE id = $1",
            app.org.id
        )
        .await,
        1,
        "acme is kept"
    );

    let fx = &second.fixtures;
    for org in
        std::iter::once(fx.organization_id).chain(fx.small_organizations.iter().map(|(_, id)| *id))
    {
        let shares = number(
            db,
            "SELECT count(*) FROM shares WHERE organization_id = $1",
            org,
        )
        .await;
        let clicks = number(
            db,
            "SELECT count(*) FROM clicks WHERE organization_id = $1",
            org,
        )
        .await;
        let reach = number(
            db,
            "SELECT sum(potential_reach) FROM shares WHERE organization_id = $1",
            org,
        )
        .await;
        assert!(
            shares > 0 && clicks > 0,
            "{org}: {shares} shares, {clicks} clicks"
        );
        for table in [
            "engagement_network_days",
            "engagement_content_days",
            "engagement_content_weeks",
            "engagement_content_months",
            "engagement_user_days",
            "engagement_user_weeks",
            "engagement_user_months",
        ] {
            for (column, expected) in [
                ("shares", shares),
                ("clicks", clicks),
                ("potential_reach", reach),
            ] {
                let sum = number(
                    db,
                    &format!("SELECT sum({column}) FROM {table} WHERE organization_id = $1"),
                    org,
                )
                .await;
                assert_eq!(sum, expected, "{table}.{column} of {org}");
            }
        }
        assert_weeks_and_months_regroup_days(db, org).await;
        // Per network, too.
        assert_eq!(
            number(
                db,
                "SELECT count(*) FROM (SELECT network, count(*) AS n FROM shares WHERE organization_id = $1 GROUP BY network) s \
                 LEFT JOIN (SELECT network, sum(shares) AS n FROM engagement_network_days WHERE organization_id = $1 GROUP BY network) r \
                 ON r.network = s.network WHERE r.n IS NULL OR r.n <> s.n",
                org
            )
            .await,
            0
        );
        // Points: one ledger row per first share of an item on a network by a person.
        let distinct = number(
            db,
            "SELECT count(*) FROM (SELECT DISTINCT user_id, content_id, network FROM shares WHERE organization_id = $1) d",
            org,
        )
        .await;
        let ledger = number(
            db,
            "SELECT count(*) FROM points_ledger WHERE organization_id = $1",
            org,
        )
        .await;
        let awarded = number(
            db,
            "SELECT count(*) FROM shares WHERE organization_id = $1 AND points_awarded > 0",
            org,
        )
        .await;
        assert_eq!((ledger, awarded), (distinct, distinct));
        assert_eq!(
            number(
                db,
                "SELECT count(*) FROM points_ledger p JOIN shares s ON s.id = p.share_id \
                 WHERE p.organization_id = $1 AND (s.points_awarded <> p.points OR s.user_id <> p.user_id \
                 OR s.content_id <> p.content_id OR s.network <> p.network OR s.shared_at <> p.awarded_at \
                 OR EXISTS (SELECT 1 FROM shares e WHERE e.organization_id = s.organization_id AND e.user_id = s.user_id \
                   AND e.content_id = s.content_id AND e.network = s.network AND e.shared_at < s.shared_at))",
                org
            )
            .await,
            0,
            "points go to the first share"
        );
        // Potential reach is the sharer's declared followers on the network.
        assert_eq!(
            number(
                db,
                "SELECT count(*) FROM shares s LEFT JOIN social_accounts a \
                 ON a.user_id = s.user_id AND a.network = s.network \
                 WHERE s.organization_id = $1 AND (a.follower_count IS NULL OR a.follower_count <> s.potential_reach)",
                org
            )
            .await,
            0
        );
        // Clicks follow their share, on its content, sharer and network.
        assert_eq!(
            number(
                db,
                "SELECT count(*) FROM clicks c JOIN shares s ON s.id = c.share_id \
                 WHERE c.organization_id = $1 AND (c.clicked_at < s.shared_at OR c.content_id <> s.content_id \
                 OR c.user_id <> s.user_id OR c.network <> s.network OR length(c.visitor_key) <> 64)",
                org
            )
            .await,
            0
        );
        // Sharers are or were ambassadors.
        assert_eq!(
            number(
                db,
                "SELECT count(*) FROM shares s JOIN users u ON u.id = s.user_id \
                 WHERE s.organization_id = $1 AND u.ambassador_status NOT IN ('ACTIVE', 'PAUSED', 'WITHDRAWN')",
                org
            )
            .await,
            0
        );
    }

    // A fixture ambassador signs in over HTTP and gets a feed.
    let token = app
        .login_token(&fx.ambassador_emails[0], &fx.password)
        .await;
    let feed = app
        .gql(
            Some(&token),
            "{ feed(first: 20) { edges { node { id title } } } }",
            json!({}),
        )
        .await;
    let edges = feed.data()["feed"]["edges"]
        .as_array()
        .expect("edges")
        .len();
    assert!(
        edges > 0,
        "the feed of {} is empty",
        fx.ambassador_emails[0]
    );
    // The HR user reads the engagement of the fixtures' range.
    let hr = app.login_token(&fx.hr_email, &fx.password).await;
    let report = app
        .gql(
            Some(&hr),
            "query($f: EngagementFilter!) { engagement(filter: $f) { totals { shares clicks } } }",
            json!({ "f": { "from": fx.engagement.from_30.to_string(), "to": fx.engagement.to.to_string() } }),
        )
        .await;
    assert!(
        report.data()["engagement"]["totals"]["shares"]
            .as_i64()
            .unwrap_or(0)
            > 0,
        "{:?}",
        report.body
    );
}
