//! Connecting to the database and running migrations.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::error::AppResult;

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // Pinging every connection taken from the pool doubles the round
        // trips of each statement; ping only those idle long enough to have
        // been dropped by the server or a proxy.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.starts_with("postgres") {
        options
            .max_connections(32)
            .min_connections(1)
            // Requests run side by side on a few cores, and a report runs its
            // statements side by side: parallel workers for one statement
            // would only take the CPU from the others, and cost their start-up.
            // JIT compiling takes longer than any of our statements runs.
            .map_sqlx_postgres_opts(|pg| {
                pg.options([("max_parallel_workers_per_gather", "0"), ("jit", "off")])
            });
    } else {
        let file = !url.contains(":memory:") && !url.contains("mode=memory");
        if file {
            // A file database: WAL lets readers run beside the one writer.
            options.max_connections(8);
        } else {
            // An in-memory database lives in its one connection.
            options.max_connections(1).min_connections(1);
        }
        // Per-connection settings, so every pooled connection has them.
        options.map_sqlx_sqlite_opts(move |sqlite| {
            let sqlite = sqlite
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .synchronous(SqliteSynchronous::Normal);
            if file {
                sqlite.journal_mode(SqliteJournalMode::Wal)
            } else {
                sqlite
            }
        });
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

/// The URL without its password, for logs and errors.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Begins a transaction that writes; every transaction of the API begins
/// here. On SQLite it begins as the writer (`BEGIN IMMEDIATE`): a deferred
/// transaction that reads first and writes then cannot wait for the lock
/// (another writer may have committed since its read), and would fail with
/// "database is locked"; begun as the writer, it waits its turn (the busy
/// timeout), reads what the previous writer committed, and a loser of a
/// race gets the same answer as on PostgreSQL. PostgreSQL's transactions
/// begin as they are.
#[allow(
    clippy::disallowed_methods,
    reason = "the one place a transaction begins"
)]
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Runs `work` in a write transaction and commits it when `work` succeeds;
/// an error rolls back everything it wrote.
pub async fn write<T>(
    db: &DatabaseConnection,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> AppResult<T>,
) -> AppResult<T> {
    let txn = begin_write(db).await?;
    let out = work(&txn).await?;
    txn.commit().await?;
    Ok(out)
}
