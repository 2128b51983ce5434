//! The feed's in-memory catalogue: for each organization, the items that are
//! or will be in feeds (published or scheduled, neither archived nor expired
//! when loaded), with only what the feed filters and orders on. The feed is
//! read far more often than content changes, so a feed request filters and
//! pages this list in memory and reads from the database only the viewer's
//! own rows (groups, dismissals) and the full rows of the page's items.
//!
//! **Freshness across servers.** Every write to an organization's content
//! bumps its row in `content_versions` in the same transaction
//! ([`bump_version`]). Each feed request reads that version (one indexed
//! read, in the same statement as the viewer's groups and dismissals) and
//! reloads the catalogue when the one held is older, so the next request on
//! any server sees a write once it has committed. Time rules (publishAt,
//! expiresAt) are applied per request, so a scheduled item appears and an
//! expiring one leaves without any write.
//!
//! **What it shows.** Each item also holds what a feed page shows of it
//! and what only a content write changes: its row (title, summary, body,
//! URL...), its topics and target groups (id and name) and its suggested
//! texts, so a warm feed page reads nothing of the items from the database;
//! only share counts (written by every share) are read per request. Topic
//! and group names cannot change through the API today; a mutation that
//! renames either must bump the version of its organization
//! ([`bump_version`]), or feeds will show the old name.
//!
//! **Memory bound.** The catalogues of all organizations together hold at
//! most `max_items` items (setting `FEED_CATALOGUE_MAX_ITEMS`, 200,000 by
//! default) and at most `max_bytes` bytes (setting
//! `FEED_CATALOGUE_MAX_BYTES`, 48 MiB by default), counted per item from its
//! text lengths (bodies may reach 20,000 characters) plus its fixed size;
//! loading one past either evicts the least recently used organizations. An
//! organization with more live items or bytes than the whole bound is
//! served by the database query instead, as is every organization when
//! either bound is 0.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use chrono::{DateTime, Utc};
use entity::{
    content_groups, content_suggested_texts, content_topics, content_versions, contents, groups,
    topics,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, QueryFilter, QuerySelect, QueryTrait, Set,
    sea_query::{Expr, ExprTrait, Func, OnConflict},
};
use uuid::Uuid;

use super::{
    ContentKind,
    visibility::{self, Facts, FeedRules, Key, Reader, ReaderRows},
};
use crate::{
    domain::SocialNetwork,
    error::AppResult,
    tenant::{Tenant, TenantEntity},
};

