//! The HR engagement report: thin resolvers over `analytics::report`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::{
    content::Content,
    scalars::{Date, Long, parse_id},
    state,
    types::{Group, User},
    viewer,
};
use crate::{
    analytics::{self, Figures, Report},
    domain::SocialNetwork,
    pagination::First,
};

/// What an engagement report covers. The optional filters combine: a share counts when it matches all of them.
#[derive(InputObject)]
pub struct EngagementFilter {
    /// First day, inclusive.
    from: Date,
    /// Last day, inclusive; at most 366 days after from.
    to: Date,
    /// Only shares by current members of this group.
    group_id: Option<ID>,
    /// Only shares on this network.
    network: Option<SocialNetwork>,
    /// Only shares of this content item.
    content_id: Option<ID>,
    /// Only shares of content tagged with this topic.
    topic_id: Option<ID>,
}

impl EngagementFilter {
    fn parse(self) -> Result<analytics::EngagementFilter> {
        Ok(analytics::EngagementFilter {
            from: self.from.0,
            to: self.to.0,
            group_id: self
                .group_id
                .map(|id| parse_id(&id, "groupId"))
                .transpose()?,
            network: self.network,
            content_id: self
                .content_id
                .map(|id| parse_id(&id, "contentId"))
                .transpose()?,
            topic_id: self
                .topic_id
                .map(|id| parse_id(&id, "topicId"))
                .transpose()?,
        })
    }
}

fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Engagement of the organization's ambassadors over a range of UTC days.
pub struct EngagementReport(Report);

/// Engagement of the organization's ambassadors over a range of UTC days.
#[Object]
impl EngagementReport {
    /// First day of the report, inclusive.
    async fn from(&self) -> Date {
        Date(self.0.from)
    }

    /// Last day of the report, inclusive.
    async fn to(&self) -> Date {
        Date(self.0.to)
    }

    /// The figures over the whole range.
    async fn totals(&self) -> EngagementTotals {
        let t = &self.0.totals;
        EngagementTotals {
            shares: int(t.shares),
            active_ambassadors: int(t.active_ambassadors),
            enrolled_ambassadors: int(t.enrolled_ambassadors),
            participation_rate: t.participation_rate,
            potential_reach: Long(t.potential_reach),
            clicks: int(t.clicks),
            click_through_rate: t.click_through_rate,
            earned_media_value: t.earned_media_value,
            network_multiplier: t.network_multiplier,
        }
    }

    /// One entry per day from..to, days without activity included with zeros.
    async fn daily(&self) -> Vec<DailyEngagement> {
        self.0
            .daily
            .iter()
            .map(|d| DailyEngagement {
                date: Date(d.date),
                shares: int(d.figures.shares),
                clicks: int(d.figures.clicks),
                potential_reach: Long(d.figures.potential_reach),
            })
            .collect()
    }

    /// Every network, in the order of the SocialNetwork enumeration, zeros included.
    async fn by_network(&self) -> Vec<NetworkEngagement> {
        self.0
            .by_network
            .iter()
            .map(|(network, f)| NetworkEngagement {
                network: *network,
                shares: int(f.shares),
                clicks: int(f.clicks),
                potential_reach: Long(f.potential_reach),
            })
            .collect()
    }

    /// Every group with at least minimumGroupSize current members, activity or not, by group name; shares by its current members.
    async fn by_group(&self) -> Vec<GroupEngagement> {
        self.0
            .by_group
            .iter()
            .map(|g| GroupEngagement {
                group: Group(g.group.clone()),
                shares: int(g.shares),
                active_ambassadors: int(g.active_ambassadors),
                enrolled_ambassadors: int(g.enrolled_ambassadors),
                participation_rate: g.participation_rate,
            })
            .collect()
    }

    /// By shares, then clicks, then potentialReach, then content id, all descending.
    async fn top_content(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items: 1..100.", default = 10)] first: Option<i32>,
    ) -> Result<Vec<ContentEngagement>> {
        let first = First::parse(first, 10)?.get() as usize;
        let top: Vec<(uuid::Uuid, Figures)> =
            self.0.top_content.iter().take(first).copied().collect();
        let ids: Vec<uuid::Uuid> = top.iter().map(|(id, _)| *id).collect();
        let mut models =
            crate::content::related::by_ids(&state(ctx)?.db, viewer(ctx)?, &ids).await?;
        Ok(top
            .into_iter()
            .filter_map(|(id, f)| {
                Some(ContentEngagement {
                    content: Content(models.remove(&id)?),
                    shares: int(f.shares),
                    clicks: int(f.clicks),
                    potential_reach: Long(f.potential_reach),
                })
            })
            .collect())
    }

