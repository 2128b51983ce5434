//! Builds the application: database, migrations, state, schema, router and
//! a bound listener (port 0 in tests).

use std::{future::Future, net::SocketAddr};

use anyhow::Context;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::{
    auth::password::Passwords,
    clock::SharedClock,
    config::Settings,
    db, graphql, http,
    seed::{self, DemoLogins},
    state::AppState,
};

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    /// Set when this start seeded the demo organization.
    pub demo: Option<DemoLogins>,
}

impl Application {
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let conn = db::connect(settings.database_url.expose_secret()).await?;
        if settings.run_migrations {
            db::migrate(&conn).await?;
        }
        let state = AppState::new(conn, clock, settings.clone());
        let demo = if settings.seed_demo_when_empty
            && !crate::org::organizations::any_exists(&state.db).await?
        {
            Some(
                seed::seed_demo(
                    &state.db,
                    &state.passwords,
                    state.settings.app_env,
                    state.clock.now(),
                )
                .await?,
            )
        } else {
            None
        };
        Passwords::warm_up();
        let schema = graphql::build(state.clone());
        let router = http::router(state.clone(), schema);
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("binding {}", settings.bind))?;
        Ok(Self {
            listener,
            router,
            state,
            demo,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or Ctrl-C, letting requests under way finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `signal` completes, then drains requests under way.
    pub async fn run_until(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal)
        .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
