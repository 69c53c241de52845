//! The service configuration: read once from the environment into one typed struct.
//! Every variable is listed in the README's configuration table.

use std::path::PathBuf;
use std::time::Duration;

use os2pm_persistence::DatabaseUrl;

#[derive(Debug, Clone)]
pub struct Config {
    /// `OS2PM_BIND`
    pub bind: String,
    /// `DATABASE_URL`
    pub database_url: DatabaseUrl,
    /// `OS2PM_AUTO_MIGRATE`
    pub auto_migrate: bool,
    /// `OS2PM_DB_POOL_SIZE`
    pub pool_size: u32,
    /// `OS2PM_DB_TIMEOUT`: how long a request waits for a database connection before 503.
    pub db_timeout: Duration,
    /// `OS2PM_WORKERS`: actix workers; default one per core.
    pub workers: Option<usize>,
    /// `OS2PM_MAX_BODY_BYTES`
    pub max_body_bytes: usize,
    /// `OS2PM_LOG_FORMAT`: `text` or `json`.
    pub json_logs: bool,
    /// `OS2PM_VIEW_CACHE_MB`: memory for built project views (0 builds every view afresh).
    pub view_cache_mb: u64,
    /// `OS2PM_CORS_ORIGINS`: the browser origins (intranet pages) that may call the API;
    /// none by default.
    pub cors_origins: Vec<String>,
    /// `OS2PM_RATE_LIMIT`: anonymous requests (and failed sign-ins) a minute per client
    /// address; 0 turns the limit off.
    pub rate_limit_per_minute: u32,
    pub auth: AuthConfig,
    pub webhooks: WebhookConfig,
}

/// How webhooks are delivered.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK`: accept `http://` targets among the allowed hosts
    /// (development).
    pub allow_http_loopback: bool,
    /// `OS2PM_WEBHOOK_ALLOW_HOSTS`: hosts webhooks may reach although they are not public.
    pub allow_hosts: Vec<String>,
    /// `OS2PM_WEBHOOKS_PER_ORG`: the most webhooks one organisation (or the administrator) has.
    pub per_organization: u32,
    /// `OS2PM_WEBHOOK_MAX_ATTEMPTS`: attempts before a delivery is marked failed.
    pub max_attempts: u32,
    /// `OS2PM_WEBHOOK_TIMEOUT`: how long one attempt may take.
    pub timeout: Duration,
    /// `OS2PM_WEBHOOK_BACKOFF`: the first retry's delay; it doubles per attempt, with jitter.
    pub backoff: Duration,
    /// `OS2PM_WEBHOOK_MAX_BACKOFF`: the longest delay between two attempts.
    pub max_backoff: Duration,
    /// `OS2PM_WEBHOOK_POLL`: how often the dispatcher looks for new events.
    pub poll: Duration,
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// `OS2PM_JWT_ISSUER`
    pub issuer: String,
    /// `OS2PM_JWT_AUDIENCE`
    pub audience: String,
    /// `OS2PM_JWT_ROLES_CLAIM`: a dotted path, e.g. `realm_access.roles` for Keycloak.
    pub roles_claim: String,
    /// `OS2PM_JWT_ORG_CLAIM`
    pub org_claim: String,
    /// `OS2PM_JWT_LEEWAY`: clock skew allowed on `exp`, `nbf` and `iat`.
    pub leeway: Duration,
    /// `OS2PM_JWT_MAX_LIFETIME`: the longest a token may live, from `iat` (or now) to `exp`.
    pub max_lifetime: Duration,
    pub keys: KeyConfig,
}

#[derive(Debug, Clone)]
pub enum KeyConfig {
    /// HS256 with `OS2PM_JWT_SECRET`, or a random key kept in `key_file`.
    Development {
        secret: Option<String>,
        key_file: PathBuf,
    },
    /// RS256/ES256 keys from the identity provider's JWKS document.
    IdentityProvider {
        /// Where the keys are, as given (`OS2PM_JWKS_URL`) or discovered from the OpenID
        /// provider's configuration (`OS2PM_OIDC_ISSUER`).
        jwks: JwksSource,
        /// `OS2PM_JWKS_CACHE_TTL`: how long fetched keys are trusted before a refetch.
        cache_ttl: Duration,
        /// `OS2PM_JWKS_REFRESH_MIN_INTERVAL`: the least time between two fetches, so tokens
        /// with made-up key ids cannot make os2pm hammer the identity provider.
        refresh_min_interval: Duration,
    },
}

