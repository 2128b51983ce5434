//! Organization, users, groups and topics.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{
    scalars::{Long, parse_id, parse_ids},
    state,
    types::{Group, Organization, PageInfo, Topic, User, UserConnection, UserEdge},
    viewer,
};
use crate::{
    auth::Role,
    db,
    domain::{AmbassadorStatus, SocialNetwork},
    org::{
        groups, organizations,
        organizations::OrganizationChanges,
        topics,
        users::{self, NewUser, UserCursor, UserFilter},
    },
    pagination::{First, encode_cursor},
};

/// Changes to the viewer's own profile; absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// 1 to 200 characters.
    display_name: Option<String>,
    /// BCP 47 tag, e.g. fr or en-GB.
    language: Option<String>,
}

/// A new user of the organization.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// Sign-in email, unique across the service.
    email: String,
    /// 1 to 200 characters.
    display_name: String,
    /// Omit for users who sign in another way; at least 12 characters otherwise.
    password: Option<String>,
    /// BCP 47 tag; defaults to en.
    language: Option<String>,
    /// EMPLOYEE is always included.
    roles: Option<Vec<Role>>,
    /// Groups to add the user to.
    group_ids: Option<Vec<ID>>,
}

/// A count on one network.
#[derive(InputObject)]
pub struct NetworkCountInput {
    /// The network; each at most once.
    network: SocialNetwork,
    /// 0 or more.
    count: Long,
}

/// An amount on one network.
#[derive(InputObject)]
pub struct NetworkAmountInput {
    /// The network; each at most once.
    network: SocialNetwork,
    /// 0 or more.
    amount: f64,
}

/// Changes to the organization; absent fields stay as they are.
#[derive(InputObject)]
pub struct OrganizationInput {
    /// 1 to 200 characters.
    name: Option<String>,
    /// Replaces the whole list.
    company_followers: Option<Vec<NetworkCountInput>>,
    /// Whether engagement figures may name people.
    individual_analytics: Option<bool>,
    /// 1 to 1000.
    minimum_group_size: Option<i32>,
    /// 0 to 1000.
    points_per_share: Option<i32>,
    /// Replaces the whole list.
    cpm: Option<Vec<NetworkAmountInput>>,
    /// 1 to 50 characters; ambassadors enroll by quoting it.
    charter_version: Option<String>,
}

#[derive(Default)]
pub struct OrgQuery;

