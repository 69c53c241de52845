//! What every handler shares on the way in and out: body and query parsing with problem+json
//! errors, validation errors, paging cursors, ETags and `Idempotency-Key`.

use std::future::{Ready, ready};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, Responder, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use os2pm_persistence::idempotency::{self, StoredResponse};
use os2pm_persistence::{DbConnection, StoreError, WriteSet, in_transaction};
use os2pm_projects::ProjectId;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Ref, Required, Type};
use utoipa::{IntoParams, ToSchema};
use validator::{ValidationErrors, ValidationErrorsKind};

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::usecases::Proposed;
use crate::usecases::privacy::Audience;

/// The longest URL (path and query) answered: longer ones are a 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes (names and values) answered: more are a 431. A head beyond actix's
/// own 128 KiB read buffer never reaches the application and gets actix's empty 431.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The schema of a string field that takes one of `values` (for a closed set that is not a
/// domain enum of its own).
pub fn closed_set<'a>(
    description: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .build()
}

/// An empty value of a free-text or opaque query parameter (`?cursor=&q=`) is the parameter
/// left out: a form or a generated client that sends every field, filled or not, means nothing
/// by the empty ones. (An empty value of an enum, such as `level=`, is not one of its values:
/// 422.)
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<String>,
{
    Ok(Option::<String>::deserialize(d)?
        .filter(|value| !value.is_empty())
        .map(T::from))
}

/// A date os2pm takes: in the years 1900 to 2200, so a mistyped year (20266, −1) is refused
/// rather than stored and shown.
pub fn plausible_date(date: &chrono::NaiveDate) -> Result<(), validator::ValidationError> {
    use chrono::Datelike;
    if (1900..=2200).contains(&date.year()) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("date")
            .with_message("must be a date in the years 1900 to 2200".into()))
    }
}

/// Refuses control characters in a JSON body's text (its keys and strings) with a 422 naming
/// each field, before any handler runs: one answer on both databases (SQLite would store a NUL
/// that PostgreSQL refuses), and none in a title a board member reads. Newline, carriage return
/// and tab stay allowed.
pub async fn refuse_control_characters(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let essence = value.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        });
    if json {
        let body = match request.extract::<web::Bytes>().await {
            Ok(body) => body,
            Err(error) => return Ok(request.error_response(error).map_into_right_body()),
        };
        // A body that is not JSON is the JSON extractor's to refuse, with its own words.
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
            let mut fields = Vec::new();
            control_characters(&value, "", &mut fields);
            if !fields.is_empty() {
                let errors = fields
                    .into_iter()
                    .map(|field| {
                        FieldError::new(
                            field,
                            "must not contain control characters (newline and tab excepted)",
                        )
                    })
                    .collect();
                return Ok(request
                    .error_response(ApiError::Validation(errors))
                    .map_into_right_body());
            }
        }
        request.set_payload(body.into());
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Whether `text` holds a control character other than newline, carriage return and tab: the
/// one input policy for every body and query text.
pub(crate) fn holds_control_characters(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The paths (`members[1].representative`) of every key or string of `value` below `path` that
/// holds a control character other than newline, carriage return and tab.
fn control_characters(value: &serde_json::Value, path: &str, found: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::String(text) if holds_control_characters(text) => found.push(if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                control_characters(item, &format!("{path}[{i}]"), found);
            }
        }
        Value::Object(members) => {
            for (key, member) in members {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if holds_control_characters(key) {
                    found.push(inner.clone());
                }
                control_characters(member, &inner, found);
            }
        }
        _ => {}
    }
}

/// Refuses an oversized URL or header block as problem+json before any handler runs.
pub async fn limit_head(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    let refusal = if uri > MAX_URI_BYTES {
        Some(ApiError::UriTooLong(format!(
            "the URL has {uri} bytes; at most {MAX_URI_BYTES} are answered"
        )))
    } else if headers > MAX_HEADER_BYTES {
        Some(ApiError::HeadersTooLarge(format!(
            "the headers have {headers} bytes; at most {MAX_HEADER_BYTES} are answered"
        )))
    } else {
        None
    };
    match refusal {
        Some(error) => Ok(request.error_response(error).map_into_right_body()),
        None => next
            .call(request)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, _| json_error(error).into())
}

