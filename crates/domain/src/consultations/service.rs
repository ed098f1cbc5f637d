//! The consultation use cases: staff create, edit and report on consultations, residents give
//! opinions while one is open, staff answer and moderators hide them. Each use case decides
//! authorization first and reads the time from the service's clock.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    Author, Consultation, ConsultationError, ConsultationFilter, ConsultationOrder, ConsultationQuery, Document,
    Opinion, Period, Report, Section, Status, Subject,
};
use crate::audit::Audit;
use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::comments::{TargetKind, count_on};
use crate::i18n::LocalizedText;
use crate::ids::{ConsultationId, OrgId, SurveyId};
use crate::notifications::{DomainEvent, Follow, Followable, kind as note, publish};
use crate::org::Organisation;
use crate::repo::{Page, PageRequest, RepoError, Store};
use crate::version::Version;

/// The longest title, summary, body, document or section title and report, per locale.
const TITLE_MAX: usize = 200;
const SUMMARY_MAX: usize = 1000;
const BODY_MAX: usize = 50_000;
const PART_TITLE_MAX: usize = 300;
const REPORT_MAX: usize = 50_000;

/// A new consultation, in domain types; texts are checked against the organisation's locales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsultation {
    pub title: LocalizedText,
    /// May be empty.
    pub summary: LocalizedText,
    /// May be empty.
    pub body: LocalizedText,
    pub subject: Subject,
    pub documents: Vec<Document>,
    pub sections: Vec<Section>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub allow_anonymous: bool,
    pub opinions_public: bool,
    pub survey_id: Option<SurveyId>,
    /// What the consultation is about, e.g. `("budget", id)`.
    pub about: Option<(String, Uuid)>,
}

/// Changes to a consultation: `None` keeps a field. A date given alone is combined with the
/// other date of the current period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationChanges {
    pub title: Option<LocalizedText>,
    pub summary: Option<LocalizedText>,
    pub body: Option<LocalizedText>,
    pub subject: Option<Subject>,
    pub documents: Option<Vec<Document>>,
    pub sections: Option<Vec<Section>>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub allow_anonymous: Option<bool>,
    pub opinions_public: Option<bool>,
}

/// A consultation with its status at the time the use case ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationView {
    pub consultation: Consultation,
    pub status: Status,
    /// Visible comments on it.
    pub comment_count: u64,
}

impl ConsultationView {
    fn at(consultation: Consultation, now: DateTime<Utc>) -> Self {
        ConsultationView { status: consultation.status(now), consultation, comment_count: 0 }
    }

    fn counted(mut self, n: u64) -> Self {
        self.comment_count = n;
        self
    }
}

fn invalid(field: impl Into<String>, message: impl ToString) -> ConsultationError {
    ConsultationError::Invalid { field: field.into(), message: message.to_string() }
}

fn text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, ConsultationError> {
    org.check_text(field, t, max).map_err(|e| invalid(e.field, e.message))
}

fn optional_text(
    field: &str,
    t: LocalizedText,
    org: &Organisation,
    max: usize,
) -> Result<LocalizedText, ConsultationError> {
    org.check_optional_text(field, t, max).map_err(|e| invalid(e.field, e.message))
}

fn documents(list: Vec<Document>, org: &Organisation) -> Result<Vec<Document>, ConsultationError> {
    list.into_iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(Document { title: text(&format!("documents[{i}].title"), d.title, org, PART_TITLE_MAX)?, url: d.url })
        })
        .collect()
}

/// Sections with their titles checked; each key once.
fn sections(list: Vec<Section>, org: &Organisation) -> Result<Vec<Section>, ConsultationError> {
    let mut keys = std::collections::HashSet::new();
    list.into_iter()
        .enumerate()
        .map(|(i, s)| {
            if !keys.insert(s.key.clone()) {
                return Err(invalid(format!("sections[{i}].key"), "is used twice"));
            }
            Ok(Section { key: s.key, title: text(&format!("sections[{i}].title"), s.title, org, PART_TITLE_MAX)? })
        })
        .collect()
}

