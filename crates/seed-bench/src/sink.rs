//! Bulk writing of generated rows: `COPY … FROM STDIN` on PostgreSQL (one
//! background task per table, so the database writes while the next rows are
//! generated), multi-row `INSERT`s with bound values inside a transaction on
//! SQLite. Each table shows a progress bar with its rows per second.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use sea_orm::sqlx::postgres::PgPoolCopyExt;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

/// One value of a generated row.
#[derive(Clone, Debug)]
pub enum Cell {
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Bool(bool),
    Ts(DateTime<Utc>),
    Date(NaiveDate),
    Null,
}

impl From<Uuid> for Cell {
    fn from(v: Uuid) -> Self {
        Cell::Uuid(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Int(v.into())
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}
impl From<DateTime<Utc>> for Cell {
    fn from(v: DateTime<Utc>) -> Self {
        Cell::Ts(v)
    }
}
impl From<NaiveDate> for Cell {
    fn from(v: NaiveDate) -> Self {
        Cell::Date(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

impl Cell {
    /// Appends the value in PostgreSQL's COPY text format.
    fn write_copy(&self, out: &mut String) {
        match self {
            Cell::Uuid(u) => {
                let _ = write!(out, "{}", u.hyphenated());
            }
            Cell::Text(s) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
            Cell::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Cell::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            Cell::Ts(t) => {
                let _ = write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
            }
            Cell::Date(d) => {
                let _ = write!(out, "{}", d.format("%Y-%m-%d"));
            }
            Cell::Null => out.push_str("\\N"),
        }
    }

    /// The value bound as the application itself binds it (so SQLite stores
    /// UUIDs, booleans and timestamps in the same form as the API's writes).
    fn into_value(self) -> sea_orm::Value {
        match self {
            Cell::Uuid(u) => u.into(),
            Cell::Text(s) => s.into(),
            Cell::Int(i) => i.into(),
            Cell::Bool(b) => b.into(),
            Cell::Ts(t) => t.into(),
            Cell::Date(d) => d.into(),
            Cell::Null => sea_orm::Value::String(None),
        }
    }
}

/// Where the rows go.
#[derive(Clone)]
pub struct Sink {
    db: DatabaseConnection,
    bars: MultiProgress,
    /// SQLite has one writer: chunks from every table take turns.
    sqlite_lock: Arc<Mutex<()>>,
}

impl Sink {
    pub fn new(db: DatabaseConnection, progress: bool) -> Self {
        let bars = if progress {
            MultiProgress::new()
        } else {
            MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
        };
        Self {
            db,
            bars,
            sqlite_lock: Arc::new(Mutex::new(())),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.db.get_database_backend() == DatabaseBackend::Postgres
    }

    /// A progress line for a step that is not a table of generated rows.
    pub fn step(&self, name: &str) -> ProgressBar {
        let bar = self.bars.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>28} {spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(name.to_owned());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A writer for `table` with these columns, in this order.
    pub fn table(&self, table: &'static str, columns: &'static [&'static str]) -> TableWriter {
        let bar = self.bars.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:>28} {human_pos:>12} rows {per_sec:>16} {elapsed:>4} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(table);
        let postgres = self.is_postgres();
        let chunk_rows = if postgres {
            20_000
        } else {
            // SQLite's limit on bound values is 32,766.
            (30_000 / columns.len()).max(1)
        };
        let (tx, rx) = mpsc::channel::<Chunk>(3);
        let task = tokio::spawn(write_chunks(self.clone(), table, columns, rx, bar.clone()));
        TableWriter {
            columns: columns.len(),
            postgres,
            chunk_rows,
            copy: String::new(),
            values: Vec::new(),
            rows: 0,
            total: 0,
            tx: Some(tx),
            task: Some(task),
            bar,
        }
    }
}

enum Chunk {
    Copy(String, u64),
    Values(Vec<sea_orm::Value>, u64),
    /// Answered once every chunk before it is written.
    Sync(oneshot::Sender<()>),
}

async fn write_chunks(
    sink: Sink,
    table: &'static str,
    columns: &'static [&'static str],
    mut rx: mpsc::Receiver<Chunk>,
    bar: ProgressBar,
) -> anyhow::Result<()> {
    let cols = columns.join(", ");
    while let Some(chunk) = rx.recv().await {
        match chunk {
            Chunk::Sync(done) => {
                let _ = done.send(());
            }
            Chunk::Copy(data, rows) => {
                let pool = sink.db.get_postgres_connection_pool();
                let mut copy = pool
                    .copy_in_raw(&format!("COPY {table} ({cols}) FROM STDIN"))
                    .await
                    .with_context(|| format!("starting COPY into {table}"))?;
                copy.send(data.into_bytes())
                    .await
                    .with_context(|| format!("copying into {table}"))?;
                copy.finish()
                    .await
                    .with_context(|| format!("copying into {table}"))?;
                bar.inc(rows);
            }
            Chunk::Values(values, rows) => {
                let one = format!("({})", vec!["?"; columns.len()].join(", "));
                let sql = format!(
                    "INSERT INTO {table} ({cols}) VALUES {}",
                    vec![one.as_str(); rows as usize].join(", ")
                );
                let _turn = sink.sqlite_lock.lock().await;
                let txn = sink.db.begin().await?;
                txn.execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Sqlite,
                    sql,
                    values,
                ))
                .await
                .with_context(|| format!("inserting into {table}"))?;
                txn.commit().await?;
                bar.inc(rows);
            }
        }
    }
    Ok(())
}

/// Buffers the rows of one table and hands full chunks to its writer task.
pub struct TableWriter {
    columns: usize,
    postgres: bool,
    chunk_rows: usize,
    copy: String,
    values: Vec<sea_orm::Value>,
    rows: usize,
    total: u64,
    tx: Option<mpsc::Sender<Chunk>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    bar: ProgressBar,
}

impl TableWriter {
    pub async fn push(&mut self, row: Vec<Cell>) -> anyhow::Result<()> {
        debug_assert_eq!(row.len(), self.columns);
        if self.postgres {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    self.copy.push('\t');
                }
                cell.write_copy(&mut self.copy);
            }
            self.copy.push('\n');
        } else {
            self.values.extend(row.into_iter().map(Cell::into_value));
        }
        self.rows += 1;
        self.total += 1;
        if self.rows >= self.chunk_rows {
            self.flush().await?;
        }
        Ok(())
    }

    /// Like [`push`](Self::push) for a row referring to a row of `parent`:
    /// before this table writes a chunk, the parent's rows so far are
    /// written, so foreign keys hold.
    pub async fn push_child(
        &mut self,
        row: Vec<Cell>,
        parent: &mut TableWriter,
    ) -> anyhow::Result<()> {
        if self.rows + 1 >= self.chunk_rows {
            parent.sync().await?;
        }
        self.push(row).await
    }

    /// Writes the buffered rows and waits until every row so far is written.
    pub async fn sync(&mut self) -> anyhow::Result<()> {
        self.flush().await?;
        let (done, written) = oneshot::channel();
        let sent = match &self.tx {
            Some(tx) => tx.send(Chunk::Sync(done)).await.is_ok(),
            None => false,
        };
        if !sent || written.await.is_err() {
            self.finish_task().await?;
            anyhow::bail!("a table writer stopped early");
        }
        Ok(())
    }

    async fn flush(&mut self) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let rows = self.rows as u64;
        let chunk = if self.postgres {
            Chunk::Copy(std::mem::take(&mut self.copy), rows)
        } else {
            Chunk::Values(std::mem::take(&mut self.values), rows)
        };
        self.rows = 0;
        let sent = match &self.tx {
            Some(tx) => tx.send(chunk).await.is_ok(),
            None => false,
        };
        if !sent {
            // The writer stopped: its error says why.
            self.finish_task().await?;
            anyhow::bail!("a table writer stopped early");
        }
        Ok(())
    }

    async fn finish_task(&mut self) -> anyhow::Result<u64> {
        self.tx = None;
        if let Some(task) = self.task.take() {
            task.await.context("table writer panicked")??;
        }
        Ok(self.total)
    }

    /// Writes what is left and waits for the database; returns the row count.
    pub async fn finish(mut self) -> anyhow::Result<u64> {
        self.flush().await?;
        let total = self.finish_task().await?;
        self.bar.finish();
        Ok(total)
    }
}
