//! The server's database connections: every pooled connection has the same
//! settings, not only the first one opened.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};

use crate::helpers::shared_database;

#[tokio::test]
async fn every_pooled_connection_has_the_servers_settings() {
    // A file or PostgreSQL database: the pool opens several connections.
    let db = advocacy::db::connect(&shared_database().await)
        .await
        .expect("connect");
    let backend = db.get_database_backend();
    let expected: &[(&str, &str)] = match backend {
        DatabaseBackend::Sqlite => &[
            ("PRAGMA foreign_keys", "1"),
            ("PRAGMA synchronous", "1"),
            ("PRAGMA journal_mode", "wal"),
            ("PRAGMA busy_timeout", "5000"),
        ],
        _ => &[
            ("SHOW jit", "off"),
            ("SHOW max_parallel_workers_per_gather", "0"),
        ],
    };
    // Each open transaction holds its own connection.
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(db.begin().await.expect("begin"));
    }
    for txn in &held {
        for (sql, value) in expected {
            let row = txn
                .query_one_raw(Statement::from_string(backend, sql.to_string()))
                .await
                .expect(sql)
                .expect("one row");
            let got = row
                .try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .expect(sql);
            assert_eq!(&got, value, "{sql}");
        }
    }
}
