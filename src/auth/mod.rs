//! Who is calling: passwords, tokens, sessions, the request's `Viewer` and
//! role checks.

pub mod jwt;
pub mod password;
pub mod session;

use std::collections::BTreeSet;

use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// A role; EMPLOYEE is held by everyone.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Every user has it.
    Employee,
    /// Writes, schedules and archives content.
    Curator,
    /// Runs the ambassador programme and reads engagement.
    Hr,
    /// Manages users, roles and organization settings; may do everything.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "EMPLOYEE",
            Role::Curator => "CURATOR",
            Role::Hr => "HR",
            Role::Admin => "ADMIN",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "EMPLOYEE" => Some(Role::Employee),
            "CURATOR" => Some(Role::Curator),
            "HR" => Some(Role::Hr),
            "ADMIN" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user's roles, EMPLOYEE always included, in a stable order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSet(BTreeSet<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut set: BTreeSet<Role> = roles.into_iter().collect();
        set.insert(Role::Employee);
        Self(set)
    }

    /// Reads the stored form; unknown names are ignored.
    pub fn from_stored(s: &str) -> Self {
        Self::new(s.split(',').filter_map(|r| Role::parse(r.trim())))
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn to_vec(&self) -> Vec<Role> {
        self.0.iter().copied().collect()
    }
}

/// The authenticated caller. It is the only source of the organization id
/// that every request's queries are scoped by (`tenant::Tenant::of`), so
/// only this module makes one: from a verified access token or at sign-in.
#[derive(Clone, Debug)]
pub struct Viewer {
    user_id: Uuid,
    org_id: Uuid,
    roles: RoleSet,
}

impl Viewer {
    /// For token verification and sign-in only (this module and its children).
    fn new(user_id: Uuid, org_id: Uuid, roles: RoleSet) -> Self {
        Self {
            user_id,
            org_id,
            roles,
        }
    }

    pub fn user_id(&self) -> Uuid {
        self.user_id
    }

    pub fn org_id(&self) -> Uuid {
        self.org_id
    }

    pub fn roles(&self) -> &RoleSet {
        &self.roles
    }

    /// ADMIN may do everything; otherwise one of `roles` is needed.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        self.roles.contains(Role::Admin) || roles.iter().any(|r| self.roles.contains(*r))
    }

    pub fn require_any(&self, roles: &[Role]) -> AppResult<()> {
        if self.has_any(roles) {
            Ok(())
        } else {
            Err(AppError::Forbidden("your roles do not allow this"))
        }
    }
}

/// The server's key for hashing client addresses (sign-in throttling,
/// click visitors): raw addresses are never stored, and without the key a
/// hash cannot be matched by trying every address.
#[derive(Clone)]
pub struct AddressKey(Vec<u8>);

impl AddressKey {
    /// Derived from the server's secret, so every server behind a load
    /// balancer hashes alike.
    pub fn derive(secret: &str) -> Self {
        Self(sha256_hex(&format!("address-key:{secret}")).into_bytes())
    }

    /// HMAC-SHA256 of `input` under the key, hex.
    pub fn hash(&self, input: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(input.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// `bytes` random bytes from a cryptographic generator, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}
