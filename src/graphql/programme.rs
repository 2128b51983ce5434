//! The volunteer ambassador programme: enrollment, consent, invitations,
//! candidates, social accounts and push tokens.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::{consent_records, invitations as invitation_rows, social_accounts};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::{
    loaders::load_list,
    loaders::loader_error,
    scalars::{DateTime, Long, parse_ids, to_id},
    state,
    types::{PageInfo, User},
    viewer,
};
use crate::{
    auth::{Role, Viewer},
    db,
    domain::SocialNetwork,
    error::{AppError, AppResult},
    pagination::{First, encode_cursor},
    programme::{
        ConsentAction, DevicePlatform, InviteSkipReason, candidates, devices, enrollment,
        invitation_list::{self, InvitationCursor},
        invitations, social,
    },
};

/// An account the employee declared on a social network.
pub struct SocialAccount(pub social_accounts::Model);

/// An account the employee declared on a social network.
#[Object]
impl SocialAccount {
    /// The network.
    async fn network(&self) -> SocialNetwork {
        SocialNetwork::parse(&self.0.network).unwrap_or(SocialNetwork::Other)
    }

    /// The employee's handle or profile name there, as declared.
    async fn handle(&self) -> &str {
        &self.0.handle
    }

    /// Followers the employee declared on that network.
    async fn follower_count(&self) -> Long {
        Long(self.0.follower_count)
    }

    /// When the account was last set.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// One entry of an employee's consent record: what they did, under which
/// charter, when. Entries are appended and never changed.
pub struct ConsentRecord(pub consent_records::Model);

/// One entry of an employee's consent record: what they did, under which
/// charter, when. Entries are appended and never changed.
#[Object]
impl ConsentRecord {
    /// What the employee did.
    async fn action(&self) -> Result<ConsentAction> {
        ConsentAction::parse(&self.0.action).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!(
                "unknown consent action {:?}",
                self.0.action
            ))
            .into()
        })
    }

    /// The organization's charter version at that moment.
    async fn charter_version(&self) -> &str {
        &self.0.charter_version
    }

    /// When it happened.
    async fn at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// An employee HR may invite, with what they declared.
#[derive(SimpleObject)]
pub struct AmbassadorCandidate {
    /// The employee.
    pub user: User,
    /// Sum of the followers the employee declared on every network.
    pub total_followers: Long,
    /// Networks the employee declared an account on.
    pub networks: Vec<SocialNetwork>,
}

/// An invitation HR sent to an employee.
pub struct Invitation(pub invitation_rows::Model);

/// An invitation HR sent to an employee.
#[Object]
impl Invitation {
    /// Identifier.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The invited employee; their ambassadorStatus says where they stand now.
    async fn user(&self, ctx: &Context<'_>) -> Result<User> {
        super::loaders(ctx)?
            .user_by_id
            .load_one(self.0.user_id)
            .await
            .map_err(loader_error)?
            .map(User)
            .ok_or_else(|| AppError::NotFound("user").into())
    }

    /// The HR manager or admin who sent it; null when that account no longer exists.
    async fn invited_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        Ok(super::loaders(ctx)?
            .user_by_id
            .load_one(self.0.invited_by)
            .await
            .map_err(loader_error)?
            .map(User))
    }

    /// The personal note sent with it.
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// When it was sent.
    async fn sent_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

/// An edge of the invitation list.
#[derive(SimpleObject)]
pub struct InvitationEdge {
    /// Position of this edge, for `after`.
    pub cursor: String,
    /// The invitation.
    pub node: Invitation,
}

/// A page of invitations.
#[derive(SimpleObject)]
pub struct InvitationConnection {
    /// The invitations of this page.
    pub edges: Vec<InvitationEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
    /// Invitations of the organization, over all pages.
    pub total_count: i32,
}

/// A listed user who was not invited, and why.
#[derive(SimpleObject)]
pub struct InviteSkip {
    /// The id as given.
    pub user_id: ID,
    /// Why the user was not invited.
    pub reason: InviteSkipReason,
}