fn json_error(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::OverflowKnownLength { length, limit } => ApiError::PayloadTooLarge(
            format!("the body is {length} bytes; at most {limit} are accepted"),
        ),
        JsonPayloadError::Overflow { limit } => {
            ApiError::PayloadTooLarge(format!("the body is larger than {limit} bytes"))
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
            "the body must be JSON with Content-Type: application/json".into(),
        ),
        JsonPayloadError::Deserialize(error) if error.is_data() => {
            // Well-formed JSON of the wrong shape: name the field when serde does.
            let message = error.to_string();
            let field = message
                .split_once("field `")
                .and_then(|(_, rest)| rest.split_once('`'))
                .map_or("body", |(field, _)| field)
                .to_owned();
            ApiError::validation(field, message)
        }
        JsonPayloadError::Deserialize(error) => {
            ApiError::MalformedBody(format!("the body is not valid JSON: {error}"))
        }
        other => ApiError::MalformedBody(other.to_string()),
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| {
        let QueryPayloadError::Deserialize(error) = error else {
            return ApiError::InvalidQuery(error.to_string()).into();
        };
        ApiError::InvalidQuery(format!("the query string is not valid: {error}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, _| {
        let PathError::Deserialize(error) = error else {
            return ApiError::NotFound(error.to_string()).into();
        };
        ApiError::NotFound(format!("no such resource: {error}")).into()
    })
}

/// Turns `validator`'s errors into one entry per failing field; nested fields are named by
/// their path (`contact.email`, `members[0].person`).
pub fn validation_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut fields = Vec::new();
    collect_errors("", errors, &mut fields);
    fields.sort_by(|a, b| a.field.cmp(&b.field));
    fields
}

fn collect_errors(prefix: &str, errors: &ValidationErrors, into: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errors) => {
                into.extend(errors.iter().map(|error| {
                    let message = error
                        .message
                        .as_ref()
                        .map_or_else(|| error.code.to_string(), ToString::to_string);
                    FieldError::new(path.clone(), message)
                }));
            }
            ValidationErrorsKind::Struct(nested) => collect_errors(&path, nested, into),
            ValidationErrorsKind::List(items) => {
                for (index, nested) in items {
                    collect_errors(&format!("{path}[{index}]"), nested, into);
                }
            }
        }
    }
}

/// `?limit=&cursor=` of every list.
#[derive(Debug, Clone, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items, 1 to 200.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub cursor: Option<String>,
}

pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;

impl PageParams {
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_PAGE),
            Some(limit) if (1..=MAX_PAGE).contains(&limit) => Ok(limit),
            Some(_) => Err(ApiError::validation(
                "limit",
                format!("must be between 1 and {MAX_PAGE}"),
            )),
        }
    }

    /// Decodes the cursor into the key it was made from.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, ApiError> {
        let invalid = || ApiError::validation("cursor", "is not a cursor this service gave out");
        self.cursor
            .as_deref()
            .map(|cursor| {
                let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
                serde_json::from_slice(&bytes).map_err(|_| invalid())
            })
            .transpose()
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A page answers 200 with itself.
impl<T: Serialize> Responder for Page<T> {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().json(self)
    }
}

impl<T> Page<T> {
    /// Pages a short list that is read whole (a project's history, reports or benefits, the
    /// board's meetings): the cursor is the position after the last item of the page.
    pub fn from_list(items: Vec<T>, params: &PageParams) -> Result<Self, ApiError> {
        let limit = params.limit()?;
        let start = params.after::<usize>()?.unwrap_or(0);
        let rows = items
            .into_iter()
            .enumerate()
            .skip(start)
            .take(
                usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
            )
            .collect();
        Ok(Self::from_rows(
            rows,
            limit,
            |(at, _)| at + 1,
            |(_, item)| item,
        ))
    }

    /// Builds a page from up to `limit + 1` rows: the extra row only says there is more.
    pub fn from_rows<R, K: Serialize>(
        mut rows: Vec<R>,
        limit: i64,
        key: impl Fn(&R) -> K,
        item: impl Fn(R) -> T,
    ) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = more
            .then(|| rows.last().map(&key))
            .flatten()
            .and_then(|key| serde_json::to_vec(&key).ok())
            .map(|json| URL_SAFE_NO_PAD.encode(json));
        Self {
            items: rows.into_iter().map(item).collect(),
            next_cursor,
        }
    }
}

/// The strong ETag of a resource at `version`.
pub fn etag(version: i64) -> EntityTag {
    EntityTag::new_strong(version.to_string())
}