/// Where the identity provider's keys are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    /// `OS2PM_JWKS_URL`
    Url(String),
    /// `OS2PM_OIDC_ISSUER`: its `/.well-known/openid-configuration` names the keys
    /// (`jwks_uri`) and must name this issuer.
    Discovery { issuer: String },
}

/// What `os2pm serve --help` says of the environment; the README's configuration table says the
/// same at more length.
pub const ENVIRONMENT_HELP: &str = "\
Environment (the README's configuration table says more):
  OS2PM_BIND                         address to listen on, HOST:PORT [127.0.0.1:8080]
  DATABASE_URL                       a SQLite file path or sqlite://path, or postgres://user@host:port/db [os2pm.db]
  OS2PM_AUTO_MIGRATE                 apply pending migrations at start: true or false [true]
  OS2PM_DB_POOL_SIZE                 database connections, at least 1 [10]
  OS2PM_DB_TIMEOUT                   how long a request waits for the database before a 503 [5s]
  OS2PM_WORKERS                      HTTP worker threads, at least 1 [one per core]
  OS2PM_MAX_BODY_BYTES               the largest request body, at least 1 [262144]
  OS2PM_VIEW_CACHE_MB                memory for built project views; 0 turns the cache off [16]
  OS2PM_CORS_ORIGINS                 browser origins that may call the API, comma-separated [none]
  OS2PM_RATE_LIMIT                   anonymous requests and failed sign-ins a minute per client; 0 off [600]
  OS2PM_LOG_FORMAT                   text (colours on a terminal only) or json (one object a line) [text]
  RUST_LOG                           log filter [info]
  OS2PM_JWT_ISSUER                   the required `iss` [os2pm]
  OS2PM_JWT_AUDIENCE                 the required `aud` [os2pm]
  OS2PM_JWT_ROLES_CLAIM              the claim holding the roles, a dotted path [roles]
  OS2PM_JWT_ORG_CLAIM                the claim holding the caller's organisation [org]
  OS2PM_JWT_LEEWAY                   clock skew allowed on `exp`, `nbf` and `iat` [30s]
  OS2PM_JWT_MAX_LIFETIME             the longest a token may live, `iat` to `exp` [12h]
  OS2PM_JWT_SECRET                   development HS256 secret, at least 32 bytes [a random key in a file]
  OS2PM_JWT_KEY_FILE                 where the random development key is kept [<sqlite file>.jwt-key]
  OS2PM_JWKS_URL                     the identity provider's JWKS; turns off development tokens
  OS2PM_OIDC_ISSUER                  an OpenID provider: its discovery document names the JWKS, and its tokens' `iss`
  OS2PM_JWKS_CACHE_TTL               how long fetched keys are used [10m]
  OS2PM_JWKS_REFRESH_MIN_INTERVAL    the least time between two JWKS fetches [10s]
  OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK  accept http:// to hosts in OS2PM_WEBHOOK_ALLOW_HOSTS [false]
  OS2PM_WEBHOOK_ALLOW_HOSTS          hosts webhooks may reach though not public, comma-separated [none]
  OS2PM_WEBHOOKS_PER_ORG             the most webhooks an organisation has [20]
  OS2PM_WEBHOOK_MAX_ATTEMPTS         attempts before a delivery fails, at least 1 [10]
  OS2PM_WEBHOOK_TIMEOUT              how long one delivery attempt may take [10s]
  OS2PM_WEBHOOK_BACKOFF              the first retry's delay, doubling per attempt [2s]
  OS2PM_WEBHOOK_MAX_BACKOFF          the longest delay between two attempts [10m]
  OS2PM_WEBHOOK_POLL                 how often the dispatcher looks for new events [1s]";

/// A variable whose value cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