/// What `inviteAmbassadors` did.
#[derive(SimpleObject)]
pub struct InviteAmbassadorsPayload {
    /// Users now INVITED, in the order given.
    pub invited: Vec<User>,
    /// Users left out, in the order given.
    pub skipped: Vec<InviteSkip>,
}

/// An account on a social network.
#[derive(InputObject)]
pub struct SocialAccountInput {
    /// The network; one account per network.
    network: SocialNetwork,
    /// 1 to 100 characters without spaces; surrounding spaces are trimmed.
    handle: String,
    /// 0 to 1,000,000,000.
    follower_count: Long,
}

/// `User.socialAccounts`, batched per request.
pub(super) async fn social_accounts_of(
    ctx: &Context<'_>,
    user_id: Uuid,
) -> Result<Vec<SocialAccount>> {
    // Colleagues reach each other through the leaderboard; handles and
    // audiences stay between the person and the programme's managers.
    let viewer = viewer(ctx)?;
    if viewer.user_id() != user_id {
        viewer.require_any(&[Role::Hr])?;
    }
    load_list(
        &super::loaders(ctx)?.social_accounts_of_user,
        user_id,
        SocialAccount,
    )
    .await
}

/// `User.consentRecords`: the user themself, HR or ADMIN.
pub(super) async fn consent_records_of(
    ctx: &Context<'_>,
    user_id: Uuid,
) -> Result<Vec<ConsentRecord>> {
    let viewer = viewer(ctx)?;
    if viewer.user_id() != user_id {
        viewer.require_any(&[Role::Hr])?;
    }
    load_list(
        &super::loaders(ctx)?.consent_of_user,
        user_id,
        ConsentRecord,
    )
    .await
}

#[derive(Default)]
pub struct ProgrammeQuery;

#[Object]
impl ProgrammeQuery {
    /// HR or ADMIN: employees who could be invited (NONE, or DECLINED/WITHDRAWN more than 90 days ago) and declared at least one social account, most followers first, then by displayName.
    /// The 90 days are counted from the decline or withdrawal: from exactly 90 × 24 hours after it, the employee is listed (and may be invited).
    async fn ambassador_candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 20)] first: Option<i32>,
    ) -> Result<Vec<AmbassadorCandidate>> {
        let viewer = viewer(ctx)?;
        viewer.require_any(&[Role::Hr])?;
        let first = First::parse(first, 20)?;
        let state = state(ctx)?;
        Ok(
            candidates::list(&state.db, viewer, state.clock.now(), first)
                .await?
                .into_iter()
                .map(|c| AmbassadorCandidate {
                    user: User(c.user),
                    total_followers: Long(c.total_followers),
                    networks: c.networks,
                })
                .collect(),
        )
    }

    /// HR or ADMIN: every invitation sent in the organization, newest first; a person invited again appears once per invitation.
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1..100.", default = 20)] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<InvitationConnection> {
        let viewer = viewer(ctx)?;
        viewer.require_any(&[Role::Hr])?;
        let first = First::parse(first, 20)?;
        let page = invitation_list::list(&state(ctx)?.db, viewer, first, after.as_deref()).await?;
        let edges: Vec<InvitationEdge> = page
            .rows
            .into_iter()
            .map(|row| InvitationEdge {
                cursor: encode_cursor(&InvitationCursor::of(&row)),
                node: Invitation(row),
            })
            .collect();
        let cursors: Vec<String> = edges.iter().map(|e| e.cursor.clone()).collect();
        Ok(InvitationConnection {
            page_info: PageInfo::new(&cursors, page.has_next, page.had_cursor),
            edges,
            total_count: i32::try_from(page.total.unwrap_or(0)).unwrap_or(i32::MAX),
        })
    }
}

/// A move of the viewer's own status, in one transaction.
async fn move_status(
    ctx: &Context<'_>,
    transition: impl AsyncFnOnce(
        &DatabaseTransaction,
        &Viewer,
        chrono::DateTime<chrono::Utc>,
    ) -> AppResult<entity::users::Model>,
) -> Result<User> {
    let (state, viewer) = (state(ctx)?, viewer(ctx)?);
    let now = state.clock.now();
    let user = db::write(&state.db, async |txn| transition(txn, viewer, now).await).await?;
    Ok(User(user))
}