#[Object]
impl OrgQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> Result<User> {
        let viewer = viewer(ctx)?;
        Ok(User(
            users::get(&state(ctx)?.db, viewer, viewer.user_id()).await?,
        ))
    }

    /// The viewer's organization.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        Ok(Organization(
            organizations::get(&state(ctx)?.db, viewer(ctx)?).await?,
        ))
    }

    /// The organization's topics, by name.
    async fn topics(&self, ctx: &Context<'_>) -> Result<Vec<Topic>> {
        Ok(topics::list(&state(ctx)?.db, viewer(ctx)?)
            .await?
            .into_iter()
            .map(Topic)
            .collect())
    }

    /// The organization's groups, by name.
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        Ok(groups::list(&state(ctx)?.db, viewer(ctx)?)
            .await?
            .into_iter()
            .map(Group)
            .collect())
    }

    /// HR or ADMIN. An id of no user of the organization is NOT_FOUND.
    async fn user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user's id.")] id: ID,
    ) -> Result<Option<User>> {
        let viewer = viewer(ctx)?;
        viewer.require_any(&[Role::Hr])?;
        let id = parse_id(&id, "id")?;
        Ok(Some(User(users::get(&state(ctx)?.db, viewer, id).await?)))
    }

    /// HR or ADMIN.
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 50)] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Part of the name or email, any case.")] search: Option<String>,
        #[graphql(desc = "Only users with this status.")] ambassador_status: Option<
            AmbassadorStatus,
        >,
        #[graphql(desc = "Only current members of this group.")] group_id: Option<ID>,
    ) -> Result<UserConnection> {
        let viewer = viewer(ctx)?;
        let first = First::parse(first, 50)?;
        let group_id = group_id.map(|g| parse_id(&g, "groupId")).transpose()?;
        let page = users::list(
            &state(ctx)?.db,
            viewer,
            UserFilter {
                search,
                status: ambassador_status,
                group_id,
            },
            first,
            after.as_deref(),
        )
        .await?;
        let edges: Vec<UserEdge> = page
            .rows
            .into_iter()
            .map(|u| UserEdge {
                cursor: encode_cursor(&UserCursor {
                    name: u.display_name.clone(),
                    id: u.id,
                }),
                node: User(u),
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
        Ok(UserConnection {
            page_info: PageInfo::new(&cursors, page.has_next, page.had_cursor),
            edges,
            total_count: i32::try_from(page.total.unwrap_or(0)).unwrap_or(i32::MAX),
        })
    }
}

#[derive(Default)]
pub struct OrgMutation;

#[Object]
impl OrgMutation {
    /// Changes the viewer's own profile.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Fields to change.")] input: UpdateProfileInput,
    ) -> Result<User> {
        Ok(User(
            users::update_profile(
                &state(ctx)?.db,
                viewer(ctx)?,
                input.display_name,
                input.language,
            )
            .await?,
        ))
    }

    /// Follows a topic; following it again is not an error.
    async fn follow_topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The topic.")] topic_id: ID,
    ) -> Result<Topic> {
        let id = parse_id(&topic_id, "topicId")?;
        let state = state(ctx)?;
        Ok(Topic(
            topics::follow(&state.db, viewer(ctx)?, state.clock.now(), id).await?,
        ))
    }

    /// Stops following a topic; not following it is not an error.
    async fn unfollow_topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The topic.")] topic_id: ID,
    ) -> Result<Topic> {
        let id = parse_id(&topic_id, "topicId")?;
        Ok(Topic(
            topics::unfollow(&state(ctx)?.db, viewer(ctx)?, id).await?,
        ))
    }

    /// CURATOR or ADMIN.
    async fn create_topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1 to 100 characters, unique in the organization.")] name: String,
    ) -> Result<Topic> {
        let state = state(ctx)?;
        Ok(Topic(
            topics::create(&state.db, viewer(ctx)?, state.clock.now(), &name).await?,
        ))
    }

    /// HR or ADMIN.
    async fn create_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1 to 200 characters, unique in the organization.")] name: String,
    ) -> Result<Group> {
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let now = state.clock.now();
        let group = db::write(&state.db, async |txn| {
            groups::create(txn, viewer, now, &name).await
        })
        .await?;
        Ok(Group(group))
    }

    /// HR or ADMIN. Replaces the group's members.
    async fn set_group_members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group.")] group_id: ID,
        #[graphql(desc = "Every member the group should have; at most 10000.")] user_ids: Vec<ID>,
    ) -> Result<Group> {
        let group_id = parse_id(&group_id, "groupId")?;
        let user_ids = parse_ids(&user_ids, "userIds")?;
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let now = state.clock.now();
        let group = db::write(&state.db, async |txn| {
            groups::set_members(txn, viewer, now, group_id, &user_ids).await
        })
        .await?;
        Ok(Group(group))
    }

    /// ADMIN.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new user.")] input: CreateUserInput,
    ) -> Result<User> {
        let group_ids = parse_ids(&input.group_ids.unwrap_or_default(), "groupIds")?;
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let new = NewUser {
            email: input.email,
            display_name: input.display_name,
            password: input.password,
            language: input.language,
            roles: input.roles.unwrap_or_default(),
            group_ids,
        };
        // The password is hashed before the transaction starts.
        let prepared = users::prepare(viewer, &state.passwords, new).await?;
        let now = state.clock.now();
        let user = db::write(&state.db, async |txn| {
            users::create(txn, viewer, now, prepared).await
        })
        .await?;
        Ok(User(user))
    }

    /// ADMIN. EMPLOYEE is always kept, so an empty list leaves [EMPLOYEE].
    async fn set_user_roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user.")] user_id: ID,
        #[graphql(desc = "The roles the user should have.")] roles: Vec<Role>,
    ) -> Result<User> {
        let user_id = parse_id(&user_id, "userId")?;
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let now = state.clock.now();
        let user = db::write(&state.db, async |txn| {
            users::set_roles(txn, viewer, now, user_id, roles).await
        })
        .await?;
        Ok(User(user))
    }

    /// ADMIN.
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Fields to change.")] input: OrganizationInput,
    ) -> Result<Organization> {
        let changes = OrganizationChanges {
            name: input.name,
            company_followers: input
                .company_followers
                .map(|v| v.into_iter().map(|e| (e.network, e.count.0)).collect()),
            individual_analytics: input.individual_analytics,
            minimum_group_size: input.minimum_group_size,
            points_per_share: input.points_per_share,
            cpm: input
                .cpm
                .map(|v| v.into_iter().map(|e| (e.network, e.amount)).collect()),
            charter_version: input.charter_version,
        };
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let now = state.clock.now();
        let org = db::write(&state.db, async |txn| {
            organizations::update(txn, viewer, now, changes).await
        })
        .await?;
        Ok(Organization(org))
    }
}
