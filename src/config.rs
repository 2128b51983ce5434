//! Settings from the environment, validated once at start.

use std::net::{IpAddr, SocketAddr};

use anyhow::{Context, bail};
use secrecy::SecretString;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

/// `Debug` shows no secret: the JWT secret and the database URL (which may
/// carry a password) print as `[REDACTED]`; read them with
/// `secrecy::ExposeSecret` where they are used.
#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: SecretString,
    pub bind: SocketAddr,
    pub jwt_secret: SecretString,
    pub app_env: AppEnv,
    /// Base of tracking links, without a trailing slash.
    pub public_base_url: String,
    pub graphql_introspection: bool,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub run_migrations: bool,
    /// Seed the demo organization when the database holds none: only in
    /// development on the default database.
    pub seed_demo_when_empty: bool,
    /// Access token lifetime in seconds.
    pub access_token_ttl: i64,
    /// Feed items held in memory over all organizations; 0 answers every
    /// feed request with a database query instead.
    pub feed_catalogue_max_items: usize,
    /// Bytes the feed catalogues may take over all organizations (titles,
    /// bodies, texts included); an organization beyond it is answered by a
    /// database query; 0 turns the catalogue off.
    pub feed_catalogue_max_bytes: usize,
    /// How long one GraphQL request may execute before it is stopped.
    pub graphql_timeout: std::time::Duration,
}

/// The default of `FEED_CATALOGUE_MAX_BYTES`: 48 MiB.
pub const DEFAULT_FEED_CATALOGUE_MAX_BYTES: usize = 48 << 20;

