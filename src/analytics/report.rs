//! The engagement report: validation, privacy rules and the figures.
//!
//! Each figure comes from the smallest source that covers the filter:
//! `engagement_network_days` for daily figures without user or content
//! filters, `engagement_content_days` with a content or topic filter,
//! `engagement_user_days` with a group filter. Figures per person and per
//! item read the per-user and per-content rollups by month, week and day:
//! whole months and weeks first, so that a range reads at most six single
//! days on each side. A group filter combined with a content or topic filter
//! reads the raw rows by time range.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use entity::{contents, groups, organizations, topics};
use sea_orm::{ConnectionTrait, DbBackend, QueryFilter, QueryOrder, sea_query::Expr};
use uuid::Uuid;

use super::rollups::{month_of, week_of};
use crate::{
    auth::{Role, Viewer},
    domain::SocialNetwork,
    error::{AppError, AppResult},
    org::{groups as group_service, organizations as org_service},
    tenant::{Sql, Tenant},
};

/// The longest range, in days after `from`.
pub const MAX_RANGE_DAYS: i64 = 366;

/// What the report covers. `group_id`, `network`, `content_id` and
/// `topic_id` combine (all must match).
#[derive(Clone, Debug)]
pub struct EngagementFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_id: Option<Uuid>,
    pub network: Option<SocialNetwork>,
    pub content_id: Option<Uuid>,
    pub topic_id: Option<Uuid>,
}

/// Shares, their potential reach and the clicks on their links.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub shares: i64,
    pub potential_reach: i64,
    pub clicks: i64,
}

impl Figures {
    fn add(&mut self, other: Figures) {
        self.shares += other.shares;
        self.potential_reach += other.potential_reach;
        self.clicks += other.clicks;
    }

    fn any(&self) -> bool {
        self.shares > 0 || self.clicks > 0
    }
}

#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub shares: i64,
    pub active_ambassadors: i64,
    pub enrolled_ambassadors: i64,
    pub participation_rate: f64,
    pub potential_reach: i64,
    pub clicks: i64,
    pub click_through_rate: f64,
    pub earned_media_value: f64,
    pub network_multiplier: f64,
}

#[derive(Clone, Debug)]
pub struct Day {
    pub date: NaiveDate,
    pub figures: Figures,
    /// Earned media value of the day's shares (for the CSV export).
    pub earned_media_value: f64,
}

#[derive(Clone, Debug)]
pub struct GroupFigures {
    pub group: groups::Model,
    pub shares: i64,
    pub active_ambassadors: i64,
    pub enrolled_ambassadors: i64,
    pub participation_rate: f64,
}

#[derive(Clone, Debug, Default)]
pub struct Funnel {
    pub employees: i64,
    pub invited: i64,
    pub active: i64,
    pub paused: i64,
    pub declined: i64,
    pub withdrawn: i64,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: Totals,
    pub daily: Vec<Day>,
    pub by_network: Vec<(SocialNetwork, Figures)>,
    pub by_group: Vec<GroupFigures>,
    /// Every item with a share or a click in the range, best first.
    pub top_content: Vec<(Uuid, Figures)>,
    /// Every person with a share or a click in the range, best first;
    /// empty when the organization does not allow naming people, and never
    /// a WITHDRAWN user.
    pub top_ambassadors: Vec<(Uuid, Figures)>,
    pub funnel: Funnel,
}