/// 200 with the body and its ETag, or 304 when the client already has this version.
pub fn with_etag<T: Serialize>(request: &HttpRequest, version: i64, body: &T) -> HttpResponse {
    let tag = etag(version);
    // What a reader sees of a resource (people, actions) depends on who reads it.
    let vary = (
        header::VARY,
        header::HeaderValue::from_static("Authorization"),
    );
    if already_has(request.get_header::<IfNoneMatch>().as_ref(), &tag) {
        return HttpResponse::NotModified()
            .insert_header(header::ETag(tag))
            .insert_header(vary)
            .finish();
    }
    HttpResponse::Ok()
        .insert_header(header::ETag(tag))
        .insert_header(vary)
        .json(body)
}

/// Whether the client asks for Markdown (`Accept: text/markdown`) rather than JSON.
pub fn wants_markdown(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/markdown"))
}

/// Whether the client's `If-None-Match` names `tag`: it already has this representation.
pub fn already_has(if_none_match: Option<&IfNoneMatch>, tag: &EntityTag) -> bool {
    match if_none_match {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(tag)),
        None => false,
    }
}

/// The `Idempotency-Key` header of a POST, when sent.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(Option<String>);

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let key = request.headers().get(IDEMPOTENCY_KEY).map(|value| {
            value
                .to_str()
                .ok()
                .filter(|key| {
                    (1..=MAX_IDEMPOTENCY_KEY).contains(&key.len())
                        && key.bytes().all(|b| b.is_ascii_graphic())
                })
                .map(str::to_owned)
                .ok_or_else(|| {
                    ApiError::validation(
                        "Idempotency-Key",
                        format!("must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters"),
                    )
                })
        });
        ready(key.transpose().map(IdempotencyKey))
    }
}

/// What a POST answers: its status, the resource it created (if any) and the body.
pub struct Outcome {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: serde_json::Value,
    /// The changed resource's ETag, as a following GET would send it.
    pub etag: Option<EntityTag>,
}

impl Outcome {
    /// The outcome as `audience` may read it (a pending approval's votes are the board's).
    fn for_audience(mut self, audience: Audience) -> Self {
        audience.redact(&mut self.body);
        self
    }

    /// 201 with `Location`.
    pub fn created(location: String, body: serde_json::Value) -> Self {
        Self {
            status: StatusCode::CREATED,
            location: Some(location),
            body,
            etag: None,
        }
    }

    /// 200 with the body.
    pub fn ok(body: serde_json::Value) -> Self {
        Self {
            status: StatusCode::OK,
            location: None,
            body,
            etag: None,
        }
    }

    pub fn with_etag(mut self, tag: EntityTag) -> Self {
        self.etag = Some(tag);
        self
    }
}

impl IdempotencyKey {
    /// Runs `change` in one transaction with the key's record, so a retry with the same key
    /// and request gets the first response and changes nothing. The key is not read first: a
    /// first request (nearly every one) goes straight to its change, and a retry's recording of
    /// the key fails, which rolls its change back.
    pub fn run<R: Serialize>(
        &self,
        conn: &mut DbConnection,
        caller: &Caller,
        request: &R,
        change: impl FnOnce(&mut DbConnection) -> Result<Outcome, ApiError>,
    ) -> Result<StoredReply, ApiError> {
        let audience = Audience::of(Some(caller));
        let caller = &caller.idempotency_scope();
        let request_body = canonical(request)?;
        let attempt = in_transaction(conn, |conn| {
            let stored = stored_response(change(conn)?.for_audience(audience), &request_body);
            if let Some(key) = &self.0 {
                idempotency::record(conn, caller, key, &stored)?;
            }
            Ok(stored)
        });
        self.reply(conn, caller, &request_body, attempt)
    }

    /// [`run`](Self::run) for a change that only reads before it writes, and hands its writes
    /// back instead of making them: they go with the key's record as one [`WriteSet`] (one
    /// round trip on PostgreSQL, and on SQLite the one writer's turn is not spent building the
    /// response). For changes whose reads need no lock or snapshot shared with the writes, such
    /// as creating a resource from reference data the database checks again (foreign keys).
    pub fn run_writes<R: Serialize>(
        &self,
        conn: &mut DbConnection,
        caller: &Caller,
        request: &R,
        prepare: impl FnOnce(&mut DbConnection) -> Result<(Outcome, WriteSet), ApiError>,
    ) -> Result<StoredReply, ApiError> {
        let audience = Audience::of(Some(caller));
        let caller = &caller.idempotency_scope();
        let request_body = canonical(request)?;
        let attempt = prepare(conn).and_then(|(outcome, mut writes)| {
            let stored = stored_response(outcome.for_audience(audience), &request_body);
            if let Some(key) = &self.0 {
                idempotency::push_record(&mut writes, caller, key, &stored);
            }
            writes.run(conn)?;
            Ok(stored)
        });
        self.reply(conn, caller, &request_body, attempt)
    }

