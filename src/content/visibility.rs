//! The feed's rules, each defined once: which items a reader may see, and
//! in what order. A feed page is answered either by one SQL query or from
//! the in-memory catalogue (`content::catalogue`); both evaluate the same
//! list of [`Rule`]s, and each rule has its SQL form ([`Rule::condition`])
//! and its in-memory form ([`Rule::admits`]) next to each other here, so a
//! rule cannot gain one without the other (the matches are exhaustive). The
//! order is [`FeedCursor::key`], the same three columns in SQL
//! ([`ORDER`]). A test runs both forms over the same rows
//! (`tests/api/feed.rs`, `both_forms_of_the_feed_rules_select_the_same_items_in_the_same_order`).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{content_dismissals, content_groups, content_topics, contents, group_members};
use sea_orm::{
    ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ContentKind, ContentStatus, status_condition, status_of};
use crate::tenant::Tenant;

/// Who is reading: the person and the languages they read.
#[derive(Clone, Debug)]
pub struct Reader {
    pub user_id: Uuid,
    /// Item languages that reach the reader (besides none): their own, and
    /// its primary language (an item in `fr` reaches a reader of `fr-CA`).
    languages: Vec<String>,
}

impl Reader {
    pub fn new(user_id: Uuid, language: &str) -> Self {
        let mut languages = vec![language.to_owned()];
        if let Some((primary, _)) = language.split_once('-') {
            languages.push(primary.to_owned());
        }
        Self { user_id, languages }
    }

    pub fn languages(&self) -> &[String] {
        &self.languages
    }
}

/// The reader's own rows, which the in-memory form reads up front (the SQL
/// form reads them in the statement).
pub struct ReaderRows<'a> {
    /// The groups the reader belongs to.
    pub groups: &'a HashSet<Uuid>,
    /// Items the reader dismissed.
    pub dismissed: &'a HashSet<Uuid>,
}

/// What the in-memory form reads of one item.
pub struct Facts<'a> {
    pub id: Uuid,
    pub pinned: bool,
    /// publishAt (the creation time for an item never published).
    pub publish_at: DateTime<Utc>,
    pub published: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub archived: bool,
    pub language: Option<&'a str>,
    pub kind: ContentKind,
    /// None: aimed at everyone; otherwise at these groups (an item marked
    /// as targeted reaches only members of its groups, even with none left).
    pub groups: Option<&'a [Uuid]>,
    pub topics: &'a [Uuid],
}

impl Facts<'_> {
    pub fn key(&self) -> Key {
        (self.pinned, self.publish_at, self.id)
    }
}

/// Position in the feed, compared as a whole, descending: pinned first,
/// then newest publishAt, then id.
pub type Key = (bool, DateTime<Utc>, Uuid);

/// The columns of [`Key`], in its order; the feed sorts by each descending.
pub const ORDER: [contents::Column; 3] = [
    contents::Column::Pinned,
    contents::Column::PublishAt,
    contents::Column::Id,
];

/// Position in the feed: pinned first, then newest publishAt, then id, all
/// descending. Items published after a page was read sort before it, so
/// paging on visits every item once.
#[derive(Clone, Debug, Serialize, Deserialize)]
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

    pub fn key(&self) -> Key {
        (self.pinned, self.publish_at, self.id)
    }
}

/// One rule an item must pass.
#[derive(Clone, Copy, Debug)]
pub enum Rule<'a> {
    /// Published and neither expired nor archived at this time.
    LiveAt(DateTime<Utc>),
    /// Aimed at everyone, or at one of the reader's groups.
    Audience,
    /// In no language, or in one the reader reads.
    Language,
    /// Not dismissed by the reader.
    NotDismissed,
    /// About this topic.
    Topic(Uuid),
    /// Of this kind.
    Kind(ContentKind),
    /// Published after this time.
    PublishedAfter(DateTime<Utc>),
    /// After this position in the feed order.
    After(&'a FeedCursor),
}

