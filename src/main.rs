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
    /// Fill the database with the large-customer benchmark dataset.
    SeedBench(SeedBenchArgs),
}

/// Sizes are those of the large organization; each small one gets a tenth.
#[derive(clap::Args)]
struct SeedBenchArgs {
    /// Seed of the generator: the same seed (and last day) gives the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value_t = 100_000)]
    employees: u32,
    /// ACTIVE ambassadors (6% more PAUSED, 6% WITHDRAWN, 20% INVITED, 10% DECLINED).
    #[arg(long, default_value_t = 5_000)]
    ambassadors: u32,
    #[arg(long, default_value_t = 200)]
    groups: u32,
    #[arg(long, default_value_t = 20)]
    topics: u32,
    /// Days of history, ending on --last-day.
    #[arg(long, default_value_t = 730)]
    days: u32,
    #[arg(long, default_value_t = 10)]
    items_per_day: u32,
    #[arg(long, default_value_t = 2_000_000)]
    shares: u64,
    #[arg(long, default_value_t = 6_000_000)]
    clicks: u64,
    /// Small organizations, each a tenth of the large one.
    #[arg(long, default_value_t = 9)]
    small_orgs: u32,
    /// The last day of history (UTC, YYYY-MM-DD); yesterday by default.
    #[arg(long)]
    last_day: Option<chrono::NaiveDate>,
    /// Password of every generated user.
    #[arg(long, env = "BENCH_PASSWORD", default_value = "bench-password-1")]
    password: String,
    /// Write the load benchmark's fixtures (logins, tracking codes, ranges) here.
    #[arg(long)]
    fixtures: Option<std::path::PathBuf>,
    /// Replace seed-bench's previous organizations (slugs seedbench-*) and
    /// seed beside organizations it did not create (they are kept).
    #[arg(long)]
    force: bool,
    /// No progress bars.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::ExportSchema) = cli.command {
        print!("{}", advocacy::graphql::sdl());
        return Ok(());
    }
    let json_logs = std::env::var("LOG_FORMAT").is_ok_and(|v| v == "json");
    telemetry::init(json_logs);
    let settings = Settings::from_env()?;
    let clock = Arc::new(SystemClock);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = advocacy::db::connect(&settings.database_url).await?;
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
            let demo = seed::seed_demo(&state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))
                .context("seeding the demo organization (does it exist already?)")?;
            print_logins(&demo);
            Ok(())
        }
        Command::SeedBench(args) => seed_bench(settings, args).await,
        Command::ExportSchema => unreachable!("handled before start-up"),
    }
}

async fn connect(settings: Settings, clock: Arc<SystemClock>) -> anyhow::Result<AppState> {
    let db = advocacy::db::connect(&settings.database_url).await?;
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
    println!("GraphQL API:  http://{addr}/graphql");
    if graphiql {
        println!("GraphiQL:     http://{addr}/graphiql");
    }
    app.run_until_stopped().await?;
    Ok(())
}

async fn seed_bench(settings: Settings, args: SeedBenchArgs) -> anyhow::Result<()> {
    use advocacy::bench_data;
    let db = advocacy::db::connect(&settings.database_url).await?;
    advocacy::db::migrate(&db).await?;
    let options = bench_data::Options {
        seed: args.seed,
        sizes: bench_data::Sizes {
            employees: args.employees,
            ambassadors: args.ambassadors,
            groups: args.groups,
            topics: args.topics,
            days: args.days,
            items_per_day: args.items_per_day,
            shares: args.shares,
            clicks: args.clicks,
            small_orgs: args.small_orgs,
        },
        fixtures: args.fixtures,
        force: args.force,
        password: args.password,
        last_day: args.last_day,
        progress: !args.quiet,
    };
    let started = std::time::Instant::now();
    let outcome = bench_data::run(&db, &options).await?;
    println!(
        "seed-bench: organization {} ({}) and {} small ones in {:.0} s",
        outcome.fixtures.organization_slug,
        outcome.fixtures.organization_id,
        outcome.fixtures.small_organizations.len(),
        started.elapsed().as_secs_f64()
    );
    for (table, rows) in &outcome.rows {
        println!("  {table:<26} {rows:>12}");
    }
    if let Some(path) = &options.fixtures {
        println!("fixtures written to {}", path.display());
    }
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
