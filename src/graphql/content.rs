//! Content, the curators' list, the feed, and writing content.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::contents;

use super::{
    loaders,
    loaders::{load_list, loader_error},
    scalars::{DateTime, parse_id, parse_ids, to_id},
    state,
    types::{Group, PageInfo, Topic},
    viewer,
};
use crate::{
    content::{
        self, ContentKind, ContentStatus,
        catalogue::Shown,
        curation::{self, ContentFields, ContentFilter, ListCursor},
        feed::{self, FeedFilter},
        visibility::FeedCursor,
    },
    db,
    domain::SocialNetwork,
    pagination::{First, encode_cursor},
};

/// A text proposed for posting on one network.
#[derive(SimpleObject)]
pub struct SuggestedText {
    /// The network the text is written for.
    pub network: SocialNetwork,
    /// The text, within the network's limit.
    pub text: String,
}

/// A text proposed for posting on one network.
#[derive(InputObject)]
pub struct SuggestedTextInput {
    /// The network; each at most once per item.
    network: SocialNetwork,
    /// At most 280 characters for X, 3000 for LinkedIn, 2200 for the others.
    text: String,
}

/// A content item as a curator writes it. On update, it replaces every field: omitted ones are cleared.
#[derive(InputObject)]
pub struct ContentInput {
    /// What the item is.
    kind: ContentKind,
    /// 1 to 300 characters.
    title: String,
    /// At most 1000 characters.
    summary: Option<String>,
    /// At most 20000 characters.
    body: Option<String>,
    /// Absolute http(s) URL of the page to share, at most 2048 characters.
    url: String,
    /// Absolute http(s) URL of an illustration, at most 2048 characters.
    image_url: Option<String>,
    /// BCP 47 tag, e.g. fr or en-GB; null means every language.
    language: Option<String>,
    /// Topics of the organization the item is about.
    topic_ids: Option<Vec<ID>>,
    /// Groups of the organization the item is aimed at; none means everyone.
    target_group_ids: Option<Vec<ID>>,
    /// At most one per network.
    suggested_texts: Option<Vec<SuggestedTextInput>>,
    /// Pinned items come first in the feed; defaults to false.
    pinned: Option<bool>,
}

impl ContentInput {
    fn into_fields(self) -> Result<ContentFields> {
        Ok(ContentFields {
            kind: self.kind,
            title: self.title,
            summary: self.summary,
            body: self.body,
            url: self.url,
            image_url: self.image_url,
            language: self.language,
            topic_ids: parse_ids(&self.topic_ids.unwrap_or_default(), "topicIds")?,
            target_group_ids: parse_ids(
                &self.target_group_ids.unwrap_or_default(),
                "targetGroupIds",
            )?,
            suggested_texts: self
                .suggested_texts
                .unwrap_or_default()
                .into_iter()
                .map(|t| (t.network, t.text))
                .collect(),
            pinned: self.pinned.unwrap_or(false),
        })
    }
}

/// Something curators publish for ambassadors to share: an article, a job offer, an event...
pub struct Content(pub contents::Model);

/// Something curators publish for ambassadors to share: an article, a job offer, an event...
#[Object]
impl Content {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// What the item is.
    async fn kind(&self) -> ContentKind {
        ContentKind::parse(&self.0.kind)
    }

    /// 1 to 300 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// A short summary.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// The full text.
    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }

    /// Absolute http(s) URL of the page to share.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// Absolute http(s) URL of an illustration.
    async fn image_url(&self) -> Option<&str> {
        self.0.image_url.as_deref()
    }

    /// BCP 47 tag; null means every language.
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }

    /// Topics of the item, by name.
    async fn topics(&self, ctx: &Context<'_>) -> Result<Vec<Topic>> {
        load_list(&loaders(ctx)?.content.topics, self.0.id, Topic).await
    }

    /// Empty means the whole organization.
    async fn target_groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        load_list(&loaders(ctx)?.content.groups, self.0.id, Group).await
    }

    /// Texts proposed for posting, at most one per network.
    async fn suggested_texts(&self, ctx: &Context<'_>) -> Result<Vec<SuggestedText>> {
        load_list(
            &loaders(ctx)?.content.suggested_texts,
            self.0.id,
            |(network, text)| SuggestedText { network, text },
        )
        .await
    }

    /// Derived from publishAt, expiresAt and archiving, at the time of the request.
    async fn status(&self, ctx: &Context<'_>) -> Result<ContentStatus> {
        Ok(content::status(&self.0, state(ctx)?.clock.now()))
    }

    /// When the item appears (or appeared) in feeds; null for a draft.
    async fn publish_at(&self) -> Option<DateTime> {
        self.0.publish_at.map(DateTime)
    }

    /// When the item leaves feeds; null for never.
    async fn expires_at(&self) -> Option<DateTime> {
        self.0.expires_at.map(DateTime)
    }

    /// Pinned items come first in the feed.
    async fn pinned(&self) -> bool {
        self.0.pinned
    }

    /// When the item was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Shares recorded for this item by all ambassadors.
    async fn share_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let count = loaders(ctx)?
            .content
            .shares
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or_default()
            .count;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// Whether the requesting user has recorded at least one share of it.
    async fn viewer_has_shared(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(loaders(ctx)?
            .content
            .shares
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or_default()
            .by_viewer)
    }
}