    /// The reply to an attempt: its own response, or for a key already recorded (by an
    /// earlier request or a concurrent first one) the response recorded, whatever this
    /// attempt made of the request: a retry may find the state its first request left (an
    /// idea already submitted) and be refused.
    fn reply(
        &self,
        conn: &mut DbConnection,
        caller: &str,
        request_body: &str,
        attempt: Result<StoredResponse, ApiError>,
    ) -> Result<StoredReply, ApiError> {
        let (stored, replayed) = match (attempt, &self.0) {
            (Ok(stored), _) => (stored, false),
            (Err(error), None) => return Err(error),
            // The database failed, not the request: nothing to look up (on what may be a
            // connection that died with it).
            (Err(error @ (ApiError::Unavailable(_) | ApiError::Internal(_))), _) => {
                return Err(error);
            }
            (Err(error), Some(key)) => match idempotency::find(conn, caller, key)? {
                Some(stored) => (stored, true),
                None => return Err(error),
            },
        };
        if stored.request_body != request_body {
            return Err(ApiError::IdempotencyKeyReused);
        }
        Ok(StoredReply {
            status: u16::try_from(stored.status).unwrap_or(200),
            location: stored.location,
            etag: stored.etag,
            body: stored.body,
            replayed,
        })
    }
}

/// The request as stored with its key: a retry must send the same.
fn canonical<R: Serialize>(request: &R) -> Result<String, ApiError> {
    serde_json::to_string(request).map_err(|e| ApiError::Internal(e.to_string()))
}

fn stored_response(outcome: Outcome, request_body: &str) -> StoredResponse {
    StoredResponse {
        request_body: request_body.to_owned(),
        status: i32::from(outcome.status.as_u16()),
        location: outcome.location,
        body: outcome.body.to_string(),
        etag: outcome.etag.map(|tag| tag.to_string()),
    }
}

/// A POST's answer as first sent, or replayed for a retry.
#[derive(Debug)]
pub struct StoredReply {
    status: u16,
    location: Option<String>,
    etag: Option<String>,
    body: String,
    replayed: bool,
}

impl StoredReply {
    /// Where the created resource is (a 201's `Location`).
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// Sends `tag` as the ETag, for a resource whose ETag is known only after the write.
    pub fn with_etag(mut self, tag: &EntityTag) -> Self {
        self.etag = Some(tag.to_string());
        self
    }
}

/// A handler answers with the reply as it was stored: its status, `Location`, ETag and body.
impl Responder for StoredReply {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut response = HttpResponse::build(status);
        response.content_type("application/json");
        if let Some(location) = self.location {
            response.insert_header((header::LOCATION, location));
        }
        if let Some(etag) = self.etag {
            response.insert_header((header::ETAG, etag));
        }
        if self.replayed {
            response.insert_header(("idempotent-replayed", "true"));
        }
        response.body(self.body)
    }
}

/// The `If-Match` of a change to an existing resource: the version the client last read, or
/// `*` (RFC 9110: any current representation). Extracting it never fails: it is judged when the
/// change is about to be made, so a request's body, role and state are judged first whatever
/// its precondition says (actix resolves a ready extractor before a body still arriving).
#[derive(Debug, Clone)]
pub struct IfMatch(Option<header::HeaderValue>);

impl IfMatch {
    /// The version a write must find still current: `current` when it matches (or for `*`).
    /// Missing (or empty): 428. Neither `*` nor one of our ETags: 412. Another version: stale,
    /// 412.
    pub fn matched(self, current: i64) -> Result<i64, ApiError> {
        let given = self
            .0
            .filter(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace));
        let Some(value) = given else {
            return Err(ApiError::PreconditionRequired(
                "send If-Match with the ETag you last read".into(),
            ));
        };
        let value = value.to_str().map(str::trim).unwrap_or_default();
        if value == "*" {
            return Ok(current);
        }
        // A project's ETag goes on after its version (`"7.12.3.20261122"`).
        let version = value
            .trim_start_matches("W/")
            .trim_matches('"')
            .split('.')
            .next()
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| {
                ApiError::PreconditionFailed("If-Match is not an ETag this service gave out".into())
            })?;
        if version == current {
            Ok(current)
        } else {
            Err(StoreError::Stale.into())
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(Ok(Self(request.headers().get(header::IF_MATCH).cloned())))
    }
}

