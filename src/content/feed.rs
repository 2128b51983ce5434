//! The daily feed of an ACTIVE ambassador, the visibility of one item, and
//! dismissing items from the feed.

use std::{collections::HashSet, sync::Arc};

use chrono::{DateTime, Utc};
use entity::{
    content_dismissals, content_groups, content_topics, contents, group_members, topics, users,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    ContentKind, ContentStatus,
    catalogue::{FeedCatalogues, FeedRequest, Shown, Source},
    status_condition,
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

/// Languages an item may have to reach a user: none, theirs, or the primary
/// language of theirs (an item in `fr` reaches a user who reads `fr-CA`).
fn languages_of(language: &str) -> Vec<String> {
    let mut out = vec![language.to_owned()];
    if let Some((primary, _)) = language.split_once('-') {
        out.push(primary.to_owned());
    }
    out
}

/// What the feed rules let `user` see at `now`, dismissed items included:
/// published and not expired; aimed at everyone or at one of the user's
/// groups; in no language or in theirs.
pub(crate) fn visible_to(viewer: &Viewer, user: &users::Model, now: DateTime<Utc>) -> Condition {
    visible_to_reader(viewer, user.id, &user.language, now)
}

/// `visible_to` for the user `user_id` who reads `language`.
fn visible_to_reader(
    viewer: &Viewer,
    user_id: Uuid,
    language: &str,
    now: DateTime<Utc>,
) -> Condition {
    let my_groups = Tenant::of(viewer)
        .find::<group_members::Entity>()
        .filter(group_members::Column::UserId.eq(user_id))
        .select_only()
        .column(group_members::Column::GroupId)
        .into_query();
    let targeted_at_me = Tenant::of(viewer)
        .find::<content_groups::Entity>()
        .filter(content_groups::Column::GroupId.in_subquery(my_groups))
        .select_only()
        .column(content_groups::Column::ContentId)
        .into_query();
    Condition::all()
        .add(status_condition(ContentStatus::Published, now))
        .add(
            Condition::any()
                .add(contents::Column::Targeted.eq(false))
                .add(contents::Column::Id.in_subquery(targeted_at_me)),
        )
        .add(
            Condition::any()
                .add(contents::Column::Language.is_null())
                .add(contents::Column::Language.is_in(languages_of(language))),
        )
}

pub struct FeedFilter {
    pub topic_id: Option<Uuid>,
    pub kind: Option<ContentKind>,
}

/// Position in the feed: pinned first, then newest publishAt, then id, all
/// descending. Items published after a page was read sort before it, so
/// paging on visits every item once.
#[derive(Serialize, Deserialize)]
pub struct FeedCursor {
    pub pinned: bool,
    pub publish_at: DateTime<Utc>,
    pub id: Uuid,
}

impl FeedCursor {
    pub fn of(item: &contents::Model) -> Self {
        Self {
            pinned: item.pinned,
            publish_at: item.publish_at.unwrap_or(item.created_at),
            id: item.id,
        }
    }
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
    let reads = viewer_reads(conn, viewer).await?;
    let reader = reads.reader.ok_or(AppError::NotFound("user"))?;
    if reader.status != AmbassadorStatus::Active {
        return Err(AppError::Forbidden("the feed is for ACTIVE ambassadors"));
    }
    if let Some(topic_id) = filter.topic_id {
        Tenant::of(viewer)
            .get::<topics::Entity>(conn, topic_id, "topic")
            .await?;
    }
    let catalogue = match catalogues.get(conn, viewer, reads.version, now).await? {
        Source::Memory(catalogue) => catalogue,
        Source::Database => {
            let page =
                feed_from_database(conn, viewer, &reader, now, filter, first, cursor).await?;
            return Ok(FeedPage { page, shown: None });
        }
    };
    let mut shown = catalogue.page(&FeedRequest {
        groups: &reads.groups,
        languages: &languages_of(&reader.language),
        dismissed: &reads.dismissed,
        topic_id: filter.topic_id,
        kind: filter.kind,
        after: cursor.as_ref(),
        now,
        limit: first.probe() as usize,
    });
    let has_next = shown.len() as u64 > first.get();
    shown.truncate(first.get() as usize);
    Ok(FeedPage {
        page: Page {
            rows: shown.iter().map(|s| s.content.clone()).collect(),
            has_next,
            total: None,
            had_cursor: cursor.is_some(),
        },
        shown: Some(shown),
    })
}

/// What the feed needs of the viewer's user row.
struct Reader {
    id: Uuid,
    status: AmbassadorStatus,
    language: String,
}

/// What a feed request reads of the viewer and the organization: the
/// viewer's user row, the organization's content version, the viewer's
/// groups and dismissals.
struct ViewerReads {
    /// None when the viewer's user row is gone.
    reader: Option<Reader>,
    version: i64,
    groups: HashSet<Uuid>,
    dismissed: HashSet<Uuid>,
}

/// Reads `ViewerReads` in one statement (four indexed lookups joined by
/// UNION ALL, each row tagged with the part it answers).
async fn viewer_reads(conn: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<ViewerReads> {
    const VERSION: i32 = 0;
    const GROUP: i32 = 1;
    const DISMISSED: i32 = 2;
    let mut sql = Tenant::of(viewer).sql();
    let user = sql.bind(viewer.user_id());
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
    let mut reads = ViewerReads {
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
                reads.reader = Some(Reader {
                    id,
                    status: AmbassadorStatus::parse(&status),
                    language: row.try_get_by_index(4)?,
                });
            }
        }
    }
    Ok(reads)
}

