//! The organisation's iCalendar feed: consultation periods, meetings and survey periods, voting
//! periods as that module lands. Valid RFC 5545 (the icalendar crate escapes and folds); times in UTC so
//! no VTIMEZONE is needed; UIDs are stable so calendar apps update events instead of duplicating.

use actix_web::{HttpRequest, HttpResponse, get, web};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use pnyx_domain::i18n::Locale;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dto::LocaleDto;
use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::state::AppState;

impl From<pnyx_domain::calendar::CalendarError> for ApiError {
    fn from(e: pnyx_domain::calendar::CalendarError) -> Self {
        use pnyx_domain::calendar::CalendarError as E;
        match e {
            E::Consultation(e) => e.into(),
            E::Meeting(e) => e.into(),
            E::Survey(e) => e.into(),
        }
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(calendar_get);
}

/// `?lang=` of the feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarParams {
    /// The language of titles and descriptions (default: the `Accept-Language` header, else the
    /// organisation's; Serbian in the script asked for, transliterated where needed).
    pub lang: Option<LocaleDto>,
}

/// Most events of one kind in the feed (the newest).
const FEED_LIMIT: u64 = 500;

/// Get the organisation's calendar
///
/// An iCalendar (RFC 5545) feed of the organisation's consultation periods (and, as they come,
/// meetings and voting periods), for Google Calendar, Thunderbird or Outlook to subscribe to.
#[utoipa::path(
    tag = "calendar", operation_id = "calendar_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), CalendarParams),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 400, description = "Unknown language", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
    ),
    security(())
)]
#[get("/orgs/{org}/calendar.ics")]
pub async fn calendar_get(
    org: OrgRef,
    st: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<CalendarParams>,
) -> Result<HttpResponse, ApiError> {
    let org = org.0;
    let lang: Locale =
        q.lang.map(Into::into).or_else(|| crate::extract::accepted_locale(&req)).unwrap_or(org.default_locale);
    let text = |t: &pnyx_domain::i18n::LocalizedText| {
        t.resolve(lang, org.default_locale).map(std::borrow::Cow::into_owned).unwrap_or_default()
    };
    // Links start with the configured public address, never with the request's `Host`.
    let base = st.settings.public_url.as_str();
    let mut cal = Calendar::new();
    cal.name(&text(&org.name));
    let feed = st.calendar.feed(&pnyx_domain::auth::Caller::Anonymous, org.id, FEED_LIMIT).await?;
    for c in feed.consultations {
        let mut e = Event::with_uid(&format!("consultation-{}@pnyx", c.id));
        e.summary(&text(&c.title))
            .description(&text(&c.summary))
            .starts(c.period.opens_at())
            .ends(c.period.closes_at())
            .status(EventStatus::Confirmed)
            .url(&format!("{base}/o/{}/consultations/{}", org.slug, c.id))
            .timestamp(c.updated_at)
            .add_property("CATEGORIES", "CONSULTATION");
        cal.push(e.done());
    }
    for m in &feed.meetings {
        cal.push(crate::routes::meetings::meeting_event(m, &org, lang, base));
    }
    for e in crate::routes::surveys::feed_events(&feed.surveys, &org, lang, base) {
        cal.push(e);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(cal.done().to_string()))
}
