//! `os2pm`: the portfolio service and its command line (API.md, "The command line").

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use os2pm_api::auth::{Authenticator, Role};
use os2pm_api::config::{Config, KeyConfig};
use os2pm_api::{openapi_doc, server};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Debug, Parser)]
#[command(
    name = "os2pm",
    version,
    about = "The OS2 project and product portfolio service",
    after_help = "`os2pm serve --help` lists the environment variables."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API (the default): migrates and seeds, then listens on OS2PM_BIND.
    #[command(after_help = os2pm_api::config::ENVIRONMENT_HELP)]
    Serve,
    /// Print a signed development token (development key only).
    Token {
        /// A role for the token; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// The organisation the caller acts for: a kommunekode or organisation id.
        #[arg(long)]
        org: Option<String>,
        /// The subject; default `dev-<first role>`.
        #[arg(long)]
        sub: Option<String>,
        /// How long the token is valid, e.g. 1h, 30m, 7d.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        ttl: Duration,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Apply pending migrations and seed the reference data, then exit.
    Migrate,
    /// Personal data: what is stored about one person.
    Person {
        #[command(subcommand)]
        command: PersonCommand,
    },
}

#[derive(Debug, Subcommand)]
enum PersonCommand {
    /// Print, as JSON, everything stored about the person with this token subject (`sub`): the
    /// right of access (GDPR art. 15).
    Export { sub: String },
}

fn parse_role(name: &str) -> Result<Role, String> {
    name.parse()
        .map_err(|e: os2pm_levels::UnknownValue| e.to_string())
}

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => return fail(&error),
    };
    server::init_tracing(config.json_logs);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(config).await.map_err(|e| e.to_string()),
        Command::Token {
            roles,
            org,
            sub,
            ttl,
        } => token(config, &roles, org.as_deref(), sub, ttl),
        Command::Openapi => os2pm_openapi::to_json(&openapi_doc::document())
            .map(|json| print!("{json}"))
            .map_err(|e| e.to_string()),
        Command::Migrate => os2pm_persistence::migrations::prepare(&config.database_url, true)
            .map(|applied| tracing::info!(?applied, "migrations applied"))
            .map_err(|e| e.to_string()),
        Command::Person {
            command: PersonCommand::Export { sub },
        } => export_person(&config, &sub),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn token(
    config: Config,
    roles: &[Role],
    org: Option<&str>,
    sub: Option<String>,
    ttl: Duration,
) -> Result<(), String> {
    if matches!(config.auth.keys, KeyConfig::IdentityProvider { .. }) {
        return Err("os2pm token only signs with the development key; \
                    OS2PM_JWKS_URL is set, so tokens come from the identity provider"
            .into());
    }
    if ttl > config.auth.max_lifetime {
        return Err(format!(
            "--ttl {} s is longer than a token may live ({} s, OS2PM_JWT_MAX_LIFETIME)",
            ttl.as_secs(),
            config.auth.max_lifetime.as_secs()
        ));
    }
    let sub =
        sub.unwrap_or_else(|| format!("dev-{}", roles.first().map_or("user", |r| r.as_str())));
    let authenticator = Authenticator::new(config.auth).map_err(|e| e.to_string())?;
    let token = authenticator
        .issue(&sub, roles, org, ttl)
        .map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}

fn export_person(config: &Config, sub: &str) -> Result<(), String> {
    let mut conn = config
        .database_url
        .connect(false)
        .map_err(|e| e.to_string())?;
    let data = os2pm_persistence::person_data::export(&mut conn, sub).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&data).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

#[allow(clippy::print_stderr)] // the command line's last word, also when logging is not set up
fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("os2pm: {error}");
    ExitCode::FAILURE
}
