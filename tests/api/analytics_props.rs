//! Property test: every figure of random filtered reports, over HTTP, equals
//! a plain recount of randomly generated organizations.
//!
//! Cases: `PROPTEST_CASES` (default 24 to keep the default run quick; CI
//! sets 256). On PostgreSQL when `TEST_DATABASE_URL` is set.

use proptest::{
    collection::vec,
    option,
    prelude::*,
    test_runner::{Config, TestRunner},
};
use serde_json::json;

use crate::{
    analytics_world::{Ask, ClickSpec, REPORT, ShareSpec, Spec, UserSpec, World, assert_close},
    helpers::TestApp,
};

fn spec() -> impl Strategy<Value = Spec> {
    let user = (0usize..6, vec((0usize..4, 0i64..5000), 0..3))
        .prop_map(|(status, accounts)| UserSpec { status, accounts });
    // Three networks most of the time, so that shares collide.
    let share = (
        0usize..64,
        0usize..64,
        prop_oneof![4 => 0usize..3, 1 => 0usize..7],
        0i64..120,
        0i64..86_400,
        0i64..5000,
    )
        .prop_map(|(user, content, network, day, second, reach)| ShareSpec {
            user,
            content,
            network,
            day,
            second,
            reach,
        });
    let click =
        (0usize..256, 0i64..40, 0i64..86_400).prop_map(|(share, after, second)| ClickSpec {
            share,
            after,
            second,
        });
    (
        any::<bool>(),
        1i32..4,
        vec((0usize..7, 0i64..5000), 0..4),
        vec((0usize..7, 0i64..20_000), 0..3),
        vec(user, 1..9),
        vec(vec(0usize..16, 0..6), 0..4),
        0usize..4,
        vec(vec(0usize..4, 0..3), 1..6),
        vec(share, 0..60),
        vec(click, 0..80),
    )
        .prop_map(
            |(
                individual_analytics,
                minimum_group_size,
                cpm,
                company,
                users,
                groups,
                topics,
                contents,
                shares,
                clicks,
            )| Spec {
                individual_analytics,
                minimum_group_size,
                cpm,
                company,
                users,
                groups,
                topics,
                contents,
                shares,
                clicks,
            },
        )
}

fn ask() -> impl Strategy<Value = Ask> {
    (
        0i64..130,
        prop_oneof![0i64..10, 0i64..130],
        option::of(0usize..4),
        option::of(0usize..7),
        option::weighted(0.25, 0usize..8),
        option::weighted(0.3, 0usize..4),
    )
        .prop_map(|(from, len, group, network, content, topic)| Ask {
            from: from - 5,
            len,
            group,
            network,
            content,
            topic,
        })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

#[test]
fn every_engagement_figure_equals_a_recount_of_the_raw_rows() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = rt.block_on(TestApp::spawn());
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let counter = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&(spec(), vec(ask(), 1..5)), |(spec, asks)| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            rt.block_on(async {
                let world = World::build(&app, &format!("prop{n}"), spec).await;
                for ask in &asks {
                    let res = app
                        .gql(
                            Some(&world.org.admin_token),
                            REPORT,
                            json!({ "f": world.filter(ask) }),
                        )
                        .await;
                    match world.recount(ask) {
                        Ok(expected) => {
                            assert_close(&res.data()["engagement"], &expected, "engagement")
                        }
                        Err(code) => assert_eq!(res.code(), code, "{ask:?}"),
                    }
                }
            });
            Ok(())
        })
        .unwrap();
}
