//! A small organization built straight into the database (users, groups,
//! statuses, social accounts, topics, content, shares and clicks, settings),
//! and a plain recount of every engagement figure from that description,
//! written independently of the server's rollups.

use std::collections::{BTreeMap, BTreeSet};

use advocacy::{analytics::rollups, tenant::Tenant};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use entity::{
    clicks, content_topics, contents, group_members, groups, organizations, shares,
    social_accounts, topics, users,
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Org, TestApp};

pub const NETWORKS: [&str; 7] = [
    "LINKEDIN",
    "X",
    "FACEBOOK",
    "INSTAGRAM",
    "XING",
    "TIKTOK",
    "OTHER",
];
pub const STATUSES: [&str; 6] = [
    "NONE",
    "INVITED",
    "ACTIVE",
    "PAUSED",
    "DECLINED",
    "WITHDRAWN",
];

pub fn base_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

#[derive(Clone, Debug)]
pub struct UserSpec {
    pub status: usize,
    /// (network index, followers)
    pub accounts: Vec<(usize, i64)>,
}

#[derive(Clone, Debug)]
pub struct ShareSpec {
    pub user: usize,
    pub content: usize,
    pub network: usize,
    /// Days after `base_day`.
    pub day: i64,
    pub second: i64,
    pub reach: i64,
}

#[derive(Clone, Debug)]
pub struct ClickSpec {
    pub share: usize,
    /// Days after the share's day.
    pub after: i64,
    pub second: i64,
}

/// An organization described by plain numbers; indices wrap around.
#[derive(Clone, Debug)]
pub struct Spec {
    pub individual_analytics: bool,
    pub minimum_group_size: i32,
    /// (network index, cpm in cents)
    pub cpm: Vec<(usize, i64)>,
    /// (network index, followers)
    pub company: Vec<(usize, i64)>,
    pub users: Vec<UserSpec>,
    /// Members of each group, as user indices.
    pub groups: Vec<Vec<usize>>,
    pub topics: usize,
    /// Topics of each item, as topic indices.
    pub contents: Vec<Vec<usize>>,
    pub shares: Vec<ShareSpec>,
    pub clicks: Vec<ClickSpec>,
}

/// One report's filter, as indices into the world.
#[derive(Clone, Debug)]
pub struct Ask {
    pub from: i64,
    pub len: i64,
    pub group: Option<usize>,
    pub network: Option<usize>,
    pub content: Option<usize>,
    pub topic: Option<usize>,
}

/// The organization as written.
pub struct World {
    pub org: Org,
    pub spec: Spec,
    pub user_ids: Vec<Uuid>,
    pub group_ids: Vec<Uuid>,
    pub group_names: Vec<String>,
    pub topic_ids: Vec<Uuid>,
    pub content_ids: Vec<Uuid>,
    pub content_topics: BTreeSet<(usize, usize)>,
    pub members: Vec<BTreeSet<usize>>,
    /// Users not in `spec.users` (the admin): status NONE, no accounts.
    pub others: i64,
}

fn at(day: NaiveDate, second: i64) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap()) + Duration::seconds(second)
}

fn day_of(offset: i64) -> NaiveDate {
    base_day() + Duration::days(offset)
}

fn net_map<T: Into<Value> + Copy>(pairs: &[(usize, T)]) -> Value {
    let mut map = serde_json::Map::new();
    for (n, v) in pairs {
        map.insert(NETWORKS[n % NETWORKS.len()].to_owned(), (*v).into());
    }
    Value::Object(map)
}

