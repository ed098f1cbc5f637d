//! What every operation of the spec answers because of what it takes, added to the generated
//! document in one place instead of by hand on each handler: the extractors and middleware that
//! answer these are shared, so the statuses are too.
//!
//! - a query string: `400 bad-query` when a parameter cannot be read; `422` for a page size
//!   out of range or a cursor that is not ours;
//! - a body: `400 malformed-json`, `413`, `415` and `422`;
//! - path parameters: `404` when nothing has them;
//! - a bearer token (required or optional): `401` for a missing, invalid or expired one;
//! - a bearer token on an operation that is not a read: `403` (a read-only API token, or a role
//!   the caller lacks);
//! - `If-Match`: `412` when it names another version.
//!
//! It also states what the types themselves enforce: the range of every fixed-width integer, the
//! format of `Idempotency-Key`, and that the variants of the tagged request enums take no other
//! properties (serde's `deny_unknown_fields`, which utoipa does not carry over).

use utoipa::Number;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, KnownFormat, Schema, SchemaFormat};
use utoipa::openapi::{OpenApi, RefOr, Response};

fn component(name: &str) -> RefOr<Response> {
    RefOr::Ref(utoipa::openapi::Ref::from_response_name(name))
}

/// Whether the operation accepts a bearer token at all.
fn takes_bearer(op: &Operation) -> bool {
    op.security
        .as_ref()
        .is_some_and(|reqs| reqs.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v.get("bearer_auth").is_some())))
}

/// Whether the operation needs a bearer token: it names one and has no anonymous alternative.
#[must_use]
pub fn needs_bearer(op: &Operation) -> bool {
    let anonymous_too = op.security.as_ref().is_none_or(|reqs| {
        reqs.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v.as_object().is_some_and(serde_json::Map::is_empty)))
    });
    takes_bearer(op) && !anonymous_too
}

