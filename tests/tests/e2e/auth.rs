//! Sign-in: every way a token can be wrong, in development and identity-provider mode.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::test::TestRequest;
use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use os2pm_api::auth::Role;
use os2pm_api::config::KeyConfig;
use os2pm_tests::{AUDIENCE, ISSUER, TEST_SECRET, TestApp, TestDb, bearer, send, test_config};
use serde_json::{Value, json};

const RSA_A: &[u8] = include_bytes!("../../fixtures/rsa-a.pem");
const RSA_A_PUBLIC: &[u8] = include_bytes!("../../fixtures/rsa-a.pub.pem");
const RSA_B: &[u8] = include_bytes!("../../fixtures/rsa-b.pem");
const EC_P256: &[u8] = include_bytes!("../../fixtures/ec-p256.pem");

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims() -> Value {
    json!({
        "sub": "anne@example", "roles": ["forretningsleder"], "org": "os2",
        "iss": ISSUER, "aud": AUDIENCE, "iat": now(), "exp": now() + 600
    })
}

fn sign(header: &Header, claims: &Value, key: &EncodingKey) -> String {
    jsonwebtoken::encode(header, claims, key).unwrap()
}

fn hs256(claims: &Value) -> String {
    sign(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
}

fn me(token: &str) -> TestRequest {
    TestRequest::get()
        .uri("/api/v1/me")
        .insert_header(bearer(token))
}

#[actix_web::test]
async fn a_valid_development_token_names_the_caller() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(&service, me(&hs256(&claims()))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body,
        json!({"sub": "anne@example", "roles": ["forretningsleder"], "org": "os2"})
    );
    // Roles os2pm does not know are ignored, not refused.
    let mut extra = claims();
    extra["roles"] = json!(["offline_access", "admin"]);
    let reply = send(&service, me(&hs256(&extra))).await;
    assert_eq!(reply.body["roles"], json!(["admin"]));
}

#[actix_web::test]
async fn every_kind_of_bad_token_is_a_401_problem() {
    let app = TestApp::new();
    let service = app.service().await;

    let reply = send(&service, TestRequest::get().uri("/api/v1/me")).await;
    reply.problem(401, "unauthorized");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));

    let basic = TestRequest::get()
        .uri("/api/v1/me")
        .insert_header(("authorization", "Basic YWRtaW46YWRtaW4="));
    send(&service, basic).await.problem(401, "unauthorized");

    let wrong_key = sign(
        &Header::new(Algorithm::HS256),
        &claims(),
        &EncodingKey::from_secret(b"another-secret-of-sufficient-length!!"),
    );
    let with = |key: &str, value: Value| {
        let mut claims = claims();
        claims[key] = value;
        hs256(&claims)
    };
    let without = |key: &str| {
        let mut claims = claims();
        claims.as_object_mut().unwrap().remove(key);
        hs256(&claims)
    };
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims().to_string());
    let unsigned = format!("{header}.{payload}.");
    let rs256 = sign(
        &Header::new(Algorithm::RS256),
        &claims(),
        &EncodingKey::from_rsa_pem(RSA_A).unwrap(),
    );

    let mut critical = Header::new(Algorithm::HS256);
    critical.crit = Some(vec!["https://example.org/unknown-extension".into()]);
    let critical = sign(
        &critical,
        &claims(),
        &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    );
    let long_lived = {
        let mut claims = claims();
        claims.as_object_mut().unwrap().remove("iat");
        claims["exp"] = json!(now() + 13 * 3600);
        hs256(&claims)
    };

    let cases = [
        ("garbage", "not-a-jwt".to_owned()),
        (
            "not valid before an hour from now",
            with("nbf", json!(now() + 3600)),
        ),
        ("issued a day from now", with("iat", json!(now() + 86_400))),
        (
            "exp 2^62: longer than the 12 h a token may live",
            with("exp", json!(1_i64 << 62)),
        ),
        ("13 h without iat", long_lived),
        ("an unknown critical header parameter", critical),
        ("bad signature", wrong_key),
        ("alg none", unsigned),
        ("RS256 where HS256 is pinned", rs256),
        ("expired", with("exp", json!(now() - 60))),
        ("wrong audience", with("aud", json!("someone-else"))),
        ("wrong issuer", with("iss", json!("https://evil.example"))),
        ("no exp", without("exp")),
        ("no sub", without("sub")),
        ("missing role claim", without("roles")),
        ("roles not a list", with("roles", json!("admin"))),
    ];
    for (case, token) in cases {
        let reply = send(&service, me(&token)).await;
        assert_eq!(reply.status, 401, "{case}: {}", reply.body);
        reply.problem(401, "unauthorized");
    }
    // A token not valid before a moment now passed is valid.
    let reply = send(&service, me(&with("nbf", json!(now() - 10)))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // Two credentials: which counts is not os2pm's to guess.
    let twice = TestRequest::get()
        .uri("/api/v1/me")
        .append_header(bearer(&hs256(&claims())))
        .append_header(("authorization", "Bearer another"));
    send(&service, twice).await.problem(400, "bad-request");
}