#[derive(Default)]
pub struct ProgrammeMutation;

#[Object]
impl ProgrammeMutation {
    /// Volunteer enrollment, with or without an invitation; charterVersion must equal the organization's. Records the consent with its time.
    async fn enroll(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The charter version the employee read and accepts: the organization's settings.charterVersion."
        )]
        charter_version: String,
    ) -> Result<User> {
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let now = state.clock.now();
        let user = db::write(&state.db, async |txn| {
            enrollment::enroll(txn, viewer, now, &charter_version).await
        })
        .await?;
        Ok(User(user))
    }

    /// Declines a pending invitation (INVITED to DECLINED); HR cannot invite again for 90 days.
    async fn decline_invitation(&self, ctx: &Context<'_>) -> Result<User> {
        move_status(ctx, enrollment::decline).await
    }

    /// Takes a break (ACTIVE to PAUSED): no feed until resumed.
    async fn pause_ambassadorship(&self, ctx: &Context<'_>) -> Result<User> {
        move_status(ctx, enrollment::pause).await
    }

    /// Comes back from a break (PAUSED to ACTIVE).
    async fn resume_ambassadorship(&self, ctx: &Context<'_>) -> Result<User> {
        move_status(ctx, enrollment::resume).await
    }

    /// Leaves the programme: deletes the viewer's social accounts and push tokens; past shares stay in totals but are no longer attributed to anyone in rankings.
    async fn withdraw(&self, ctx: &Context<'_>) -> Result<User> {
        move_status(ctx, enrollment::withdraw).await
    }

    /// HR or ADMIN.
    async fn invite_ambassadors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Employees to invite; at most 1000, duplicates count once.")]
        user_ids: Vec<ID>,
        #[graphql(
            desc = "A personal note stored with each invitation and sent with it; at most 1000 characters."
        )]
        message: Option<String>,
    ) -> Result<InviteAmbassadorsPayload> {
        let viewer = viewer(ctx)?;
        viewer.require_any(&[Role::Hr])?;
        let ids = parse_ids(&user_ids, "userIds")?;
        let state = state(ctx)?;
        let now = state.clock.now();
        let result = db::write(&state.db, async |txn| {
            invitations::invite(txn, viewer, now, &ids, message.as_deref()).await
        })
        .await?;
        Ok(InviteAmbassadorsPayload {
            invited: result.invited.into_iter().map(User).collect(),
            skipped: result
                .skipped
                .into_iter()
                .map(|(id, reason)| InviteSkip {
                    user_id: to_id(id),
                    reason,
                })
                .collect(),
        })
    }

    /// Adds or replaces the viewer's account on that network.
    async fn set_social_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account.")] input: SocialAccountInput,
    ) -> Result<SocialAccount> {
        let state = state(ctx)?;
        Ok(SocialAccount(
            social::set(
                &state.db,
                viewer(ctx)?,
                state.clock.now(),
                input.network,
                &input.handle,
                input.follower_count.0,
            )
            .await?,
        ))
    }

    /// Removes the viewer's account on that network; NOT_FOUND when none is set.
    async fn remove_social_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The network whose account to remove.")] network: SocialNetwork,
    ) -> Result<bool> {
        social::remove(&state(ctx)?.db, viewer(ctx)?, network).await?;
        Ok(true)
    }

    /// Stores a push token for the viewer; the same token again is not an error.
    async fn register_device(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The phone's platform.")] platform: DevicePlatform,
        #[graphql(
            desc = "The push token the platform issued; 1 to 4096 characters. A user keeps the 10 newest; a token another user of the organization registered moves to the viewer."
        )]
        token: String,
    ) -> Result<bool> {
        let (state, viewer) = (state(ctx)?, viewer(ctx)?);
        let now = state.clock.now();
        db::write(&state.db, async |txn| {
            devices::register(txn, viewer, now, platform, &token).await
        })
        .await?;
        Ok(true)
    }
}