impl World {
    /// Writes `spec` as a new organization on `app` (slug `slug`).
    pub async fn build(app: &TestApp, slug: &str, mut spec: Spec) -> World {
        let org = app.create_org(slug, slug).await;
        let db = &app.state.db;
        let now = app.clock_now();
        // Settings.
        let model = organizations::Entity::find_by_id(org.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let mut active = model.into_active_model();
        active.individual_analytics = Set(spec.individual_analytics);
        active.minimum_group_size = Set(spec.minimum_group_size);
        let cpm: Vec<(usize, f64)> = spec
            .cpm
            .iter()
            .map(|(n, c)| (*n, *c as f64 / 100.0))
            .collect();
        active.cpm = Set(net_map(&cpm));
        active.company_followers = Set(net_map(&spec.company));
        active.update(db).await.unwrap();

        // Later duplicates of a network replace earlier ones, as a map would.
        spec.cpm = dedup_networks(&spec.cpm);
        spec.company = dedup_networks(&spec.company);
        for user in &mut spec.users {
            user.accounts = dedup_networks(&user.accounts);
        }

        let mut user_ids = Vec::new();
        for (i, u) in spec.users.iter().enumerate() {
            let id = Uuid::now_v7();
            user_ids.push(id);
            users::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                email: Set(format!("u{i}-{}@{slug}.example", id.simple())),
                display_name: Set(format!("User {i}")),
                language: Set("en".to_owned()),
                password_hash: Set(None),
                roles: Set("EMPLOYEE".to_owned()),
                ambassador_status: Set(STATUSES[u.status % STATUSES.len()].to_owned()),
                enrolled_at: Set(None),
                status_changed_at: Set(None),
                created_at: Set(now),
            }
            .insert(db)
            .await
            .unwrap();
            for (n, followers) in &u.accounts {
                social_accounts::ActiveModel {
                    organization_id: Set(org.id),
                    user_id: Set(id),
                    network: Set(NETWORKS[*n].to_owned()),
                    handle: Set(format!("@u{i}")),
                    follower_count: Set(*followers),
                    updated_at: Set(now),
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        let n_users = user_ids.len();

        let mut group_ids = Vec::new();
        let mut group_names = Vec::new();
        let mut members = Vec::new();
        for (g, list) in spec.groups.iter().enumerate() {
            let id = Uuid::now_v7();
            // Names sort in another order than creation.
            let name = format!("Group {}", (b'Z' - g as u8) as char);
            groups::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                name: Set(name.clone()),
                created_at: Set(now),
            }
            .insert(db)
            .await
            .unwrap();
            let set: BTreeSet<usize> = if n_users == 0 {
                BTreeSet::new()
            } else {
                list.iter().map(|u| u % n_users).collect()
            };
            for u in &set {
                group_members::ActiveModel {
                    organization_id: Set(org.id),
                    group_id: Set(id),
                    user_id: Set(user_ids[*u]),
                }
                .insert(db)
                .await
                .unwrap();
            }
            group_ids.push(id);
            group_names.push(name);
            members.push(set);
        }

        let mut topic_ids = Vec::new();
        for t in 0..spec.topics {
            let id = Uuid::now_v7();
            topics::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                name: Set(format!("Topic {t}")),
                created_at: Set(now),
            }
            .insert(db)
            .await
            .unwrap();
            topic_ids.push(id);
        }

        let admin_id: Uuid = org.admin_id.parse().unwrap();
        let mut content_ids = Vec::new();
        let mut content_topic_set = BTreeSet::new();
        for (c, tags) in spec.contents.iter().enumerate() {
            let id = Uuid::now_v7();
            contents::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                kind: Set("ARTICLE".to_owned()),
                title: Set(format!("Item {c}")),
                summary: Set(None),
                body: Set(None),
                url: Set(format!("https://example.com/{c}")),
                image_url: Set(None),
                language: Set(None),
                pinned: Set(false),
                targeted: Set(false),
                publish_at: Set(Some(now)),
                expires_at: Set(None),
                archived_at: Set(None),
                created_by: Set(admin_id),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await
            .unwrap();
            if spec.topics > 0 {
                let tags: BTreeSet<usize> = tags.iter().map(|t| t % spec.topics).collect();
                for t in tags {
                    content_topics::ActiveModel {
                        organization_id: Set(org.id),
                        content_id: Set(id),
                        topic_id: Set(topic_ids[t]),
                    }
                    .insert(db)
                    .await
                    .unwrap();
                    content_topic_set.insert((c, t));
                }
            }
            content_ids.push(id);
        }

        let mut share_rows = Vec::new();
        if n_users > 0 && !content_ids.is_empty() {
            for s in &mut spec.shares {
                s.user %= n_users;
                s.content %= content_ids.len();
                let key = Uuid::new_v4().simple().to_string();
                share_rows.push(shares::Model {
                    id: Uuid::now_v7(),
                    organization_id: org.id,
                    user_id: user_ids[s.user],
                    content_id: content_ids[s.content],
                    network: NETWORKS[s.network % NETWORKS.len()].to_owned(),
                    comment: None,
                    shared_at: at(day_of(s.day), s.second),
                    potential_reach: s.reach,
                    idempotency_key: key.clone(),
                    request_hash: key.clone(),
                    tracking_code: key,
                    points_awarded: 0,
                    created_at: now,
                });
            }
        } else {
            spec.shares.clear();
        }
        rollups::insert_shares(db, Tenant::seeding(org.id), &share_rows)
            .await
            .unwrap();

        let mut click_rows = Vec::new();
        if !share_rows.is_empty() {
            for c in &mut spec.clicks {
                c.share %= share_rows.len();
                let share = &share_rows[c.share];
                click_rows.push(clicks::Model {
                    id: Uuid::now_v7(),
                    organization_id: org.id,
                    share_id: share.id,
                    content_id: share.content_id,
                    user_id: share.user_id,
                    network: share.network.clone(),
                    clicked_at: at(day_of(spec.shares[c.share].day + c.after), c.second),
                    visitor_key: Uuid::new_v4().simple().to_string(),
                });
            }
        } else {
            spec.clicks.clear();
        }
        rollups::insert_clicks(db, Tenant::seeding(org.id), &click_rows)
            .await
            .unwrap();

        World {
            org,
            spec,
            user_ids,
            group_ids,
            group_names,
            topic_ids,
            content_ids,
            content_topics: content_topic_set,
            members,
            others: 1,
        }
    }

    /// The GraphQL filter of `ask`, with indices resolved (None when an
    /// index points at nothing).
    pub fn filter(&self, ask: &Ask) -> Value {
        let from = day_of(ask.from);
        let to = from + Duration::days(ask.len);
        let mut f = json!({ "from": from.to_string(), "to": to.to_string() });
        if let Some(g) = ask.group.filter(|_| !self.group_ids.is_empty()) {
            f["groupId"] = json!(self.group_ids[g % self.group_ids.len()].to_string());
        }
        if let Some(n) = ask.network {
            f["network"] = json!(NETWORKS[n % NETWORKS.len()]);
        }
        if let Some(c) = ask.content.filter(|_| !self.content_ids.is_empty()) {
            f["contentId"] = json!(self.content_ids[c % self.content_ids.len()].to_string());
        }
        if let Some(t) = ask.topic.filter(|_| !self.topic_ids.is_empty()) {
            f["topicId"] = json!(self.topic_ids[t % self.topic_ids.len()].to_string());
        }
        f
    }

    fn status(&self, u: usize) -> &'static str {
        STATUSES[self.spec.users[u].status % STATUSES.len()]
    }

