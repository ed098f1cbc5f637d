//! Extractors every handler uses: the caller (from a bearer token), a strict JSON body, list
//! paging, `If-Match` and `Idempotency-Key`. Each rejects with problem+json.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use pnyx_domain::accounts::{Authenticated, Credential};
use pnyx_domain::auth::{Caller, Principal};
use pnyx_domain::repo::PageRequest;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use crate::error::ApiError;
use crate::state::AppState;

/// Largest JSON body accepted.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| ApiError::internal("AppState missing"))
}

/// Whoever makes the request: anonymous, or a user identified by an access token or API token.
/// A present but invalid token is a 401, never silently anonymous.
pub struct Auth(pub Caller);

/// A signed-in caller (401 otherwise).
pub struct SignedIn(pub Principal);

impl SignedIn {
    #[must_use]
    pub fn caller(&self) -> Caller {
        Caller::User(self.0.clone())
    }
}

/// A signed-in caller and how they proved it: a session or a personal API token (401 otherwise).
pub struct SignedInWith(pub Principal, pub Credential);

/// The bearer token of the `Authorization` header, if there is one; the account service decides
/// who it belongs to.
async fn resolve(req: &HttpRequest) -> Result<Option<Authenticated>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized("The Authorization header is not valid text."))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| ApiError::unauthorized("Use `Authorization: Bearer <token>`."))?
        .trim();
    Ok(Some(state(req)?.accounts.authenticate(token).await?))
}

/// The authenticated caller of a request, resolved once and kept in its extensions.
pub(crate) async fn authenticated(req: &HttpRequest) -> Result<Option<Authenticated>, ApiError> {
    if let Some(a) = req.extensions().get::<Option<Authenticated>>() {
        return Ok(a.clone());
    }
    let who = resolve(req).await?;
    req.extensions_mut().insert(who.clone());
    Ok(who)
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            Ok(Auth(match authenticated(&req).await? {
                Some(a) => Caller::User(a.principal),
                None => Caller::Anonymous,
            }))
        })
    }
}

impl FromRequest for SignedInWith {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match authenticated(&req).await? {
                Some(a) => Ok(SignedInWith(a.principal, a.credential)),
                None => Err(ApiError::unauthorized("Sign in to do this.")),
            }
        })
    }
}

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = SignedInWith::from_request(req, payload);
        Box::pin(async move { Ok(SignedIn(fut.await?.0)) })
    }
}

/// The organisation named by the path's `{org}` segment (its slug), resolved once per request as
/// the context of what the request addresses under it (kept by the server for up to
/// `PNYX_ORG_CONTEXT_TTL_MS`, `OrgService::context`): a 404 problem when there is none.
pub struct OrgRef(pub pnyx_domain::org::Organisation);

impl FromRequest for OrgRef {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(o) = req.extensions().get::<pnyx_domain::org::Organisation>() {
                return Ok(OrgRef(o.clone()));
            }
            let slug = req.match_info().get("org").ok_or_else(|| ApiError::not_found("organisation"))?.to_owned();
            let st = state(&req)?;
            let org = st.orgs.context(&slug).await?;
            req.extensions_mut().insert(org.clone());
            Ok(OrgRef(org))
        })
    }
}

/// A JSON body that must be `application/json`, at most 1 MiB, well-formed (400), of the right
/// shape with no unknown fields (422 naming the field), and pass its `validator` rules (422).
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req.mime_type().ok().flatten().is_some_and(|m| {
            m.type_() == mime::APPLICATION && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
        });
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::new(
                    actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    crate::error::ErrorCode::UnsupportedMediaType,
                    "Send the body as application/json.",
                ));
            }
            let body = read_limited(&mut payload, declared_len, MAX_JSON_BODY).await?;
            let value = parse_json::<T>(&body)?;
            value.validate()?;
            Ok(ValidJson(value))
        })
    }
}

