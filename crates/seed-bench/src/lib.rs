//! `seed-bench`: the large-customer dataset for the load and
//! engagement benchmarks.
//!
//! One large organization (by default 100,000 employees, 5,000 ACTIVE
//! ambassadors, 200 groups, 10 items a day over 730 days, 2,000,000 shares and
//! 6,000,000 clicks) and a number of small ones (a tenth of each size), all
//! with slugs starting with [`SLUG_PREFIX`]. The rows are what the API itself
//! would have written: consent records for enrolled people, shares with the
//! sharer's followers as potential reach, points for the first share of an
//! item on a network, clicks after their share and never in the future, and
//! the engagement rollups summed from the raw rows.
//!
//! Deterministic for a given seed and last day: every organization draws from
//! its own seeded generator, in a fixed order.

#![allow(
    clippy::disallowed_methods,
    reason = "the benchmark dataset is written in bulk, by COPY and multi-row INSERTs, beside the tenant scope"
)]

mod generate;
pub mod sink;

use std::collections::BTreeMap;
use std::path::PathBuf;

use advocacy::analytics::rollups::{month_of, week_of};
use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::Serialize;
use uuid::Uuid;

use sink::Sink;

/// Every organization seed-bench creates has a slug starting with this, and
/// only those are ever removed by `--force`.
pub const SLUG_PREFIX: &str = "seedbench-";

/// The slug of the large organization.
pub const LARGE_SLUG: &str = "seedbench-large";

/// How much to generate for the large organization; the small ones get a
/// tenth of each (at least one where one is needed).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Sizes {
    pub employees: u32,
    pub ambassadors: u32,
    pub groups: u32,
    pub topics: u32,
    pub days: u32,
    pub items_per_day: u32,
    pub shares: u64,
    pub clicks: u64,
    pub small_orgs: u32,
}

impl Default for Sizes {
    fn default() -> Self {
        Self {
            employees: 100_000,
            ambassadors: 5_000,
            groups: 200,
            topics: 20,
            days: 730,
            items_per_day: 10,
            shares: 2_000_000,
            clicks: 6_000_000,
            small_orgs: 9,
        }
    }
}

impl Sizes {
    /// A tenth of each figure, for a small organization.
    pub fn tenth(&self) -> Sizes {
        Sizes {
            employees: (self.employees / 10).max(10),
            ambassadors: (self.ambassadors / 10).max(1),
            groups: (self.groups / 10).max(1),
            topics: (self.topics / 4).max(1),
            days: self.days,
            items_per_day: (self.items_per_day / 10).max(1),
            shares: self.shares / 10,
            clicks: self.clicks / 10,
            small_orgs: 0,
        }
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.employees < 10 {
            bail!("--employees must be at least 10");
        }
        if self.ambassadors == 0 || self.ambassadors > self.employees - 3 {
            bail!("--ambassadors must be between 1 and the number of employees less three");
        }
        if self.groups == 0 || self.groups > 60_000 {
            bail!("--groups must be between 1 and 60000");
        }
        if self.topics == 0 || self.days == 0 || self.items_per_day == 0 {
            bail!("--topics, --days and --items-per-day must be at least 1");
        }
        if u64::from(self.days) * u64::from(self.items_per_day) > 50_000_000 {
            bail!("too many items");
        }
        Ok(())
    }
}

/// What to do.
#[derive(Clone, Debug)]
pub struct Options {
    pub seed: u64,
    pub sizes: Sizes,
    /// Where to write the fixtures JSON for the load benchmark.
    pub fixtures: Option<PathBuf>,
    /// Remove seed-bench's own previous organizations first, and seed beside
    /// organizations it did not create.
    pub force: bool,
    /// The password of every generated user.
    pub password: String,
    /// The last day of history (UTC); yesterday by default, so that no
    /// share or click lies in the future.
    pub last_day: Option<NaiveDate>,
    /// Draw progress bars on the terminal.
    pub progress: bool,
}

/// What the load benchmark needs to sign in and aim its requests.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Fixtures {
    pub seed: u64,
    pub organization_id: Uuid,
    pub organization_slug: String,
    /// The password of every generated user.
    pub password: String,
    /// An HR user of the large organization (reads engagement).
    pub hr_email: String,
    /// An ADMIN of the large organization.
    pub admin_email: String,
    /// A CURATOR of the large organization (writes content).
    pub curator_email: String,
    /// Up to 200 ACTIVE ambassadors of the large organization.
    pub ambassador_emails: Vec<String>,
    /// Up to 1,000 tracking codes of the large organization's shares.
    pub tracking_codes: Vec<String>,
    /// Report ranges ending on the last day of history.
    pub engagement: EngagementRange,
    pub sizes: Sizes,
    /// Other organizations created (slug, id).
    pub small_organizations: Vec<(String, Uuid)>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EngagementRange {
    pub from_30: NaiveDate,
    pub from_365: NaiveDate,
    pub to: NaiveDate,
}

