//! Sign-in: bearer JWTs checked with `jsonwebtoken`, and the one place where roles and
//! organisations are checked for every handler.
//!
//! Two modes. Development: HS256 with a shared secret (`OS2PM_JWT_SECRET`, or a random key kept
//! in a file), which `os2pm token` can sign with. Identity provider: RS256/ES256 keys from a
//! JWKS URL, cached and refetched when a token names an unknown key id. In both the algorithm
//! is pinned per key, and `exp`, `iss`, `aud` and `sub` are required.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use os2pm_persistence::audit::Actor;
use rand::distr::{Alphanumeric, SampleString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Mutex, RwLock};
use utoipa::ToSchema;

use crate::config::{AuthConfig, JwksSource, KeyConfig, MIN_SECRET_BYTES};
use crate::error::ApiError;
use crate::usecases::privacy::Audience;

/// The token roles of governance.md §1. Group roles (chairs, members) are memberships, not roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    MunicipalityUser,
    Integration,
    ProjectLeader,
    Forretningsleder,
    BoardMember,
    BoardChair,
    Admin,
}

os2pm_levels::names!(Role: "The token roles of governance.md §1. Group roles (chairs, members) are memberships, not roles." {
    MunicipalityUser => "municipality_user",
    Integration => "integration",
    ProjectLeader => "project_leader",
    Forretningsleder => "forretningsleder",
    BoardMember => "board_member",
    BoardChair => "board_chair",
    Admin => "admin",
});

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Caller {
    /// The token's subject.
    #[schema(example = "7d0c7c1e-0c3b-4c53-9a7e-1f0d1a2b3c4d")]
    pub sub: String,
    /// The os2pm roles the token carries; other role names are ignored.
    pub roles: Vec<Role>,
    /// The organisation the caller acts for (kommunekode or organisation id).
    #[schema(example = "101")]
    pub org: Option<String>,
}

impl Caller {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses (403) a caller that has none of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|role| self.has_role(*role)) {
            return Ok(());
        }
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(ApiError::Forbidden(format!(
            "this needs one of the roles: {}",
            names.join(", ")
        )))
    }

    /// Whether the caller acts for the organisation with this id or code.
    pub fn acts_for(&self, id: &str, code: Option<&str>) -> bool {
        self.org
            .as_deref()
            .is_some_and(|org| org == id || Some(org) == code)
    }

    /// The audit trail's view of the caller.
    /// Whose Idempotency-Keys these are: the same `sub` acting for another organisation or
    /// with other roles is another client, and never gets this one's answers replayed.
    pub fn idempotency_scope(&self) -> String {
        let mut roles: Vec<&str> = self.roles.iter().map(|r| r.as_str()).collect();
        roles.sort_unstable();
        serde_json::json!([self.sub, self.org, roles]).to_string()
    }

    pub fn actor(&self) -> Actor {
        Actor {
            sub: self.sub.clone(),
            roles: self.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            org: self.org.clone(),
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let authenticator = request.app_data::<web::Data<Authenticator>>().cloned();
        let token = bearer_token(request);
        Box::pin(async move {
            let authenticator = authenticator
                .ok_or_else(|| ApiError::Internal("no authenticator configured".into()))?;
            authenticator.verify(&token?).await
        })
    }
}

/// The caller when a token is sent, `None` when none is: for public reads that show more to
/// a signed-in caller. A token that is sent and not valid is still a 401.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<MaybeCaller, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        if request.headers().contains_key(header::AUTHORIZATION) {
            let caller = Caller::from_request(request, payload);
            Box::pin(async move { caller.await.map(|caller| MaybeCaller(Some(caller))) })
        } else {
            Box::pin(async { Ok(MaybeCaller(None)) })
        }
    }
}

/// Who reads a public resource, as far as personal data goes: the public without a token.
impl FromRequest for Audience {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Audience, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let caller = MaybeCaller::from_request(request, payload);
        Box::pin(async move { Ok(Audience::of(caller.await?.0.as_ref())) })
    }
}