/// Reads a whole body of at most `limit` bytes (413 beyond, refused early when the declared length
/// says so).
///
/// # Errors
/// 413 when too large, 400 when the body cannot be read.
pub async fn read_limited<S, E>(payload: &mut S, declared_len: Option<usize>, limit: usize) -> Result<Bytes, ApiError>
where
    S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let too_large = || {
        ApiError::new(
            actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
            crate::error::ErrorCode::PayloadTooLarge,
            format!("The body is larger than {limit} bytes."),
        )
    };
    if declared_len.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(format!("Could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses JSON: syntax errors are 400; shape errors (unknown field, wrong type, missing field)
/// are 422 naming the field's path.
///
/// # Errors
/// As above.
pub fn parse_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::malformed_json(format!("The body is not valid JSON: {e}")))?;
    integral_numbers(&mut value);
    match serde_path_to_error::deserialize::<_, T>(strict::Strict(value)) {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let msg = inner.to_string();
                    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
                    let (field, message) = match msg.strip_prefix("unknown field `") {
                        Some(rest) => {
                            let name = rest.split('`').next().unwrap_or_default();
                            // The path already ends with the unknown field's name.
                            let field = if path == "." || path.is_empty() { name.to_owned() } else { path };
                            (field, "is not a known field".to_owned())
                        }
                        None => {
                            let field = if path == "." { String::new() } else { path };
                            let field = if field.is_empty() {
                                msg.strip_prefix("missing field `")
                                    .and_then(|r| r.split('`').next())
                                    .unwrap_or("body")
                                    .to_owned()
                            } else {
                                field
                            };
                            (field, msg)
                        }
                    };
                    Err(ApiError::field(field, message))
                }
                _ => Err(ApiError::malformed_json(format!("The body is not valid JSON: {inner}"))),
            }
        }
    }
}

/// Writes every number with no fractional part as an integer: `2.0` is the integer 2 in JSON
/// (and JSON Schema), and integer fields take it as such.
fn integral_numbers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            #[allow(clippy::float_cmp)]
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
            {
                // Within ±2^63 the cast is exact for an integral f64; beyond it stays a float.
                #[allow(clippy::cast_possible_truncation)]
                if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
                    *v = Value::from(f as i64);
                } else if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                    #[allow(clippy::cast_sign_loss)]
                    let u = f as u64;
                    *v = Value::from(u);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// `?limit=` and `?cursor=` of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return (1–100, default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{21}[AQgw]$")]
    pub cursor: Option<String>,
}

impl PageParams {
    /// # Errors
    /// 422 for a limit outside 1–100 or a cursor that is not one of ours.
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::field("limit", "must be between 1 and 100"));
        }
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| ApiError::field("cursor", "is not a valid cursor"))?),
        };
        Ok(PageRequest { limit, after })
    }
}

#[must_use]
pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn decode_cursor(c: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(c).ok()?;
    Uuid::from_slice(&bytes).ok()
}

/// The `If-Match` header, if sent.
pub struct IfMatch(pub Option<String>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let v = req.headers().get(header::IF_MATCH).map(|v| v.to_str().map(|s| s.trim().to_owned()));
        std::future::ready(match v {
            None => Ok(IfMatch(None)),
            Some(Ok(s)) => Ok(IfMatch(Some(s))),
            Some(Err(_)) => Err(ApiError::precondition_failed()),
        })
    }
}

/// The ETag of a resource version: its `updated_at` in microseconds, quoted.
#[must_use]
pub fn etag(updated_at: DateTime<Utc>) -> String {
    format!("\"{}\"", updated_at.timestamp_micros())
}

impl IfMatch {
    /// The version the client expects, from `If-Match` (`*` or absent: any version; a tag that
    /// is not one of ours: a version that is never current).
    ///
    /// # Errors
    /// None today; kept a `Result` so that a stricter reading needs no change at the callers.
    pub fn expected(&self) -> Result<Option<DateTime<Utc>>, ApiError> {
        match self.0.as_deref() {
            None | Some("*") => Ok(None),
            // A tag that is not one of ours names no version that can be current: it fails the
            // comparison (412) where the use case compares, after the body's own checks (422).
            Some(tag) => Ok(Some(
                tag.trim_start_matches("W/")
                    .trim_matches('"')
                    .parse::<i64>()
                    .ok()
                    .and_then(DateTime::<Utc>::from_timestamp_micros)
                    .unwrap_or(DateTime::<Utc>::MIN_UTC),
            )),
        }
    }
}

/// The locale the request's `Accept-Language` header asks for, if Pnyx speaks one of its
/// languages (`sr` alone is Serbian Cyrillic).
#[must_use]
pub fn accepted_locale(req: &HttpRequest) -> Option<pnyx_domain::i18n::Locale> {
    let header = req.headers().get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    pnyx_domain::i18n::Locale::negotiate(header)
}