/// The feed by one SQL query: the rules, the filters and the keyset cursor
/// in the database.
async fn feed_from_database(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    reader: &Reader,
    now: DateTime<Utc>,
    filter: FeedFilter,
    first: First,
    cursor: Option<FeedCursor>,
) -> AppResult<Page<contents::Model>> {
    let dismissed = Tenant::of(viewer)
        .find::<content_dismissals::Entity>()
        .filter(content_dismissals::Column::UserId.eq(reader.id))
        .select_only()
        .column(content_dismissals::Column::ContentId)
        .into_query();
    let mut query = Tenant::of(viewer)
        .find::<contents::Entity>()
        .filter(visible_to_reader(viewer, reader.id, &reader.language, now))
        .filter(contents::Column::Id.not_in_subquery(dismissed));
    if let Some(topic_id) = filter.topic_id {
        query = query.filter(
            contents::Column::Id.in_subquery(
                Tenant::of(viewer)
                    .find::<content_topics::Entity>()
                    .filter(content_topics::Column::TopicId.eq(topic_id))
                    .select_only()
                    .column(content_topics::Column::ContentId)
                    .into_query(),
            ),
        );
    }
    if let Some(kind) = filter.kind {
        query = query.filter(contents::Column::Kind.eq(kind.as_str()));
    }
    if let Some(c) = &cursor {
        query = query.filter(
            Expr::tuple([
                Expr::col(contents::Column::Pinned),
                Expr::col(contents::Column::PublishAt),
                Expr::col(contents::Column::Id),
            ])
            .lt(Expr::tuple([
                Expr::val(c.pinned),
                Expr::val(c.publish_at),
                Expr::val(c.id),
            ])),
        );
    }
    let rows = query
        .order_by_desc(contents::Column::Pinned)
        .order_by_desc(contents::Column::PublishAt)
        .order_by_desc(contents::Column::Id)
        .limit(first.probe())
        .all(conn)
        .await?;
    Ok(Page::from_probe(rows, first, cursor.is_some()))
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
    let by_id = Tenant::of(viewer).find_by_id::<contents::Entity>(id);
    if viewer.has_any(STAFF) {
        return Ok(by_id.one(conn).await?);
    }
    let Some(user) = active_ambassador(conn, viewer).await? else {
        return Ok(None);
    };
    Ok(by_id
        .filter(visible_to(viewer, &user, now))
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