/// Records that the organization's content changed. Call it in the same
/// transaction as every write to `contents`, `content_groups`,
/// `content_topics` or `content_suggested_texts` (and anything else the
/// feed filters on or shows from the catalogue, such as a future rename of
/// a topic or group), or servers will keep serving their old catalogue.
pub async fn bump_version(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use content_versions::Column as C;
    tenant
        .insert(content_versions::ActiveModel {
            version: Set(1),
            changed_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(C::OrganizationId)
                .value(
                    C::Version,
                    Expr::col((content_versions::Entity, C::Version)).add(1),
                )
                .update_column(C::ChangedAt)
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// One item as the feed sees it.
#[derive(Debug)]
struct Item {
    id: Uuid,
    pinned: bool,
    publish_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    /// Index into `Catalogue::languages`; None reaches every language.
    language: Option<u16>,
    kind: ContentKind,
    /// None: aimed at everyone; otherwise at these groups.
    groups: Option<Box<[Uuid]>>,
    topics: Box<[Uuid]>,
    shown: Arc<Shown>,
}

/// What a feed page shows of one item and only a content write changes.
#[derive(Debug)]
pub struct Shown {
    pub content: contents::Model,
    /// By name, then id.
    pub topics: Vec<topics::Model>,
    /// By name, then id.
    pub groups: Vec<groups::Model>,
    /// In the order of `SocialNetwork`.
    pub suggested_texts: Vec<(SocialNetwork, String)>,
}

impl Shown {
    /// Roughly the heap and inline bytes this item takes in a catalogue.
    fn bytes(&self) -> usize {
        use std::mem::size_of;
        let c = &self.content;
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        size_of::<Item>()
            + size_of::<Shown>()
            + 16 // the Arc's counters
            + c.kind.len()
            + c.title.len()
            + opt(&c.summary)
            + opt(&c.body)
            + c.url.len()
            + opt(&c.image_url)
            + 2 * opt(&c.language)
            + self
                .topics
                .iter()
                .map(|t| size_of::<topics::Model>() + t.name.len() + 16)
                .sum::<usize>()
            + self
                .groups
                .iter()
                .map(|g| size_of::<groups::Model>() + g.name.len() + 16)
                .sum::<usize>()
            + self
                .suggested_texts
                .iter()
                .map(|(_, t)| size_of::<(SocialNetwork, String)>() + t.len())
                .sum::<usize>()
    }
}

impl Item {
    fn key(&self) -> Key {
        (self.pinned, self.publish_at, self.id)
    }

    /// The item as the feed rules read it; `languages` is its catalogue's.
    fn facts<'a>(&'a self, languages: &'a [String]) -> Facts<'a> {
        Facts {
            id: self.id,
            pinned: self.pinned,
            publish_at: self.publish_at,
            // A catalogue holds no draft and no archived item (`held`).
            published: true,
            expires_at: self.expires_at,
            archived: false,
            language: self.language.map(|l| languages[usize::from(l)].as_str()),
            kind: self.kind,
            groups: self.groups.as_deref(),
            topics: &self.topics,
        }
    }
}

/// One organization's catalogue at one content version.
#[derive(Debug)]
pub struct Catalogue {
    version: i64,
    /// The clock when it was loaded: items expired by then are left out, so
    /// it cannot answer for an earlier time.
    loaded_at: DateTime<Utc>,
    languages: Vec<String>,
    /// Pinned first, then newest publishAt, then id, all descending.
    items: Vec<Item>,
    /// What the items take in memory, as `Shown::bytes` counts it.
    bytes: usize,
}

impl Catalogue {
    fn new(
        version: i64,
        loaded_at: DateTime<Utc>,
        languages: Vec<String>,
        mut items: Vec<Item>,
    ) -> Self {
        items.sort_unstable_by_key(|item| std::cmp::Reverse(item.key()));
        let bytes = items.iter().map(|item| item.shown.bytes()).sum();
        Self {
            version,
            loaded_at,
            languages,
            items,
            bytes,
        }
    }

    /// What the items take in memory, roughly.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn serves(&self, version: i64, now: DateTime<Utc>) -> bool {
        self.version >= version && now >= self.loaded_at
    }

    /// At most `limit` items of the reader's feed, in feed order: those
    /// the in-memory form of `feed`'s rules admits.
    pub fn page(
        &self,
        feed: &FeedRules,
        reader: &Reader,
        rows: &ReaderRows<'_>,
        limit: usize,
    ) -> Vec<Arc<Shown>> {
        let rules = feed.rules();
        // Items are in feed order: those after the cursor start here (its
        // rule would pass over the others one by one).
        let start = feed.after.as_ref().map_or(0, |cursor| {
            self.items
                .partition_point(|item| item.key() >= cursor.key())
        });
        self.items[start..]
            .iter()
            .filter(|item| visibility::admits(&rules, &item.facts(&self.languages), reader, rows))
            .take(limit)
            .map(|item| item.shown.clone())
            .collect()
    }
}

/// The rows a catalogue holds: not archived, published or scheduled, and
/// not expired at `now`.
fn held(now: DateTime<Utc>) -> Condition {
    use contents::Column as C;
    Condition::all()
        .add(C::ArchivedAt.is_null())
        .add(C::PublishAt.is_not_null())
        .add(
            Condition::any()
                .add(C::ExpiresAt.is_null())
                .add(C::ExpiresAt.gt(now)),
        )
}

/// Pairs (content id, linked id) of a link table, for the held items.
async fn links<E: TenantEntity>(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    now: DateTime<Utc>,
    content_col: E::Column,
    other_col: E::Column,
) -> AppResult<Vec<(Uuid, Uuid)>> {
    let held_ids = tenant
        .find::<contents::Entity>()
        .filter(held(now))
        .select_only()
        .column(contents::Column::Id)
        .into_query();
    Ok(tenant
        .find::<E>()
        .filter(content_col.in_subquery(held_ids))
        .select_only()
        .column(content_col)
        .column(other_col)
        .into_tuple()
        .all(conn)
        .await?)
}

/// Reads the organization's catalogue, or None when it holds more than
/// `max_items` items or `max_bytes` bytes. `version` must have been read
/// before this is called, so the rows are at least as new as the version
/// they are labelled with.
async fn load(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    version: i64,
    now: DateTime<Utc>,
    max_items: usize,
    max_bytes: usize,
) -> AppResult<Option<Catalogue>> {
    // First the number of items and of characters in their texts (a lower
    // bound of their bytes), so an organization far beyond the bound is
    // never read into memory; `Shown::bytes` then counts exactly.
    use contents::Column as C;
    let len = |c: C| {
        Expr::from(Func::coalesce([
            Expr::from(Func::cust("LENGTH").arg(Expr::col(c))),
            Expr::val(0),
        ]))
    };
    let chars = len(C::Title)
        .add(len(C::Summary))
        .add(len(C::Body))
        .add(len(C::Url))
        .add(len(C::ImageUrl));
    let (count, text_chars): (i64, i64) = tenant
        .find::<contents::Entity>()
        .filter(held(now))
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(
            Expr::from(Func::coalesce([Expr::from(Func::sum(chars)), Expr::val(0)])),
            "chars",
        )
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or((0, 0));
    if count as usize > max_items || text_chars as usize > max_bytes {
        return Ok(None);
    }
    let rows: Vec<contents::Model> = tenant
        .find::<contents::Entity>()
        .filter(held(now))
        .limit(max_items as u64 + 1)
        .all(conn)
        .await?;
    if rows.len() > max_items {
        return Ok(None);
    }
    let mut groups: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (content, group) in links::<content_groups::Entity>(
        conn,
        tenant,
        now,
        content_groups::Column::ContentId,
        content_groups::Column::GroupId,
    )
    .await?
    {
        groups.entry(content).or_default().push(group);
    }
    let mut topics: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (content, topic) in links::<content_topics::Entity>(
        conn,
        tenant,
        now,
        content_topics::Column::ContentId,
        content_topics::Column::TopicId,
    )
    .await?
    {
        topics.entry(content).or_default().push(topic);
    }
    let held_ids = tenant
        .find::<contents::Entity>()
        .filter(held(now))
        .select_only()
        .column(contents::Column::Id)
        .into_query();
    let mut texts: HashMap<Uuid, Vec<(SocialNetwork, String)>> = HashMap::new();
    for row in tenant
        .find::<content_suggested_texts::Entity>()
        .filter(content_suggested_texts::Column::ContentId.in_subquery(held_ids))
        .all(conn)
        .await?
    {
        if let Some(network) = SocialNetwork::parse(&row.network) {
            texts
                .entry(row.content_id)
                .or_default()
                .push((network, row.text));
        }
    }
    // Every topic and group of the organization: a few hundred at most.
    let topic_rows: HashMap<Uuid, topics::Model> = tenant
        .find::<topics::Entity>()
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let group_rows: HashMap<Uuid, groups::Model> = tenant
        .find::<groups::Entity>()
        .all(conn)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut languages: Vec<String> = Vec::new();
    let mut items = Vec::with_capacity(rows.len());
    let mut bytes = 0;
    for row in rows {
        let id = row.id;
        let language = row
            .language
            .as_ref()
            .map(|l| match languages.iter().position(|x| x == l) {
                Some(i) => i as u16,
                None => {
                    languages.push(l.clone());
                    (languages.len() - 1) as u16
                }
            });
        let group_ids = groups.remove(&id).unwrap_or_default();
        let topic_ids = topics.remove(&id).unwrap_or_default();
        let mut shown_topics: Vec<topics::Model> = topic_ids
            .iter()
            .filter_map(|t| topic_rows.get(t).cloned())
            .collect();
        shown_topics.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let mut shown_groups: Vec<groups::Model> = group_ids
            .iter()
            .filter_map(|g| group_rows.get(g).cloned())
            .collect();
        shown_groups.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let mut suggested_texts = texts.remove(&id).unwrap_or_default();
        suggested_texts.sort_by_key(|(network, _)| *network);
        let item = Item {
            id,
            pinned: row.pinned,
            publish_at: row.publish_at.unwrap_or(row.created_at),
            expires_at: row.expires_at,
            language,
            kind: ContentKind::parse(&row.kind),
            // An item marked as targeted reaches only members of its groups,
            // even if it has none left.
            groups: row.targeted.then(|| group_ids.into()),
            topics: topic_ids.into(),
            shown: Arc::new(Shown {
                content: row,
                topics: shown_topics,
                groups: shown_groups,
                suggested_texts,
            }),
        };
        bytes += item.shown.bytes();
        if bytes > max_bytes {
            return Ok(None);
        }
        items.push(item);
    }
    Ok(Some(Catalogue::new(version, now, languages, items)))
}

/// What a server holds for one organization.
enum Held {
    Nothing,
    Catalogue(Arc<Catalogue>),
    /// More live items than the bound at this version: use the database.
    TooLarge(i64),
}

struct Slot {
    held: RwLock<Held>,
    /// One load at a time per organization; the others wait and reuse it.
    loading: tokio::sync::Mutex<()>,
    last_used: AtomicU64,
}

/// The catalogues of every organization this server has served lately.
pub struct FeedCatalogues {
    max_items: usize,
    max_bytes: usize,
    slots: Mutex<HashMap<Uuid, Arc<Slot>>>,
    ticks: AtomicU64,
}

/// What to answer a feed request from.
pub enum Source {
    Memory(Arc<Catalogue>),
    /// The catalogue is off or the organization is too large for it.
    Database,
}

impl FeedCatalogues {
    /// Holds at most `max_items` items and `max_bytes` bytes over all
    /// organizations; 0 for either turns the catalogue off.
    pub fn new(max_items: usize, max_bytes: usize) -> Self {
        Self {
            max_items,
            max_bytes,
            slots: Mutex::new(HashMap::new()),
            ticks: AtomicU64::new(0),
        }
    }

    /// Items held over all organizations.
    pub fn held_items(&self) -> usize {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.values().map(|s| s.len()).sum()
    }

    /// Bytes held over all organizations, as the bound counts them.
    pub fn held_bytes(&self) -> usize {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.values().map(|s| s.bytes()).sum()
    }

    fn slot(&self, org_id: Uuid) -> Arc<Slot> {
        let tick = self.ticks.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let slot = slots.entry(org_id).or_insert_with(|| {
            Arc::new(Slot {
                held: RwLock::new(Held::Nothing),
                loading: tokio::sync::Mutex::new(()),
                last_used: AtomicU64::new(tick),
            })
        });
        slot.last_used.store(tick, Ordering::Relaxed);
        slot.clone()
    }

    /// The organization's catalogue at `version` or newer, usable at
    /// `now`, loading it when the one held is older.
    pub async fn get(
        &self,
        conn: &impl ConnectionTrait,
        tenant: Tenant,
        version: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Source> {
        if self.max_items == 0 || self.max_bytes == 0 {
            return Ok(Source::Database);
        }
        let org_id = tenant.org_id();
        let slot = self.slot(org_id);
        if let Some(source) = slot.current(version, now) {
            return Ok(source);
        }
        let _loading = slot.loading.lock().await;
        if let Some(source) = slot.current(version, now) {
            return Ok(source);
        }
        let source = match load(conn, tenant, version, now, self.max_items, self.max_bytes).await? {
            Some(catalogue) => {
                let catalogue = Arc::new(catalogue);
                slot.set(Held::Catalogue(catalogue.clone()));
                self.evict_beyond_bound(org_id, &slot);
                Source::Memory(catalogue)
            }
            None => {
                tracing::warn!(%org_id, max_items = self.max_items, max_bytes = self.max_bytes, "feed catalogue: organization too large, using the database");
                slot.set(Held::TooLarge(version));
                Source::Database
            }
        };
        Ok(source)
    }

    /// Drops the least recently used catalogues until the bound holds.
    fn evict_beyond_bound(&self, org_id: Uuid, slot: &Arc<Slot>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        // The slot may have been evicted while it loaded.
        slots.entry(org_id).or_insert_with(|| slot.clone());
        let mut total: usize = slots.values().map(|s| s.len()).sum();
        let mut total_bytes: usize = slots.values().map(|s| s.bytes()).sum();
        while total > self.max_items || total_bytes > self.max_bytes {
            let Some((&victim, _)) = slots
                .iter()
                .filter(|(id, s)| **id != org_id && s.len() > 0)
                .min_by_key(|(_, s)| s.last_used.load(Ordering::Relaxed))
            else {
                break;
            };
            if let Some(evicted) = slots.remove(&victim) {
                total -= evicted.len();
                total_bytes -= evicted.bytes();
            }
        }
    }
}

impl Slot {
    fn current(&self, version: i64, now: DateTime<Utc>) -> Option<Source> {
        match &*self.held.read().unwrap_or_else(|e| e.into_inner()) {
            Held::Catalogue(c) if c.serves(version, now) => Some(Source::Memory(c.clone())),
            Held::TooLarge(at) if *at >= version => Some(Source::Database),
            _ => None,
        }
    }

    fn set(&self, held: Held) {
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = held;
    }

    fn len(&self) -> usize {
        match &*self.held.read().unwrap_or_else(|e| e.into_inner()) {
            Held::Catalogue(c) => c.len(),
            _ => 0,
        }
    }

    fn bytes(&self) -> usize {
        match &*self.held.read().unwrap_or_else(|e| e.into_inner()) {
            Held::Catalogue(c) => c.bytes(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::content::visibility::FeedCursor;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn item(n: u128, pinned: bool, hours_ago: i64) -> Item {
        let publish_at = now() - Duration::hours(hours_ago);
        Item {
            id: Uuid::from_u128(n),
            pinned,
            publish_at,
            expires_at: None,
            language: None,
            kind: ContentKind::Article,
            groups: None,
            topics: Box::new([]),
            shown: Arc::new(Shown {
                content: contents::Model {
                    id: Uuid::from_u128(n),
                    organization_id: Uuid::nil(),
                    kind: "ARTICLE".into(),
                    title: format!("Item {n}"),
                    summary: None,
                    body: Some("x".repeat(1000)),
                    url: "https://e.com".into(),
                    image_url: None,
                    language: None,
                    pinned,
                    targeted: false,
                    publish_at: Some(publish_at),
                    expires_at: None,
                    archived_at: None,
                    created_by: Uuid::nil(),
                    created_at: publish_at,
                    updated_at: publish_at,
                },
                topics: Vec::new(),
                groups: Vec::new(),
                suggested_texts: Vec::new(),
            }),
        }
    }

    fn ids(page: Vec<Arc<Shown>>) -> Vec<u128> {
        page.iter().map(|s| s.content.id.as_u128()).collect()
    }

    fn page(catalogue: &Catalogue, after: Option<FeedCursor>, limit: usize) -> Vec<Arc<Shown>> {
        let none = std::collections::HashSet::new();
        let rules = FeedRules {
            after,
            ..FeedRules::at(now())
        };
        let rows = ReaderRows {
            groups: &none,
            dismissed: &none,
        };
        catalogue.page(&rules, &Reader::new(Uuid::nil(), "en"), &rows, limit)
    }

    #[test]
    fn pages_follow_pinned_then_publication_then_id_descending_after_the_cursor() {
        let catalogue = Catalogue::new(
            1,
            now(),
            Vec::new(),
            vec![
                item(1, false, 5),
                item(2, true, 50),
                item(3, false, 1),
                item(4, false, 5),
                item(5, false, -1), // scheduled
            ],
        );
        let all = page(&catalogue, None, 10);
        assert_eq!(ids(all), vec![2, 3, 4, 1]);
        let cursor = FeedCursor {
            pinned: false,
            publish_at: now() - Duration::hours(5),
            id: Uuid::from_u128(4),
        };
        let rest = page(&catalogue, Some(cursor), 10);
        assert_eq!(ids(rest), vec![1]);
    }

    #[test]
    fn a_catalogue_counts_the_bytes_of_its_texts() {
        let catalogue = Catalogue::new(1, now(), Vec::new(), vec![item(1, false, 1)]);
        assert!(catalogue.bytes() > 1000, "{}", catalogue.bytes());
        assert!(catalogue.bytes() < 2000, "{}", catalogue.bytes());
    }

    #[test]
    fn a_catalogue_serves_its_version_and_older_and_only_from_its_load_time_on() {
        let catalogue = Catalogue::new(3, now(), Vec::new(), Vec::new());
        assert!(catalogue.serves(3, now()));
        assert!(catalogue.serves(2, now() + Duration::hours(1)));
        assert!(!catalogue.serves(4, now()));
        assert!(!catalogue.serves(3, now() - Duration::seconds(1)));
    }
}