/// The result: the fixtures and the rows written per table.
#[derive(Debug)]
pub struct Outcome {
    pub fixtures: Fixtures,
    pub rows: BTreeMap<&'static str, u64>,
}

/// Tables holding tenant rows, children before parents: the order in which
/// `--force` deletes seed-bench's previous organizations.
const TENANT_TABLES: &[&str] = &[
    "clicks",
    "points_ledger",
    "engagement_network_days",
    "engagement_content_days",
    "engagement_content_weeks",
    "engagement_content_months",
    "engagement_user_days",
    "engagement_user_weeks",
    "engagement_user_months",
    "shares",
    "content_dismissals",
    "content_suggested_texts",
    "content_groups",
    "content_topics",
    "contents",
    "notifications_outbox",
    "device_tokens",
    "invitations",
    "consent_records",
    "social_accounts",
    "topic_follows",
    "refresh_tokens",
    "group_members",
    "groups",
    "topics",
    "users",
];

/// Fills the database. It must be migrated.
pub async fn run(db: &DatabaseConnection, options: &Options) -> anyhow::Result<Outcome> {
    options.sizes.check()?;
    if options.password.chars().count() < advocacy::auth::password::MIN_PASSWORD_CHARS {
        bail!(
            "the password must be at least {} characters",
            advocacy::auth::password::MIN_PASSWORD_CHARS
        );
    }
    let today = Utc::now().date_naive();
    let last_day = options.last_day.unwrap_or(today - Duration::days(1));
    if last_day >= today {
        bail!("the last day of history must be before today (UTC), so nothing lies in the future");
    }
    prepare(db, options.force).await?;

    let sink = Sink::new(db.clone(), options.progress);
    let password_hash = {
        let password = options.password.clone();
        let seed = options.seed;
        tokio::task::spawn_blocking(move || {
            advocacy::auth::password::hash_with_salt(&password, &seed.to_le_bytes())
        })
        .await??
    };
    let mut plan = vec![(
        LARGE_SLUG.to_owned(),
        "Bench Large Corp".to_owned(),
        options.sizes.clone(),
    )];
    for k in 1..=options.sizes.small_orgs {
        plan.push((
            format!("{SLUG_PREFIX}small-{k:02}"),
            format!("Bench Small Company {k:02}"),
            options.sizes.tenth(),
        ));
    }
    let mut rows: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut large = None;
    let mut small = Vec::new();
    for (k, (slug, name, sizes)) in plan.into_iter().enumerate() {
        let spec = generate::OrgSpec {
            index: k as u64,
            seed: options.seed,
            slug: slug.clone(),
            name,
            sizes,
            last_day,
            password_hash: password_hash.clone(),
        };
        let generated = generate::organization(&sink, &spec).await?;
        for (table, n) in &generated.rows {
            *rows.entry(table).or_default() += n;
        }
        if k == 0 {
            large = Some(generated);
        } else {
            small.push((slug, generated.organization_id));
        }
    }
    let large = large.context("the large organization was not generated")?;

    let step = sink.step("engagement rollups");
    for org in std::iter::once(large.organization_id).chain(small.iter().map(|(_, id)| *id)) {
        for (table, n) in rollups(db, org).await? {
            *rows.entry(table).or_default() += n;
        }
    }
    step.finish_with_message("done");
    // Servers reading these organizations must see their content as new.
    for org in std::iter::once(large.organization_id).chain(small.iter().map(|(_, id)| *id)) {
        advocacy::content::catalogue::bump_version(
            db,
            advocacy::tenant::Tenant::seeding(org),
            Utc::now(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("writing the content version: {e:?}"))?;
        *rows.entry("content_versions").or_default() += 1;
    }
    let step = sink.step("ANALYZE");
    db.execute_unprepared("ANALYZE").await.context("ANALYZE")?;
    step.finish_with_message("done");

    let fixtures = Fixtures {
        seed: options.seed,
        organization_id: large.organization_id,
        organization_slug: LARGE_SLUG.to_owned(),
        password: options.password.clone(),
        hr_email: large.hr_email,
        admin_email: large.admin_email,
        curator_email: large.curator_email,
        ambassador_emails: large.ambassador_emails,
        tracking_codes: large.tracking_codes,
        engagement: EngagementRange {
            from_30: last_day - Duration::days(29),
            from_365: last_day - Duration::days(364),
            to: last_day,
        },
        sizes: options.sizes.clone(),
        small_organizations: small,
    };
    if let Some(path) = &options.fixtures {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(&fixtures)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(Outcome { fixtures, rows })
}

/// `$1`-style placeholders as the backend wants them.
fn sql_for(db: &DatabaseConnection, sql: &str) -> String {
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        let mut out = sql.to_owned();
        for i in (1..=9).rev() {
            out = out.replace(&format!("${i}"), "?");
        }
        out
    } else {
        sql.to_owned()
    }
}

async fn query_strings(db: &DatabaseConnection, sql: &str) -> anyhow::Result<Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).map_err(Into::into))
        .collect()
}