/// The default of `GRAPHQL_TIMEOUT_SECONDS`.
pub const DEFAULT_GRAPHQL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub const DEFAULT_SQLITE_URL: &str = "sqlite://advocacy.db?mode=rwc";

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let app_env = match get("APP_ENV").as_deref() {
            None | Some("") | Some("development") | Some("dev") | Some("test") => {
                AppEnv::Development
            }
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => bail!("APP_ENV must be development or production, not {other:?}"),
        };
        let database_url_set = get("DATABASE_URL").is_some_and(|v| !v.is_empty());
        if app_env == AppEnv::Production && !database_url_set {
            // The default is a SQLite file in the working directory, seeded
            // with the demo organization and its published password.
            bail!("DATABASE_URL is required when APP_ENV=production");
        }
        let database_url = get("DATABASE_URL")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_SQLITE_URL.to_owned());
        let bind = get("BIND")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
            .parse()
            .context("BIND must be an address such as 127.0.0.1:8080")?;
        let jwt_secret = match get("JWT_SECRET").filter(|v| !v.is_empty()) {
            Some(secret) if secret.len() < 32 => {
                bail!("JWT_SECRET must be at least 32 characters")
            }
            Some(secret) => secret,
            None if app_env == AppEnv::Production => {
                bail!("JWT_SECRET is required when APP_ENV=production")
            }
            None => {
                tracing::warn!(
                    "JWT_SECRET is not set: using a random one, so sessions end when the server stops"
                );
                crate::auth::random_token(48)
            }
        };
        let public_base_url = get("PUBLIC_BASE_URL")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("http://{bind}"));
        let parsed = url::Url::parse(&public_base_url)
            .context("PUBLIC_BASE_URL must be an absolute http(s) URL")?;
        if !matches!(parsed.scheme(), "http" | "https") {
            bail!("PUBLIC_BASE_URL must be an http(s) URL");
        }
        let graphql_introspection = match get("GRAPHQL_INTROSPECTION").as_deref() {
            Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            _ => app_env == AppEnv::Development,
        };
        let trusted_proxies = get("TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse()
                    .with_context(|| format!("TRUSTED_PROXIES: {s:?} is not an IP address"))
            })
            .collect::<anyhow::Result<_>>()?;
        let run_migrations = !matches!(get("RUN_MIGRATIONS").as_deref(), Some("false") | Some("0"));
        let access_token_ttl = match get("ACCESS_TOKEN_TTL_SECONDS") {
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| (60..=86_400).contains(n))
                .context("ACCESS_TOKEN_TTL_SECONDS must be 60..86400")?,
            None => 15 * 60,
        };
        let feed_catalogue_max_items = match get("FEED_CATALOGUE_MAX_ITEMS") {
            Some(v) if !v.is_empty() => v
                .parse()
                .ok()
                .filter(|n| *n <= 10_000_000)
                .context("FEED_CATALOGUE_MAX_ITEMS must be 0..10000000")?,
            _ => 200_000,
        };
        let feed_catalogue_max_bytes = match get("FEED_CATALOGUE_MAX_BYTES") {
            Some(v) if !v.is_empty() => v
                .parse()
                .ok()
                .filter(|n| *n <= 1 << 40)
                .context("FEED_CATALOGUE_MAX_BYTES must be a number of bytes, 0..2^40")?,
            _ => DEFAULT_FEED_CATALOGUE_MAX_BYTES,
        };
        let graphql_timeout = match get("GRAPHQL_TIMEOUT_SECONDS") {
            Some(v) if !v.is_empty() => v
                .parse()
                .ok()
                .filter(|n| (1..=600).contains(n))
                .map(std::time::Duration::from_secs)
                .context("GRAPHQL_TIMEOUT_SECONDS must be 1..600")?,
            _ => DEFAULT_GRAPHQL_TIMEOUT,
        };
        Ok(Self {
            database_url: database_url.into(),
            bind,
            jwt_secret: jwt_secret.into(),
            app_env,
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
            graphql_introspection,
            trusted_proxies,
            run_migrations,
            seed_demo_when_empty: app_env == AppEnv::Development && !database_url_set,
            access_token_ttl,
            feed_catalogue_max_items,
            feed_catalogue_max_bytes,
            graphql_timeout,
        })
    }

    /// Settings for an in-process server on a random port (tests, tools).
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Self {
            database_url: SecretString::from(database_url.into()),
            bind: "127.0.0.1:0".parse().expect("valid address"),
            jwt_secret: crate::auth::random_token(48).into(),
            app_env: AppEnv::Development,
            public_base_url: "http://links.test".to_owned(),
            graphql_introspection: true,
            trusted_proxies: Vec::new(),
            run_migrations: true,
            seed_demo_when_empty: false,
            access_token_ttl: 15 * 60,
            feed_catalogue_max_items: 200_000,
            feed_catalogue_max_bytes: DEFAULT_FEED_CATALOGUE_MAX_BYTES,
            graphql_timeout: DEFAULT_GRAPHQL_TIMEOUT,
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn with(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        Settings::from_lookup(|key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_feed_catalogue_holds_200_000_items_unless_told_otherwise() {
        assert_eq!(with(&[]).unwrap().feed_catalogue_max_items, 200_000);
        let off = with(&[("FEED_CATALOGUE_MAX_ITEMS", "0")]).unwrap();
        assert_eq!(off.feed_catalogue_max_items, 0);
        for bad in ["-1", "many", "10000001"] {
            let set = with(&[("FEED_CATALOGUE_MAX_ITEMS", bad)]);
            assert!(set.is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn the_feed_catalogue_holds_48_mib_unless_told_otherwise() {
        let default = with(&[]).unwrap().feed_catalogue_max_bytes;
        assert_eq!(default, 48 * 1024 * 1024);
        let set = with(&[("FEED_CATALOGUE_MAX_BYTES", "1000")]).unwrap();
        assert_eq!(set.feed_catalogue_max_bytes, 1000);
        for bad in ["-1", "lots", "2000000000000"] {
            let set = with(&[("FEED_CATALOGUE_MAX_BYTES", bad)]);
            assert!(set.is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn settings_never_print_their_secrets() {
        let jwt_secret = "jwt-secret-that-must-never-be-printed-0123456789";
        let db_password = "database-password-never-printed";
        let database_url = format!("postgres://app:{db_password}@db.internal:5432/advocacy");
        let settings = with(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", jwt_secret),
            ("DATABASE_URL", &database_url),
        ])
        .unwrap();
        assert_eq!(settings.jwt_secret.expose_secret(), jwt_secret);
        assert_eq!(settings.database_url.expose_secret(), database_url);
        for shown in [format!("{settings:?}"), format!("{settings:#?}")] {
            for secret in [jwt_secret, db_password] {
                assert!(!shown.contains(secret), "{secret:?} printed in {shown}");
            }
            assert!(shown.contains("jwt_secret"), "{shown}");
        }
        // The random secret of a development server does not print either.
        let dev = with(&[]).unwrap();
        let shown = format!("{dev:?}");
        assert!(!shown.contains(dev.jwt_secret.expose_secret()), "{shown}");
        let tests = Settings::for_tests("sqlite::memory:");
        let shown = format!("{tests:?}");
        assert!(!shown.contains(tests.jwt_secret.expose_secret()), "{shown}");
    }
}