fn bearer_token(request: &HttpRequest) -> Result<String, ApiError> {
    let mut sent = request.headers().get_all(header::AUTHORIZATION);
    let value = sent
        .next()
        .ok_or_else(|| ApiError::Unauthorized("the Authorization header is missing".into()))?;
    // Which of two credentials would count is a guess a proxy and os2pm could make apart.
    if sent.next().is_some() {
        return Err(ApiError::BadRequest(
            "send one Authorization header, not several".into(),
        ));
    }
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not text".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header is not `Bearer <token>`".into(),
        )),
    }
}

/// A development token's claims, as `os2pm token` writes them.
#[derive(Debug, Serialize)]
struct IssuedClaims<'a> {
    sub: &'a str,
    roles: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    org: Option<&'a str>,
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the development key file {path}: {cause}")]
    KeyFile { path: String, cause: String },
    #[error("the development key in {0} is shorter than {MIN_SECRET_BYTES} bytes")]
    ShortKey(String),
    #[error("tokens can only be issued with the development key, not in identity-provider mode")]
    NotDevelopmentMode,
    #[error("cannot build the HTTP client for the JWKS: {0}")]
    HttpClient(String),
    #[error("cannot sign the token: {0}")]
    Signing(String),
}

enum Keys {
    Shared {
        decoding: DecodingKey,
        encoding: EncodingKey,
    },
    Jwks(JwksCache),
}

/// Verifies tokens (and, in development mode, issues them).
pub struct Authenticator {
    config: AuthConfig,
    keys: Keys,
}

impl Authenticator {
    /// Builds the authenticator; in development mode without a secret this reads the key
    /// file, creating it with a random key on first start.
    pub fn new(config: AuthConfig) -> Result<Self, KeyError> {
        let keys = match &config.keys {
            KeyConfig::Development { secret, key_file } => {
                let secret = match secret {
                    Some(secret) => secret.clone(),
                    None => read_or_create_key_file(key_file)?,
                };
                Keys::Shared {
                    decoding: DecodingKey::from_secret(secret.as_bytes()),
                    encoding: EncodingKey::from_secret(secret.as_bytes()),
                }
            }
            KeyConfig::IdentityProvider {
                jwks,
                cache_ttl,
                refresh_min_interval,
            } => Keys::Jwks(JwksCache::new(
                jwks.clone(),
                *cache_ttl,
                *refresh_min_interval,
            )?),
        };
        Ok(Self { config, keys })
    }

    /// Signs a development token. Refused in identity-provider mode.
    pub fn issue(
        &self,
        sub: &str,
        roles: &[Role],
        org: Option<&str>,
        ttl: Duration,
    ) -> Result<String, KeyError> {
        let Keys::Shared { encoding, .. } = &self.keys else {
            return Err(KeyError::NotDevelopmentMode);
        };
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = IssuedClaims {
            sub,
            roles: roles.iter().map(|r| r.as_str()).collect(),
            org,
            iss: &self.config.issuer,
            aud: &self.config.audience,
            iat: now,
            exp: now.saturating_add(ttl),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, encoding)
            .map_err(|e| KeyError::Signing(e.to_string()))
    }