/// Refuses, before anything else runs, every request that could change something (any method
/// but `GET`, `HEAD` and `OPTIONS`) made with a read-only API token: 403 problem+json. Services
/// refuse such callers too; this makes the rule hold for every operation alike, whatever a
/// handler extracts first. An invalid token is a 401 here as it would be in the handler.
///
/// # Errors
/// 401 for a bad token, 403 for a read-only one; otherwise whatever the next service returns.
pub async fn read_only_tokens(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::Method;
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && req.path().starts_with("/api/") && req.headers().contains_key(header::AUTHORIZATION) {
        let who = authenticated(req.request()).await?;
        if who.is_some_and(|a| a.principal.scope == pnyx_domain::auth::Scope::Read) {
            return Err(ApiError::new(
                actix_web::http::StatusCode::FORBIDDEN,
                crate::error::ErrorCode::ReadOnlyToken,
                "This API token may only read: use a token with the `act` scope to make changes.",
            )
            .into());
        }
    }
    next.call(req).await
}

/// `serde_json::Value` as a deserializer that reads a struct only from a JSON object: serde's
/// derived structs also take an array of their fields in order (`[null, null]` for a body with
/// two optional fields), which no schema of ours allows. Nested values are read the same way.
mod strict {
    use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
    use serde_json::{Error, Value};

    pub struct Strict(pub Value);

    impl<'de> Deserializer<'de> for Strict {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Array(items) => {
                    let len = items.len();
                    let mut seq = Seq(items.into_iter());
                    let out = visitor.visit_seq(&mut seq)?;
                    if seq.0.len() == 0 {
                        Ok(out)
                    } else {
                        Err(de::Error::invalid_length(len, &"fewer elements in array"))
                    }
                }
                Value::Object(map) => visitor.visit_map(Map { iter: map.into_iter(), value: None }),
                other => other.deserialize_any(visitor),
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Null => visitor.visit_none(),
                other => visitor.visit_some(Strict(other)),
            }
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            match self.0 {
                Value::Array(_) => Err(de::Error::invalid_type(Unexpected::Seq, &visitor)),
                other => Strict(other).deserialize_any(visitor),
            }
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.0.deserialize_enum(name, variants, visitor)
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
            unit_struct seq tuple tuple_struct map identifier
        }
    }

    struct Seq(std::vec::IntoIter<Value>);

    impl<'de> SeqAccess<'de> for Seq {
        type Error = Error;

        fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
            self.0.next().map(|v| seed.deserialize(Strict(v))).transpose()
        }

        fn size_hint(&self) -> Option<usize> {
            Some(self.0.len())
        }
    }

    struct Map {
        iter: serde_json::map::IntoIter,
        value: Option<Value>,
    }

    impl<'de> MapAccess<'de> for Map {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
            match self.iter.next() {
                Some((key, value)) => {
                    self.value = Some(value);
                    seed.deserialize(key.into_deserializer()).map(Some)
                }
                None => Ok(None),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            let value = self.value.take().ok_or_else(|| de::Error::custom("a value is missing"))?;
            seed.deserialize(Strict(value))
        }

        fn size_hint(&self) -> Option<usize> {
            Some(self.iter.len())
        }
    }

    #[cfg(test)]
    mod tests {
        use serde::Deserialize;
        use serde_json::json;

        use super::Strict;

        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct Inner {
            a: Option<String>,
            b: Option<u8>,
        }

        #[derive(Debug, Deserialize, PartialEq)]
        struct Outer {
            inner: Option<Inner>,
            list: Vec<Inner>,
        }

        #[test]
        fn structs_come_only_from_objects_at_any_depth() {
            let ok = json!({"inner": {"a": "x"}, "list": [{"b": 2}]});
            let read = Outer::deserialize(Strict(ok)).unwrap();
            assert_eq!(read.list, vec![Inner { a: None, b: Some(2) }]);
            assert!(Outer::deserialize(Strict(json!([null, []]))).is_err(), "the body as an array");
            assert!(
                Outer::deserialize(Strict(json!({"inner": [null, null], "list": []}))).is_err(),
                "a field as an array"
            );
            assert!(Outer::deserialize(Strict(json!({"list": [[null, 1]]}))).is_err(), "an item as an array");
            assert!(Outer::deserialize(Strict(json!({"list": [{"b": 300}]}))).is_err(), "u8 range still checked");
            assert!(Outer::deserialize(Strict(json!({"list": [{"c": 1}]}))).is_err(), "unknown fields still refused");
        }
    }
}