    /// The report as a recount of the rows gives it, or the error code it
    /// must fail with.
    pub fn recount(&self, ask: &Ask) -> Result<Value, &'static str> {
        let from = day_of(ask.from);
        let to = from + Duration::days(ask.len);
        let group = ask
            .group
            .filter(|_| !self.group_ids.is_empty())
            .map(|g| g % self.group_ids.len());
        let network = ask.network.map(|n| NETWORKS[n % NETWORKS.len()]);
        let content = ask
            .content
            .filter(|_| !self.content_ids.is_empty())
            .map(|c| c % self.content_ids.len());
        let topic = ask
            .topic
            .filter(|_| !self.topic_ids.is_empty())
            .map(|t| t % self.topic_ids.len());
        if let Some(g) = group
            && (self.members[g].len() as i64) < i64::from(self.spec.minimum_group_size)
        {
            return Err("FORBIDDEN");
        }
        let cpm: BTreeMap<&str, f64> = self
            .spec
            .cpm
            .iter()
            .map(|(n, c)| (NETWORKS[*n], *c as f64 / 100.0))
            .collect();

        // Whether a share matches the filter, whatever its date.
        let matches = |s: &ShareSpec| -> bool {
            group.is_none_or(|g| self.members[g].contains(&s.user))
                && network.is_none_or(|n| NETWORKS[s.network % NETWORKS.len()] == n)
                && content.is_none_or(|c| s.content == c)
                && topic.is_none_or(|t| self.content_topics.contains(&(s.content, t)))
        };
        let in_range = |d: NaiveDate| d >= from && d <= to;
        let picked: Vec<&ShareSpec> = self
            .spec
            .shares
            .iter()
            .filter(|s| matches(s) && in_range(day_of(s.day)))
            .collect();
        let picked_clicks: Vec<&ShareSpec> = self
            .spec
            .clicks
            .iter()
            .filter(|c| {
                let s = &self.spec.shares[c.share];
                matches(s) && in_range(day_of(s.day + c.after))
            })
            .map(|c| &self.spec.shares[c.share])
            .collect();
        let click_days: Vec<NaiveDate> = self
            .spec
            .clicks
            .iter()
            .filter(|c| {
                let s = &self.spec.shares[c.share];
                matches(s) && in_range(day_of(s.day + c.after))
            })
            .map(|c| day_of(self.spec.shares[c.share].day + c.after))
            .collect();