#[actix_web::test]
async fn a_valid_token_without_the_role_is_a_403() {
    let app = TestApp::new();
    let service = app.service().await;
    let mut no_roles = claims();
    no_roles["roles"] = json!([]);
    let reply = send(
        &service,
        TestRequest::post()
            .uri("/api/v1/organizations")
            .insert_header(bearer(&hs256(&no_roles)))
            .set_json(json!({"name": "X", "type": "supplier"})),
    )
    .await;
    reply.problem(403, "forbidden");
}

/// A local identity provider: serves a JWKS that the test can change, and counts fetches.
struct Jwks {
    keys: Arc<Mutex<JwkSet>>,
    fetches: Arc<Mutex<usize>>,
    url: String,
    _server: actix_web::dev::ServerHandle,
}

impl Jwks {
    async fn start(keys: Vec<Jwk>) -> Self {
        let keys = Arc::new(Mutex::new(JwkSet { keys }));
        let fetches = Arc::new(Mutex::new(0));
        let (served, counted) = (keys.clone(), fetches.clone());
        let server = HttpServer::new(move || {
            let (served, counted) = (served.clone(), counted.clone());
            App::new().route(
                "/certs",
                web::get().to(move || {
                    *counted.lock().unwrap() += 1;
                    let body = serde_json::to_string(&*served.lock().unwrap()).unwrap();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .body(body)
                    }
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let url = format!("http://{}/certs", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self {
            keys,
            fetches,
            url,
            _server: handle,
        }
    }

    fn fetches(&self) -> usize {
        *self.fetches.lock().unwrap()
    }
}

fn jwk(pem: &[u8], algorithm: Algorithm, kid: &str) -> (Jwk, EncodingKey) {
    let key = match algorithm {
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem).unwrap(),
        _ => EncodingKey::from_rsa_pem(pem).unwrap(),
    };
    let mut jwk = Jwk::from_encoding_key(&key, algorithm).unwrap();
    jwk.common.key_id = Some(kid.to_owned());
    (jwk, key)
}

fn keycloak_claims() -> Value {
    json!({
        "sub": "f3c1", "realm_access": {"roles": ["board_member", "uma_authorization"]},
        "org": "kl", "iss": ISSUER, "aud": AUDIENCE, "iat": now(), "exp": now() + 600
    })
}

fn signed(algorithm: Algorithm, kid: &str, key: &EncodingKey) -> String {
    let mut header = Header::new(algorithm);
    header.kid = Some(kid.to_owned());
    sign(&header, &keycloak_claims(), key)
}

fn identity_provider_app(jwks_url: &str) -> TestApp {
    let url = jwks_url.to_owned();
    TestApp::with_config(TestDb::seeded(), move |db| {
        let mut config = test_config(db);
        config.auth.roles_claim = "realm_access.roles".into();
        config.auth.keys = KeyConfig::IdentityProvider {
            jwks: os2pm_api::config::JwksSource::Url(url),
            cache_ttl: Duration::from_secs(600),
            refresh_min_interval: Duration::ZERO,
        };
        config
    })
}

#[actix_web::test]
async fn identity_provider_tokens_verify_against_the_jwks_with_keycloak_roles() {
    let (rsa, rsa_key) = jwk(RSA_A, Algorithm::RS256, "rsa-a");
    let (ec, ec_key) = jwk(EC_P256, Algorithm::ES256, "ec-1");
    let jwks = Jwks::start(vec![rsa, ec]).await;
    let app = identity_provider_app(&jwks.url);
    let service = app.service().await;

    for token in [
        signed(Algorithm::RS256, "rsa-a", &rsa_key),
        signed(Algorithm::ES256, "ec-1", &ec_key),
    ] {
        let reply = send(&service, me(&token)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(
            reply.body,
            json!({"sub": "f3c1", "roles": ["board_member"], "org": "kl"})
        );
    }
    assert_eq!(jwks.fetches(), 1, "keys are cached");

    // A development token means nothing here, and development tokens cannot be issued.
    send(&service, me(&hs256(&claims())))
        .await
        .problem(401, "unauthorized");
    assert!(
        app.authenticator
            .issue("x", &[Role::Admin], None, Duration::from_secs(60))
            .is_err()
    );
}

#[actix_web::test]
async fn an_hmac_token_keyed_with_the_public_rsa_key_is_refused() {
    let (rsa, _) = jwk(RSA_A, Algorithm::RS256, "rsa-a");
    let jwks = Jwks::start(vec![rsa]).await;
    let app = identity_provider_app(&jwks.url);
    let service = app.service().await;
    // The classic confusion: HS256 "signed" with the public key an RS256 verifier would use.
    let forged = signed(
        Algorithm::HS256,
        "rsa-a",
        &EncodingKey::from_secret(RSA_A_PUBLIC),
    );
    let reply = send(&service, me(&forged)).await;
    reply.problem(401, "unauthorized");
    assert!(reply.body["detail"].as_str().unwrap().contains("RS256"));

    let mut no_kid = Header::new(Algorithm::RS256);
    no_kid.kid = None;
    let token = sign(
        &no_kid,
        &keycloak_claims(),
        &EncodingKey::from_rsa_pem(RSA_A).unwrap(),
    );
    send(&service, me(&token))
        .await
        .problem(401, "unauthorized");
}

#[actix_web::test]
async fn an_unknown_key_id_refetches_the_jwks_so_rotated_keys_work() {
    let (a, _) = jwk(RSA_A, Algorithm::RS256, "key-a");
    let (b, b_key) = jwk(RSA_B, Algorithm::RS256, "key-b");
    let jwks = Jwks::start(vec![a.clone()]).await;
    let app = identity_provider_app(&jwks.url);
    let service = app.service().await;
    let token = signed(Algorithm::RS256, "key-b", &b_key);

    send(&service, me(&token))
        .await
        .problem(401, "unauthorized");
    let before = jwks.fetches();
    jwks.keys.lock().unwrap().keys = vec![a, b];
    let reply = send(&service, me(&token)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(jwks.fetches(), before + 1);
}

#[actix_web::test]
async fn an_unreachable_identity_provider_is_a_503_not_a_401() {
    let app = identity_provider_app("http://127.0.0.1:9/certs");
    let service = app.service().await;
    let (_, key) = jwk(RSA_A, Algorithm::RS256, "rsa-a");
    let reply = send(&service, me(&signed(Algorithm::RS256, "rsa-a", &key))).await;
    reply.problem(503, "identity-provider-unavailable");
}
