//! What every request shares: the database, the clock, keys and settings.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;

use crate::{
    auth::{AddressKey, jwt::JwtKeys, password::Passwords, session::AccessTokens},
    clock::SharedClock,
    config::Settings,
    content::catalogue::FeedCatalogues,
};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// See [`Inner::reports`].
const REPORTS_AT_ONCE: usize = 2;

pub struct Inner {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    pub settings: Settings,
    pub passwords: Passwords,
    pub jwt: JwtKeys,
    /// Each organization's feed catalogue, kept in memory.
    pub feed_catalogues: FeedCatalogues,
    /// Engagement reports computed at once: each runs its statements side by
    /// side on several pooled connections and keeps the database's cores
    /// busy, so more at once would only slow every request down and take the
    /// connections the rest of the API needs.
    pub reports: tokio::sync::Semaphore,
    /// SQL statements run on `db` since start (for tests and diagnostics).
    pub statements: Arc<AtomicU64>,
    /// Key for hashing client addresses: raw addresses are never stored.
    pub address_key: AddressKey,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(mut db: DatabaseConnection, clock: SharedClock, settings: Settings) -> Self {
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        let jwt = JwtKeys::new(settings.jwt_secret.expose_secret());
        let address_key = AddressKey::derive(settings.jwt_secret.expose_secret());
        Self(Arc::new(Inner {
            feed_catalogues: FeedCatalogues::new(
                settings.feed_catalogue_max_items,
                settings.feed_catalogue_max_bytes,
            ),
            reports: tokio::sync::Semaphore::new(REPORTS_AT_ONCE),
            db,
            clock,
            passwords: Passwords::new(),
            jwt,
            address_key,
            settings,
            statements,
        }))
    }
}

impl Inner {
    /// How many SQL statements have run on the connection pool so far.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// What signing in needs to issue access tokens.
    pub fn access_tokens(&self) -> AccessTokens<'_> {
        AccessTokens {
            keys: &self.jwt,
            ttl_seconds: self.settings.access_token_ttl,
        }
    }
}
