//! An organisation's public log of staff changes, as a list and as an Atom feed.

use actix_web::{HttpRequest, HttpResponse, get, web};
use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::org::PublicAuditEntry;
use serde_json::Value;

use crate::error::ApiError;
use crate::extract::PageParams;
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

/// How many entries the feed holds: the newest.
const FEED_ENTRIES: u64 = 50;

/// List staff changes
///
/// The organisation's public log of what its staff changed, newest first: who (by role), what,
/// when, and the public fields that changed, before → after. `?resource_type=` keeps one kind of
/// resource. Also an Atom feed: `/orgs/{org}/audit-log.atom`.
#[utoipa::path(
    tag = "organisations", operation_id = "audit_entry_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), AuditFilterParams, PageParams),
    responses(
        (status = 200, description = "A page of log entries", body = AuditEntryList),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::BadPaging),
    ),
    security(())
)]
#[get("/orgs/{org}/audit-log")]
pub async fn audit_list(
    st: web::Data<AppState>,
    path: web::Path<String>,
    f: web::Query<AuditFilterParams>,
    q: web::Query<PageParams>,
) -> Result<web::Json<AuditEntryList>, ApiError> {
    let page = st.orgs.audit_log(&path, f.resource_type()?, q.page()?).await?;
    Ok(web::Json(AuditEntryList::from_page(page, audit_dto)))
}

/// Get the staff-change log as an Atom feed
///
/// The newest 50 entries of the public log (RFC 4287): each names the action and the actor's
/// role, and lists the changed fields before → after (localized texts in `?lang=`, else the
/// `Accept-Language` header's, else the organisation's language).
#[utoipa::path(
    tag = "organisations", operation_id = "audit_feed_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), AuditFeedParams),
    responses(
        (status = 200, description = "The feed", content_type = "application/atom+xml", body = String),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/audit-log.atom")]
pub async fn audit_feed(
    st: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<AuditFeedParams>,
) -> Result<HttpResponse, ApiError> {
    let (org, items) = st.orgs.audit_feed(&path, FEED_ENTRIES).await?;
    let lang: Locale =
        q.lang.map(Into::into).or_else(|| crate::extract::accepted_locale(&req)).unwrap_or(org.default_locale);
    // Links start with the configured public address, never with the request's `Host`.
    let base = st.settings.public_url.as_str().trim_end_matches('/');
    let name = org.name.resolve(lang, org.default_locale).map(std::borrow::Cow::into_owned).unwrap_or_default();
    let page_url = format!("{base}/o/{}/audit-log", org.slug);
    let self_url = format!("{base}/api/v1/orgs/{}/audit-log.atom", org.slug);
    let updated = items.first().map_or(org.updated_at, |e| e.entry.created_at);
    let mut feed = Feed::default();
    feed.set_id(format!("urn:pnyx:audit-log:{}", org.id));
    feed.set_title(Text::plain(format!("{name}: audit log")));
    feed.set_updated(updated.fixed_offset());
    feed.set_authors(vec![Person { name, ..Person::default() }]);
    feed.set_lang(lang.as_str().to_owned());
    feed.set_links(vec![link(&page_url, "alternate", "text/html"), link(&self_url, "self", "application/atom+xml")]);
    feed.set_entries(items.iter().map(|e| feed_entry(e, lang, org.default_locale, &page_url)).collect::<Vec<_>>());
    Ok(HttpResponse::Ok().content_type("application/atom+xml; charset=utf-8").body(feed.to_string()))
}

fn link(href: &str, rel: &str, mime: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(Some(mime.to_owned()));
    l
}

fn feed_entry(p: &PublicAuditEntry, lang: Locale, fallback: Locale, page_url: &str) -> Entry {
    let e = &p.entry;
    let role = p.actor_role.map_or("the system", |r| r.as_str());
    let mut lines = Vec::new();
    if let Some(Value::Object(changes)) = e.details.get("changes") {
        for (field, change) in changes {
            let side = |k: &str| change.get(k).map(|v| shown(v, lang, fallback));
            lines.push(match (side("from"), side("to")) {
                (Some(from), Some(to)) => format!("{field}: {from} → {to}"),
                (None, Some(to)) => format!("{field}: → {to}"),
                (Some(from), None) => format!("{field}: {from} →"),
                (None, None) => field.clone(),
            });
        }
    }
    if lines.is_empty() {
        lines.push("(no public field changed)".to_owned());
    }
    let text = lines.join("\n");
    let mut entry = Entry::default();
    entry.set_id(format!("urn:uuid:{}", e.id));
    entry.set_title(Text::plain(format!("{} by {role}: {} {}", e.action, e.resource_type, e.resource_id)));
    entry.set_updated(e.created_at.fixed_offset());
    entry.set_published(Some(e.created_at.fixed_offset()));
    entry.set_links(vec![link(page_url, "alternate", "text/html")]);
    entry.set_summary(Some(Text::plain(text.clone())));
    let mut content = Content::default();
    content.set_content_type(Some("text".to_owned()));
    content.set_value(Some(text));
    entry.set_content(Some(content));
    entry
}

/// A value as a reader sees it: a localized text in `lang`, a string as is, else compact JSON.
fn shown(v: &Value, lang: Locale, fallback: Locale) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        Value::Object(_) => match serde_json::from_value::<LocalizedText>(v.clone()) {
            Ok(t) if !t.is_empty() => t.resolve(lang, fallback).map(std::borrow::Cow::into_owned).unwrap_or_default(),
            _ => v.to_string(),
        },
        other => other.to_string(),
    }
}
