//! Spawning the app with a fresh database, and a small GraphQL client.

use std::sync::Arc;

use advocacy::{
    clock::ManualClock,
    config::Settings,
    org::organizations::{self, NewOrganization},
    startup::Application,
    state::AppState,
};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Database};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery staple";

/// Where every test's clock starts: a Monday morning.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    #[allow(dead_code)]
    pub database_url: String,
    /// The first organization, created with an ADMIN.
    pub org: Org,
}

/// An organization and its admin's access token.
#[derive(Clone, Debug)]
pub struct Org {
    pub id: Uuid,
    pub admin_id: String,
    pub admin_email: String,
    pub admin_token: String,
}

/// The answer to one GraphQL request.
#[derive(Debug)]
pub struct Gql {
    pub status: u16,
    pub body: Value,
}

impl Gql {
    /// `data`, asserting that there were no errors.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors (HTTP {}): {}",
            self.status,
            self.body
        );
        &self.body["data"]
    }

    /// The code of the first error, asserting there is one.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error with a code, got {}", self.body))
    }

    pub fn message(&self) -> &str {
        self.body["errors"][0]["message"].as_str().unwrap_or("")
    }
}

static PG_CLEANUP: OnceCell<()> = OnceCell::const_new();

/// A fresh, empty database URL for one test.
pub async fn fresh_database() -> String {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        return "sqlite::memory:".to_owned();
    };
    if base.starts_with("sqlite") {
        return base;
    }
    let admin = Database::connect(&base)
        .await
        .expect("connect to TEST_DATABASE_URL");
    let now = chrono::Utc::now().timestamp();
    PG_CLEANUP
        .get_or_init(|| async {
            // Databases left by earlier runs: only those named more than a
            // few hours ago, so test runs beside this one keep theirs.
            let rows = admin
                .query_all_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    "SELECT datname FROM pg_database WHERE datname LIKE 'advtest\\_%'".to_owned(),
                ))
                .await
                .unwrap_or_default();
            for row in rows {
                let Ok(name) = row.try_get::<String>("", "datname") else {
                    continue;
                };
                let created = name
                    .split('_')
                    .nth(1)
                    .and_then(|s| s.parse::<i64>().ok())
                    .unwrap_or(0);
                if now - created > 3 * 3600 {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                        .await;
                }
            }
        })
        .await;
    let name = format!("advtest_{now}_{}", Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    let _ = admin.close().await;
    let mut url = url::Url::parse(&base).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

/// A fresh database that several servers can open at once: the PostgreSQL
/// one of `fresh_database` when TEST_DATABASE_URL is set, otherwise a new
/// SQLite file (an in-memory database lives in one connection).
pub async fn shared_database() -> String {
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        return fresh_database().await;
    }
    let path = std::env::temp_dir().join(format!("advtest_{}.db", Uuid::new_v4().simple()));
    format!("sqlite://{}?mode=rwc", path.display())
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with settings adjusted by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let database_url = fresh_database().await;
        let mut settings = Settings::for_tests(database_url.clone());
        tweak(&mut settings);
        let clock = ManualClock::new(start_time());
        Self::spawn_on(settings, clock).await
    }

    /// Spawns on an existing database and clock, and creates the first
    /// organization.
    pub async fn spawn_on(settings: Settings, clock: Arc<ManualClock>) -> TestApp {
        let mut test = Self::start(settings, clock).await;
        test.org = test.create_org("Acme", "acme").await;
        test
    }

    /// A second server on the same database, settings (so the same tokens
    /// work) and clock, as behind a load balancer; it shares `org`.
    pub async fn spawn_replica(&self) -> TestApp {
        let mut replica = Self::start(self.state.settings.clone(), self.clock.clone()).await;
        replica.org = self.org.clone();
        replica
    }

    async fn start(settings: Settings, clock: Arc<ManualClock>) -> TestApp {
        let database_url = settings.database_url.expose_secret().to_owned();
        let app = Application::build(settings, clock.clone())
            .await
            .expect("build application");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base,
            client,
            clock,
            state,
            database_url,
            org: Org {
                id: Uuid::nil(),
                admin_id: String::new(),
                admin_email: String::new(),
                admin_token: String::new(),
            },
        }
    }

    /// Creates an organization with an ADMIN and signs the admin in.
    pub async fn create_org(&self, name: &str, slug: &str) -> Org {
        let admin_email = format!("admin@{slug}.example");
        let (org, admin) = organizations::create(
            &self.state.db,
            &self.state.passwords,
            self.clock_now(),
            NewOrganization {
                name: name.to_owned(),
                slug: slug.to_owned(),
                admin_email: admin_email.clone(),
                admin_name: format!("{name} Admin"),
                admin_password: PASSWORD.to_owned(),
            },
        )
        .await
        .expect("create organization");
        let admin_token = self.login_token(&admin_email, PASSWORD).await;
        Org {
            id: org.id,
            admin_id: admin.id.to_string(),
            admin_email,
            admin_token,
        }
    }

    pub fn clock_now(&self) -> DateTime<Utc> {
        use advocacy::clock::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs one GraphQL operation.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        // As current clients do: the GraphQL response type first.
        let mut req = self
            .client
            .post(self.url("/graphql"))
            .header(
                "accept",
                "application/graphql-response+json, application/json;q=0.9",
            )
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status().as_u16();
        let body = res.json().await.expect("JSON body");
        Gql { status, body }
    }

    /// The admin of the first organization runs `query`.
    pub async fn admin(&self, query: &str, variables: Value) -> Gql {
        self.gql(Some(&self.org.admin_token), query, variables)
            .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Gql {
        self.gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresIn user { id email } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    pub async fn login_token(&self, email: &str, password: &str) -> String {
        let res = self.login(email, password).await;
        res.data()["login"]["accessToken"]
            .as_str()
            .expect("access token")
            .to_owned()
    }

    /// Creates a user in the organization of `admin_token` and signs them in.
    /// Returns (user id, access token).
    pub async fn create_user_in(
        &self,
        admin_token: &str,
        email: &str,
        name: &str,
        roles: &[&str],
    ) -> (String, String) {
        let res = self
            .gql(
                Some(admin_token),
                "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                json!({ "i": { "email": email, "displayName": name, "password": PASSWORD, "roles": roles } }),
            )
            .await;
        let id = res.data()["createUser"]["id"].as_str().unwrap().to_owned();
        let token = self.login_token(email, PASSWORD).await;
        (id, token)
    }

    /// Creates a user in the first organization and signs them in.
    pub async fn create_user(&self, email: &str, roles: &[&str]) -> (String, String) {
        let name = email.split('@').next().unwrap_or(email).to_owned();
        self.create_user_in(&self.org.admin_token, email, &name, roles)
            .await
    }
}
