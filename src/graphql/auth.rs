//! Sign-in mutations.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{ClientAddr, state, types::User};
use crate::auth::session::{self, Session};

/// A signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// JWT for the Authorization: Bearer header; short-lived.
    access_token: String,
    /// Opaque, single use: refreshSession() returns a new one and retires this one.
    refresh_token: String,
    /// Seconds until accessToken expires.
    expires_in: i32,
    /// The signed-in user.
    user: User,
}

impl From<Session> for AuthPayload {
    fn from(s: Session) -> Self {
        Self {
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            expires_in: i32::try_from(s.expires_in).unwrap_or(i32::MAX),
            user: User(s.user),
        }
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Same error, and about the same time, for an unknown email and a wrong password.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Sign-in email, in any case.")] email: String,
        #[graphql(desc = "The user's password.")] password: String,
    ) -> Result<AuthPayload> {
        let state = state(ctx)?;
        let client = ctx
            .data::<ClientAddr>()
            .map(|c| c.0)
            .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        let client_key = state.address_key.hash(&client.to_string());
        Ok(session::login(
            &state.db,
            &state.passwords,
            state.access_tokens(),
            state.clock.now(),
            &email,
            password,
            &client_key,
        )
        .await?
        .into())
    }

    /// Rotates: the given token is retired. Presenting a retired token again revokes every session descended from it.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token of the latest AuthPayload.")] refresh_token: String,
    ) -> Result<AuthPayload> {
        let state = state(ctx)?;
        Ok(session::refresh(
            &state.db,
            state.access_tokens(),
            state.clock.now(),
            &refresh_token,
        )
        .await?
        .into())
    }

    /// Ends the session the refresh token belongs to. False when it was already ended or unknown.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's refresh token.")] refresh_token: String,
    ) -> Result<bool> {
        let state = state(ctx)?;
        Ok(session::logout(&state.db, state.clock.now(), &refresh_token).await?)
    }
}
