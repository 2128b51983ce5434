//! Raw statements, for the aggregates and upserts that SeaORM's query
//! builder would only obscure. Each starts scoped to one organization: `$1`
//! is the organization id, bound by the [`Tenant`](super::Tenant) that made
//! it, and every table the statement touches is filtered by it.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, Value};
use uuid::Uuid;

pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(super) fn new(org_id: Uuid) -> Self {
        Self {
            text: String::new(),
            values: vec![org_id.into()],
        }
    }

    /// Binds a value and returns its placeholder.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn statement(&self, backend: DbBackend) -> Statement {
        // SQLite numbers its parameters ?1, ?2...; PostgreSQL $1, $2...
        let text = match backend {
            DbBackend::Sqlite => self.text.replace('$', "?"),
            _ => self.text.clone(),
        };
        Statement::from_sql_and_values(backend, text, self.values.clone())
    }

    /// Runs the statement and returns its rows.
    pub async fn all(&self, conn: &impl ConnectionTrait) -> Result<Vec<QueryResult>, DbErr> {
        conn.query_all_raw(self.statement(conn.get_database_backend()))
            .await
    }

    /// Runs the statement and returns how many rows it changed.
    pub async fn execute(&self, conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
        Ok(conn
            .execute_raw(self.statement(conn.get_database_backend()))
            .await?
            .rows_affected())
    }
}
