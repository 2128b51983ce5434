//! Every failure a client sees goes through `AppError`, which carries one of
//! the contract's `extensions.code` values. Internal causes are logged (with
//! the request id of the surrounding span) and never sent.

use async_graphql::{ErrorExtensionValues, ErrorExtensions, Pos, ServerError};
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Why a request is UNAUTHENTICATED, sent as `extensions.reason`, so a client
/// refreshes its session only when that can help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFailure {
    /// `login`: unknown email or wrong password. Refreshing does not help.
    InvalidCredentials,
    /// No bearer token was sent to an operation that needs one.
    TokenMissing,
    /// The access token has expired: refresh the session.
    TokenExpired,
    /// The access token is malformed, forged or not ours.
    TokenInvalid,
    /// `refreshSession`: the refresh token is unknown, expired, revoked or
    /// already used. Sign in again.
    RefreshTokenInvalid,
}

impl AuthFailure {
    pub fn reason(self) -> &'static str {
        match self {
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::TokenMissing => "TOKEN_MISSING",
            Self::TokenExpired => "TOKEN_EXPIRED",
            Self::TokenInvalid => "TOKEN_INVALID",
            Self::RefreshTokenInvalid => "REFRESH_TOKEN_INVALID",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::InvalidCredentials => "email or password is incorrect",
            Self::TokenMissing => "sign in first: send Authorization: Bearer <accessToken>",
            Self::TokenExpired => "the access token has expired; refresh the session",
            Self::TokenInvalid => "the access token is invalid; sign in again",
            Self::RefreshTokenInvalid => "refresh token is invalid, expired or already used",
        }
    }
}

impl std::fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(AuthFailure),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {retry_after_seconds} seconds")]
    RateLimited { retry_after_seconds: i64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
    /// Execution outlived its time limit and was stopped.
    #[error("the request took longer than {} seconds and was stopped; try again later", .0.as_secs())]
    TimedOut(std::time::Duration),
    /// The document is not GraphQL.
    #[error("{0}")]
    ParseFailed(String),
    /// The document does not validate against the schema.
    #[error("{0}")]
    ValidationFailed(String),
    /// Refused before execution for its size: `cost` as the complexity
    /// limit counts it (fields after expanding fragments).
    #[error("{message}")]
    TooComplex {
        message: String,
        cost: u64,
        max_cost: u64,
    },
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadInput(message.into())
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput(_) => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) | Self::TimedOut(_) => "INTERNAL_SERVER_ERROR",
            Self::ParseFailed(_) => "GRAPHQL_PARSE_FAILED",
            Self::ValidationFailed(_) => "GRAPHQL_VALIDATION_FAILED",
            Self::TooComplex { .. } => "QUERY_TOO_COMPLEX",
        }
    }

    /// Writes `extensions.code` and what goes with it (reason, limits).
    pub fn write_extensions(&self, ext: &mut ErrorExtensionValues) {
        ext.set("code", self.code());
        match self {
            Self::Unauthenticated(failure) => ext.set("reason", failure.reason()),
            Self::RateLimited {
                retry_after_seconds,
            } => ext.set("retryAfterSeconds", *retry_after_seconds),
            Self::TooComplex { cost, max_cost, .. } => {
                ext.set("cost", *cost);
                ext.set("maxCost", *max_cost);
            }
            _ => {}
        }
    }

    /// The error as async-graphql reports errors raised outside resolvers
    /// (parsing, validation, limits).
    pub fn into_server_error(self, locations: Vec<Pos>) -> ServerError {
        if let AppError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let mut err = ServerError::new(self.to_string(), None);
        err.locations = locations;
        let mut ext = ErrorExtensionValues::default();
        self.write_extensions(&mut ext);
        err.extensions = Some(ext);
        err
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        Self::Internal(err.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        Self::Internal(err)
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(cause) = &err {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        async_graphql::Error::new(err.to_string()).extend_with(|_, ext| err.write_extensions(ext))
    }
}

/// Maps a failed insert: a unique-constraint violation becomes CONFLICT with
/// `message` (the loser of a race reads like a plain duplicate), anything
/// else stays internal.
pub fn conflict_if_duplicate(message: &'static str) -> impl FnOnce(DbErr) -> AppError {
    move |err| {
        if is_unique_violation(&err) {
            AppError::conflict(message)
        } else {
            err.into()
        }
    }
}

/// Whether a database error is a unique-constraint violation, so a race
/// between two writers can be answered as the loser's CONFLICT or replay.
pub fn is_unique_violation(err: &DbErr) -> bool {
    if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        return true;
    }
    // Some paths (e.g. raw statements) surface the driver error unclassified.
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .is_some_and(|d| d.is_unique_violation()),
        _ => false,
    }
}