    /// Empty when the organization's individualAnalytics is false; never lists WITHDRAWN users. By shares, then potentialReach, then user id, descending.
    async fn top_ambassadors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many people: 1..100.", default = 10)] first: Option<i32>,
    ) -> Result<Vec<AmbassadorEngagement>> {
        let first = First::parse(first, 10)?.get() as usize;
        let top: Vec<(uuid::Uuid, Figures)> =
            self.0.top_ambassadors.iter().take(first).copied().collect();
        if top.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<uuid::Uuid> = top.iter().map(|(id, _)| *id).collect();
        let mut models = crate::org::users::by_ids(&state(ctx)?.db, viewer(ctx)?, &ids).await?;
        Ok(top
            .into_iter()
            .filter_map(|(id, f)| {
                Some(AmbassadorEngagement {
                    user: User(models.remove(&id)?),
                    shares: int(f.shares),
                    clicks: int(f.clicks),
                    potential_reach: Long(f.potential_reach),
                })
            })
            .collect())
    }

    /// Counts of users by their status now, organization-wide (with a groupId filter, within the group).
    async fn funnel(&self) -> AmbassadorFunnel {
        let f = &self.0.funnel;
        AmbassadorFunnel {
            employees: int(f.employees),
            invited: int(f.invited),
            active: int(f.active),
            paused: int(f.paused),
            declined: int(f.declined),
            withdrawn: int(f.withdrawn),
        }
    }
}

/// The report's figures over the whole range.
#[derive(SimpleObject)]
pub struct EngagementTotals {
    /// Shares whose sharedAt falls in the range.
    shares: i32,
    /// Distinct users with at least one share in the range.
    active_ambassadors: i32,
    /// Users whose status is ACTIVE or PAUSED now; with a groupId filter, only the group's current members. Other filters do not apply.
    enrolled_ambassadors: i32,
    /// activeAmbassadors / enrolledAmbassadors, 0 when there are none.
    participation_rate: f64,
    /// Sum of potentialReach of those shares.
    potential_reach: Long,
    /// Clicks made in the range (by the click's UTC day) on the tracking links of shares that match the filter, whenever those shares were made.
    clicks: i32,
    /// clicks / potentialReach, 0 when potentialReach is 0.
    click_through_rate: f64,
    /// Sum over the shares of potentialReach / 1000 * cpm of the share's network, at the organization's current cpm.
    earned_media_value: f64,
    /// Declared followers of all ACTIVE ambassadors on every network / the company's own followers on every network, 0 when the company has none. Organization-wide: filters do not apply.
    network_multiplier: f64,
}

/// One UTC day of the report.
#[derive(SimpleObject)]
pub struct DailyEngagement {
    /// The UTC day.
    date: Date,
    /// Shares whose sharedAt falls on that day.
    shares: i32,
    /// Clicks made that day on links of shares that match the filter.
    clicks: i32,
    /// Sum of potentialReach of that day's shares.
    potential_reach: Long,
}

/// The report's figures on one network.
#[derive(SimpleObject)]
pub struct NetworkEngagement {
    /// The network.
    network: SocialNetwork,
    /// Shares on that network in the range.
    shares: i32,
    /// Clicks in the range on links of shares on that network.
    clicks: i32,
    /// Sum of potentialReach of those shares.
    potential_reach: Long,
}

/// The report's figures for one group's current members.
#[derive(SimpleObject)]
pub struct GroupEngagement {
    /// The group.
    group: Group,
    /// Shares in the range (matching the filter) by the group's current members.
    shares: i32,
    /// Current members with at least one such share.
    active_ambassadors: i32,
    /// Current members whose status is ACTIVE or PAUSED now.
    enrolled_ambassadors: i32,
    /// activeAmbassadors / enrolledAmbassadors, 0 when there are none.
    participation_rate: f64,
}

/// The report's figures for one content item.
#[derive(SimpleObject)]
pub struct ContentEngagement {
    /// The item.
    content: Content,
    /// Shares of the item in the range.
    shares: i32,
    /// Clicks in the range on links of the item's shares.
    clicks: i32,
    /// Sum of potentialReach of the item's shares in the range.
    potential_reach: Long,
}

/// The report's figures for one ambassador (only where the organization allows naming people).
#[derive(SimpleObject)]
pub struct AmbassadorEngagement {
    /// The ambassador.
    user: User,
    /// The person's shares in the range.
    shares: i32,
    /// Clicks in the range on links of the person's shares.
    clicks: i32,
    /// Sum of potentialReach of the person's shares in the range.
    potential_reach: Long,
}

/// Users by where they stand in the ambassador programme now.
#[derive(SimpleObject)]
pub struct AmbassadorFunnel {
    /// Every user of the organization (or of the group).
    employees: i32,
    /// Users whose status is INVITED.
    invited: i32,
    /// Users whose status is ACTIVE.
    active: i32,
    /// Users whose status is PAUSED.
    paused: i32,
    /// Users whose status is DECLINED.
    declined: i32,
    /// Users whose status is WITHDRAWN.
    withdrawn: i32,
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// HR or ADMIN. from after to, or more than 366 days, is BAD_USER_INPUT.
    async fn engagement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The range of UTC days and the optional filters.")]
        filter: EngagementFilter,
    ) -> Result<EngagementReport> {
        let viewer = viewer(ctx)?;
        let filter = filter.parse()?;
        let state = state(ctx)?;
        let _turn = state
            .reports
            .acquire()
            .await
            .map_err(|e| crate::error::AppError::Internal(e.into()))?;
        let report = analytics::report::report(&state.db, viewer, &filter).await?;
        Ok(EngagementReport(report))
    }
}