/// The smallest HS256 secret accepted: 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var =
            |name: &'static str, default: &str| lookup(name).unwrap_or_else(|| default.into());
        let database_url =
            DatabaseUrl::parse(&var("DATABASE_URL", "os2pm.db")).map_err(|e| ConfigError {
                variable: "DATABASE_URL",
                message: e.to_string(),
            })?;
        let oidc_issuer =
            lookup("OS2PM_OIDC_ISSUER").map(|issuer| issuer.trim_end_matches('/').to_owned());
        let source = match (lookup("OS2PM_JWKS_URL"), &oidc_issuer) {
            (Some(url), _) => Some(JwksSource::Url(url)),
            (None, Some(issuer)) => Some(JwksSource::Discovery {
                issuer: issuer.clone(),
            }),
            (None, None) => None,
        };
        let keys = key_config(&lookup, source, &database_url)?;
        Ok(Self {
            bind: bind_address(&var("OS2PM_BIND", "127.0.0.1:8080"))?,
            database_url,
            auto_migrate: boolean("OS2PM_AUTO_MIGRATE", &var("OS2PM_AUTO_MIGRATE", "true"))?,
            pool_size: positive("OS2PM_DB_POOL_SIZE", &var("OS2PM_DB_POOL_SIZE", "10"))?,
            db_timeout: duration("OS2PM_DB_TIMEOUT", &var("OS2PM_DB_TIMEOUT", "5s"))?,
            workers: lookup("OS2PM_WORKERS")
                .map(|v| positive("OS2PM_WORKERS", &v))
                .transpose()?,
            max_body_bytes: positive(
                "OS2PM_MAX_BODY_BYTES",
                &var("OS2PM_MAX_BODY_BYTES", "262144"),
            )?,
            view_cache_mb: number("OS2PM_VIEW_CACHE_MB", &var("OS2PM_VIEW_CACHE_MB", "16"))?,
            cors_origins: origins(&var("OS2PM_CORS_ORIGINS", ""))?,
            rate_limit_per_minute: number("OS2PM_RATE_LIMIT", &var("OS2PM_RATE_LIMIT", "600"))?,
            json_logs: match var("OS2PM_LOG_FORMAT", "text").as_str() {
                "text" => false,
                "json" => true,
                other => {
                    return Err(ConfigError {
                        variable: "OS2PM_LOG_FORMAT",
                        message: format!("`{other}` is neither `text` nor `json`"),
                    });
                }
            },
            auth: AuthConfig {
                // The discovered provider's tokens name it as their issuer.
                issuer: lookup("OS2PM_JWT_ISSUER")
                    .or_else(|| oidc_issuer.clone())
                    .unwrap_or_else(|| "os2pm".into()),
                audience: var("OS2PM_JWT_AUDIENCE", "os2pm"),
                roles_claim: var("OS2PM_JWT_ROLES_CLAIM", "roles"),
                org_claim: var("OS2PM_JWT_ORG_CLAIM", "org"),
                leeway: duration("OS2PM_JWT_LEEWAY", &var("OS2PM_JWT_LEEWAY", "30s"))?,
                max_lifetime: duration(
                    "OS2PM_JWT_MAX_LIFETIME",
                    &var("OS2PM_JWT_MAX_LIFETIME", "12h"),
                )?,
                keys,
            },
            webhooks: webhook_config(&lookup)?,
        })
    }
}

/// How tokens are checked: an identity provider's keys (by JWKS URL or discovered from the
/// OIDC issuer), or the development key.
fn key_config(
    lookup: &impl Fn(&str) -> Option<String>,
    source: Option<JwksSource>,
    database_url: &DatabaseUrl,
) -> Result<KeyConfig, ConfigError> {
    let var = |name: &'static str, default: &str| lookup(name).unwrap_or_else(|| default.into());
    Ok(match source {
        Some(jwks) => KeyConfig::IdentityProvider {
            jwks,
            cache_ttl: duration("OS2PM_JWKS_CACHE_TTL", &var("OS2PM_JWKS_CACHE_TTL", "10m"))?,
            refresh_min_interval: duration(
                "OS2PM_JWKS_REFRESH_MIN_INTERVAL",
                &var("OS2PM_JWKS_REFRESH_MIN_INTERVAL", "10s"),
            )?,
        },
        None => {
            let secret = lookup("OS2PM_JWT_SECRET");
            if let Some(secret) = &secret
                && secret.len() < MIN_SECRET_BYTES
            {
                return Err(ConfigError {
                    variable: "OS2PM_JWT_SECRET",
                    message: format!("must be at least {MIN_SECRET_BYTES} bytes"),
                });
            }
            KeyConfig::Development {
                secret,
                key_file: lookup("OS2PM_JWT_KEY_FILE")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| default_key_file(database_url)),
            }
        }
    })
}