/// The characters of a path pattern outside its `{parameters}`.
#[must_use]
pub fn static_chars(path: &str) -> usize {
    let mut depth = 0usize;
    path.chars()
        .filter(|c| match c {
            '{' => {
                depth += 1;
                false
            }
            '}' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .count()
}

fn has_param(op: &Operation, place: &ParameterIn, name: Option<&str>) -> bool {
    op.parameters.as_ref().is_some_and(|ps| {
        ps.iter().any(|p| match p {
            RefOr::T(p) => p.parameter_in == *place && name.is_none_or(|n| p.name.eq_ignore_ascii_case(n)),
            RefOr::Ref(_) => false,
        })
    })
}

/// What the extractors of shared headers accept, stated on each operation that reads them:
/// `Idempotency-Key` is 1–255 visible ASCII characters.
fn state_header_formats(op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = p
            && p.parameter_in == ParameterIn::Header
            && p.name.eq_ignore_ascii_case("Idempotency-Key")
            && let Some(RefOr::T(utoipa::openapi::schema::Schema::Object(o))) = p.schema.as_mut()
        {
            o.pattern = Some("^[!-~]{1,255}$".to_owned());
        }
    }
}

/// The range of an integer format: what the server's type holds, so a number outside it is
/// refused (422) and must be outside the schema too.
fn integer_range(format: &KnownFormat) -> Option<(Number, Number)> {
    let unsigned = |max: u64| Some((Number::UInt(0), Number::UInt(usize::try_from(max).unwrap_or(usize::MAX))));
    match format {
        KnownFormat::UInt8 => unsigned(u64::from(u8::MAX)),
        KnownFormat::UInt16 => unsigned(u64::from(u16::MAX)),
        KnownFormat::UInt32 => unsigned(u64::from(u32::MAX)),
        KnownFormat::UInt64 => unsigned(u64::MAX),
        KnownFormat::Int32 => Some((Number::Int(i32::MIN as isize), Number::Int(i32::MAX as isize))),
        KnownFormat::Int64 => Some((Number::Int(isize::MIN), Number::Int(isize::MAX))),
        _ => None,
    }
}

/// States the range of every integer of a fixed width that has no narrower one.
fn bound_integers(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            if let Some(SchemaFormat::KnownFormat(f)) = &o.format
                && let Some((min, max)) = integer_range(f)
            {
                o.minimum.get_or_insert(min);
                o.maximum.get_or_insert(max);
            }
            o.properties.values_mut().for_each(bound_integers);
            if let Some(extra) = o.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(s) = extra
            {
                bound_integers(s);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                bound_integers(items);
            }
        }
        Schema::OneOf(o) => o.items.iter_mut().for_each(bound_integers),
        Schema::AllOf(o) => o.items.iter_mut().for_each(bound_integers),
        Schema::AnyOf(o) => o.items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

/// The tagged enums of request bodies whose variants refuse unknown fields.
const CLOSED_TAGGED: [&str; 5] = ["BallotRuleDto", "ConditionDto", "QuestionKindDto", "ScaleLabelsDto", "AnswerDto"];

fn close_variants(schema: &mut RefOr<Schema>) {
    if let RefOr::T(Schema::OneOf(one)) = schema {
        for item in &mut one.items {
            if let RefOr::T(Schema::Object(o)) = item {
                o.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// Adds to every operation the statuses its inputs can produce (see the module's description),
/// where the handler's annotation does not name them already.
pub fn complete_responses(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        components.schemas.values_mut().for_each(bound_integers);
        for name in CLOSED_TAGGED {
            if let Some(schema) = components.schemas.get_mut(name) {
                close_variants(schema);
            }
        }
    }
    for (path, item) in &mut doc.paths.paths {
        let path_params = path.contains('{');
        let ops = [
            ("get", item.get.as_mut()),
            ("post", item.post.as_mut()),
            ("put", item.put.as_mut()),
            ("patch", item.patch.as_mut()),
            ("delete", item.delete.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            state_header_formats(op);
            for p in op.parameters.iter_mut().flatten() {
                if let RefOr::T(p) = p
                    && let Some(schema) = p.schema.as_mut()
                {
                    bound_integers(schema);
                }
            }
            if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content
                        && let Some(schema) = content.schema.as_mut()
                    {
                        bound_integers(schema);
                    }
                }
            }
            let mut add: Vec<(&str, &str)> = Vec::new();
            if has_param(op, &ParameterIn::Query, None) {
                add.push(("400", "BadQuery"));
            }
            if has_param(op, &ParameterIn::Query, Some("limit")) || has_param(op, &ParameterIn::Query, Some("cursor")) {
                add.push(("422", "BadPaging"));
            }
            if op.request_body.is_some() {
                add.extend([("400", "MalformedJson"), ("413", "PayloadTooLarge"), ("415", "UnsupportedMediaType")]);
                add.push(("422", "Invalid"));
            }
            if path_params {
                add.push(("404", "NotFound"));
            }
            if takes_bearer(op) {
                add.push(("401", "Unauthorized"));
                if method != "get" {
                    add.push(("403", "Refused"));
                }
            }
            if has_param(op, &ParameterIn::Header, Some("If-Match")) {
                add.push(("412", "Stale"));
            }
            for (status, name) in add {
                op.responses.responses.entry(status.to_owned()).or_insert_with(|| component(name));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_characters_leave_out_the_parameters() {
        assert_eq!(static_chars("/orgs/{org}/meetings/{id}.ics"), "/orgs//meetings/.ics".len());
        assert!(static_chars("/orgs/{org}/meetings/{id}.ics") > static_chars("/orgs/{org}/meetings/{id}"));
        assert!(static_chars("/orgs/mine") > static_chars("/orgs/{org}"));
    }

    #[test]
    fn every_operation_documents_what_its_inputs_can_produce() {
        let doc = crate::openapi();
        let mut checked = 0;
        for (path, item) in &doc.paths.paths {
            for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete].into_iter().flatten() {
                let has = |s: &str| op.responses.responses.contains_key(s);
                if path.contains('{') {
                    assert!(has("404"), "{path}: 404");
                }
                if op.request_body.is_some() {
                    assert!(has("400") && has("413") && has("415") && has("422"), "{path}: body statuses");
                }
                if takes_bearer(op) {
                    assert!(has("401"), "{path}: 401");
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} operations");
    }
}
