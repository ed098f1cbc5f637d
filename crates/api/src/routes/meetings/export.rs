//! A meeting as iCalendar (RFC 5545): presentation of what the service returns.

use actix_web::{HttpRequest, HttpResponse, get, web};
use pnyx_domain::auth::Caller;
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::meetings::records::Meeting;
use pnyx_domain::meetings::rules::Status;
use pnyx_domain::org::Organisation;
use uuid::Uuid;

use super::dto::IcsParams;
use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::state::AppState;

/// Get a meeting as iCalendar
///
/// One VEVENT (RFC 5545) to add to a calendar; cancelled meetings have `STATUS:CANCELLED`.
#[utoipa::path(
    tag = "meetings", operation_id = "meeting_ics_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting"), IcsParams),
    responses(
        (status = 200, description = "The event", content_type = "text/calendar", body = String),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[get("/orgs/{org}/meetings/{id}.ics")]
pub async fn meeting_ics(
    st: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, Uuid)>,
    q: web::Query<IcsParams>,
    org: OrgRef,
) -> Result<HttpResponse, ApiError> {
    let org = org.0;
    // The file is public: it is the same for everyone, token or not.
    let v = st.meetings.get(&Caller::Anonymous, org.id, path.1.into()).await?;
    let lang: Locale =
        q.lang.map(Into::into).or_else(|| crate::extract::accepted_locale(&req)).unwrap_or(org.default_locale);
    // Links start with the configured public address, never with the request's `Host`.
    let base = st.settings.public_url.as_str();
    let mut cal = icalendar::Calendar::new();
    cal.push(meeting_event(&v.meeting, &org, lang, base));
    Ok(HttpResponse::Ok().content_type("text/calendar; charset=utf-8").body(cal.done().to_string()))
}

/// The VEVENT of a meeting (shared with the organisation's feed).
#[must_use]
pub fn meeting_event(m: &Meeting, org: &Organisation, lang: Locale, base: &str) -> icalendar::Event {
    use icalendar::{Component, EventLike, EventStatus};
    let text =
        |t: &LocalizedText| t.resolve(lang, org.default_locale).map(std::borrow::Cow::into_owned).unwrap_or_default();
    let mut e = icalendar::Event::with_uid(&format!("meeting-{}@pnyx", m.id));
    e.summary(&text(&m.title))
        .description(&text(&m.description))
        .starts(m.window.starts_at())
        .ends(m.window.ends_at())
        .status(if m.status == Status::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed })
        .url(&format!("{base}/o/{}/meetings/{}", org.slug, m.id))
        .timestamp(m.updated_at)
        .add_property("CATEGORIES", "MEETING");
    if let Some(a) = &m.address {
        e.location(a);
    } else if let Some(u) = m.online_url.as_ref().filter(|_| !m.link_for_registrants_only) {
        e.location(u);
    }
    e.done()
}