        let reach: i64 = picked.iter().map(|s| s.reach).sum();
        let emv: f64 = picked
            .iter()
            .map(|s| {
                s.reach as f64 / 1000.0
                    * cpm
                        .get(NETWORKS[s.network % NETWORKS.len()])
                        .copied()
                        .unwrap_or(0.0)
            })
            .sum();
        let active: BTreeSet<usize> = picked.iter().map(|s| s.user).collect();
        let in_scope = |u: usize| group.is_none_or(|g| self.members[g].contains(&u));
        let enrolled = (0..self.spec.users.len())
            .filter(|u| in_scope(*u) && matches!(self.status(*u), "ACTIVE" | "PAUSED"))
            .count();
        let rate = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let company: i64 = self.spec.company.iter().map(|(_, f)| f).sum();
        let declared: i64 = (0..self.spec.users.len())
            .filter(|u| self.status(*u) == "ACTIVE")
            .flat_map(|u| self.spec.users[u].accounts.iter().map(|(_, f)| *f))
            .sum();

        let mut daily = Vec::new();
        let mut d = from;
        while d <= to {
            let day_shares: Vec<&&ShareSpec> =
                picked.iter().filter(|s| day_of(s.day) == d).collect();
            daily.push(json!({
                "date": d.to_string(),
                "shares": day_shares.len(),
                "clicks": click_days.iter().filter(|c| **c == d).count(),
                "potentialReach": day_shares.iter().map(|s| s.reach).sum::<i64>(),
            }));
            d += Duration::days(1);
        }

        let by_network: Vec<Value> = NETWORKS
            .iter()
            .map(|n| {
                let on = |s: &&&ShareSpec| NETWORKS[s.network % NETWORKS.len()] == *n;
                json!({
                    "network": n,
                    "shares": picked.iter().filter(|s| on(s)).count(),
                    "clicks": picked_clicks.iter().filter(|s| on(s)).count(),
                    "potentialReach": picked.iter().filter(|s| on(s)).map(|s| s.reach).sum::<i64>(),
                })
            })
            .collect();

        let mut by_group: Vec<(String, Value)> = Vec::new();
        for (g, set) in self.members.iter().enumerate() {
            if (set.len() as i64) < i64::from(self.spec.minimum_group_size) {
                continue;
            }
            let theirs: Vec<&&ShareSpec> =
                picked.iter().filter(|s| set.contains(&s.user)).collect();
            let act: BTreeSet<usize> = theirs.iter().map(|s| s.user).collect();
            let enr = set
                .iter()
                .filter(|u| matches!(self.status(**u), "ACTIVE" | "PAUSED"))
                .count();
            by_group.push((
                self.group_names[g].clone(),
                json!({
                    "group": { "id": self.group_ids[g].to_string() },
                    "shares": theirs.len(),
                    "activeAmbassadors": act.len(),
                    "enrolledAmbassadors": enr,
                    "participationRate": rate(act.len(), enr),
                }),
            ));
        }
        by_group.sort_by(|a, b| a.0.cmp(&b.0));