fn period(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> Result<Period, ConsultationError> {
    Period::new(opens_at, closes_at).map_err(|e| invalid("closes_at", e))
}

impl NewConsultation {
    /// The consultation this describes, created at `now`, if it suits the organisation: title,
    /// summary, body, document and section titles in its languages, each section key once, and a
    /// period that closes after it opens.
    ///
    /// # Errors
    /// [`ConsultationError::Invalid`] naming the first field that breaks a rule.
    pub fn check(self, org: &Organisation, now: DateTime<Utc>) -> Result<Consultation, ConsultationError> {
        Ok(Consultation {
            id: ConsultationId::new_v7(),
            org_id: org.id,
            title: text("title", self.title, org, TITLE_MAX)?,
            summary: optional_text("summary", self.summary, org, SUMMARY_MAX)?,
            body: optional_text("body", self.body, org, BODY_MAX)?,
            subject: self.subject,
            documents: documents(self.documents, org)?,
            sections: sections(self.sections, org)?,
            period: period(self.opens_at, self.closes_at)?,
            allow_anonymous: self.allow_anonymous,
            opinions_public: self.opinions_public,
            survey_id: self.survey_id,
            about: self.about,
            report: None,
            created_at: now,
            updated_at: now,
        })
    }
}

impl ConsultationChanges {
    /// Applies the changes to `c` as the rules allow at `now`: texts checked as on creation, and
    /// the period, which cannot move once the consultation has opened.
    ///
    /// # Errors
    /// [`ConsultationError::Invalid`] naming the first field that breaks a rule;
    /// [`ConsultationError::PeriodLocked`].
    pub fn apply(self, c: &mut Consultation, org: &Organisation, now: DateTime<Utc>) -> Result<(), ConsultationError> {
        let status = c.status(now);
        let title = self.title.map(|t| text("title", t, org, TITLE_MAX)).transpose()?;
        let summary = self.summary.map(|t| optional_text("summary", t, org, SUMMARY_MAX)).transpose()?;
        let body = self.body.map(|t| optional_text("body", t, org, BODY_MAX)).transpose()?;
        let docs = self.documents.map(|d| documents(d, org)).transpose()?;
        let secs = self.sections.map(|s| sections(s, org)).transpose()?;
        let new_period = match (self.opens_at, self.closes_at) {
            (None, None) => None,
            (o, cl) => Some(period(o.unwrap_or(c.period.opens_at()), cl.unwrap_or(c.period.closes_at()))?),
        };
        if let Some(p) = new_period {
            if p != c.period && status != Status::Planned {
                return Err(ConsultationError::PeriodLocked);
            }
            c.period = p;
        }
        if let Some(v) = title {
            c.title = v;
        }
        if let Some(v) = summary {
            c.summary = v;
        }
        if let Some(v) = body {
            c.body = v;
        }
        if let Some(v) = self.subject {
            c.subject = v;
        }
        if let Some(v) = docs {
            c.documents = v;
        }
        if let Some(v) = secs {
            c.sections = v;
        }
        if let Some(v) = self.allow_anonymous {
            c.allow_anonymous = v;
        }
        if let Some(v) = self.opinions_public {
            c.opinions_public = v;
        }
        Ok(())
    }
}

/// What staff change on an opinion: the answer (officials), the hidden flag (moderators).
#[derive(Debug, Clone, Default)]
pub struct OpinionChange {
    pub answer: Option<String>,
    pub hidden: Option<bool>,
}

/// An opinion as submitted.
#[derive(Debug, Clone)]
pub struct SubmitOpinion {
    pub section: Option<String>,
    pub text: String,
    /// Required when the caller is anonymous.
    pub email: Option<crate::accounts::Email>,
}

/// The consultation use cases; each decides authorization first.
pub struct ConsultationService {
    repo: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl ConsultationService {
    #[must_use]
    pub fn new(repo: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ConsultationService { repo, clock }
    }

    async fn load(&self, org_id: OrgId, id: ConsultationId) -> Result<Consultation, ConsultationError> {
        self.repo.consultation(org_id, id).await?.ok_or(ConsultationError::NotFound)
    }

    /// A page of the organisation's consultations, filtered by derived status, subject and `?q=`,
    /// in the order asked for.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip(self, query))]
    pub async fn list(
        &self,
        org_id: OrgId,
        query: &ConsultationQuery,
        page: PageRequest,
    ) -> Result<Page<ConsultationView>, ConsultationError> {
        let now = self.clock.now();
        let order = ConsultationOrder::parse(query.sort.as_deref())?;
        let only = crate::search::list_matches(
            self.repo.as_ref(),
            org_id,
            crate::search::Kind::Consultation,
            query.text.as_deref(),
            |m| invalid("q", m),
        )
        .await?;
        let filter = ConsultationFilter { status: query.status, subject: query.subject, only, order };
        let page = self.repo.consultations(org_id, &filter, now, page).await?;
        Ok(Page {
            items: page.items.into_iter().map(|(c, n)| ConsultationView::at(c, now).counted(n)).collect(),
            next_after: page.next_after,
            total: page.total,
        })
    }

    /// One consultation, public.
    ///
    /// # Errors
    /// Not found (also for another organisation's id).
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn get(&self, org_id: OrgId, id: ConsultationId) -> Result<ConsultationView, ConsultationError> {
        let (c, n) = self.repo.consultation_counted(org_id, id).await?.ok_or(ConsultationError::NotFound)?;
        Ok(ConsultationView::at(c, self.clock.now()).counted(n))
    }

    /// Puts a consultation before residents.
    ///
    /// # Errors
    /// Forbidden unless admin or official; invalid fields (see [`NewConsultation::check`]).
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create(
        &self,
        caller: &Caller,
        org: &Organisation,
        n: NewConsultation,
    ) -> Result<ConsultationView, ConsultationError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let now = self.clock.now();
        let c = n.check(org, now)?;
        let tx = self.repo.begin().await?;
        tx.create_consultation(&c).await?;
        Audit::new(org.id, actor, "consultation.created", ("consultation", c.id), now).created(&c).record(&*tx).await?;
        tx.commit().await?;
        Ok(ConsultationView::at(c, now))
    }

    /// Applies `changes` if the version is still `expected` (when given). The period cannot move
    /// once the consultation has opened.
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields; period locked.
    #[tracing::instrument(skip_all, fields(org = %org.id, id = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: ConsultationId,
        expected: Option<DateTime<Utc>>,
        changes: ConsultationChanges,
    ) -> Result<ConsultationView, ConsultationError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let now = self.clock.now();
        let mut c = self.load(org.id, id).await?;
        Version::check(expected, c.updated_at)?;
        let previous = c.updated_at;
        let before = c.clone();
        changes.apply(&mut c, org, now)?;
        c.updated_at = Version::next_after(previous, now);
        let tx = self.repo.begin().await?;
        tx.update_consultation(&c, previous).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ConsultationError::Stale,
            other => other.into(),
        })?;
        Audit::new(org.id, actor, "consultation.updated", ("consultation", c.id), now)
            .updated(&before, &c)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        let n = count_on(self.repo.as_ref(), TargetKind::Consultation, id.into()).await?;
        Ok(ConsultationView::at(c, now).counted(n))
    }

    /// Publishes the report and notifies every signed-in resident who gave an opinion.
    ///
    /// # Errors
    /// Forbidden; invalid text; not found; not closed yet; already published.
    #[tracing::instrument(skip_all, fields(org = %org.id, id = %id))]
    pub async fn publish_report(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: ConsultationId,
        report: LocalizedText,
    ) -> Result<ConsultationView, ConsultationError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let text = text("text", report, org, REPORT_MAX)?;
        let now = self.clock.now();
        let org_id = org.id;
        let mut c = self.load(org_id, id).await?;
        match c.status(now) {
            Status::Planned | Status::Open => return Err(ConsultationError::NotClosedYet),
            Status::ReportPublished => return Err(ConsultationError::ReportAlreadyPublished),
            Status::Closed => {}
        }
        let previous = c.updated_at;
        let before = c.clone();
        c.report = Some(Report { text, published_at: now });
        c.updated_at = Version::next_after(previous, now);
        // The report and its notices are one unit of work: published with every notice, or not at all.
        let tx = self.repo.begin().await?;
        tx.update_consultation(&c, previous).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ConsultationError::Stale,
            other => other.into(),
        })?;
        Audit::new(org_id, actor, "consultation.report_published", ("consultation", c.id), now)
            .updated(&before, &c)
            .record(&*tx)
            .await?;
        // Everyone who gave an opinion hears of it, following or not; so do the followers.
        let payload = serde_json::json!({"consultation_id": c.id, "title": c.title});
        let event =
            DomainEvent::new(note::CONSULTATION_REPORT_PUBLISHED, org_id, Followable::Consultation, c.id, payload)
                .by(caller.user_id())
                .also(tx.opinion_authors(c.id).await?);
        publish(&*tx, &event, now).await?;
        tx.commit().await?;
        let n = count_on(self.repo.as_ref(), TargetKind::Consultation, id.into()).await?;
        Ok(ConsultationView::at(c, now).counted(n))
    }

    /// Takes an opinion while the consultation is open.
    ///
    /// # Errors
    /// Not open (409); anonymous where not allowed; unknown section.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn submit_opinion(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        cmd: SubmitOpinion,
    ) -> Result<Opinion, ConsultationError> {
        let now = self.clock.now();
        let c = self.load(org_id, id).await?;
        let status = c.status(now);
        if status != Status::Open {
            return Err(ConsultationError::NotOpen(status.as_str()));
        }
        let author = match caller {
            Caller::User(_) => {
                let p = caller.authorize(org_id, Action::Participate)?;
                let display_name = self.repo.user_by_id(p.user_id).await?.map(|u| u.display_name).unwrap_or_default();
                Author::User { id: p.user_id, display_name }
            }
            Caller::Anonymous => {
                if !c.allow_anonymous {
                    return Err(ConsultationError::AnonymousNotAllowed);
                }
                let email = cmd.email.ok_or(ConsultationError::EmailRequired)?;
                Author::Anonymous { email: email.as_str().to_owned() }
            }
        };
        if let Some(s) = &cmd.section
            && !c.sections.iter().any(|x| &x.key == s)
        {
            return Err(ConsultationError::UnknownSection(s.clone()));
        }
        let o = Opinion {
            id: Uuid::now_v7(),
            consultation_id: c.id,
            author,
            section: cmd.section,
            text: cmd.text,
            answer: None,
            answered_at: None,
            hidden: false,
            created_at: now,
        };
        // A signed-in author follows the consultation (to hear of its report), in the same unit of
        // work as the opinion.
        let tx = self.repo.begin().await?;
        tx.add_opinion(&o).await?;
        if let Author::User { id: user, .. } = &o.author {
            let follow = Follow {
                user_id: *user,
                org_id,
                target: Followable::Consultation,
                target_id: c.id.into(),
                created_at: now,
            };
            tx.follow(&follow).await?;
        }
        tx.commit().await?;
        Ok(o)
    }

    /// Opinions as the caller may see them: everyone sees public ones (not hidden), staff all.
    ///
    /// # Errors
    /// Forbidden for non-staff when opinions are staff-only.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn opinions(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        page: PageRequest,
    ) -> Result<(Page<Opinion>, bool), ConsultationError> {
        let c = self.load(org_id, id).await?;
        let staff = caller.is_staff_of(org_id);
        if !c.opinions_public && !staff {
            return Err(match caller {
                Caller::Anonymous => AuthzError::Unauthenticated.into(),
                Caller::User(_) => AuthzError::Forbidden.into(),
            });
        }
        Ok((self.repo.opinions(c.id, staff, page).await?, staff))
    }

    /// Staff answer an opinion (or change the answer); moderators may hide or restore it.
    ///
    /// # Errors
    /// Forbidden; not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn respond(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: ConsultationId,
        opinion_id: Uuid,
        change: OpinionChange,
    ) -> Result<Opinion, ConsultationError> {
        let now = self.clock.now();
        let OpinionChange { answer, hidden } = change;
        let c = self.load(org_id, id).await?;
        if answer.is_some() {
            caller.authorize(org_id, Action::WriteContent)?;
        }
        if hidden.is_some() {
            caller.authorize(org_id, Action::Moderate)?;
        }
        if answer.is_none() && hidden.is_none() {
            caller.authorize(org_id, Action::SeeStaffView)?;
        }
        let mut o = self.repo.opinion(c.id, opinion_id).await?.ok_or(ConsultationError::OpinionNotFound)?;
        let (answer_before, hidden_before) = (o.answer.clone(), o.hidden);
        let answered = answer.as_ref().is_some_and(|a| o.answer.as_ref() != Some(a));
        if let Some(a) = answer {
            o.answer = Some(a);
            o.answered_at = Some(now);
        }
        if let Some(h) = hidden {
            o.hidden = h;
        }
        // The answer and the author's notice are one unit of work.
        let tx = self.repo.begin().await?;
        tx.update_opinion(&o).await?;
        if let Some(actor) = caller.user_id()
            && (o.answer != answer_before || o.hidden != hidden_before)
        {
            // The log names the opinion, never its author.
            let action = if o.hidden == hidden_before { "opinion.answered" } else { "opinion.moderated" };
            Audit::new(org_id, actor, action, ("opinion", o.id), now)
                .change("answer", &answer_before, &o.answer)
                .change("hidden", hidden_before, o.hidden)
                .context("consultation_id", c.id)
                .record(&*tx)
                .await?;
        }
        if answered && let Author::User { id: author, .. } = &o.author {
            let payload = serde_json::json!({
                "consultation_id": c.id, "opinion_id": o.id, "title": c.title, "answer": o.answer,
            });
            let event = DomainEvent::new(note::OPINION_ANSWERED, org_id, Followable::Consultation, c.id, payload)
                .by(caller.user_id())
                .only_to([*author]);
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn org() -> Organisation {
        Organisation::speaking(&[Locale::Sk, Locale::En])
    }

    fn sk(s: &str) -> LocalizedText {
        LocalizedText::from([(Locale::Sk, s)])
    }

    fn new_consultation() -> NewConsultation {
        NewConsultation {
            title: sk("Rozpočet 2027"),
            summary: LocalizedText::default(),
            body: LocalizedText::default(),
            subject: Subject::DraftAct,
            documents: vec![Document { title: sk("Návrh"), url: "https://mesto.sk/navrh.pdf".into() }],
            sections: vec![
                Section { key: "§1".into(), title: sk("Úvod") },
                Section { key: "§2".into(), title: sk("Zásady") },
            ],
            opens_at: t("2026-03-01T00:00:00Z"),
            closes_at: t("2026-03-31T00:00:00Z"),
            allow_anonymous: false,
            opinions_public: true,
            survey_id: None,
            about: None,
        }
    }

    fn field(e: ConsultationError) -> String {
        match e {
            ConsultationError::Invalid { field, .. } => field,
            other => panic!("expected an invalid field, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_consultation_is_built_for_the_organisation() {
        let org = org();
        let now = t("2026-02-01T00:00:00Z");
        let c = new_consultation().check(&org, now).unwrap();
        assert_eq!(c.org_id, org.id);
        assert_eq!((c.created_at, c.updated_at), (now, now));
        assert_eq!(c.status(now), Status::Planned);
        assert_eq!(c.report, None);
    }

    #[test]
    fn a_text_in_a_language_the_organisation_does_not_use_is_refused_naming_its_locale() {
        let mut n = new_consultation();
        n.title.insert(Locale::Pl, "Budżet 2027");
        assert_eq!(field(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), "title.pl");

        let mut n = new_consultation();
        n.sections[1].title = LocalizedText::from([(Locale::En, "Principles")]);
        assert_eq!(field(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), "sections[1].title.sk");

        let mut n = new_consultation();
        n.documents[0].title = sk(&"x".repeat(301));
        assert_eq!(field(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), "documents[0].title.sk");
    }

    #[test]
    fn a_section_key_used_twice_is_refused() {
        let mut n = new_consultation();
        n.sections[1].key = "§1".into();
        let e = n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err();
        assert_eq!(e, ConsultationError::Invalid { field: "sections[1].key".into(), message: "is used twice".into() });
    }

    #[test]
    fn a_consultation_closing_before_it_opens_is_refused_on_closes_at() {
        let mut n = new_consultation();
        n.closes_at = t("2026-02-15T00:00:00Z");
        assert_eq!(field(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), "closes_at");
    }

    #[test]
    fn the_period_moves_while_planned_and_is_locked_once_open() {
        let org = org();
        let mut c = new_consultation().check(&org, t("2026-02-01T00:00:00Z")).unwrap();
        let later = ConsultationChanges { closes_at: Some(t("2026-04-07T00:00:00Z")), ..Default::default() };

        later.clone().apply(&mut c, &org, t("2026-02-20T00:00:00Z")).unwrap();
        assert_eq!(c.period.closes_at(), t("2026-04-07T00:00:00Z"));
        assert_eq!(c.period.opens_at(), t("2026-03-01T00:00:00Z"), "the other date is kept");

        let before = c.clone();
        let moved = ConsultationChanges { closes_at: Some(t("2026-04-14T00:00:00Z")), ..Default::default() };
        assert_eq!(moved.apply(&mut c, &org, t("2026-03-05T00:00:00Z")), Err(ConsultationError::PeriodLocked));
        assert_eq!(c, before, "nothing changed");

        let same = ConsultationChanges { title: Some(sk("Rozpočet 2027 (oprava)")), ..later };
        same.apply(&mut c, &org, t("2026-03-05T00:00:00Z")).unwrap();
        assert_eq!(c.title, sk("Rozpočet 2027 (oprava)"), "texts change while open; the same period is no move");
    }

    #[test]
    fn a_change_is_checked_like_a_new_consultation() {
        let org = org();
        let mut c = new_consultation().check(&org, t("2026-02-01T00:00:00Z")).unwrap();
        let before = c.clone();
        let early = ConsultationChanges { closes_at: Some(t("2026-02-10T00:00:00Z")), ..Default::default() };
        assert_eq!(field(early.apply(&mut c, &org, t("2026-02-02T00:00:00Z")).unwrap_err()), "closes_at");
        let blank = ConsultationChanges { title: Some(sk("  ")), ..Default::default() };
        assert_eq!(field(blank.apply(&mut c, &org, t("2026-02-02T00:00:00Z")).unwrap_err()), "title.sk");
        let cleared = ConsultationChanges { summary: Some(LocalizedText::default()), ..Default::default() };
        cleared.apply(&mut c, &org, t("2026-02-02T00:00:00Z")).unwrap();
        assert_eq!(c, before);
    }
}
