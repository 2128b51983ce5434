//! GraphQL object types for organizations, users, groups and topics.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use entity::{groups, organizations, topics, users};

use super::{
    loaders::{load_list, loader_error},
    scalars::{DateTime, Long, to_id},
};
use crate::{
    auth::{Role, RoleSet},
    domain::{AmbassadorStatus, SocialNetwork},
    org::organizations::{cpm, followers},
};

/// Relay page information.
#[derive(SimpleObject)]
pub struct PageInfo {
    /// Whether a further page follows `endCursor`.
    pub has_next_page: bool,
    /// Whether the page was fetched with `after` (pages before it exist).
    pub has_previous_page: bool,
    /// Cursor of the first edge.
    pub start_cursor: Option<String>,
    /// Cursor of the last edge: pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

impl PageInfo {
    pub fn new(cursors: &[String], has_next: bool, had_cursor: bool) -> Self {
        Self {
            has_next_page: has_next,
            has_previous_page: had_cursor,
            start_cursor: cursors.first().cloned(),
            end_cursor: cursors.last().cloned(),
        }
    }
}

/// A count on one network.
#[derive(SimpleObject)]
pub struct NetworkCount {
    /// The network.
    pub network: SocialNetwork,
    /// The count.
    pub count: Long,
}

/// An amount on one network.
#[derive(SimpleObject)]
pub struct NetworkAmount {
    /// The network.
    pub network: SocialNetwork,
    /// The amount.
    pub amount: f64,
}

/// A company or public body using the programme: the tenant of all its data.
pub struct Organization(pub organizations::Model);

/// A company or public body using the programme: the tenant of all its data.
#[Object]
impl Organization {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Short unique name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Followers of the company's own accounts, per network.
    async fn company_followers(&self) -> Vec<NetworkCount> {
        followers(&self.0)
            .into_iter()
            .map(|(network, count)| NetworkCount {
                network,
                count: Long(count),
            })
            .collect()
    }

    /// Settings of the organization's programme.
    async fn settings(&self) -> OrganizationSettings<'_> {
        OrganizationSettings(&self.0)
    }
}

/// Settings of an organization's programme.
pub struct OrganizationSettings<'a>(&'a organizations::Model);

/// Settings of an organization's programme.
#[Object]
impl OrganizationSettings<'_> {
    /// When false, no figure names a person: topAmbassadors is empty for HR.
    async fn individual_analytics(&self) -> bool {
        self.0.individual_analytics
    }

    /// Groups with fewer members than this are left out of per-group engagement.
    async fn minimum_group_size(&self) -> i32 {
        self.0.minimum_group_size
    }

    /// Points for the first share of a content item on a network.
    async fn points_per_share(&self) -> i32 {
        self.0.points_per_share
    }

    /// Cost per thousand impressions, per network, for earned media value. A network not listed counts 0.
    async fn cpm(&self) -> Vec<NetworkAmount> {
        cpm(self.0)
            .into_iter()
            .map(|(network, amount)| NetworkAmount { network, amount })
            .collect()
    }

    /// The ambassador charter version that enroll() must quote.
    async fn charter_version(&self) -> &str {
        &self.0.charter_version
    }
}

/// A person of the organization: every user is an employee; some are ambassadors.
pub struct User(pub users::Model);

/// A person of the organization: every user is an employee; some are ambassadors.
#[Object]
impl User {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Sign-in email, lower-cased.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Name shown to colleagues.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// BCP 47 language tag, e.g. fr or en.
    async fn language(&self) -> &str {
        &self.0.language
    }

    /// The user's roles; EMPLOYEE is always among them.
    async fn roles(&self) -> Vec<Role> {
        RoleSet::from_stored(&self.0.roles).to_vec()
    }

    /// Groups the user belongs to, by name.
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        let loaders = super::loaders(ctx)?;
        load_list(&loaders.groups_of_user, self.0.id, Group).await
    }

    /// Where the user stands in the volunteer ambassador programme.
    async fn ambassador_status(&self) -> AmbassadorStatus {
        AmbassadorStatus::parse(&self.0.ambassador_status)
    }

    /// When the user last enrolled; null when never enrolled.
    async fn enrolled_at(&self) -> Option<DateTime> {
        self.0.enrolled_at.map(DateTime)
    }

    /// For a DECLINED or WITHDRAWN user, when HR may invite them again: 90 × 24 hours after the decline or withdrawal (a past time means now). Null for every other status. Readable by the user, HR and ADMIN; FORBIDDEN to anyone else.
    async fn reinvitable_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime>> {
        let viewer = super::viewer(ctx)?;
        if viewer.user_id() != self.0.id {
            viewer.require_any(&[Role::Hr])?;
        }
        let status = AmbassadorStatus::parse(&self.0.ambassador_status);
        if !matches!(
            status,
            AmbassadorStatus::Declined | AmbassadorStatus::Withdrawn
        ) {
            return Ok(None);
        }
        Ok(self
            .0
            .status_changed_at
            .map(|at| DateTime(crate::programme::reinvitable_from(at))))
    }

    /// Accounts the user declared, one per network, in the order of SocialNetwork. Readable by the user, HR and ADMIN; FORBIDDEN to anyone else.
    async fn social_accounts(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::programme::SocialAccount>> {
        super::programme::social_accounts_of(ctx, self.0.id).await
    }

    /// The user's consent record, oldest first: every enrollment, decline, pause, resumption and withdrawal with the charter version then current. Entries are never changed or removed. Readable by the user, HR and ADMIN; FORBIDDEN to anyone else.
    async fn consent_records(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::programme::ConsentRecord>> {
        super::programme::consent_records_of(ctx, self.0.id).await
    }

    /// The user's figures since they started sharing: shares, clicks, potential reach and points.
    async fn stats(&self, ctx: &Context<'_>) -> Result<super::shares::AmbassadorStats> {
        super::shares::stats_of(ctx, self.0.id).await
    }

    /// Topics the user follows, by name.
    async fn followed_topics(&self, ctx: &Context<'_>) -> Result<Vec<Topic>> {
        let loaders = super::loaders(ctx)?;
        load_list(&loaders.topics_of_user, self.0.id, Topic).await
    }
}

/// A group of employees (a team, a site, a trade), used for targeting and reporting.
pub struct Group(pub groups::Model);

/// A group of employees (a team, a site, a trade), used for targeting and reporting.
#[Object]
impl Group {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Name, unique in the organization.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Current number of members.
    async fn member_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let loaders = super::loaders(ctx)?;
        let count = loaders
            .group_member_count
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or(0);
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
}

/// A subject content is tagged with and employees may follow.
pub struct Topic(pub topics::Model);

/// A subject content is tagged with and employees may follow.
#[Object]
impl Topic {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Name, unique in the organization.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the requesting user follows this topic.
    async fn followed_by_viewer(&self, ctx: &Context<'_>) -> Result<bool> {
        let loaders = super::loaders(ctx)?;
        Ok(loaders
            .topic_followed
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or(false))
    }
}

/// An edge of a user list.
#[derive(SimpleObject)]
pub struct UserEdge {
    /// Position of this edge, for `after`.
    pub cursor: String,
    /// The user.
    pub node: User,
}

/// A page of users.
#[derive(SimpleObject)]
pub struct UserConnection {
    /// The users of this page.
    pub edges: Vec<UserEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
    /// Users matching the filters, over all pages.
    pub total_count: i32,
}
