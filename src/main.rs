//! The `advocacy` command: serve the API, migrate, create an organization,
//! seed the demo, export the schema.
#![forbid(unsafe_code)]

use std::sync::Arc;

use advocacy::{
    clock::SystemClock,
    config::Settings,
    org::organizations::{self, NewOrganization},
    seed,
    startup::Application,
    state::AppState,
    telemetry,
};
use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

/// mimalloc returns freed memory to the system: with glibc, the 19 MiB blocks
/// of password hashing stayed in per-thread arenas and a burst of sign-ins
/// kept the server at several hundred megabytes.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "advocacy",
    version,
    about = "Employee advocacy backend: GraphQL API"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Create an organization with its first ADMIN.
    CreateOrg {
        #[arg(long)]
        name: String,
        #[arg(long)]
        slug: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: String,
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
    },
    /// Add the demo organization to the configured database.
    SeedDemo,
    /// Print the GraphQL schema (SDL) that schema.graphql holds.
    ExportSchema,
    /// Only says that the benchmark dataset is written by the `seed-bench` tool.
    #[command(hide = true)]
    SeedBench {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::ExportSchema) = cli.command {
        print!("{}", advocacy::graphql::sdl());
        return Ok(());
    }
    if let Some(Command::SeedBench { .. }) = cli.command {
        eprintln!(
            "the benchmark dataset is written by the seed-bench tool, not by the server:\n  \
             cargo run --release -p seed-bench -- [FLAGS]   (target/release/seed-bench once built)"
        );
        std::process::exit(2);
    }
    telemetry::init_from_env();
    let settings = Settings::from_env()?;
    let clock = Arc::new(SystemClock);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = advocacy::db::connect(settings.database_url.expose_secret()).await?;
            advocacy::db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateOrg {
            name,
            slug,
            admin_email,
            admin_password,
            admin_name,
        } => {
            let state = connect(settings, clock).await?;
            let (org, admin) = organizations::create(
                &state.db,
                &state.passwords,
                state.clock.now(),
                NewOrganization {
                    name,
                    slug,
                    admin_email,
                    admin_name,
                    admin_password,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "organization {} ({}) created; admin {}",
                org.name, org.id, admin.email
            );
            Ok(())
        }
        Command::SeedDemo => {
            let state = connect(settings, clock).await?;
            let demo = seed::seed_demo(
                &state.db,
                &state.passwords,
                state.settings.app_env,
                state.clock.now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("seeding the demo organization (does it exist already?)")?;
            print_logins(&demo);
            Ok(())
        }
        Command::ExportSchema | Command::SeedBench { .. } => {
            unreachable!("handled before start-up")
        }
    }
}

async fn connect(settings: Settings, clock: Arc<SystemClock>) -> anyhow::Result<AppState> {
    let db = advocacy::db::connect(settings.database_url.expose_secret()).await?;
    advocacy::db::migrate(&db).await?;
    Ok(AppState::new(db, clock, settings))
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let graphiql = settings.app_env != advocacy::config::AppEnv::Production;
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let addr = app.local_addr()?;
    if let Some(demo) = &app.demo {
        print_logins(demo);
    }
    tracing::info!(%addr, "listening");
    println!("Dashboard:    http://{addr}/dashboard/");
    println!("GraphQL API:  http://{addr}/graphql");
    if graphiql {
        println!("GraphiQL:     http://{addr}/graphiql");
    }
    app.run_until_stopped().await?;
    Ok(())
}

fn print_logins(demo: &seed::DemoLogins) {
    println!(
        "Demo organization \"{}\" seeded. Sign in with password {:?} as:",
        demo.organization, demo.password
    );
    for (label, email) in &demo.accounts {
        println!("  {email:<24} {label}");
    }
}