        // (shares, clicks, reach) per item and per person.
        let mut per_content: BTreeMap<usize, (i64, i64, i64)> = BTreeMap::new();
        let mut per_user: BTreeMap<usize, (i64, i64, i64)> = BTreeMap::new();
        for s in &picked {
            let e = per_content.entry(s.content).or_default();
            e.0 += 1;
            e.2 += s.reach;
            let e = per_user.entry(s.user).or_default();
            e.0 += 1;
            e.2 += s.reach;
        }
        for s in &picked_clicks {
            per_content.entry(s.content).or_default().1 += 1;
            per_user.entry(s.user).or_default().1 += 1;
        }
        let mut top_content: Vec<(Uuid, (i64, i64, i64))> = per_content
            .into_iter()
            .map(|(c, f)| (self.content_ids[c], f))
            .collect();
        top_content.sort_by(|(ai, a), (bi, b)| (b.0, b.1, b.2, bi).cmp(&(a.0, a.1, a.2, ai)));
        let top_content: Vec<Value> = top_content
            .into_iter()
            .map(|(id, f)| {
                json!({ "content": { "id": id.to_string() }, "shares": f.0, "clicks": f.1, "potentialReach": f.2 })
            })
            .collect();
        let mut top_people: Vec<(Uuid, (i64, i64, i64))> = if self.spec.individual_analytics {
            per_user
                .into_iter()
                .filter(|(u, _)| self.status(*u) != "WITHDRAWN")
                .map(|(u, f)| (self.user_ids[u], f))
                .collect()
        } else {
            Vec::new()
        };
        top_people.sort_by(|(ai, a), (bi, b)| (b.0, b.2, bi).cmp(&(a.0, a.2, ai)));
        let top_people: Vec<Value> = top_people
            .into_iter()
            .map(|(id, f)| {
                json!({ "user": { "id": id.to_string() }, "shares": f.0, "clicks": f.1, "potentialReach": f.2 })
            })
            .collect();

        let count = |status: &str| {
            (0..self.spec.users.len())
                .filter(|u| in_scope(*u) && self.status(*u) == status)
                .count()
        };
        let others = if group.is_some() { 0 } else { self.others };
        let employees = (0..self.spec.users.len()).filter(|u| in_scope(*u)).count() as i64 + others;

        Ok(json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "totals": {
                "shares": picked.len(),
                "activeAmbassadors": active.len(),
                "enrolledAmbassadors": enrolled,
                "participationRate": rate(active.len(), enrolled),
                "potentialReach": reach,
                "clicks": click_days.len(),
                "clickThroughRate": if reach == 0 { 0.0 } else { click_days.len() as f64 / reach as f64 },
                "earnedMediaValue": emv,
                "networkMultiplier": if company == 0 { 0.0 } else { declared as f64 / company as f64 },
            },
            "daily": daily,
            "byNetwork": by_network,
            "byGroup": by_group.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
            "topContent": top_content,
            "topAmbassadors": top_people,
            "funnel": {
                "employees": employees,
                "invited": count("INVITED"),
                "active": count("ACTIVE"),
                "paused": count("PAUSED"),
                "declined": count("DECLINED"),
                "withdrawn": count("WITHDRAWN"),
            },
        }))
    }
}

/// Keeps the last value given for each network, in network order.
fn dedup_networks(pairs: &[(usize, i64)]) -> Vec<(usize, i64)> {
    let map: BTreeMap<usize, i64> = pairs
        .iter()
        .map(|(n, v)| (n % NETWORKS.len(), *v))
        .collect();
    map.into_iter().collect()
}

/// Every field of the report.
pub const REPORT: &str = "query($f: EngagementFilter!) { engagement(filter: $f) {
    from to
    totals { shares activeAmbassadors enrolledAmbassadors participationRate potentialReach clicks clickThroughRate earnedMediaValue networkMultiplier }
    daily { date shares clicks potentialReach }
    byNetwork { network shares clicks potentialReach }
    byGroup { group { id } shares activeAmbassadors enrolledAmbassadors participationRate }
    topContent(first: 100) { content { id } shares clicks potentialReach }
    topAmbassadors(first: 100) { user { id } shares clicks potentialReach }
    funnel { employees invited active paused declined withdrawn }
} }";

/// Asserts `actual` equals `expected`, numbers within a relative 1e-9.
pub fn assert_close(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
                "{path}: {a} != {b}"
            );
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(
                a.len(),
                b.len(),
                "{path}: lengths differ: {actual} vs {expected}"
            );
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_close(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                assert_close(
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                );
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}
