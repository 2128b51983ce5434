//! The report's statements: each reads one kind of figure from the source
//! the plan chose, within the organization (`$1` of every statement) and
//! the filter.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{groups, organizations};
use sea_orm::{ConnectionTrait, DbBackend, QueryFilter, QueryOrder, sea_query::Expr};
use uuid::Uuid;

use super::{
    EngagementFilter, Figures, Funnel,
    plan::{self, DailySource, runs},
    ratio,
};
use crate::{
    auth::Viewer,
    error::AppResult,
    org::{groups as group_service, organizations as org_service},
    tenant::{Sql, Tenant},
};

/// Everything the report reads at once.
pub(super) struct Reads {
    pub(super) per_day: Vec<(NaiveDate, String, Figures)>,
    pub(super) per_user: HashMap<Uuid, Figures>,
    pub(super) per_content: HashMap<Uuid, Figures>,
    pub(super) funnel: Funnel,
    pub(super) network_multiplier: f64,
    pub(super) groups: Vec<groups::Model>,
    pub(super) people: People,
}

/// Reads every figure of the report. Independent reads run side by side
/// (each on its own pooled connection on PostgreSQL; SQLite's single
/// connection takes them in turn).
pub(super) async fn read(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    org: &organizations::Model,
    f: &EngagementFilter,
) -> AppResult<Reads> {
    let tenant = Tenant::of(viewer);
    let (per_day, per_user, per_content, funnel, network_multiplier, groups, people) = tokio::try_join!(
        per_day_network(conn, tenant, f),
        per_user(conn, tenant, f),
        per_content(conn, tenant, f),
        funnel(conn, tenant, f.group_id),
        network_multiplier(conn, tenant, org),
        reportable_groups(conn, tenant, org),
        people(conn, tenant),
    )?;
    Ok(Reads {
        per_day,
        per_user,
        per_content,
        funnel,
        network_multiplier,
        groups,
        people,
    })
}