/// How webhooks are called: which hosts, how many per organisation, how often and how long.
fn webhook_config(lookup: &impl Fn(&str) -> Option<String>) -> Result<WebhookConfig, ConfigError> {
    let var = |name: &'static str, default: &str| lookup(name).unwrap_or_else(|| default.into());
    Ok(WebhookConfig {
        allow_http_loopback: boolean(
            "OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK",
            &var("OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK", "false"),
        )?,
        allow_hosts: var("OS2PM_WEBHOOK_ALLOW_HOSTS", "")
            .split(',')
            .map(str::trim)
            .filter(|host| !host.is_empty())
            .map(str::to_owned)
            .collect(),
        per_organization: positive(
            "OS2PM_WEBHOOKS_PER_ORG",
            &var("OS2PM_WEBHOOKS_PER_ORG", "20"),
        )?,
        max_attempts: positive(
            "OS2PM_WEBHOOK_MAX_ATTEMPTS",
            &var("OS2PM_WEBHOOK_MAX_ATTEMPTS", "10"),
        )?,
        timeout: duration(
            "OS2PM_WEBHOOK_TIMEOUT",
            &var("OS2PM_WEBHOOK_TIMEOUT", "10s"),
        )?,
        backoff: duration("OS2PM_WEBHOOK_BACKOFF", &var("OS2PM_WEBHOOK_BACKOFF", "2s"))?,
        max_backoff: duration(
            "OS2PM_WEBHOOK_MAX_BACKOFF",
            &var("OS2PM_WEBHOOK_MAX_BACKOFF", "10m"),
        )?,
        poll: duration("OS2PM_WEBHOOK_POLL", &var("OS2PM_WEBHOOK_POLL", "1s"))?,
    })
}

/// The development key lives beside the SQLite file, or in the working directory.
fn default_key_file(url: &DatabaseUrl) -> PathBuf {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut name = path.clone().into_os_string();
            name.push(".jwt-key");
            PathBuf::from(name)
        }
        DatabaseUrl::Postgres(_) => PathBuf::from("os2pm.jwt-key"),
    }
}

fn duration(variable: &'static str, value: &str) -> Result<Duration, ConfigError> {
    humantime::parse_duration(value).map_err(|e| ConfigError {
        variable,
        message: format!("`{value}` is not a duration like 5s or 10m: {e}"),
    })
}

fn number<T: std::str::FromStr>(variable: &'static str, value: &str) -> Result<T, ConfigError> {
    value.parse().map_err(|_| ConfigError {
        variable,
        message: format!("`{value}` is not a whole number (0, 1, 2, …)"),
    })
}

/// A whole number of at least 1: a pool, a worker count or a body limit of 0 serves nothing.
fn positive<T: std::str::FromStr + PartialOrd + From<u8>>(
    variable: &'static str,
    value: &str,
) -> Result<T, ConfigError> {
    value
        .parse()
        .ok()
        .filter(|n: &T| *n >= T::from(1))
        .ok_or_else(|| ConfigError {
            variable,
            message: format!("`{value}` is not a whole number of at least 1 (1, 2, 3, …)"),
        })
}

/// `HOST:PORT`, the port a number: checked here so a typo stops the start with its name.
fn bind_address(value: &str) -> Result<String, ConfigError> {
    let valid = value
        .rsplit_once(':')
        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
    if valid {
        Ok(value.to_owned())
    } else {
        Err(ConfigError {
            variable: "OS2PM_BIND",
            message: format!(
                "`{value}` is not HOST:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080"
            ),
        })
    }
}

/// Origins as a browser sends them (`https://intranet.aarhus.dk`, a port allowed, no path),
/// separated by commas; empty: none.
fn origins(value: &str) -> Result<Vec<String>, ConfigError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let uri = origin.parse::<http::Uri>().ok();
            let valid = uri.as_ref().is_some_and(|uri| {
                matches!(uri.scheme_str(), Some("https" | "http"))
                    && uri.authority().is_some()
                    && uri.path_and_query().is_none_or(|p| p.as_str() == "/")
                    && !origin.ends_with('/')
            });
            if valid {
                Ok(origin.to_owned())
            } else {
                Err(ConfigError {
                    variable: "OS2PM_CORS_ORIGINS",
                    message: format!(
                        "`{origin}` is not an origin like https://intranet.aarhus.dk (scheme and \
                         host, a port allowed, nothing after it)"
                    ),
                })
            }
        })
        .collect()
}

