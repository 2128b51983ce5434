//! Access tokens: HS256 only, every claim required and checked.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Role, RoleSet, Viewer};
use crate::error::{AppError, AppResult, AuthFailure};

pub const ISSUER: &str = "advocacy";
pub const AUDIENCE: &str = "advocacy-api";
const LEEWAY_SECONDS: u64 = 30;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub org: Uuid,
    pub roles: Vec<String>,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    pub fn issue(&self, viewer: &Viewer, now: i64, ttl_seconds: i64) -> AppResult<String> {
        let claims = Claims {
            sub: viewer.user_id(),
            org: viewer.org_id(),
            roles: viewer
                .roles
                .to_vec()
                .into_iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            exp: now + ttl_seconds,
            iat: now,
            jti: Uuid::now_v7(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(e.into()))
    }

    /// Checks signature, algorithm, issuer, audience and expiry against `now`
    /// (the application's clock, so tests can move past expiry).
    pub fn verify(&self, token: &str, now: i64) -> AppResult<Viewer> {
        let mut validation = self.validation.clone();
        // Expiry is checked below against the application's clock.
        validation.validate_exp = false;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AppError::Unauthenticated(AuthFailure::TokenInvalid))?;
        let claims = data.claims;
        let leeway = LEEWAY_SECONDS as i64;
        if claims.iat - leeway > now {
            return Err(AppError::Unauthenticated(AuthFailure::TokenInvalid));
        }
        if claims.exp + leeway < now {
            return Err(AppError::Unauthenticated(AuthFailure::TokenExpired));
        }
        let roles = claims
            .roles
            .iter()
            .map(|r| Role::parse(r))
            .collect::<Option<Vec<_>>>()
            .ok_or(AppError::Unauthenticated(AuthFailure::TokenInvalid))?;
        Ok(Viewer::new(claims.sub, claims.org, RoleSet::new(roles)))
    }
}