    /// Checks a token and returns its caller.
    pub async fn verify(&self, token: &str) -> Result<Caller, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| ApiError::Unauthorized(format!("the token is malformed: {e}")))?;
        let (key, algorithm) = match &self.keys {
            Keys::Shared { decoding, .. } => (decoding.clone(), Algorithm::HS256),
            Keys::Jwks(cache) => {
                let kid = header.kid.as_deref().ok_or_else(|| {
                    ApiError::Unauthorized("the token names no key id (kid)".into())
                })?;
                cache.key(kid).await?
            }
        };
        // RFC 7515 4.1.11: a header extension marked critical that the recipient does not
        // understand makes the token invalid; os2pm understands none.
        if let Some(critical) = &header.crit {
            return Err(ApiError::Unauthorized(format!(
                "the token marks header parameters os2pm does not understand as critical: {}",
                critical.join(", ")
            )));
        }
        if header.alg != algorithm {
            return Err(ApiError::Unauthorized(format!(
                "the token is signed with {:?}; this key only accepts {algorithm:?}",
                header.alg
            )));
        }
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = self.config.leeway.as_secs();
        validation.validate_nbf = true;
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|e| ApiError::Unauthorized(format!("the token is not valid: {e}")))?
            .claims;
        self.check_lifetime(&claims, chrono::Utc::now().timestamp())?;
        self.caller(&claims)
    }

    /// A token issued in the future (beyond the leeway) is not valid yet, and none lives longer
    /// than the configured maximum, from `iat` (or now, without one) to `exp`.
    fn check_lifetime(&self, claims: &Value, now: i64) -> Result<(), ApiError> {
        let leeway = i64::try_from(self.config.leeway.as_secs()).unwrap_or(i64::MAX);
        let max = i64::try_from(self.config.max_lifetime.as_secs()).unwrap_or(i64::MAX);
        let seconds = |name: &str| match claims.get(name) {
            None => Ok(None),
            Some(value) => value.as_i64().map(Some).ok_or_else(|| {
                ApiError::Unauthorized(format!("the token's `{name}` is not a whole number"))
            }),
        };
        let issued = seconds("iat")?;
        let expires = seconds("exp")?.unwrap_or(now);
        if issued.is_some_and(|iat| iat > now.saturating_add(leeway)) {
            return Err(ApiError::Unauthorized(
                "the token is issued in the future (`iat`)".into(),
            ));
        }
        if expires.saturating_sub(issued.unwrap_or(now)) > max {
            return Err(ApiError::Unauthorized(format!(
                "the token lives longer than the {} s a token may (`exp` − `iat`)",
                max
            )));
        }
        Ok(())
    }

    fn caller(&self, claims: &Value) -> Result<Caller, ApiError> {
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|sub| !sub.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("the token's `sub` is not a string".into()))?;
        // A `sub` is written into the audit trail and shown: no NUL, newline or other control.
        if sub.chars().any(char::is_control) {
            return Err(ApiError::Unauthorized(
                "the token's `sub` holds a control character".into(),
            ));
        }
        let roles = claim(claims, &self.config.roles_claim)
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ApiError::Unauthorized(format!(
                    "the token has no `{}` claim listing roles",
                    self.config.roles_claim
                ))
            })?
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|name| name.parse::<Role>().ok())
            .collect();
        let org = match claim(claims, &self.config.org_claim) {
            Some(Value::String(org)) => Some(org.clone()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        };
        Ok(Caller {
            sub: sub.to_owned(),
            roles,
            org,
        })
    }
}

/// Follows a dotted path (`realm_access.roles`) into the claims.
fn claim<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(claims, |value, part| value.get(part))
}

fn read_or_create_key_file(path: &std::path::Path) -> Result<String, KeyError> {
    let file_error = |cause: std::io::Error| KeyError::KeyFile {
        path: path.display().to_string(),
        cause: cause.to_string(),
    };
    match std::fs::read_to_string(path) {
        Ok(key) => {
            let key = key.trim().to_owned();
            if key.len() < MIN_SECRET_BYTES {
                return Err(KeyError::ShortKey(path.display().to_string()));
            }
            Ok(key)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = Alphanumeric.sample_string(&mut rand::rng(), 64);
            write_private(path, &key).map_err(file_error)?;
            tracing::info!(path = %path.display(), "created a development signing key");
            Ok(key)
        }
        Err(error) => Err(file_error(error)),
    }
}

/// Writes a file only its owner can read.
fn write_private(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(content.as_bytes())
}

/// The identity provider's keys, by key id, with the algorithm each is pinned to.
struct JwksCache {
    source: JwksSource,
    client: reqwest::Client,
    ttl: Duration,
    refresh_min_interval: Duration,
    state: RwLock<JwksState>,
    /// Serialises refetches: concurrent requests with a new key id wait for one fetch.
    fetching: Mutex<()>,
}

#[derive(Default)]
struct JwksState {
    keys: HashMap<String, (DecodingKey, Algorithm)>,
    fetched_at: Option<Instant>,
}

impl JwksCache {
    fn new(
        source: JwksSource,
        ttl: Duration,
        refresh_min_interval: Duration,
    ) -> Result<Self, KeyError> {
        install_tls_provider();
        Ok(Self {
            source,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .map_err(|e| KeyError::HttpClient(e.to_string()))?,
            ttl,
            refresh_min_interval,
            state: RwLock::new(JwksState::default()),
            fetching: Mutex::new(()),
        })
    }