impl Rule<'_> {
    /// The SQL form: the rows of `contents` that pass.
    pub fn condition(&self, tenant: Tenant, reader: &Reader) -> Condition {
        use contents::Column as C;
        let id_in = |subquery| Condition::all().add(C::Id.in_subquery(subquery));
        match *self {
            Rule::LiveAt(now) => status_condition(ContentStatus::Published, now),
            Rule::Audience => {
                let my_groups = tenant
                    .find::<group_members::Entity>()
                    .filter(group_members::Column::UserId.eq(reader.user_id))
                    .select_only()
                    .column(group_members::Column::GroupId)
                    .into_query();
                let aimed_at_me = tenant
                    .find::<content_groups::Entity>()
                    .filter(content_groups::Column::GroupId.in_subquery(my_groups))
                    .select_only()
                    .column(content_groups::Column::ContentId)
                    .into_query();
                Condition::any()
                    .add(C::Targeted.eq(false))
                    .add(C::Id.in_subquery(aimed_at_me))
            }
            Rule::Language => Condition::any()
                .add(C::Language.is_null())
                .add(C::Language.is_in(reader.languages.iter().cloned())),
            Rule::NotDismissed => Condition::all().add(
                C::Id.not_in_subquery(
                    tenant
                        .find::<content_dismissals::Entity>()
                        .filter(content_dismissals::Column::UserId.eq(reader.user_id))
                        .select_only()
                        .column(content_dismissals::Column::ContentId)
                        .into_query(),
                ),
            ),
            Rule::Topic(topic_id) => id_in(
                tenant
                    .find::<content_topics::Entity>()
                    .filter(content_topics::Column::TopicId.eq(topic_id))
                    .select_only()
                    .column(content_topics::Column::ContentId)
                    .into_query(),
            ),
            Rule::Kind(kind) => Condition::all().add(C::Kind.eq(kind.as_str())),
            Rule::PublishedAfter(since) => Condition::all().add(C::PublishAt.gt(since)),
            Rule::After(cursor) => {
                Condition::all().add(Expr::tuple(ORDER.map(Expr::col)).lt(Expr::tuple([
                    Expr::val(cursor.pinned),
                    Expr::val(cursor.publish_at),
                    Expr::val(cursor.id),
                ])))
            }
        }
    }

    /// The in-memory form: whether `item` passes.
    pub fn admits(&self, item: &Facts<'_>, reader: &Reader, rows: &ReaderRows<'_>) -> bool {
        match *self {
            Rule::LiveAt(now) => {
                let publish_at = item.published.then_some(item.publish_at);
                status_of(item.archived, publish_at, item.expires_at, now)
                    == ContentStatus::Published
            }
            Rule::Audience => item
                .groups
                .is_none_or(|groups| groups.iter().any(|g| rows.groups.contains(g))),
            Rule::Language => item
                .language
                .is_none_or(|l| reader.languages.iter().any(|r| r == l)),
            Rule::NotDismissed => !rows.dismissed.contains(&item.id),
            Rule::Topic(topic_id) => item.topics.contains(&topic_id),
            Rule::Kind(kind) => item.kind == kind,
            Rule::PublishedAfter(since) => item.publish_at > since,
            Rule::After(cursor) => item.key() < cursor.key(),
        }
    }
}

/// What a reader may see at `now`, dismissed items included: published and
/// neither expired nor archived; aimed at everyone or at one of their
/// groups; in no language or in theirs.
pub fn may_see(now: DateTime<Utc>) -> [Rule<'static>; 3] {
    [Rule::LiveAt(now), Rule::Audience, Rule::Language]
}

/// A request of the reader's feed: what they may see and did not dismiss,
/// with the request's filters, after its cursor.
#[derive(Clone, Debug)]
pub struct FeedRules {
    pub now: DateTime<Utc>,
    pub topic_id: Option<Uuid>,
    pub kind: Option<ContentKind>,
    /// Only items published after this time (the daily digest).
    pub published_after: Option<DateTime<Utc>>,
    pub after: Option<FeedCursor>,
}

impl FeedRules {
    /// The whole feed at `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            topic_id: None,
            kind: None,
            published_after: None,
            after: None,
        }
    }

    pub fn rules(&self) -> Vec<Rule<'_>> {
        let mut rules = may_see(self.now).to_vec();
        rules.push(Rule::NotDismissed);
        rules.extend(self.topic_id.map(Rule::Topic));
        rules.extend(self.kind.map(Rule::Kind));
        rules.extend(self.published_after.map(Rule::PublishedAfter));
        rules.extend(self.after.as_ref().map(Rule::After));
        rules
    }

    /// The SQL form: the reader's feed, in feed order.
    pub fn select(&self, tenant: Tenant, reader: &Reader) -> Select<contents::Entity> {
        let mut select =
            tenant
                .find::<contents::Entity>()
                .filter(condition(&self.rules(), tenant, reader));
        for column in ORDER {
            select = select.order_by_desc(column);
        }
        select
    }
}

/// The in-memory form of all of `rules` together.
pub fn admits(
    rules: &[Rule<'_>],
    item: &Facts<'_>,
    reader: &Reader,
    rows: &ReaderRows<'_>,
) -> bool {
    rules.iter().all(|r| r.admits(item, reader, rows))
}

/// The SQL form of all of `rules` together.
pub fn condition(rules: &[Rule<'_>], tenant: Tenant, reader: &Reader) -> Condition {
    rules.iter().fold(Condition::all(), |all, rule| {
        all.add(rule.condition(tenant, reader))
    })
}