/// A guarded change to the project the path's `{id}` names: the version the caller read it at
/// (`If-Match`) and the key that makes a retry safe (`Idempotency-Key`, optional).
pub struct Guarded {
    pub id: ProjectId,
    pub if_match: IfMatch,
    pub idempotency_key: IdempotencyKey,
}

/// Documents what [`Guarded`] reads, so an operation names it once: `params(Guarded)`.
impl IntoParams for Guarded {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let text = || Some(ObjectBuilder::new().schema_type(Type::String));
        let parameter = |name: &str, place, required| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(place)
                .required(required)
                .schema(text())
        };
        vec![
            parameter("id", ParameterIn::Path, Required::True)
                .schema(Some(Ref::from_schema_name("ProjectId")))
                .build(),
            parameter("If-Match", ParameterIn::Header, Required::True)
                .description(Some("The ETag it was read with, or `*` (any version)"))
                .build(),
            parameter("Idempotency-Key", ParameterIn::Header, Required::False).build(),
        ]
    }
}

impl FromRequest for Guarded {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let if_match = IfMatch(request.headers().get(header::IF_MATCH).cloned());
        let guarded = IdempotencyKey::from_request(request, payload)
            .into_inner()
            .map(|idempotency_key| Self {
                id: ProjectId::from(request.match_info().query("id")),
                if_match,
                idempotency_key,
            });
        ready(guarded)
    }
}

/// A resource as a change left it, with the ETag a following GET would send: answered 200.
pub struct Tagged {
    pub tag: EntityTag,
    pub body: serde_json::Value,
}

impl Responder for Tagged {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok()
            .insert_header(header::ETag(self.tag))
            .json(self.body)
    }
}

/// 200 with the project when a change is in force, 202 with the approval when the board must
/// decide it first.
impl Responder for Proposed {
    type Body = BoxBody;

    fn respond_to(self, request: &HttpRequest) -> HttpResponse {
        match self {
            Proposed::InForce(changed) => changed.respond_to(request),
            Proposed::AwaitingBoard(approval) => HttpResponse::Accepted().json(approval),
        }
    }
}

/// The field problems of one request, collected so that one 422 names them all.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// What `validator` finds wrong with `request`, to add the rest to.
    pub fn of(request: &impl validator::Validate) -> Self {
        Self(
            request
                .validate()
                .err()
                .map(|e| validation_errors(&e))
                .unwrap_or_default(),
        )
    }

    pub fn push(&mut self, problem: FieldError) {
        self.0.push(problem);
    }

    /// `value` as one of a closed set's names, or a problem on `field` naming the accepted ones.
    pub fn parse<T: std::str::FromStr<Err = os2pm_levels::UnknownValue>>(
        &mut self,
        field: &str,
        value: &str,
    ) -> Option<T> {
        value
            .parse()
            .map_err(|e: os2pm_levels::UnknownValue| {
                self.push(FieldError::new(field, e.to_string()))
            })
            .ok()
    }

    /// An optional `value` parsed as [`Problems::parse`] does.
    pub fn parse_optional<T: std::str::FromStr<Err = os2pm_levels::UnknownValue>>(
        &mut self,
        field: &str,
        value: Option<&str>,
    ) -> Option<T> {
        value.and_then(|value| self.parse(field, value))
    }

    /// `command` when nothing is wrong; otherwise every problem, as one 422.
    pub fn or_command<T>(self, command: impl FnOnce() -> Option<T>) -> Result<T, ApiError> {
        if !self.0.is_empty() {
            return Err(ApiError::Validation(self.0));
        }
        command().ok_or_else(|| ApiError::Internal("a parsed field went missing".into()))
    }
}

/// `request` if `validator` finds nothing wrong with it; otherwise every problem, as one 422.
pub fn valid<T: validator::Validate>(request: T) -> Result<T, ApiError> {
    Problems::of(&request).or_command(|| Some(request))
}
