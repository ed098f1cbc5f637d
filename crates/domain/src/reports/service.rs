//! The report use cases: residents file and support reports, staff manage categories and answer
//! with status changes, anyone reads public reports, their histories and the statistics. Each use
//! case decides authorization first and reads the time from the clock; each that writes several
//! rows writes them through one unit of work, with the staff change in the audit log.

use crate::audit::Audit;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::rules::{ReportKind, Stats, Status, check_transition, is_overdue};
use super::{Category, Overdue, Report, ReportError, ReportFilter, ReportOrder, StatusEntry, invalid};
use crate::auth::{Action, Caller};
use crate::clock::Clock;
use crate::i18n::LocalizedText;
use crate::ids::{OrgId, ReportCategoryId, ReportId, UserId};
use crate::notifications::{DomainEvent, Follow, Followable, kind as note, publish};
use crate::org::Organisation;
use crate::repo::{Page, PageRequest, RepoError, Store};
use crate::version::Version;

const TITLE_MIN: usize = 3;
const TITLE_MAX: usize = 150;
const DESCRIPTION_MAX: usize = 5000;
const ADDRESS_MAX: usize = 300;
const ANSWER_MAX: usize = 5000;
const CATEGORY_NAME_MAX: usize = 200;
const DEPARTMENT_MAX: usize = 200;
/// The longest deadline to answer, in days.
const ANSWER_DAYS_MAX: u32 = 365;

/// A new category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub name: LocalizedText,
    pub department: String,
    pub answer_days: u32,
}

/// Changes to a category: `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryChanges {
    pub name: Option<LocalizedText>,
    pub department: Option<String>,
    pub answer_days: Option<u32>,
}

/// A resident's new report or proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub kind: ReportKind,
    pub category_id: ReportCategoryId,
    pub title: String,
    pub description: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    pub show_name: bool,
}

/// A staff member's status change with its public answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: Status,
    pub answer: LocalizedText,
    /// The original, for `duplicate`.
    pub duplicate_of: Option<ReportId>,
}

/// What the public list selects and how it orders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQuery {
    pub category: Option<ReportCategoryId>,
    pub status: Option<Status>,
    pub kind: Option<ReportKind>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Full-text `?q=`.
    pub text: Option<String>,
    /// `newest` (the default), `oldest` or `supported` (most supported first).
    pub sort: Option<String>,
}

/// A report as the caller sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub report: Report,
    /// The author's name when they chose to show it, or to staff; `None`: "a resident".
    pub author_name: Option<String>,
    /// Staff only: unanswered past the category's deadline.
    pub overdue: Option<bool>,
    /// When the first answer is due.
    pub answer_due: Option<DateTime<Utc>>,
    /// The caller filed it.
    pub mine: bool,
}

/// A report with its history and what the caller did with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDetail {
    pub view: ReportView,
    pub history: Vec<StatusEntry>,
    pub supported: bool,
    /// Visible comments on it.
    pub comment_count: u64,
}

/// The report use cases.
pub struct ReportService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

fn plain(field: &str, s: &str, min: usize, max: usize) -> Result<String, ReportError> {
    let t = s.trim();
    let n = t.chars().count();
    if n < min.max(1) {
        return Err(invalid(
            field,
            if min > 1 { format!("needs at least {min} characters") } else { "is blank".into() },
        ));
    }
    if n > max {
        return Err(invalid(field, format!("is longer than {max} characters")));
    }
    Ok(t.to_owned())
}

fn check_category(
    org: &Organisation,
    name: LocalizedText,
    department: &str,
    days: u32,
) -> Result<(LocalizedText, String), ReportError> {
    let name = org.check_text("name", name, CATEGORY_NAME_MAX).map_err(|e| invalid(e.field, e.message))?;
    let department = plain("department", department, 1, DEPARTMENT_MAX)?;
    if days == 0 || days > ANSWER_DAYS_MAX {
        return Err(invalid("answer_days", format!("must be 1 to {ANSWER_DAYS_MAX} days")));
    }
    Ok((name, department))
}