/// An edge of the feed.
#[derive(SimpleObject)]
pub struct FeedEdge {
    /// Position of this edge, for `after`.
    pub cursor: String,
    /// The item.
    pub node: Content,
}

/// A page of the feed.
#[derive(SimpleObject)]
pub struct FeedConnection {
    /// The items of this page.
    pub edges: Vec<FeedEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
}

/// An edge of the curators' content list.
#[derive(SimpleObject)]
pub struct ContentEdge {
    /// Position of this edge, for `after`.
    pub cursor: String,
    /// The item.
    pub node: Content,
}

/// A page of the curators' content list.
#[derive(SimpleObject)]
pub struct ContentConnection {
    /// The items of this page.
    pub edges: Vec<ContentEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
    /// Items matching the filters, over all pages.
    pub total_count: i32,
}

/// Loads what the query selects under `edges.node` for a whole page in one
/// statement per field, so each item's resolvers find it cached and a page
/// of 100 runs as many statements as a page of 10.
async fn prefetch(ctx: &Context<'_>, rows: &[contents::Model]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let node = ctx.look_ahead().field("edges").field("node");
    let loaders = &loaders(ctx)?.content;
    let ids: Vec<_> = rows.iter().map(|c| c.id).collect();
    let wanted = |field: &str| node.field(field).exists();
    tokio::try_join!(
        async {
            if wanted("topics") {
                loaders.topics.load_many(ids.iter().copied()).await?;
            }
            Ok(())
        },
        async {
            if wanted("targetGroups") {
                loaders.groups.load_many(ids.iter().copied()).await?;
            }
            Ok(())
        },
        async {
            if wanted("suggestedTexts") {
                loaders
                    .suggested_texts
                    .load_many(ids.iter().copied())
                    .await?;
            }
            Ok(())
        },
        async {
            if wanted("shareCount") || wanted("viewerHasShared") {
                loaders.shares.load_many(ids.iter().copied()).await?;
            }
            Ok(())
        },
    )
    .map_err(loader_error)?;
    Ok(())
}

/// Puts what the feed catalogue holds of each item (topics, target groups,
/// suggested texts) in the request's loader caches, when the query selects
/// it, so `prefetch` and the resolvers read none of it from the database.
async fn seed(ctx: &Context<'_>, shown: &[Arc<Shown>]) -> Result<()> {
    let node = ctx.look_ahead().field("edges").field("node");
    let loaders = &loaders(ctx)?.content;
    if node.field("topics").exists() {
        loaders
            .topics
            .feed_many(shown.iter().map(|s| (s.content.id, s.topics.clone())))
            .await;
    }
    if node.field("targetGroups").exists() {
        loaders
            .groups
            .feed_many(shown.iter().map(|s| (s.content.id, s.groups.clone())))
            .await;
    }
    if node.field("suggestedTexts").exists() {
        loaders
            .suggested_texts
            .feed_many(
                shown
                    .iter()
                    .map(|s| (s.content.id, s.suggested_texts.clone())),
            )
            .await;
    }
    Ok(())
}

#[derive(Default)]
pub struct ContentQuery;