/// Distinct sharers per day, organization-wide (for the CSV export).
pub(super) async fn daily_active_ambassadors(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<HashMap<NaiveDate, i64>> {
    let mut sql = Tenant::of(viewer).sql();
    let a = sql.bind(from);
    let b = sql.bind(to);
    sql.push(&format!(
        "SELECT day, COUNT(DISTINCT user_id) AS n FROM engagement_user_days \
         WHERE organization_id = $1 AND day >= {a} AND day <= {b} AND shares > 0 GROUP BY day"
    ));
    let mut out = HashMap::new();
    for row in sql.all(conn).await? {
        out.insert(
            row.try_get::<NaiveDate>("", "day")?,
            row.try_get::<i64>("", "n")?,
        );
    }
    Ok(out)
}

/// ` AND …` clauses of the filter for a table with `user_id`, `content_id`
/// and `network` columns.
fn scope_clauses(sql: &mut Sql, f: &EngagementFilter, users: bool, contents: bool) -> String {
    let mut out = String::new();
    if users && let Some(group_id) = f.group_id {
        let g = sql.bind(group_id);
        out.push_str(&format!(
            " AND user_id IN (SELECT gm.user_id FROM group_members gm \
             WHERE gm.organization_id = $1 AND gm.group_id = {g})"
        ));
    }
    if contents && let Some(content_id) = f.content_id {
        let c = sql.bind(content_id);
        out.push_str(&format!(" AND content_id = {c}"));
    }
    if contents && let Some(topic_id) = f.topic_id {
        let t = sql.bind(topic_id);
        out.push_str(&format!(
            " AND content_id IN (SELECT ct.content_id FROM content_topics ct \
             WHERE ct.organization_id = $1 AND ct.topic_id = {t})"
        ));
    }
    if let Some(network) = f.network {
        let n = sql.bind(network.as_str().to_owned());
        out.push_str(&format!(" AND network = {n}"));
    }
    out
}

const SUMS: &str = "CAST(SUM(shares) AS BIGINT) AS shares, \
                    CAST(SUM(potential_reach) AS BIGINT) AS potential_reach, \
                    CAST(SUM(clicks) AS BIGINT) AS clicks";

fn figures(row: &sea_orm::QueryResult) -> AppResult<Figures> {
    Ok(Figures {
        shares: row.try_get::<Option<i64>>("", "shares")?.unwrap_or(0),
        potential_reach: row
            .try_get::<Option<i64>>("", "potential_reach")?
            .unwrap_or(0),
        clicks: row.try_get::<Option<i64>>("", "clicks")?.unwrap_or(0),
    })
}

/// ` AND {column} >= … AND {column} < …`: the report's range over raw rows.
fn raw_range(sql: &mut Sql, column: &str, f: &EngagementFilter) -> String {
    let (from, until) = plan::raw_bounds(f);
    let a = sql.bind(from);
    let b = sql.bind(until);
    format!(" AND {column} >= {a} AND {column} < {b}")
}

/// Figures per (day, network).
async fn per_day_network(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
) -> AppResult<Vec<(NaiveDate, String, Figures)>> {
    let table = match plan::daily_source(f) {
        DailySource::Rollup(table) => table,
        DailySource::RawRows => return raw_per_day_network(conn, tenant, f).await,
    };
    let (users, contents) = (f.group_id.is_some(), plan::has_content_filter(f));
    let mut sql = tenant.sql();
    let a = sql.bind(f.from);
    let b = sql.bind(f.to);
    let scope = scope_clauses(&mut sql, f, users, contents);
    sql.push(&format!(
        "SELECT day, network, {SUMS} FROM {table} \
         WHERE organization_id = $1 AND day >= {a} AND day <= {b}{scope} GROUP BY day, network"
    ));
    let mut out = Vec::new();
    for row in sql.all(conn).await? {
        out.push((
            row.try_get::<NaiveDate>("", "day")?,
            row.try_get::<String>("", "network")?,
            figures(&row)?,
        ));
    }
    Ok(out)
}

/// Per (day, network) from the raw rows, for filters no rollup covers.
async fn raw_per_day_network(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
) -> AppResult<Vec<(NaiveDate, String, Figures)>> {
    let mut acc: BTreeMap<(NaiveDate, String), Figures> = BTreeMap::new();
    let mut sql = tenant.sql();
    let range = raw_range(&mut sql, "shared_at", f);
    let scope = scope_clauses(&mut sql, f, true, true);
    sql.push(&format!(
        "SELECT shared_at, network, potential_reach FROM shares \
         WHERE organization_id = $1{range}{scope}"
    ));
    for row in sql.all(conn).await? {
        let at: DateTime<Utc> = row.try_get("", "shared_at")?;
        let entry = acc
            .entry((at.date_naive(), row.try_get("", "network")?))
            .or_default();
        entry.shares += 1;
        entry.potential_reach += row.try_get::<i64>("", "potential_reach")?;
    }
    let mut sql = tenant.sql();
    let range = raw_range(&mut sql, "clicked_at", f);
    let scope = scope_clauses(&mut sql, f, true, true);
    sql.push(&format!(
        "SELECT clicked_at, network FROM clicks WHERE organization_id = $1{range}{scope}"
    ));
    for row in sql.all(conn).await? {
        let at: DateTime<Utc> = row.try_get("", "clicked_at")?;
        acc.entry((at.date_naive(), row.try_get("", "network")?))
            .or_default()
            .clicks += 1;
    }
    Ok(acc.into_iter().map(|((d, n), fig)| (d, n, fig)).collect())
}

/// Figures per key column (`user_id` or `content_id`) from the raw rows.
async fn raw_per_key(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
    key: &str,
) -> AppResult<HashMap<Uuid, Figures>> {
    let mut out: HashMap<Uuid, Figures> = HashMap::new();
    let mut sql = tenant.sql();
    let range = raw_range(&mut sql, "shared_at", f);
    let scope = scope_clauses(&mut sql, f, true, true);
    sql.push(&format!(
        "SELECT {key} AS k, COUNT(*) AS shares, CAST(SUM(potential_reach) AS BIGINT) AS potential_reach \
         FROM shares WHERE organization_id = $1{range}{scope} GROUP BY {key}"
    ));
    for row in sql.all(conn).await? {
        let entry = out.entry(row.try_get("", "k")?).or_default();
        entry.shares += row.try_get::<i64>("", "shares")?;
        entry.potential_reach += row
            .try_get::<Option<i64>>("", "potential_reach")?
            .unwrap_or(0);
    }
    let mut sql = tenant.sql();
    let range = raw_range(&mut sql, "clicked_at", f);
    let scope = scope_clauses(&mut sql, f, true, true);
    sql.push(&format!(
        "SELECT {key} AS k, COUNT(*) AS clicks FROM clicks \
         WHERE organization_id = $1{range}{scope} GROUP BY {key}"
    ));
    for row in sql.all(conn).await? {
        out.entry(row.try_get("", "k")?).or_default().clicks += row.try_get::<i64>("", "clicks")?;
    }
    Ok(out)
}

/// Figures per `key` (`user` or `content`) from its rollups: whole months,
/// whole weeks and single days of `f`'s range, within the filter.
async fn per_key_from_rollups(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
    key: &str,
) -> AppResult<HashMap<Uuid, Figures>> {
    let mut sql = tenant.sql();
    let scope = scope_clauses(&mut sql, f, key == "user", key == "content");
    let runs: Vec<String> = runs(f.from, f.to)
        .into_iter()
        .map(|(grain, start, end)| {
            let (table, bucket) = grain.source(key);
            let a = sql.bind(start);
            let b = sql.bind(end);
            format!(
                "SELECT {key}_id AS k, shares, potential_reach, clicks FROM {table} \
                 WHERE organization_id = $1 AND {bucket} >= {a} AND {bucket} < {b}{scope}"
            )
        })
        .collect();
    sql.push(&format!(
        "SELECT k, {SUMS} FROM ({}) t GROUP BY k",
        runs.join(" UNION ALL ")
    ));
    let mut out = HashMap::new();
    for row in sql.all(conn).await? {
        out.insert(row.try_get::<Uuid>("", "k")?, figures(&row)?);
    }
    Ok(out)
}

/// Figures per person.
async fn per_user(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
) -> AppResult<HashMap<Uuid, Figures>> {
    if !plan::per_user_from_rollups(f) {
        return raw_per_key(conn, tenant, f, "user_id").await;
    }
    per_key_from_rollups(conn, tenant, f, "user").await
}

/// Figures per content item.
async fn per_content(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
) -> AppResult<HashMap<Uuid, Figures>> {
    if !plan::per_content_from_rollups(f) {
        return raw_per_key(conn, tenant, f, "content_id").await;
    }
    per_key_from_rollups(conn, tenant, f, "content").await
}

/// Users by their status now, in the organization or in one group.
async fn funnel(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    group_id: Option<Uuid>,
) -> AppResult<Funnel> {
    let mut sql = tenant.sql();
    let members = match group_id {
        Some(g) => {
            let g = sql.bind(g);
            format!(
                " AND id IN (SELECT gm.user_id FROM group_members gm \
                 WHERE gm.organization_id = $1 AND gm.group_id = {g})"
            )
        }
        None => String::new(),
    };
    // Most employees are in no programme status: count them all without
    // grouping, and group only the few thousand others (the status index
    // gives them directly).
    sql.push(&format!(
        "SELECT CAST(NULL AS TEXT) AS status, COUNT(*) AS n FROM users \
         WHERE organization_id = $1{members} \
         UNION ALL \
         SELECT ambassador_status AS status, COUNT(*) AS n FROM users \
         WHERE organization_id = $1 AND ambassador_status IN ('INVITED', 'ACTIVE', 'PAUSED', 'DECLINED', 'WITHDRAWN'){members} \
         GROUP BY ambassador_status"
    ));
    let mut funnel = Funnel::default();
    for row in sql.all(conn).await? {
        let n: i64 = row.try_get("", "n")?;
        match row.try_get::<Option<String>>("", "status")?.as_deref() {
            None => funnel.employees = n,
            Some("INVITED") => funnel.invited += n,
            Some("ACTIVE") => funnel.active += n,
            Some("PAUSED") => funnel.paused += n,
            Some("DECLINED") => funnel.declined += n,
            Some("WITHDRAWN") => funnel.withdrawn += n,
            Some(_) => {}
        }
    }
    Ok(funnel)
}

/// Followers declared by ACTIVE ambassadors / the company's own followers.
async fn network_multiplier(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    org: &organizations::Model,
) -> AppResult<f64> {
    let company: i64 = org_service::followers(org).values().sum();
    if company == 0 {
        return Ok(0.0);
    }
    let mut sql = tenant.sql();
    sql.push(
        "SELECT CAST(SUM(sa.follower_count) AS BIGINT) AS n FROM social_accounts sa \
         JOIN users u ON u.id = sa.user_id \
         WHERE sa.organization_id = $1 AND u.organization_id = $1 AND u.ambassador_status = 'ACTIVE'",
    );
    let declared = match sql.all(conn).await?.first() {
        Some(row) => row.try_get::<Option<i64>>("", "n")?.unwrap_or(0),
        None => 0,
    };
    Ok(ratio(declared, company))
}

/// The programme's people now: everyone ACTIVE, PAUSED or WITHDRAWN, with
/// their groups. Nearly everyone with shares in a range is among them.
#[derive(Default)]
pub(super) struct People {
    /// The groups of each of them (empty for those in none).
    pub(super) groups_of: HashMap<Uuid, Vec<Uuid>>,
    /// ACTIVE or PAUSED members per group.
    pub(super) enrolled_by_group: HashMap<Uuid, i64>,
    pub(super) withdrawn: HashSet<Uuid>,
}

async fn people(conn: &impl ConnectionTrait, tenant: Tenant) -> AppResult<People> {
    let mut sql = tenant.sql();
    // A few thousand index lookups, one per person: PostgreSQL would rather
    // hash every membership of the organization, several times slower, unless
    // the lateral subquery is kept apart (`OFFSET 0`). SQLite looks them up.
    let groups = match conn.get_database_backend() {
        DbBackend::Postgres => {
            "LEFT JOIN LATERAL (SELECT gm.group_id FROM group_members gm \
             WHERE gm.organization_id = $1 AND gm.user_id = u.id OFFSET 0) gm ON TRUE"
        }
        _ => "LEFT JOIN group_members gm ON gm.organization_id = $1 AND gm.user_id = u.id",
    };
    sql.push(&format!(
        "SELECT u.id AS user_id, u.ambassador_status AS status, gm.group_id AS group_id FROM users u {groups} \
         WHERE u.organization_id = $1 AND u.ambassador_status IN ('ACTIVE', 'PAUSED', 'WITHDRAWN')"
    ));
    let mut people = People::default();
    for row in sql.all(conn).await? {
        let user: Uuid = row.try_get("", "user_id")?;
        let status: String = row.try_get("", "status")?;
        let groups = people.groups_of.entry(user).or_default();
        if let Some(group) = row.try_get::<Option<Uuid>>("", "group_id")? {
            groups.push(group);
            if status != "WITHDRAWN" {
                *people.enrolled_by_group.entry(group).or_default() += 1;
            }
        }
        if status == "WITHDRAWN" {
            people.withdrawn.insert(user);
        }
    }
    Ok(people)
}

/// Every group with at least `minimumGroupSize` current members, by name.
async fn reportable_groups(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    org: &organizations::Model,
) -> AppResult<Vec<groups::Model>> {
    let min = i64::from(org.minimum_group_size);
    // Counting up to `min` members per group reads a few index entries per
    // group instead of every membership of the organization.
    // An integer of our own, written in the statement.
    let large_enough = Expr::cust(format!(
        "(SELECT COUNT(*) FROM (SELECT 1 FROM group_members gm \
          WHERE gm.organization_id = groups.organization_id AND gm.group_id = groups.id \
          LIMIT {min}) m) >= {min}"
    ));
    Ok(tenant
        .find::<groups::Entity>()
        .filter(large_enough)
        .order_by_asc(groups::Column::Name)
        .order_by_asc(groups::Column::Id)
        .all(conn)
        .await?)
}

/// The groups of each of `users`, by id (for the few sharers whom `People`
/// does not hold: no longer in the programme).
pub(super) async fn groups_of(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    users: &[Uuid],
) -> AppResult<Vec<(Uuid, Uuid)>> {
    let mut links = Vec::new();
    for chunk in users.chunks(2000) {
        for (user, groups) in group_service::of_users(conn, viewer, chunk).await? {
            links.extend(groups.iter().map(|g| (g.id, user)));
        }
    }
    Ok(links)
}
