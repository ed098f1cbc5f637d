//! The committed spec is what the code generates, and it meets our conventions.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::on_both_databases;

fn committed() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    std::fs::read_to_string(path).expect("openapi/openapi.json exists; run `just openapi`")
}

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = pnyx_api::openapi_json_string().unwrap();
    assert!(committed() == generated, "openapi/openapi.json is stale: run `just openapi` and commit it");
}

#[test]
fn every_operation_has_one_tag_a_summary_a_noun_verb_id_security_and_error_responses() {
    let spec: Value = serde_json::from_str(&committed()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut ids = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            assert_eq!(op["tags"].as_array().map(Vec::len), Some(1), "{at}: one tag");
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{at}: summary");
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                id.contains('_') && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{at}: operationId {id}"
            );
            assert!(ids.insert(id.to_owned()), "{at}: duplicate operationId {id}");
            assert!(op.get("security").is_some(), "{at}: security stated");
            let responses = op["responses"].as_object().unwrap();
            let takes_input = op.get("requestBody").is_some() || op.get("parameters").is_some();
            let is_probe = path == "/healthz" || path.ends_with("openapi.json");
            if takes_input && !is_probe {
                assert!(responses.keys().any(|k| k.starts_with('4')), "{at}: error responses");
            }
            if let Some(body) = op.get("requestBody") {
                let schema = &body["content"]["application/json"]["schema"];
                if let Some(r) = schema["$ref"].as_str() {
                    let name = r.rsplit('/').next().unwrap();
                    let comp = &spec["components"]["schemas"][name];
                    let has_example = comp.get("example").is_some() || comp.get("examples").is_some();
                    assert!(has_example, "{at}: request body {name} has an example");
                }
            }
        }
    }
    assert!(ids.len() >= 20, "{} operations", ids.len());
}

on_both_databases! {
    async fn the_server_serves_the_same_spec(app) {
        let served = app.get("/api/v1/openapi.json", None).await.text().await.unwrap();
        assert_eq!(served, pnyx_api::openapi_json_string().unwrap());
    }
}

on_both_databases! {
    async fn the_api_docs_page_is_served_without_a_cdn(app) {
        let res = app.get("/api/docs", None).await;
        assert_eq!(res.status(), 308);
        assert_eq!(res.headers().get("location").unwrap(), "/api/docs/");
        let html = app.get("/api/docs/", None).await.text().await.unwrap();
        assert!(html.contains("swagger-ui"), "the page is Swagger UI");
        assert!(!html.contains("https://") && !html.contains("http://"), "nothing loads from elsewhere");
        let init = app.get("/api/docs/swagger-initializer.js", None).await.text().await.unwrap();
        assert!(init.contains("/api/v1/openapi.json"));
    }
}

/// Every string property of the spec, with its name, that states a pattern.
fn patterns(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                for (name, p) in props {
                    if let Some(pat) = p.get("pattern").and_then(Value::as_str) {
                        out.push((name.clone(), pat.to_owned()));
                    }
                }
            }
            m.values().for_each(|x| patterns(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| patterns(x, out)),
        _ => {}
    }
}

/// The e-mail rule is stated twice, as the schema's pattern and as the domain's parser: they must
/// accept exactly the same strings (a client that checks the pattern is never refused, and what
/// the pattern refuses the server refuses too), whatever a regex engine takes `\s` to be.
#[test]
fn the_schemas_e_mail_pattern_is_the_rule_the_server_applies() {
    use pnyx_domain::accounts::{EMAIL_PATTERN, Email};
    let spec: Value = serde_json::from_str(&committed()).unwrap();
    let mut found = Vec::new();
    patterns(&spec, &mut found);
    let emails: Vec<_> = found.iter().filter(|(name, _)| name == "email").collect();
    assert!(emails.len() >= 4, "the e-mail properties state a pattern: {found:?}");
    for (_, pat) in &emails {
        assert_eq!(pat, EMAIL_PATTERN);
    }
    let re = regex::Regex::new(EMAIL_PATTERN).unwrap();
    let local64 = "a".repeat(64);
    let local65 = "a".repeat(65);
    let long = format!("{local64}@{}.sk", "b".repeat(186));
    let too_long = format!("{local64}@{}.sk", "b".repeat(187));
    let cases = [
        "jana.novakova@example.sk",
        "  Jana.Novakova@Example.SK \r\n",
        "петар@пример.срб",
        "ŁUKASZ@łódź.pl",
        "a+tag@b.c",
        &format!("{local64}@x.sk"),
        &format!("{local65}@x.sk"),
        &long,
        &too_long,
        "",
        "@b.c",
        "a@b",
        "a@@b.c",
        "a@b..c",
        "a@.b.c",
        "a@b.c.",
        "a b@c.d",
        "a@b.c\u{85}",
        "\u{85}a@b.c",
        "a\u{85}b@c.d",
        "a@b\u{a0}.c",
        "\u{feff}a@b.c",
        "a\u{feff}@b.c",
        "\u{2028}a@b.c",
        "a\u{7}@b.c",
        "a@b.c\u{1c}",
        "\u{3000}a@b.c",
        "a@b.c\u{b}",
        "í25.Ⱦ!\u{2a07d}<0@f.Ć9üP2l.ú",
    ];
    for s in cases {
        // The schema: the pattern and `maxLength: 254`.
        let schema_valid = re.is_match(s) && s.chars().count() <= 254;
        assert_eq!(schema_valid, Email::parse(s).is_ok(), "schema and parser disagree on {s:?}");
    }
    assert_eq!(Email::parse("  Jana.Novakova@Example.SK \r\n").unwrap().as_str(), "jana.novakova@example.sk");
    assert!(Email::parse(&long).is_ok() && Email::parse(&too_long).is_err());
}

/// A comment's text: the schema's pattern and `maxLength` accept exactly what the server does.
#[test]
fn the_schemas_comment_pattern_is_the_rule_the_server_applies() {
    use pnyx_domain::comments::{BODY_PATTERN, CommentBody};
    let spec: Value = serde_json::from_str(&committed()).unwrap();
    let mut found = Vec::new();
    patterns(&spec, &mut found);
    let bodies: Vec<_> = found.iter().filter(|(name, _)| name == "body").collect();
    assert_eq!(bodies.len(), 2, "the new and the edited comment: {found:?}");
    for (_, pat) in &bodies {
        assert_eq!(pat, BODY_PATTERN);
    }
    let re = regex::Regex::new(BODY_PATTERN).unwrap();
    let long = "ž".repeat(2000);
    let too_long = "ž".repeat(2001);
    let padded = format!(" {} ", "a".repeat(1999));
    let cases = [
        "Dobrý nápad!",
        "  Dobrý nápad!\r\n ",
        "line\nline\ttab",
        "a\r\nb",
        "a\rb",
        "text\r",
        "\r\n\r\nx",
        "",
        " ",
        " \n\t ",
        "\u{3000}\u{a0}",
        "\u{85}",
        "\u{85}text",
        "\u{99}\u{dd}J",
        "bell\u{7}",
        "\u{feff}",
        "\u{200b}",
        "<b>bold</b>",
        &long,
        &too_long,
        &padded,
    ];
    for s in cases {
        let schema_valid = re.is_match(s) && s.chars().count() <= 2000;
        assert_eq!(schema_valid, CommentBody::parse(s).is_ok(), "schema and parser disagree on {s:?}");
    }
}