/// Checks the place: coordinates given together, valid on Earth and in the organisation's area,
/// and at least coordinates or an address.
fn check_place(org: &Organisation, n: &NewReport) -> Result<Option<String>, ReportError> {
    let address = match n.address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Some(plain("address", a, 1, ADDRESS_MAX)?),
        None => None,
    };
    match (n.latitude, n.longitude) {
        (None, None) => {
            if address.is_none() {
                return Err(invalid("location", "give coordinates, an address, or both"));
            }
        }
        (Some(lat), Some(lon)) => {
            if !lat.is_finite() || lat.abs() > 90.0 {
                return Err(invalid("latitude", "must be between -90 and 90"));
            }
            if !lon.is_finite() || lon.abs() > 180.0 {
                return Err(invalid("longitude", "must be between -180 and 180"));
            }
            if let Some(area) = &org.area
                && !area.contains(lat, lon)
            {
                return Err(invalid("location", "is outside the organisation's area"));
            }
        }
        (Some(_), None) => return Err(invalid("longitude", "is needed with the latitude")),
        (None, Some(_)) => return Err(invalid("latitude", "is needed with the longitude")),
    }
    Ok(address)
}

impl ReportService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ReportService { store, clock }
    }

    async fn categories_by_id(&self, org_id: OrgId) -> Result<HashMap<ReportCategoryId, Category>, ReportError> {
        Ok(self.store.report_categories(org_id).await?.into_iter().map(|c| (c.id, c)).collect())
    }

    fn view(&self, caller: &Caller, r: Report, days: u32, now: DateTime<Utc>) -> ReportView {
        let staff = caller.is_staff_of(r.org_id);
        let mine = caller.user_id() == Some(r.author_id);
        ReportView {
            author_name: (r.show_name || staff || mine).then(|| r.author_name.clone()),
            overdue: staff.then(|| is_overdue(r.status, r.created_at, days, now)),
            answer_due: Some(r.created_at + Duration::days(i64::from(days))),
            mine,
            report: r,
        }
    }

    async fn load(&self, org_id: OrgId, id: ReportId) -> Result<Report, ReportError> {
        self.store.report(org_id, id).await?.ok_or(ReportError::NotFound("report"))
    }

    /// The organisation's categories; public.
    ///
    /// # Errors
    /// The database failed.
    pub async fn categories(&self, org_id: OrgId) -> Result<Vec<Category>, ReportError> {
        Ok(self.store.report_categories(org_id).await?)
    }

    /// Adds a category.
    ///
    /// # Errors
    /// Forbidden unless admin or official; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create_category(
        &self,
        caller: &Caller,
        org: &Organisation,
        n: NewCategory,
    ) -> Result<Category, ReportError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        let (name, department) = check_category(org, n.name, &n.department, n.answer_days)?;
        let now = self.clock.now();
        let c = Category {
            id: ReportCategoryId::new_v7(),
            org_id: org.id,
            name,
            department,
            answer_days: n.answer_days,
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_report_category(&c).await?;
        Audit::new(org.id, actor.user_id, "report_category.created", ("report_category", c.id), now)
            .created(&category_public(&c))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Changes a category.
    ///
    /// # Errors
    /// Forbidden; not found; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, id = %id))]
    pub async fn update_category(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: ReportCategoryId,
        ch: CategoryChanges,
    ) -> Result<Category, ReportError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let mut c = tx
            .report_categories(org.id)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(ReportError::NotFound("category"))?;
        let before = category_public(&c);
        let (name, department) = check_category(
            org,
            ch.name.unwrap_or_else(|| c.name.clone()),
            ch.department.as_deref().unwrap_or(&c.department),
            ch.answer_days.unwrap_or(c.answer_days),
        )?;
        c.name = name;
        c.department = department;
        c.answer_days = ch.answer_days.unwrap_or(c.answer_days);
        c.updated_at = Version::next_after(c.updated_at, now);
        tx.update_report_category(&c).await?;
        Audit::new(org.id, actor.user_id, "report_category.updated", ("report_category", c.id), now)
            .updated(&before, &category_public(&c))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Files a report or proposal. The same resident filing the same title again within a
    /// minute is refused (a double submit), checked in the unit of work that stores it.
    ///
    /// # Errors
    /// Unauthenticated; unknown category; invalid fields or a place outside the area;
    /// [`ReportError::DuplicateSubmission`].
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn file(&self, caller: &Caller, org: &Organisation, n: NewReport) -> Result<ReportDetail, ReportError> {
        let p = caller.authorize(org.id, Action::Participate)?;
        let title = plain("title", &n.title, TITLE_MIN, TITLE_MAX)?;
        let description = plain("description", &n.description, 1, DESCRIPTION_MAX)?;
        let address = check_place(org, &n)?;
        let categories = self.categories_by_id(org.id).await?;
        if !categories.contains_key(&n.category_id) {
            return Err(invalid("category_id", "is not a category of this organisation"));
        }
        let author_name = self.store.user_by_id(p.user_id).await?.map(|u| u.display_name).unwrap_or_default();
        let now = self.clock.now();
        let r = Report {
            id: ReportId::new_v7(),
            org_id: org.id,
            kind: n.kind,
            category_id: n.category_id,
            title,
            description,
            locale: org.default_locale,
            latitude: n.latitude,
            longitude: n.longitude,
            address,
            author_id: p.user_id,
            author_name,
            show_name: n.show_name,
            status: Status::Received,
            duplicate_of: None,
            support_count: 0,
            first_answer_at: None,
            resolved_at: None,
            created_at: now,
            updated_at: now,
        };
        let first = StatusEntry {
            id: Uuid::now_v7(),
            report_id: r.id,
            from: None,
            to: Status::Received,
            answer: LocalizedText::default(),
            duplicate_of: None,
            author_id: Some(p.user_id),
            created_at: now,
        };
        let tx = self.store.begin().await?;
        if tx.recent_report_titled(org.id, p.user_id, &r.title, now - Duration::minutes(1)).await? {
            return Err(ReportError::DuplicateSubmission);
        }
        tx.create_report(&r, &first).await?;
        // The author follows their report: its answers reach them.
        let follow = Follow {
            user_id: p.user_id,
            org_id: org.id,
            target: Followable::Report,
            target_id: r.id.into(),
            created_at: now,
        };
        tx.follow(&follow).await?;
        tx.commit().await?;
        let days = categories.get(&r.category_id).map_or(0, |c| c.answer_days);
        let view = self.view(caller, r, days, now);
        Ok(ReportDetail { view, history: vec![first], supported: false, comment_count: 0 })
    }

    /// A page of the organisation's reports, filtered and ordered; public.
    ///
    /// # Errors
    /// An unknown sort or a bad `q` (422); the database failed.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn list(
        &self,
        caller: &Caller,
        org_id: OrgId,
        query: &ReportQuery,
        page: PageRequest,
    ) -> Result<Page<ReportView>, ReportError> {
        let only = crate::search::list_matches(
            self.store.as_ref(),
            org_id,
            crate::search::Kind::Report,
            query.text.as_deref(),
            |m| invalid("q", m),
        )
        .await?;
        let order = match query.sort.as_deref() {
            None | Some("newest") => ReportOrder::Newest,
            Some("oldest") => ReportOrder::Oldest,
            Some("supported") => ReportOrder::Supported,
            Some(_) => return Err(invalid("sort", "must be newest, oldest or supported")),
        };
        let filter = ReportFilter {
            category: query.category,
            statuses: query.status.into_iter().collect(),
            kind: query.kind,
            from: query.from,
            to: query.to,
            only,
            ..ReportFilter::default()
        };
        let items = self.store.reports_page(org_id, &filter, order, page).await?;
        let now = self.clock.now();
        Ok(items.map(|(r, days)| self.view(caller, r, days, now)))
    }

    /// The staff queue: open reports (received, accepted, in progress), of one department when
    /// given, overdue first, then oldest first.
    ///
    /// # Errors
    /// Forbidden unless staff.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn queue(
        &self,
        caller: &Caller,
        org_id: OrgId,
        department: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<ReportView>, ReportError> {
        caller.authorize(org_id, Action::SeeStaffView)?;
        let now = self.clock.now();
        let categories = self.categories_by_id(org_id).await?;
        let overdue = Overdue {
            cutoffs: categories.values().map(|c| (c.id, now - Duration::days(i64::from(c.answer_days)))).collect(),
        };
        let base = ReportFilter {
            statuses: Status::OPEN.to_vec(),
            categories: department.map(|d| categories.values().filter(|c| c.department == d).map(|c| c.id).collect()),
            ..ReportFilter::default()
        };
        let group = |late: bool| ReportFilter { overdue: Some((late, overdue.clone())), ..base.clone() };
        // Overdue first, then the others, each oldest first: the cursor's report says which group
        // the page continues.
        let after_late = match page.after {
            Some(after) => match self.store.report(org_id, after.into()).await? {
                Some(r) => {
                    let days = categories.get(&r.category_id).map_or(0, |c| c.answer_days);
                    is_overdue(r.status, r.created_at, days, now)
                }
                None => false,
            },
            None => true,
        };
        let mut items = Vec::new();
        let mut total = 0;
        let mut next_after = None;
        let late = self.store.reports_page(org_id, &group(true), ReportOrder::Oldest, page).await?;
        total += late.total;
        if after_late {
            next_after = late.next_after;
            items = late.items;
        }
        let rest_page = if after_late { PageRequest { limit: page.limit, after: None } } else { page };
        let rest = self.store.reports_page(org_id, &group(false), ReportOrder::Oldest, rest_page).await?;
        total += rest.total;
        if next_after.is_none() {
            let room = usize::try_from(page.limit).unwrap_or(usize::MAX).saturating_sub(items.len());
            let more = rest.items.len() > room || rest.next_after.is_some();
            items.extend(rest.items.into_iter().take(room));
            if more {
                next_after = items.last().map(|(r, _)| r.id.into());
            }
        }
        let items = items.into_iter().map(|(r, days)| self.view(caller, r, days, now)).collect();
        Ok(Page { items, next_after, total })
    }

    /// One report with its history; public.
    ///
    /// # Errors
    /// Not found (also for another organisation's id).
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn get(&self, caller: &Caller, org_id: OrgId, id: ReportId) -> Result<ReportDetail, ReportError> {
        // The report, its comment count, the reader's support, its category's answer days and its
        // history in one statement.
        let read =
            self.store.report_read(org_id, id, caller.user_id()).await?.ok_or(ReportError::NotFound("report"))?;
        let view = self.view(caller, read.report, read.answer_days, self.clock.now());
        Ok(ReportDetail { view, history: read.history, supported: read.supported, comment_count: read.comment_count })
    }

    /// Staff change the status with a public answer: a new line of the history, and a line of
    /// the audit log, in one unit of work.
    ///
    /// # Errors
    /// Forbidden unless admin or official; not found; a move the graph does not allow (409);
    /// a blank answer, or a duplicate without an original of the same organisation (422).
    #[tracing::instrument(skip_all, fields(org = %org.id, id = %id))]
    pub async fn transition(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: ReportId,
        t: Transition,
    ) -> Result<ReportDetail, ReportError> {
        self.record(caller, org, id, Some(t.to), t.answer, t.duplicate_of).await
    }

    /// Staff answer publicly without changing the status (a clarification, news of the work): a
    /// new line of the history from the status to itself, told to the author and followers like
    /// a status change, and the first answer when it is the first. Any status may be answered.
    ///
    /// # Errors
    /// Forbidden unless admin or official; not found; a blank answer (422).
    #[tracing::instrument(skip_all, fields(org = %org.id, id = %id))]
    pub async fn answer(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: ReportId,
        answer: LocalizedText,
    ) -> Result<ReportDetail, ReportError> {
        self.record(caller, org, id, None, answer, None).await
    }

    /// A line of the history: a move to `to`, or (`None`) an answer in the current status.
    async fn record(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: ReportId,
        to: Option<Status>,
        answer: LocalizedText,
        duplicate_of: Option<ReportId>,
    ) -> Result<ReportDetail, ReportError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?;
        let answer = org.check_text("answer", answer, ANSWER_MAX).map_err(|e| invalid(e.field, e.message))?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let mut r = tx.report(org.id, id).await?.ok_or(ReportError::NotFound("report"))?;
        let Some(to) = to else {
            let previous = r.updated_at;
            let status = r.status;
            r.first_answer_at.get_or_insert(now);
            r.updated_at = Version::next_after(previous, now);
            return self.save_line(caller, tx, actor.user_id, org.id, r, previous, status, answer, now).await;
        };
        check_transition(r.status, to).map_err(ReportError::InvalidTransition)?;
        let duplicate_of = match (to, duplicate_of) {
            (Status::Duplicate, None) => return Err(invalid("duplicate_of", "name the original report")),
            (Status::Duplicate, Some(original)) => {
                if original == r.id {
                    return Err(invalid("duplicate_of", "a report cannot duplicate itself"));
                }
                match tx.report(org.id, original).await? {
                    None => return Err(invalid("duplicate_of", "is not a report of this organisation")),
                    Some(o) if o.status == Status::Duplicate => {
                        return Err(invalid("duplicate_of", "is itself a duplicate; name its original"));
                    }
                    Some(_) => Some(original),
                }
            }
            (_, Some(_)) => return Err(invalid("duplicate_of", "only a duplicate names an original")),
            (_, None) => None,
        };
        let previous = r.updated_at;
        let from = r.status;
        r.status = to;
        r.duplicate_of = duplicate_of;
        r.first_answer_at.get_or_insert(now);
        r.resolved_at = (to == Status::Resolved).then_some(now);
        r.updated_at = Version::next_after(previous, now);
        self.save_line(caller, tx, actor.user_id, org.id, r, previous, from, answer, now).await
    }

    /// Saves the report (changed from `from`), appends its history line with the answer, audits
    /// and tells the author and followers, then commits.
    #[allow(clippy::too_many_arguments)]
    async fn save_line(
        &self,
        caller: &Caller,
        tx: Box<dyn crate::repo::UnitOfWork>,
        actor: UserId,
        org_id: OrgId,
        r: Report,
        previous: DateTime<Utc>,
        from: Status,
        answer: LocalizedText,
        now: DateTime<Utc>,
    ) -> Result<ReportDetail, ReportError> {
        let entry = StatusEntry {
            id: Uuid::now_v7(),
            report_id: r.id,
            from: Some(from),
            to: r.status,
            answer,
            duplicate_of: r.duplicate_of,
            author_id: Some(actor),
            created_at: now,
        };
        tx.change_report_status(&r, previous, &entry).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ReportError::Stale,
            other => other.into(),
        })?;
        let (action, to) =
            if from == r.status { ("report.answered", from) } else { ("report.status_changed", r.status) };
        // The log names the report, never the resident who filed it.
        Audit::new(org_id, actor, action, ("report", r.id), now)
            .change("status", from.as_str(), to.as_str())
            .change("answer", serde_json::Value::Null, &entry.answer)
            .context("duplicate_of", r.duplicate_of)
            .record(&*tx)
            .await?;
        // The author hears of it whether they still follow or not; so do the followers.
        let payload = serde_json::json!({
            "report_id": r.id, "title": r.title, "from": from.as_str(), "to": to.as_str(), "answer": entry.answer,
        });
        let event = DomainEvent::new(note::REPORT_STATUS_CHANGED, org_id, Followable::Report, r.id, payload)
            .by(Some(actor))
            .also([r.author_id]);
        publish(&*tx, &event, now).await?;
        tx.commit().await?;
        self.get(caller, org_id, r.id).await
    }

    /// A resident supports ("me too") a report, once: a repeat changes nothing. The new count.
    ///
    /// # Errors
    /// Unauthenticated; not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn support(&self, caller: &Caller, org_id: OrgId, id: ReportId) -> Result<u64, ReportError> {
        let p = caller.authorize(org_id, Action::Participate)?;
        let r = self.load(org_id, id).await?;
        Ok(self.store.support_report(r.id, p.user_id, self.clock.now()).await?)
    }

    /// A resident withdraws their support; withdrawing a support they did not give changes
    /// nothing. The new count.
    ///
    /// # Errors
    /// Unauthenticated; not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, id = %id))]
    pub async fn unsupport(&self, caller: &Caller, org_id: OrgId, id: ReportId) -> Result<u64, ReportError> {
        let p = caller.authorize(org_id, Action::Participate)?;
        let r = self.load(org_id, id).await?;
        Ok(self.store.unsupport_report(r.id, p.user_id).await?)
    }

    /// The statistics (see [`super::rules`]); public.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn stats(&self, org: &Organisation) -> Result<(Stats, Vec<Category>), ReportError> {
        let categories = self.store.report_categories(org.id).await?;
        let times = self.store.report_times(org.id).await?;
        Ok((super::rules::stats(&times, &categories, org.time_zone.tz()), categories))
    }
}

/// A report category's public fields, as the log compares them.
fn category_public(c: &Category) -> serde_json::Value {
    serde_json::json!({ "name": c.name, "department": c.department, "answer_days": c.answer_days })
}