/// Tables of the current schema that have an `organization_id` column.
async fn tables_with_organization_id(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND p.name = 'organization_id'"
        }
        _ => {
            "SELECT table_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'organization_id'"
        }
    };
    query_strings(db, sql).await
}

/// Refuses a database holding organizations, unless `force`: then removes
/// seed-bench's own organizations (recognised by [`SLUG_PREFIX`]) and keeps
/// every other one.
async fn prepare(db: &DatabaseConnection, force: bool) -> anyhow::Result<()> {
    let slugs = query_strings(db, "SELECT slug FROM organizations ORDER BY slug").await?;
    let (own, others): (Vec<_>, Vec<_>) = slugs.iter().partition(|s| s.starts_with(SLUG_PREFIX));
    if !force {
        if !others.is_empty() {
            bail!(
                "the database holds {} organization(s) that seed-bench did not create (e.g. {:?}); \
                 use an empty database, or pass --force to seed beside them (they are kept)",
                others.len(),
                others[0]
            );
        }
        if !own.is_empty() {
            bail!(
                "the database already holds seed-bench data ({} organizations); pass --force to replace it",
                own.len()
            );
        }
        return Ok(());
    }
    if !others.is_empty() {
        eprintln!(
            "seed-bench: keeping {} organization(s) it did not create; adding its own beside them",
            others.len()
        );
    }
    if own.is_empty() {
        return Ok(());
    }
    eprintln!(
        "seed-bench: --force: removing its previous {} organization(s) ({SLUG_PREFIX}*)",
        own.len()
    );
    let present = tables_with_organization_id(db).await?;
    let backend = db.get_database_backend();
    if others.is_empty() && backend == DatabaseBackend::Postgres {
        // Every organization is ours: emptying the tables is much faster.
        let mut tables: Vec<String> = present.clone();
        tables.push("organizations".into());
        db.execute_unprepared(&format!("TRUNCATE {} CASCADE", tables.join(", ")))
            .await
            .context("emptying seed-bench's tables")?;
        return Ok(());
    }
    let own_ids = format!(
        "SELECT id FROM organizations WHERE slug LIKE '{}%'",
        SLUG_PREFIX.replace('_', "\\_")
    );
    // Tables from later migrations, unknown here, go first.
    let mut order: Vec<&str> = present
        .iter()
        .map(String::as_str)
        .filter(|t| !TENANT_TABLES.contains(t))
        .collect();
    order.extend(
        TENANT_TABLES
            .iter()
            .copied()
            .filter(|t| present.iter().any(|p| p == t)),
    );
    for table in order {
        db.execute_unprepared(&format!(
            "DELETE FROM {table} WHERE organization_id IN ({own_ids})"
        ))
        .await
        .with_context(|| format!("removing seed-bench rows from {table}"))?;
    }
    db.execute_unprepared(&format!(
        "DELETE FROM organizations WHERE id IN ({own_ids})"
    ))
    .await?;
    Ok(())
}

