//! The daily feed of an ACTIVE ambassador, the new items of it for the
//! daily digest, the visibility of one item, and dismissing items from the
//! feed. What the feed holds and its order are `content::visibility`'s
//! rules; this answers them from the in-memory catalogue or from one SQL
//! query.

use std::{collections::HashSet, sync::Arc};

use chrono::{DateTime, Utc};
use entity::{content_dismissals, contents, topics, users};
use sea_orm::{Condition, ConnectionTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use super::{
    ContentKind,
    catalogue::{FeedCatalogues, Shown, Source},
    visibility::{self, FeedCursor, FeedRules, Reader, ReaderRows},
};
use crate::{
    auth::{Role, Viewer},
    domain::AmbassadorStatus,
    error::{AppError, AppResult},
    pagination::{First, Page, decode_cursor},
    tenant::Tenant,
};

/// Roles that see every item of their organization, whatever its status.
const STAFF: &[Role] = &[Role::Curator, Role::Hr];

/// How many items the daily digest lists at most.
pub const DIGEST_ITEMS: u64 = 10;

/// The viewer's user row, if they are an ACTIVE ambassador.
pub(crate) async fn active_ambassador(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Option<users::Model>> {
    let user = Tenant::of(viewer)
        .get::<users::Entity>(conn, viewer.user_id(), "user")
        .await?;
    Ok(
        (AmbassadorStatus::parse(&user.ambassador_status) == AmbassadorStatus::Active)
            .then_some(user),
    )
}

/// The rows of `contents` that `user` may see at `now`, dismissed items
/// included (`visibility::may_see`).
pub(crate) fn visible_to(tenant: Tenant, user: &users::Model, now: DateTime<Utc>) -> Condition {
    visibility::condition(
        &visibility::may_see(now),
        tenant,
        &Reader::new(user.id, &user.language),
    )
}

pub struct FeedFilter {
    pub topic_id: Option<Uuid>,
    pub kind: Option<ContentKind>,
}

/// A page of the feed.
pub struct FeedPage {
    pub page: Page<contents::Model>,
    /// When answered from the catalogue, what it holds of each row, in the
    /// same order (topics, target groups, suggested texts), so nothing more
    /// of the items needs reading.
    pub shown: Option<Vec<Arc<Shown>>>,
}

/// The viewer's feed: only for ACTIVE ambassadors (FORBIDDEN otherwise).
/// Answered from the organization's in-memory catalogue (see
/// `content::catalogue`) when it is on, from one SQL query otherwise. With
/// a warm catalogue and no topic filter, it runs one statement.
pub async fn feed(
    conn: &impl ConnectionTrait,
    catalogues: &FeedCatalogues,
    viewer: &Viewer,
    now: DateTime<Utc>,
    filter: FeedFilter,
    first: First,
    after: Option<&str>,
) -> AppResult<FeedPage> {
    let cursor: Option<FeedCursor> = after.map(decode_cursor).transpose()?;
    let had_cursor = cursor.is_some();
    let tenant = Tenant::of(viewer);
    let reads = reader_reads(conn, tenant, viewer.user_id()).await?;
    let Some((_, status)) = &reads.reader else {
        return Err(AppError::NotFound("user"));
    };
    if *status != AmbassadorStatus::Active {
        return Err(AppError::Forbidden("the feed is for ACTIVE ambassadors"));
    }
    if let Some(topic_id) = filter.topic_id {
        tenant
            .get::<topics::Entity>(conn, topic_id, "topic")
            .await?;
    }
    let rules = FeedRules {
        topic_id: filter.topic_id,
        kind: filter.kind,
        after: cursor,
        ..FeedRules::at(now)
    };
    let (rows, shown) = items(conn, catalogues, tenant, &reads, &rules, first.probe()).await?;
    let page = Page::from_probe(rows, first, had_cursor);
    let shown = shown.map(|mut shown| {
        shown.truncate(page.rows.len());
        shown
    });
    Ok(FeedPage { page, shown })
}

/// What the daily digest lists for one person: the new items of their own
/// feed, published after `since` and by `now`, in feed order (pinned
/// first), at most `DIGEST_ITEMS`, with exactly the feed's rules
/// (dismissed items left out). Empty unless the person is ACTIVE.
pub async fn new_since(
    conn: &impl ConnectionTrait,
    catalogues: &FeedCatalogues,
    tenant: Tenant,
    user_id: Uuid,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<Vec<contents::Model>> {
    let reads = reader_reads(conn, tenant, user_id).await?;
    if !matches!(reads.reader, Some((_, AmbassadorStatus::Active))) {
        return Ok(Vec::new());
    }
    let rules = FeedRules {
        published_after: Some(since),
        ..FeedRules::at(now)
    };
    let (rows, _) = items(conn, catalogues, tenant, &reads, &rules, DIGEST_ITEMS).await?;
    Ok(rows)
}

/// At most `limit` items of the reader's feed under `rules`, in feed order:
/// from the organization's catalogue when it serves it (with what it holds
/// of each item), from one SQL query otherwise.
async fn items(
    conn: &impl ConnectionTrait,
    catalogues: &FeedCatalogues,
    tenant: Tenant,
    reads: &ReaderReads,
    rules: &FeedRules,
    limit: u64,
) -> AppResult<(Vec<contents::Model>, Option<Vec<Arc<Shown>>>)> {
    let Some((reader, _)) = &reads.reader else {
        return Ok((Vec::new(), None));
    };
    match catalogues
        .get(conn, tenant, reads.version, rules.now)
        .await?
    {
        Source::Memory(catalogue) => {
            let rows = ReaderRows {
                groups: &reads.groups,
                dismissed: &reads.dismissed,
            };
            let shown = catalogue.page(rules, reader, &rows, limit as usize);
            let items = shown.iter().map(|s| s.content.clone()).collect();
            Ok((items, Some(shown)))
        }
        Source::Database => {
            let items = rules.select(tenant, reader).limit(limit).all(conn).await?;
            Ok((items, None))
        }
    }
}

/// What a feed request reads of the reader and the organization: the
/// reader's user row, the organization's content version, the reader's
/// groups and dismissals.
struct ReaderReads {
    /// None when the user row is gone.
    reader: Option<(Reader, AmbassadorStatus)>,
    version: i64,
    groups: HashSet<Uuid>,
    dismissed: HashSet<Uuid>,
}

/// Reads `ReaderReads` in one statement (four indexed lookups joined by
/// UNION ALL, each row tagged with the part it answers).
async fn reader_reads(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    user_id: Uuid,
) -> AppResult<ReaderReads> {
    const VERSION: i32 = 0;
    const GROUP: i32 = 1;
    const DISMISSED: i32 = 2;
    let mut sql = tenant.sql();
    let user = sql.bind(user_id);
    sql.push(&format!(
        "SELECT {VERSION} AS part, version, organization_id AS id, \
         CAST(NULL AS TEXT) AS status, CAST(NULL AS TEXT) AS language \
         FROM content_versions WHERE organization_id = $1 \
         UNION ALL SELECT {GROUP}, 0, group_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT) \
         FROM group_members WHERE organization_id = $1 AND user_id = {user} \
         UNION ALL SELECT {DISMISSED}, 0, content_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT) \
         FROM content_dismissals WHERE organization_id = $1 AND user_id = {user} \
         UNION ALL SELECT 3, 0, id, ambassador_status, language \
         FROM users WHERE organization_id = $1 AND id = {user}"
    ));
    let mut reads = ReaderReads {
        reader: None,
        // No row yet: the organization's content was never written.
        version: 0,
        groups: HashSet::new(),
        dismissed: HashSet::new(),
    };
    for row in sql.all(conn).await? {
        let part: i32 = row.try_get_by_index(0)?;
        let id: Uuid = row.try_get_by_index(2)?;
        match part {
            VERSION => reads.version = row.try_get_by_index(1)?,
            GROUP => {
                reads.groups.insert(id);
            }
            DISMISSED => {
                reads.dismissed.insert(id);
            }
            _ => {
                let status: String = row.try_get_by_index(3)?;
                let language: String = row.try_get_by_index(4)?;
                reads.reader = Some((Reader::new(id, &language), AmbassadorStatus::parse(&status)));
            }
        }
    }
    Ok(reads)
}

/// The item if the viewer may see it: curators, HR and admins see every item
/// of their organization; an ACTIVE ambassador what the feed rules allow,
/// dismissed items included; anyone else nothing.
pub async fn visible(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    id: Uuid,
) -> AppResult<Option<contents::Model>> {
    let tenant = Tenant::of(viewer);
    let by_id = tenant.find_by_id::<contents::Entity>(id);
    if viewer.has_any(STAFF) {
        return Ok(by_id.one(conn).await?);
    }
    let Some(user) = active_ambassador(conn, viewer).await? else {
        return Ok(None);
    };
    Ok(by_id
        .filter(visible_to(tenant, &user, now))
        .one(conn)
        .await?)
}
/// Hides an item the viewer may see from their feed; again is not an error.
pub async fn dismiss(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    now: DateTime<Utc>,
    content_id: Uuid,
) -> AppResult<()> {
    let item = visible(conn, viewer, now, content_id)
        .await?
        .ok_or(AppError::NotFound("content"))?;
    Tenant::of(viewer)
        .insert(content_dismissals::ActiveModel {
            user_id: Set(viewer.user_id()),
            content_id: Set(item.id),
            dismissed_at: Set(now),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([
            content_dismissals::Column::UserId,
            content_dismissals::Column::ContentId,
        ])
        .exec(conn)
        .await?;
    Ok(())
}
