//! A small statement builder for the analytics aggregates, which SeaORM's
//! query builder would only obscure. Every statement starts scoped to one
//! organization: `$1` is always the viewer's organization id.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use uuid::Uuid;

use crate::error::AppResult;

pub(crate) struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// A statement whose `$1` is the organization id.
    pub(crate) fn scoped(org_id: Uuid) -> Self {
        Self {
            text: String::new(),
            values: vec![org_id.into()],
        }
    }

    /// Binds a value and returns its placeholder.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
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

    pub(crate) async fn all(&self, conn: &impl ConnectionTrait) -> AppResult<Vec<QueryResult>> {
        Ok(conn
            .query_all_raw(self.statement(conn.get_database_backend()))
            .await?)
    }

    pub(crate) async fn execute(&self, conn: &impl ConnectionTrait) -> AppResult<()> {
        conn.execute_raw(self.statement(conn.get_database_backend()))
            .await?;
        Ok(())
    }
}
