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
    pub auth: AuthConfig,
    pub webhooks: WebhookConfig,
}

/// How webhooks are delivered.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK`: accept `http://` targets on loopback (development).
    pub allow_http_loopback: bool,
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
    /// `OS2PM_JWT_LEEWAY`: clock skew allowed on `exp`, `nbf`.
    pub leeway: Duration,
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
        jwks_url: String,
        /// `OS2PM_JWKS_CACHE_TTL`: how long fetched keys are trusted before a refetch.
        cache_ttl: Duration,
        /// `OS2PM_JWKS_REFRESH_MIN_INTERVAL`: the least time between two fetches, so tokens
        /// with made-up key ids cannot make os2pm hammer the identity provider.
        refresh_min_interval: Duration,
    },
}

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
        let database_url = DatabaseUrl::parse(&var("DATABASE_URL", "os2pm.db"));
        let keys = match lookup("OS2PM_JWKS_URL") {
            Some(jwks_url) => KeyConfig::IdentityProvider {
                jwks_url,
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
                        .unwrap_or_else(|| default_key_file(&database_url)),
                }
            }
        };
        Ok(Self {
            bind: var("OS2PM_BIND", "127.0.0.1:8080"),
            database_url,
            auto_migrate: boolean("OS2PM_AUTO_MIGRATE", &var("OS2PM_AUTO_MIGRATE", "true"))?,
            pool_size: number("OS2PM_DB_POOL_SIZE", &var("OS2PM_DB_POOL_SIZE", "10"))?,
            db_timeout: duration("OS2PM_DB_TIMEOUT", &var("OS2PM_DB_TIMEOUT", "5s"))?,
            workers: lookup("OS2PM_WORKERS")
                .map(|v| number("OS2PM_WORKERS", &v))
                .transpose()?,
            max_body_bytes: number(
                "OS2PM_MAX_BODY_BYTES",
                &var("OS2PM_MAX_BODY_BYTES", "262144"),
            )?,
            view_cache_mb: number("OS2PM_VIEW_CACHE_MB", &var("OS2PM_VIEW_CACHE_MB", "16"))?,
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
                issuer: var("OS2PM_JWT_ISSUER", "os2pm"),
                audience: var("OS2PM_JWT_AUDIENCE", "os2pm"),
                roles_claim: var("OS2PM_JWT_ROLES_CLAIM", "roles"),
                org_claim: var("OS2PM_JWT_ORG_CLAIM", "org"),
                leeway: duration("OS2PM_JWT_LEEWAY", &var("OS2PM_JWT_LEEWAY", "30s"))?,
                keys,
            },
            webhooks: WebhookConfig {
                allow_http_loopback: boolean(
                    "OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK",
                    &var("OS2PM_WEBHOOK_ALLOW_HTTP_LOOPBACK", "false"),
                )?,
                max_attempts: number(
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
            },
        })
    }
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
        message: format!("`{value}` is not a positive whole number"),
    })
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
}
