//! The organisation's public calendar: what has a period or a date (consultations, surveys with
//! a period of their own, meetings), gathered for one feed.

use std::sync::Arc;

use crate::ids::OrgId;

use crate::auth::Caller;
use crate::consultations::{Consultation, ConsultationError, ConsultationQuery, ConsultationService};
use crate::meetings::records::Meeting;
use crate::meetings::service::{MeetingError, MeetingService};
use crate::repo::PageRequest;
use crate::surveys::{Survey, SurveyError, SurveyService};

/// Why the feed cannot be built (the area that failed).
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error(transparent)]
    Consultation(#[from] ConsultationError),
    #[error(transparent)]
    Meeting(#[from] MeetingError),
    #[error(transparent)]
    Survey(#[from] SurveyError),
}

/// What the feed shows, newest first within each kind, at most `limit` of each.
#[derive(Debug, Clone)]
pub struct CalendarFeed {
    pub consultations: Vec<Consultation>,
    pub meetings: Vec<Meeting>,
    /// Surveys with a period of their own (the others appear through their consultation).
    pub surveys: Vec<Survey>,
}

/// The calendar use case, over the areas that have dates.
pub struct CalendarService {
    consultations: Arc<ConsultationService>,
    meetings: Arc<MeetingService>,
    surveys: Arc<SurveyService>,
}

impl CalendarService {
    #[must_use]
    pub fn new(
        consultations: Arc<ConsultationService>,
        meetings: Arc<MeetingService>,
        surveys: Arc<SurveyService>,
    ) -> Self {
        CalendarService { consultations, meetings, surveys }
    }

    /// The public feed of `org_id`: at most `limit` events of each kind.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn feed(&self, caller: &Caller, org_id: OrgId, limit: u64) -> Result<CalendarFeed, CalendarError> {
        let page = PageRequest { limit, after: None };
        let consultations = self.consultations.list(org_id, &ConsultationQuery::default(), page).await?;
        let meetings = self.meetings.feed(caller, org_id, limit).await?;
        let surveys = self.surveys.scheduled(org_id, limit).await?;
        let consultations = consultations.items.into_iter().map(|v| v.consultation).collect();
        Ok(CalendarFeed { consultations, meetings, surveys })
    }
}
