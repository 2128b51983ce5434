//! Recording shares, the viewer's shares, the leaderboard and a person's figures.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::{
    content::Content,
    loaders,
    loaders::loader_error,
    scalars::{DateTime, Long, parse_id, to_id},
    state,
    types::{PageInfo, User},
    viewer,
};
use crate::{
    domain::SocialNetwork,
    error::AppError,
    pagination::{First, encode_cursor},
    shares::{
        self, ShareCursor,
        leaderboard::{self, LeaderboardPeriod},
        record::{self, NewShare},
        stats::Stats,
    },
};

/// A share the mobile app records after the ambassador posted.
#[derive(InputObject)]
pub struct RecordShareInput {
    /// The item shared: one the ambassador can see in their feed.
    content_id: ID,
    /// Where it was posted.
    network: SocialNetwork,
    /// The ambassador's own words, at most 3000 characters.
    comment: Option<String>,
    /// When the post went out; defaults to now. Lets an app that was offline send it later. At most 5 minutes ahead of the server's clock (clock skew), at most 7 days back, not before the item's publishAt.
    shared_at: Option<DateTime>,
    /// Unique per share, made by the client (a UUID). A retry with the same key and the same input returns the first result; the same key with other input is CONFLICT.
    idempotency_key: String,
}

/// The outcome of recordShare.
#[derive(SimpleObject)]
pub struct RecordSharePayload {
    /// The share, as first recorded.
    share: Share,
    /// True when this call replayed an earlier one with the same idempotencyKey.
    replayed: bool,
    /// Points this call earned (0 on a replay or a repeat share of the same item on the same network).
    points_awarded: i32,
}

/// A post of a content item by an ambassador on one network.
pub struct Share(pub entity::shares::Model);

/// A post of a content item by an ambassador on one network.
#[Object]
impl Share {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The item shared, whatever its status now.
    async fn content(&self, ctx: &Context<'_>) -> Result<Content> {
        loaders(ctx)?
            .content_by_id
            .load_one(self.0.content_id)
            .await
            .map_err(loader_error)?
            .map(Content)
            .ok_or_else(|| AppError::NotFound("content").into())
    }

    /// Where it was posted.
    async fn network(&self) -> SocialNetwork {
        SocialNetwork::parse(&self.0.network).unwrap_or(SocialNetwork::Other)
    }

    /// The ambassador's own words.
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }

    /// When the post went out.
    async fn shared_at(&self) -> DateTime {
        DateTime(self.0.shared_at)
    }

    /// The ambassador's declared followers on that network when the share was recorded; 0 when none were declared.
    async fn potential_reach(&self) -> Long {
        Long(self.0.potential_reach)
    }

    /// Link to put in the post: redirects to the content URL with utm_source (the network in lower case), utm_medium=employee_advocacy and utm_campaign (the content id), and counts the click.
    async fn tracking_url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(shares::tracking_url(
            &state(ctx)?.settings.public_base_url,
            &self.0.tracking_code,
        ))
    }

    /// Clicks counted on the tracking link (link-preview robots and repeats by the same visitor within 24 hours are not counted).
    async fn clicks(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = loaders(ctx)?
            .clicks_of_share
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or(0);
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}

/// An edge of the viewer's shares.
#[derive(SimpleObject)]
pub struct ShareEdge {
    /// Position of this edge, for `after`.
    cursor: String,
    /// The share.
    node: Share,
}

/// A page of the viewer's shares.
#[derive(SimpleObject)]
pub struct ShareConnection {
    /// The shares of this page.
    edges: Vec<ShareEdge>,
    /// Where this page stands.
    page_info: PageInfo,
    /// The viewer's shares over all pages.
    total_count: i32,
}

/// A person's figures since they started sharing.
pub struct AmbassadorStats(pub Stats);

fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A person's figures since they started sharing.
#[Object]
impl AmbassadorStats {
    /// Shares recorded.
    async fn shares(&self) -> i32 {
        int(self.0.shares)
    }

    /// Clicks counted on the tracking links of those shares.
    async fn clicks(&self) -> i32 {
        int(self.0.clicks)
    }

    /// Sum of the potentialReach of those shares.
    async fn potential_reach(&self) -> Long {
        Long(self.0.potential_reach)
    }

    /// Points earned.
    async fn points(&self) -> i32 {
        int(self.0.points)
    }
}