fn boolean(variable: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(ConfigError {
            variable,
            message: format!("`{other}` is not true or false"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn defaults_need_no_environment() {
        let config = config(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.database_url, DatabaseUrl::Sqlite("os2pm.db".into()));
        assert!(config.auto_migrate);
        assert_eq!(config.auth.roles_claim, "roles");
        assert!(matches!(
            config.auth.keys,
            KeyConfig::Development { secret: None, ref key_file } if key_file == &PathBuf::from("os2pm.db.jwt-key")
        ));
    }

    #[test]
    fn a_jwks_url_selects_identity_provider_mode() {
        let config = config(&[
            ("OS2PM_JWKS_URL", "https://idp.example/certs"),
            ("OS2PM_JWT_ROLES_CLAIM", "realm_access.roles"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            config.auth.keys,
            KeyConfig::IdentityProvider { .. }
        ));
        assert_eq!(config.auth.roles_claim, "realm_access.roles");
    }

    #[test]
    fn an_oidc_issuer_discovers_its_keys_and_is_the_tokens_issuer() {
        let config = config(&[("OS2PM_OIDC_ISSUER", "https://sso.example.dk/realms/os2/")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            config.auth.keys,
            KeyConfig::IdentityProvider { jwks: JwksSource::Discovery { ref issuer }, .. }
                if issuer == "https://sso.example.dk/realms/os2"
        ));
        assert_eq!(config.auth.issuer, "https://sso.example.dk/realms/os2");
    }

    #[test]
    fn bad_values_name_their_variable() {
        let error = |vars| config(vars).unwrap_err().variable;
        assert_eq!(error(&[("OS2PM_JWT_SECRET", "short")]), "OS2PM_JWT_SECRET");
        assert_eq!(
            error(&[("OS2PM_AUTO_MIGRATE", "maybe")]),
            "OS2PM_AUTO_MIGRATE"
        );
        assert_eq!(error(&[("OS2PM_DB_TIMEOUT", "soon")]), "OS2PM_DB_TIMEOUT");
        assert_eq!(error(&[("OS2PM_DB_POOL_SIZE", "-1")]), "OS2PM_DB_POOL_SIZE");
        assert_eq!(error(&[("OS2PM_LOG_FORMAT", "xml")]), "OS2PM_LOG_FORMAT");
    }

    /// Every variable this file reads is in `serve --help` and in the README's table.
    #[test]
    fn every_variable_is_documented() {
        let source = include_str!("config.rs");
        let readme = include_str!("../../README.md");
        let mut variables: Vec<&str> = source
            .split('"')
            .filter(|word| {
                ((word.len() > 6 && word.starts_with("OS2PM_")) || *word == "DATABASE_URL")
                    && word
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
            .collect();
        variables.sort_unstable();
        variables.dedup();
        assert!(variables.len() > 20, "{variables:?}");
        for variable in variables {
            assert!(
                ENVIRONMENT_HELP.contains(variable),
                "{variable} not in --help"
            );
            assert!(
                readme.contains(&format!("| `{variable}` |")),
                "{variable} not in the README's configuration table"
            );
        }
    }

    #[test]
    fn settings_that_would_serve_nothing_stop_the_start() {
        let refusal = |vars: &[(&str, &str)]| {
            let error = config(vars).unwrap_err();
            (error.variable, error.message)
        };
        for variable in [
            "OS2PM_WORKERS",
            "OS2PM_DB_POOL_SIZE",
            "OS2PM_MAX_BODY_BYTES",
        ] {
            let (named, message) = refusal(&[(variable, "0")]);
            assert_eq!(named, variable);
            assert!(message.contains("at least 1"), "{message}");
        }
        let (named, message) = refusal(&[("DATABASE_URL", "mysql://root@localhost/os2pm")]);
        assert_eq!(named, "DATABASE_URL");
        assert!(message.contains("postgres://") && message.contains("sqlite://"));
        for bind in [
            "notaport",
            "127.0.0.1",
            ":8080",
            "localhost:http",
            "127.0.0.1:70000",
        ] {
            let (named, message) = refusal(&[("OS2PM_BIND", bind)]);
            assert_eq!(named, "OS2PM_BIND");
            assert!(message.contains("HOST:PORT"), "{message}");
        }
        let accepted = config(&[("OS2PM_BIND", "[::1]:9000"), ("OS2PM_WORKERS", "1")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (accepted.bind.as_str(), accepted.workers),
            ("[::1]:9000", Some(1))
        );
    }
}