/// The engagement rollups of one organization, summed from its shares and
/// clicks exactly as `analytics::rollups::on_share` and `on_click` add them
/// row by row: shares on the UTC day of `shared_at`, clicks on the UTC day
/// of the click, on the row of the share's content, sharer and network.
async fn rollups(db: &DatabaseConnection, org: Uuid) -> anyhow::Result<Vec<(&'static str, u64)>> {
    let backend = db.get_database_backend();
    let (share_day, click_day) = match backend {
        DatabaseBackend::Sqlite => ("date(shared_at)", "date(clicked_at)"),
        _ => (
            "(shared_at AT TIME ZONE 'UTC')::date",
            "(clicked_at AT TIME ZONE 'UTC')::date",
        ),
    };
    let facts = |key: &str| {
        format!(
            "SELECT organization_id, {share_day} AS day, {key}network, 1 AS s, potential_reach AS r, 0 AS c \
             FROM shares WHERE organization_id = $1 \
             UNION ALL \
             SELECT organization_id, {click_day} AS day, {key}network, 0 AS s, 0 AS r, 1 AS c \
             FROM clicks WHERE organization_id = $1"
        )
    };
    // A week or month rollup: the sums of a per-day one, each day in the
    // bucket that `buckets` gives it.
    let coarser = |buckets: &str, table: &str, bucket: &str, key: &str, source: &str| {
        format!(
            "WITH {buckets} \
             INSERT INTO {table} (organization_id, {bucket}, {key}, network, shares, potential_reach, clicks) \
             SELECT r.organization_id, k.{bucket}, r.{key}, r.network, sum(r.shares), sum(r.potential_reach), sum(r.clicks) \
             FROM {source} r JOIN buckets k ON k.day = r.day WHERE r.organization_id = $1 \
             GROUP BY r.organization_id, k.{bucket}, r.{key}, r.network \
             ORDER BY r.organization_id, k.{bucket}, r.{key}, r.network"
        )
    };
    let days = [
        (
            "engagement_content_days",
            format!(
                "INSERT INTO engagement_content_days (organization_id, day, content_id, network, shares, potential_reach, clicks) \
                 SELECT organization_id, day, content_id, network, sum(s), sum(r), sum(c) FROM ({}) f \
                 GROUP BY organization_id, day, content_id, network \
                 ORDER BY organization_id, day, content_id, network",
                facts("content_id, ")
            ),
        ),
        (
            "engagement_user_days",
            format!(
                "INSERT INTO engagement_user_days (organization_id, day, user_id, network, shares, potential_reach, clicks) \
                 SELECT organization_id, day, user_id, network, sum(s), sum(r), sum(c) FROM ({}) f \
                 GROUP BY organization_id, day, user_id, network \
                 ORDER BY organization_id, day, user_id, network",
                facts("user_id, ")
            ),
        ),
        // The others are sums of the per-day rollups.
        (
            "engagement_network_days",
            "INSERT INTO engagement_network_days (organization_id, day, network, shares, potential_reach, clicks) \
             SELECT organization_id, day, network, sum(shares), sum(potential_reach), sum(clicks) \
             FROM engagement_user_days WHERE organization_id = $1 GROUP BY organization_id, day, network \
             ORDER BY organization_id, day, network"
                .to_owned(),
        ),
    ];
    // Inserted in day order, the rows of a range lie together on disk as
    // they do when the API adds each day's rows as it goes; in the order of
    // a hash aggregate they would be scattered over the whole table.
    let mut out = Vec::new();
    for (table, sql) in days {
        out.push((table, execute_for_org(db, &sql, org, table).await?));
    }
    let Some(buckets) = buckets(db, org).await? else {
        return Ok(out);
    };
    let coarse = [
        (
            "engagement_user_weeks",
            "week",
            "user_id",
            "engagement_user_days",
        ),
        (
            "engagement_user_months",
            "month",
            "user_id",
            "engagement_user_days",
        ),
        (
            "engagement_content_weeks",
            "week",
            "content_id",
            "engagement_content_days",
        ),
        (
            "engagement_content_months",
            "month",
            "content_id",
            "engagement_content_days",
        ),
    ];
    for (table, bucket, key, source) in coarse {
        let sql = coarser(&buckets, table, bucket, key, source);
        out.push((table, execute_for_org(db, &sql, org, table).await?));
    }
    Ok(out)
}

/// The days of `org`'s per-day rollups with their week and month, as the
/// API buckets them (`rollups::week_of`, `rollups::month_of`): the common
/// table `buckets (day, week, month)`, or `None` without any day.
async fn buckets(db: &DatabaseConnection, org: Uuid) -> anyhow::Result<Option<String>> {
    let backend = db.get_database_backend();
    let sql = sql_for(
        db,
        "SELECT DISTINCT day FROM engagement_user_days WHERE organization_id = $1 ORDER BY day",
    );
    let days = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [org.into()]))
        .await
        .context("reading the days of the rollups")?
        .iter()
        .map(|row| row.try_get_by_index::<NaiveDate>(0))
        .collect::<Result<Vec<_>, _>>()?;
    if days.is_empty() {
        return Ok(None);
    }
    // Dates printed by chrono (YYYY-MM-DD) are safe as literals; SQLite
    // stores a date as that text.
    let date = |d: NaiveDate| match backend {
        DatabaseBackend::Sqlite => format!("'{d}'"),
        _ => format!("DATE '{d}'"),
    };
    let rows: Vec<String> = days
        .into_iter()
        .map(|d| format!("({}, {}, {})", date(d), date(week_of(d)), date(month_of(d))))
        .collect();
    Ok(Some(format!(
        "buckets (day, week, month) AS (VALUES {})",
        rows.join(", ")
    )))
}

/// Runs one statement whose every `$1` is `org`; the rows it wrote.
async fn execute_for_org(
    db: &DatabaseConnection,
    sql: &str,
    org: Uuid,
    table: &str,
) -> anyhow::Result<u64> {
    let backend = db.get_database_backend();
    let sql = sql_for(db, sql);
    let n_params = sql.matches('?').count().max(1);
    let values: Vec<sea_orm::Value> = if backend == DatabaseBackend::Sqlite {
        vec![org.into(); n_params]
    } else {
        vec![org.into()]
    };
    let result = db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .with_context(|| format!("summing {table}"))?;
    Ok(result.rows_affected())
}
