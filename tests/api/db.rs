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

/// Every table the migrations create that has an `organization_id` column,
/// read from the migrated schema itself.
async fn tables_with_an_organization_id(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT m.name AS name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) c ON c.name = 'organization_id' \
             WHERE m.type = 'table' ORDER BY m.name"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'organization_id' \
             ORDER BY table_name"
        }
    };
    db.query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("schema query")
        .iter()
        .map(|row| row.try_get::<String>("", "name").expect("table name"))
        .collect()
}

/// Every table of the migrated schema.
async fn all_tables(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    db.query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("schema query")
        .iter()
        .map(|row| row.try_get::<String>("", "name").expect("table name"))
        .collect()
}

#[tokio::test]
async fn every_table_with_an_organization_id_is_registered_as_tenant_data() {
    let app = crate::helpers::TestApp::spawn().await;
    let db = &app.state.db;
    let registered = advocacy::tenant::registered_tables();
    let with_org = tables_with_an_organization_id(db).await;
    assert!(with_org.len() > 20, "{with_org:?}");
    let unregistered: Vec<&String> = with_org
        .iter()
        .filter(|t| !registered.contains(&t.as_str()))
        .collect();
    assert!(
        unregistered.is_empty(),
        "tables with organization_id not registered in tenant::tenant_entities!: {unregistered:?}"
    );
    // And the other way round: nothing registered that the schema lacks
    // (`organizations` is its own tenant, by `id`).
    for table in &registered {
        assert!(
            with_org.iter().any(|t| t == table) || *table == "organizations",
            "{table} is registered but has no organization_id column"
        );
    }
    // A table without organization_id belongs to no organization: it must
    // be one that only `tenant::global` reaches (or the migrations' own).
    let global = advocacy::tenant::global::tables();
    for table in all_tables(db).await {
        assert!(
            with_org.contains(&table)
                || registered.contains(&table.as_str())
                || global.contains(&table.as_str())
                || table == "seaql_migrations",
            "{table} has no organization_id and is not one of tenant::global's tables"
        );
    }
}