    async fn key(&self, kid: &str) -> Result<(DecodingKey, Algorithm), ApiError> {
        if let Some(key) = self.cached(kid, self.ttl).await {
            return Ok(key);
        }
        let _fetching = self.fetching.lock().await;
        // Another request may have fetched while this one waited.
        if let Some(key) = self.cached(kid, self.ttl).await {
            return Ok(key);
        }
        let recently_fetched = self
            .state
            .read()
            .await
            .fetched_at
            .is_some_and(|at| at.elapsed() < self.refresh_min_interval);
        if !recently_fetched {
            let keys = self.fetch().await?;
            *self.state.write().await = JwksState {
                keys,
                fetched_at: Some(Instant::now()),
            };
        }
        self.cached(kid, Duration::MAX).await.ok_or_else(|| {
            ApiError::Unauthorized(format!("the token's key id `{kid}` is not known"))
        })
    }

    async fn cached(&self, kid: &str, max_age: Duration) -> Option<(DecodingKey, Algorithm)> {
        let state = self.state.read().await;
        let fresh = state.fetched_at.is_some_and(|at| at.elapsed() < max_age);
        state.keys.get(kid).filter(|_| fresh).cloned()
    }

    /// A JSON document from the identity provider; any failure is the provider's (503).
    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, ApiError> {
        let unavailable = |e: reqwest::Error| ApiError::IdentityProviderUnavailable(e.to_string());
        self.client
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable)?
            .json()
            .await
            .map_err(unavailable)
    }

    async fn fetch(&self) -> Result<HashMap<String, (DecodingKey, Algorithm)>, ApiError> {
        let url = match &self.source {
            JwksSource::Url(url) => url.clone(),
            JwksSource::Discovery { issuer } => {
                /// What os2pm reads of an OpenID provider's configuration.
                #[derive(Deserialize)]
                struct Discovery {
                    issuer: String,
                    jwks_uri: String,
                }
                let found: Discovery = self
                    .get_json(&format!("{issuer}/.well-known/openid-configuration"))
                    .await?;
                // OpenID Connect Discovery 1.0 §4.3: the document names the issuer asked.
                if found.issuer.trim_end_matches('/') != issuer {
                    return Err(ApiError::IdentityProviderUnavailable(format!(
                        "the provider at {issuer} names another issuer: {}",
                        found.issuer
                    )));
                }
                found.jwks_uri
            }
        };
        let set: JwkSet = self.get_json(&url).await?;
        Ok(set
            .keys
            .iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let algorithm = pinned_algorithm(jwk)?;
                let key = DecodingKey::from_jwk(jwk).ok()?;
                Some((kid, (key, algorithm)))
            })
            .collect())
    }
}

/// reqwest is built without a default TLS provider; this installs rustls' ring provider.
pub fn install_tls_provider() {
    // Installing twice is refused and harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// RS256 for RSA keys and ES256 for P-256 keys; a key that declares another algorithm, or is
/// of another type, is not used.
fn pinned_algorithm(jwk: &jsonwebtoken::jwk::Jwk) -> Option<Algorithm> {
    let by_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            Algorithm::ES256
        }
        _ => return None,
    };
    match jwk.common.key_algorithm {
        None => Some(by_type),
        Some(KeyAlgorithm::RS256) if by_type == Algorithm::RS256 => Some(by_type),
        Some(KeyAlgorithm::ES256) if by_type == Algorithm::ES256 => Some(by_type),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_claim_paths_reach_nested_roles() {
        let claims = json!({"realm_access": {"roles": ["admin"]}, "roles": ["x"]});
        assert_eq!(
            claim(&claims, "realm_access.roles"),
            Some(&json!(["admin"]))
        );
        assert_eq!(claim(&claims, "roles"), Some(&json!(["x"])));
        assert_eq!(claim(&claims, "realm_access.missing"), None);
    }

    #[test]
    fn role_names_round_trip() {
        for &role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(serde_json::to_value(role).ok(), Some(json!(role.as_str())));
        }
        assert!("offline_access".parse::<Role>().is_err());
    }
}