/// The figures of `user_id`, batched across the users of a response.
pub(super) async fn stats_of(ctx: &Context<'_>, user_id: uuid::Uuid) -> Result<AmbassadorStats> {
    Ok(AmbassadorStats(
        loaders(ctx)?
            .stats_of_user
            .load_one(user_id)
            .await
            .map_err(loader_error)?
            .unwrap_or_default(),
    ))
}

/// A line of the leaderboard.
#[derive(SimpleObject)]
pub struct LeaderboardEntry {
    /// 1 for the best; equal points and shares share a rank (1, 1, 3).
    rank: i32,
    /// The ambassador.
    user: User,
    /// Points earned in the period.
    points: i32,
    /// Shares recorded in the period.
    shares: i32,
}

/// Loads each share's content and clicks for a whole page up front, when
/// the query selects them, so a page costs the same statements at any size.
async fn prefetch(ctx: &Context<'_>, rows: &[entity::shares::Model]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let node = ctx.look_ahead().field("edges").field("node");
    let loaders = loaders(ctx)?;
    tokio::try_join!(
        async {
            if node.field("content").exists() {
                loaders
                    .content_by_id
                    .load_many(rows.iter().map(|s| s.content_id))
                    .await?;
            }
            Ok(())
        },
        async {
            if node.field("clicks").exists() {
                loaders
                    .clicks_of_share
                    .load_many(rows.iter().map(|s| s.id))
                    .await?;
            }
            Ok(())
        },
    )
    .map_err(loader_error)?;
    Ok(())
}

#[derive(Default)]
pub struct SharesQuery;

#[Object]
impl SharesQuery {
    /// The viewer's own shares, newest first.
    async fn my_shares(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 20)] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<ShareConnection> {
        let viewer = viewer(ctx)?;
        let first = First::parse(first, 20)?;
        let page = shares::mine(&state(ctx)?.db, viewer, first, after.as_deref()).await?;
        prefetch(ctx, &page.rows).await?;
        let edges: Vec<ShareEdge> = page
            .rows
            .into_iter()
            .map(|s| ShareEdge {
                cursor: encode_cursor(&ShareCursor::of(&s)),
                node: Share(s),
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
        Ok(ShareConnection {
            page_info: PageInfo::new(&cursors, page.has_next, page.had_cursor),
            edges,
            total_count: int(page.total.unwrap_or(0) as i64),
        })
    }

    /// ACTIVE ambassadors by points earned in the period.
    async fn leaderboard(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The last 7 days, the last 30 days, or all time.",
            default_with = "Some(LeaderboardPeriod::Month)"
        )]
        period: Option<LeaderboardPeriod>,
        #[graphql(desc = "1..100.", default = 10)] first: Option<i32>,
    ) -> Result<Vec<LeaderboardEntry>> {
        let viewer = viewer(ctx)?;
        let first = First::parse(first, 10)?;
        let period = period.unwrap_or(LeaderboardPeriod::Month);
        let state = state(ctx)?;
        Ok(
            leaderboard::leaderboard(&state.db, viewer, state.clock.now(), period, first)
                .await?
                .into_iter()
                .map(|e| LeaderboardEntry {
                    rank: int(e.rank),
                    user: User(e.user),
                    points: int(e.points),
                    shares: int(e.shares),
                })
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct SharesMutation;

#[Object]
impl SharesMutation {
    /// ACTIVE ambassadors only, on content they can see in their feed.
    async fn record_share(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The share.")] input: RecordShareInput,
    ) -> Result<RecordSharePayload> {
        let viewer = viewer(ctx)?;
        let new = NewShare {
            content_id: parse_id(&input.content_id, "contentId")?,
            network: input.network,
            comment: input.comment,
            shared_at: input.shared_at.map(|t| t.0),
            idempotency_key: input.idempotency_key,
        };
        let state = state(ctx)?;
        let recorded = record::record(&state.db, viewer, state.clock.now(), new).await?;
        // Later fields of the request read the new share.
        let loaders = loaders(ctx)?;
        loaders.content.clear();
        loaders.stats_of_user.clear::<uuid::Uuid>();
        Ok(RecordSharePayload {
            share: Share(recorded.share),
            replayed: recorded.replayed,
            points_awarded: recorded.points_awarded,
        })
    }
}