#[Object]
impl ContentQuery {
    /// Today's content for an ACTIVE ambassador: published, not expired, aimed at one of the viewer's groups or at everyone, in the viewer's language or in none, not dismissed; pinned first, then newest publishAt first. first: 1..100.
    async fn feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 20)] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only items about this topic.")] topic_id: Option<ID>,
        #[graphql(desc = "Only items of this kind.")] kind: Option<ContentKind>,
    ) -> Result<FeedConnection> {
        let viewer = viewer(ctx)?;
        let first = First::parse(first, 20)?;
        let topic_id = topic_id.map(|t| parse_id(&t, "topicId")).transpose()?;
        let state = state(ctx)?;
        let feed::FeedPage { page, shown } = feed::feed(
            &state.db,
            &state.feed_catalogues,
            viewer,
            state.clock.now(),
            FeedFilter { topic_id, kind },
            first,
            after.as_deref(),
        )
        .await?;
        if let Some(shown) = shown {
            seed(ctx, &shown).await?;
        }
        prefetch(ctx, &page.rows).await?;
        let edges: Vec<FeedEdge> = page
            .rows
            .into_iter()
            .map(|c| FeedEdge {
                cursor: encode_cursor(&FeedCursor::of(&c)),
                node: Content(c),
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
        Ok(FeedConnection {
            page_info: PageInfo::new(&cursors, page.has_next, page.had_cursor),
            edges,
        })
    }

    /// An item the viewer may see: for an ambassador, one the feed rules allow (dismissed items included); curators, HR and admins see every item of their organization. Null otherwise.
    async fn content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item's id.")] id: ID,
    ) -> Result<Option<Content>> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let state = state(ctx)?;
        Ok(feed::visible(&state.db, viewer, state.clock.now(), id)
            .await?
            .map(Content))
    }

    /// CURATOR or ADMIN: every item of the organization, newest first.
    async fn contents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 20)] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only items with this status now.")] status: Option<ContentStatus>,
        #[graphql(desc = "Part of the title, any case.")] search: Option<String>,
    ) -> Result<ContentConnection> {
        let viewer = viewer(ctx)?;
        let first = First::parse(first, 20)?;
        let state = state(ctx)?;
        let page = curation::list(
            &state.db,
            viewer,
            state.clock.now(),
            ContentFilter { status, search },
            first,
            after.as_deref(),
        )
        .await?;
        prefetch(ctx, &page.rows).await?;
        let edges: Vec<ContentEdge> = page
            .rows
            .into_iter()
            .map(|c| ContentEdge {
                cursor: encode_cursor(&ListCursor::of(&c)),
                node: Content(c),
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
        Ok(ContentConnection {
            page_info: PageInfo::new(&cursors, page.has_next, page.had_cursor),
            edges,
            total_count: i32::try_from(page.total.unwrap_or(0)).unwrap_or(i32::MAX),
        })
    }
}

/// After a write, later fields of the same request read afresh rather
/// than from the request's cache (a request may hold several mutations).
fn written(ctx: &Context<'_>) -> Result<()> {
    loaders(ctx)?.content.clear();
    Ok(())
}

#[derive(Default)]
pub struct ContentMutation;

#[Object]
impl ContentMutation {
    /// CURATOR or ADMIN. Creates a DRAFT.
    async fn create_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new item.")] input: ContentInput,
    ) -> Result<Content> {
        let viewer = viewer(ctx)?;
        let fields = input.into_fields()?;
        let state = state(ctx)?;
        let now = state.clock.now();
        let item = db::write(&state.db, async |txn| {
            curation::create(txn, viewer, now, fields).await
        })
        .await?;
        Ok(Content(item))
    }

    /// CURATOR or ADMIN.
    async fn update_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item.")] id: ID,
        #[graphql(desc = "Every field of the item; omitted ones are cleared.")] input: ContentInput,
    ) -> Result<Content> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let fields = input.into_fields()?;
        let state = state(ctx)?;
        let now = state.clock.now();
        let item = db::write(&state.db, async |txn| {
            curation::update(txn, viewer, now, id, fields).await
        })
        .await?;
        written(ctx)?;
        Ok(Content(item))
    }

    /// CURATOR or ADMIN. publishAt defaults to now and may be in the past (backdating) or the future (scheduling); expiresAt, when given, must be after publishAt.
    async fn publish_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item; an archived one comes back.")] id: ID,
        #[graphql(desc = "When it enters feeds; defaults to now.")] publish_at: Option<DateTime>,
        #[graphql(desc = "When it leaves feeds; after publishAt. Null for never.")]
        expires_at: Option<DateTime>,
    ) -> Result<Content> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let state = state(ctx)?;
        let now = state.clock.now();
        let (publish_at, expires_at) = (publish_at.map(|t| t.0), expires_at.map(|t| t.0));
        let item = db::write(&state.db, async |txn| {
            curation::publish(txn, viewer, now, id, publish_at, expires_at).await
        })
        .await?;
        Ok(Content(item))
    }

    /// CURATOR or ADMIN.
    async fn archive_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The item.")] id: ID,
    ) -> Result<Content> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&id, "id")?;
        let state = state(ctx)?;
        let now = state.clock.now();
        let item = db::write(&state.db, async |txn| {
            curation::archive(txn, viewer, now, id).await
        })
        .await?;
        Ok(Content(item))
    }

    /// Hides the item from the viewer's feed.
    async fn dismiss_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An item the viewer may see.")] content_id: ID,
    ) -> Result<bool> {
        let viewer = viewer(ctx)?;
        let id = parse_id(&content_id, "contentId")?;
        let state = state(ctx)?;
        feed::dismiss(&state.db, viewer, state.clock.now(), id).await?;
        Ok(true)
    }
}