/// Checks the range: `from` not after `to`, at most 366 days apart.
pub fn validate_range(from: NaiveDate, to: NaiveDate) -> AppResult<()> {
    if from > to {
        return Err(AppError::bad_input("from must not be after to"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(AppError::bad_input(format!(
            "to may be at most {MAX_RANGE_DAYS} days after from"
        )));
    }
    Ok(())
}

/// HR or ADMIN: the engagement report of the viewer's organization.
pub async fn report(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: &EngagementFilter,
) -> AppResult<Report> {
    viewer.require_any(&[Role::Hr])?;
    validate_range(filter.from, filter.to)?;
    let org = org_service::get(conn, viewer).await?;
    if let Some(group_id) = filter.group_id {
        Tenant::of(viewer)
            .get::<groups::Entity>(conn, group_id, "group")
            .await?;
        let members = group_service::member_counts(conn, viewer, &[group_id])
            .await?
            .get(&group_id)
            .copied()
            .unwrap_or(0);
        if members < i64::from(org.minimum_group_size) {
            return Err(AppError::Forbidden(
                "this group has fewer members than the organization's minimumGroupSize",
            ));
        }
    }
    if let Some(content_id) = filter.content_id {
        Tenant::of(viewer)
            .get::<contents::Entity>(conn, content_id, "content")
            .await?;
    }
    if let Some(topic_id) = filter.topic_id {
        Tenant::of(viewer)
            .get::<topics::Entity>(conn, topic_id, "topic")
            .await?;
    }
    compute(conn, viewer, &org, filter).await
}

async fn compute(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    org: &organizations::Model,
    f: &EngagementFilter,
) -> AppResult<Report> {
    let cpm = org_service::cpm(org);
    let tenant = Tenant::of(viewer);
    // Independent reads run side by side (each on its own pooled connection
    // on PostgreSQL; SQLite's single connection takes them in turn).
    let (per_day, per_user, per_content, funnel, network_multiplier, groups, people) = tokio::try_join!(
        per_day_network(conn, tenant, f),
        per_user(conn, tenant, f),
        per_content(conn, tenant, f),
        funnel(conn, tenant, f.group_id),
        network_multiplier(conn, tenant, org),
        reportable_groups(conn, viewer, org),
        people(conn, tenant),
    )?;

    // Daily and per-network figures.
    let mut days: BTreeMap<NaiveDate, (Figures, BTreeMap<SocialNetwork, i64>)> = BTreeMap::new();
    let mut networks: BTreeMap<SocialNetwork, Figures> = BTreeMap::new();
    for (day, network, figures) in per_day {
        let Some(network) = SocialNetwork::parse(&network) else {
            continue;
        };
        let entry = days.entry(day).or_default();
        entry.0.add(figures);
        *entry.1.entry(network).or_default() += figures.potential_reach;
        networks.entry(network).or_default().add(figures);
    }
    let emv = |reach: &BTreeMap<SocialNetwork, i64>| -> f64 {
        reach
            .iter()
            .map(|(n, r)| *r as f64 / 1000.0 * cpm.get(n).copied().unwrap_or(0.0))
            .sum()
    };
    let mut daily = Vec::new();
    let mut day = f.from;
    while day <= f.to {
        let (figures, reach) = days.get(&day).cloned().unwrap_or_default();
        daily.push(Day {
            date: day,
            figures,
            earned_media_value: emv(&reach),
        });
        day = day + Days::new(1);
    }
    let by_network: Vec<(SocialNetwork, Figures)> = SocialNetwork::ALL
        .into_iter()
        .map(|n| (n, networks.get(&n).copied().unwrap_or_default()))
        .collect();
    let mut sum = Figures::default();
    for (_, figures) in &by_network {
        sum.add(*figures);
    }
    let reach_by_network: BTreeMap<SocialNetwork, i64> = by_network
        .iter()
        .map(|(n, fig)| (*n, fig.potential_reach))
        .collect();

    // People.
    let active_ambassadors = per_user.values().filter(|fig| fig.shares > 0).count() as i64;
    let enrolled_ambassadors = funnel.active + funnel.paused;
    let totals = Totals {
        shares: sum.shares,
        active_ambassadors,
        enrolled_ambassadors,
        participation_rate: ratio(active_ambassadors, enrolled_ambassadors),
        potential_reach: sum.potential_reach,
        clicks: sum.clicks,
        click_through_rate: ratio(sum.clicks, sum.potential_reach),
        earned_media_value: emv(&reach_by_network),
        network_multiplier,
    };

    let by_group = by_group(conn, viewer, groups, &per_user, &people).await?;

    let mut top_content: Vec<(Uuid, Figures)> = per_content
        .into_iter()
        .filter(|(_, fig)| fig.any())
        .collect();
    top_content.sort_by(|(a_id, a), (b_id, b)| {
        (b.shares, b.clicks, b.potential_reach, b_id).cmp(&(
            a.shares,
            a.clicks,
            a.potential_reach,
            a_id,
        ))
    });

    let top_ambassadors = if org.individual_analytics {
        let mut list: Vec<(Uuid, Figures)> = per_user
            .into_iter()
            .filter(|(id, fig)| fig.any() && !people.withdrawn.contains(id))
            .collect();
        list.sort_by(|(a_id, a), (b_id, b)| {
            (b.shares, b.potential_reach, b_id).cmp(&(a.shares, a.potential_reach, a_id))
        });
        list
    } else {
        Vec::new()
    };

    Ok(Report {
        from: f.from,
        to: f.to,
        totals,
        daily,
        by_network,
        by_group,
        top_content,
        top_ambassadors,
        funnel,
    })
}

fn ratio(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Distinct sharers per day, organization-wide (for the CSV export).
pub async fn daily_active_ambassadors(
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

fn has_content_filter(f: &EngagementFilter) -> bool {
    f.content_id.is_some() || f.topic_id.is_some()
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

fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Raw-row time range: `[from 00:00, to + 1 00:00)` UTC.
fn raw_range(sql: &mut Sql, column: &str, f: &EngagementFilter) -> String {
    let a = sql.bind(day_start(f.from));
    let b = sql.bind(day_start(f.to + Days::new(1)));
    format!(" AND {column} >= {a} AND {column} < {b}")
}

/// Figures per (day, network).
async fn per_day_network(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    f: &EngagementFilter,
) -> AppResult<Vec<(NaiveDate, String, Figures)>> {
    let (users, contents) = (f.group_id.is_some(), has_content_filter(f));
    let table = match (users, contents) {
        (false, false) => "engagement_network_days",
        (false, true) => "engagement_content_days",
        (true, false) => "engagement_user_days",
        (true, true) => return raw_per_day_network(conn, tenant, f).await,
    };
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

/// A time bucket of the per-user rollups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grain {
    Day,
    Week,
    Month,
}

impl Grain {
    /// The rollup table per `key` (`user` or `content`) and its bucket column.
    fn source(self, key: &str) -> (String, &'static str) {
        match self {
            Grain::Day => (format!("engagement_{key}_days"), "day"),
            Grain::Week => (format!("engagement_{key}_weeks"), "week"),
            Grain::Month => (format!("engagement_{key}_months"), "month"),
        }
    }

    /// The end (exclusive) of the bucket that begins on `start`, if one does.
    fn bucket_end(self, start: NaiveDate) -> Option<NaiveDate> {
        let next_month = month_of(start).checked_add_months(Months::new(1))?;
        match self {
            Grain::Day => Some(start + Days::new(1)),
            Grain::Week => {
                (week_of(start) == start).then(|| (start + Days::new(7)).min(next_month))
            }
            Grain::Month => (start == month_of(start)).then_some(next_month),
        }
    }
}

/// `from..=to` as runs `[start, end)` of whole months, weeks and days, the
/// largest buckets that fit first, so that every day is read exactly once
/// and at most six days on each side are read day by day.
fn runs(from: NaiveDate, to: NaiveDate) -> Vec<(Grain, NaiveDate, NaiveDate)> {
    let end = to + Days::new(1);
    let mut out: Vec<(Grain, NaiveDate, NaiveDate)> = Vec::new();
    let mut cursor = from;
    while cursor < end {
        let (grain, next) = [Grain::Month, Grain::Week, Grain::Day]
            .into_iter()
            .find_map(|g| g.bucket_end(cursor).filter(|e| *e <= end).map(|e| (g, e)))
            .unwrap_or((Grain::Day, end));
        match out.last_mut() {
            Some((g, _, run_end)) if *g == grain => *run_end = next,
            _ => out.push((grain, cursor, next)),
        }
        cursor = next;
    }
    out
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
    if has_content_filter(f) {
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
    if f.group_id.is_some() {
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
struct People {
    /// The groups of each of them (empty for those in none).
    groups_of: HashMap<Uuid, Vec<Uuid>>,
    /// ACTIVE or PAUSED members per group.
    enrolled_by_group: HashMap<Uuid, i64>,
    withdrawn: HashSet<Uuid>,
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
    viewer: &Viewer,
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
    Ok(Tenant::of(viewer)
        .find::<groups::Entity>()
        .filter(large_enough)
        .order_by_asc(groups::Column::Name)
        .order_by_asc(groups::Column::Id)
        .all(conn)
        .await?)
}

/// Per group: shares and active ambassadors among its current members
/// (within the report's filter), and its enrolled members now.
async fn by_group(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    groups: Vec<groups::Model>,
    per_user: &HashMap<Uuid, Figures>,
    people: &People,
) -> AppResult<Vec<GroupFigures>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    // Memberships (group, user) of the people with shares in the range:
    // from `people`, and read by id for the few who are not among them.
    let mut links: Vec<(Uuid, Uuid)> = Vec::new();
    let mut others: Vec<Uuid> = Vec::new();
    for (user, fig) in per_user {
        if fig.shares == 0 {
            continue;
        }
        match people.groups_of.get(user) {
            Some(groups) => links.extend(groups.iter().map(|g| (*g, *user))),
            None => others.push(*user),
        }
    }
    for chunk in others.chunks(2000) {
        for (user, groups) in group_service::of_users(conn, viewer, chunk).await? {
            links.extend(groups.iter().map(|g| (g.id, user)));
        }
    }
    let mut activity: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (group_id, user_id) in links {
        let shares = per_user.get(&user_id).map_or(0, |fig| fig.shares);
        let entry = activity.entry(group_id).or_default();
        entry.0 += shares;
        entry.1 += 1;
    }
    Ok(groups
        .into_iter()
        .map(|group| {
            let (shares, active) = activity.get(&group.id).copied().unwrap_or_default();
            let enrolled = people
                .enrolled_by_group
                .get(&group.id)
                .copied()
                .unwrap_or(0);
            GroupFigures {
                group,
                shares,
                active_ambassadors: active,
                enrolled_ambassadors: enrolled,
                participation_rate: ratio(active, enrolled),
            }
        })
        .collect())
}

/// The CSV export: one row per day of the range, organization-wide.
pub async fn daily_csv(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<String> {
    let filter = EngagementFilter {
        from,
        to,
        group_id: None,
        network: None,
        content_id: None,
        topic_id: None,
    };
    let report = report(conn, viewer, &filter).await?;
    let active = daily_active_ambassadors(conn, viewer, from, to).await?;
    let mut out =
        String::from("date,shares,clicks,potential_reach,earned_media_value,active_ambassadors\n");
    for day in &report.daily {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            day.date.format("%Y-%m-%d"),
            day.figures.shares,
            day.figures.clicks,
            day.figures.potential_reach,
            day.earned_media_value,
            active.get(&day.date).copied().unwrap_or(0),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_reads_whole_months_and_weeks_and_at_most_six_days_each_side() {
        use Grain::*;
        assert_eq!(
            runs(d("2026-01-01"), d("2026-01-31")),
            vec![(Month, d("2026-01-01"), d("2026-02-01"))]
        );
        assert_eq!(
            runs(d("2026-10-27"), d("2026-11-25")),
            vec![
                (Day, d("2026-10-27"), d("2026-10-29")),
                (Week, d("2026-10-29"), d("2026-11-22")),
                (Day, d("2026-11-22"), d("2026-11-26")),
            ]
        );
        assert_eq!(
            runs(d("2025-11-26"), d("2026-11-25")),
            vec![
                (Day, d("2025-11-26"), d("2025-11-29")),
                (Week, d("2025-11-29"), d("2025-12-01")),
                (Month, d("2025-12-01"), d("2026-11-01")),
                (Week, d("2026-11-01"), d("2026-11-22")),
                (Day, d("2026-11-22"), d("2026-11-26")),
            ]
        );
        // February's last week is 22–28 (or 29 in a leap year).
        assert_eq!(
            runs(d("2028-02-22"), d("2028-03-07")),
            vec![(Week, d("2028-02-22"), d("2028-03-08")),]
        );
        assert_eq!(
            runs(d("2026-03-05"), d("2026-03-05")),
            vec![(Day, d("2026-03-05"), d("2026-03-06"))]
        );
    }

    #[test]
    fn runs_cover_every_day_of_any_range_once_with_whole_buckets() {
        let start = d("2027-12-01");
        for offset in 0..500 {
            let from = start + Days::new(offset);
            for len in [0, 1, 5, 6, 7, 13, 27, 29, 30, 31, 59, 92, 180, 365, 366] {
                let to = from + Days::new(len);
                let runs = runs(from, to);
                let mut day = from;
                for (grain, a, b) in &runs {
                    assert_eq!(*a, day, "runs of {from}..={to} are contiguous");
                    let mut bucket = *a;
                    while bucket < *b {
                        let end = grain.bucket_end(bucket).expect("a run holds whole buckets");
                        assert!(end <= *b);
                        bucket = end;
                    }
                    day = *b;
                }
                assert_eq!(day, to + Days::new(1));
                let days: i64 = runs
                    .iter()
                    .filter(|(g, ..)| *g == Grain::Day)
                    .map(|(_, a, b)| (*b - *a).num_days())
                    .sum();
                assert!(days <= 12, "{from}..={to}: {days} single days");
            }
        }
    }

    #[test]
    fn weeks_are_fixed_parts_of_their_month() {
        for (day, week) in [
            ("2026-01-01", "2026-01-01"),
            ("2026-01-07", "2026-01-01"),
            ("2026-01-08", "2026-01-08"),
            ("2026-01-28", "2026-01-22"),
            ("2026-01-29", "2026-01-29"),
            ("2026-01-31", "2026-01-29"),
            ("2026-02-28", "2026-02-22"),
            ("2028-02-29", "2028-02-29"),
        ] {
            assert_eq!(week_of(d(day)), d(week), "{day}");
        }
    }

    #[test]
    fn a_range_is_at_most_366_days_after_from() {
        assert!(validate_range(d("2024-01-01"), d("2025-01-01")).is_ok());
        assert!(validate_range(d("2024-01-01"), d("2025-01-02")).is_err());
        assert!(validate_range(d("2026-01-02"), d("2026-01-01")).is_err());
        assert!(validate_range(d("2026-01-01"), d("2026-01-01")).is_ok());
    }
}
