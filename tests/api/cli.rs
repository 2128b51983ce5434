//! The `advocacy` command run as a process, as an operator starts it: what
//! it refuses in production.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

use advocacy::{clock::ManualClock, config::Settings, startup::Application};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use uuid::Uuid;

use crate::helpers::{shared_database, start_time};

const JWT_SECRET: &str = "cli-test-secret-0123456789abcdef0123456789";

/// An empty working directory of its own (where the SQLite default would go).
fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advtest_cli_{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    dir
}

/// How a run of the command ended.
struct Run {
    /// `None` when it was still running (serving) and had to be stopped.
    status: Option<ExitStatus>,
    /// Its standard output and error.
    output: String,
}

/// Runs `advocacy args` in `dir` with only `env` as its environment; stops
/// it once it serves, or after `limit`.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)], limit: Duration) -> Run {
    let log = dir.join("output.log");
    let out = File::create(&log).expect("create the output file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_advocacy"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("share the output file"))
        .stderr(out)
        .spawn()
        .expect("start advocacy");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for advocacy") {
            break Some(status);
        }
        let serving = std::fs::read_to_string(&log).is_ok_and(|s| s.contains("GraphQL API:"));
        if serving || started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run {
        status,
        output: std::fs::read_to_string(&log).unwrap_or_default(),
    }
}

async fn organizations(db: &DatabaseConnection) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(count(*) AS BIGINT) AS n FROM organizations",
        ))
        .await
        .expect("count organizations")
        .expect("one row");
    row.try_get("", "n").expect("a count")
}

#[test]
fn production_refuses_to_start_without_a_database_url() {
    let dir = scratch_dir();
    let run = run(
        &dir,
        &["serve"],
        &[
            ("APP_ENV", "production"),
            ("JWT_SECRET", JWT_SECRET),
            ("BIND", "127.0.0.1:0"),
        ],
        Duration::from_secs(60),
    );
    let output = &run.output;
    let status = run
        .status
        .unwrap_or_else(|| panic!("it served in production without DATABASE_URL:\n{output}"));
    assert!(!status.success(), "{output}");
    assert!(
        output.contains("DATABASE_URL is required when APP_ENV=production"),
        "{output}"
    );
    assert!(!output.contains("demo-password"), "{output}");
    assert!(
        !dir.join("advocacy.db").exists(),
        "the SQLite default was created"
    );
}

#[tokio::test]
async fn the_demo_organization_is_never_seeded_in_production() {
    let url = shared_database().await;
    let db = advocacy::db::connect(&url).await.expect("connect");
    advocacy::db::migrate(&db).await.expect("migrate");

    // Asked for explicitly, it is refused.
    let dir = scratch_dir();
    let database_url = url.clone();
    let run = tokio::task::spawn_blocking(move || {
        let env = [
            ("APP_ENV", "production"),
            ("JWT_SECRET", JWT_SECRET),
            ("DATABASE_URL", database_url.as_str()),
        ];
        run(&dir, &["seed-demo"], &env, Duration::from_secs(120))
    })
    .await
    .expect("run seed-demo");
    let output = &run.output;
    let status = run.status.expect("seed-demo ends");
    assert!(!status.success(), "{output}");
    assert!(output.contains("never seeded in production"), "{output}");
    assert_eq!(organizations(&db).await, 0, "{output}");

    // A production server on an empty database starts without it.
    let settings = Settings::from_lookup(|key| match key {
        "APP_ENV" => Some("production".to_owned()),
        "JWT_SECRET" => Some(JWT_SECRET.to_owned()),
        "DATABASE_URL" => Some(url.clone()),
        "BIND" => Some("127.0.0.1:0".to_owned()),
        _ => None,
    })
    .expect("production settings");
    assert!(!settings.seed_demo_when_empty);
    let app = Application::build(settings, ManualClock::new(start_time()))
        .await
        .expect("build the application");
    assert!(app.demo.is_none());
    assert_eq!(organizations(&app.state().db).await, 0);
}
