//! The meeting use cases: staff schedule, edit, cancel and minute meetings; residents register
//! (with capacity and a waiting list) and co-own follow-up activities. Each use case decides
//! authorization first, reads the time from the clock, and makes every write of one use case
//! through one unit of work.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::audit::Audit;
use crate::ids::{MeetingId, OrgId};

use super::records::{Activity, AgendaItem, Attachment, Link, Meeting, MeetingFilter, Registration, SignUp};
use super::rules::{
    self, Kind, RegistrationError, RegistrationRules, RegistrationStatus, Status, TransitionError, VenueError, Window,
};
use crate::auth::{Action, AuthzError, Caller};
use crate::clock::Clock;
use crate::comments::{TargetKind, count_on};
use crate::i18n::LocalizedText;
use crate::notifications::{DomainEvent, Follow, Followable, kind as note, publish};
use crate::org::Organisation;
use crate::repo::{Page, PageRequest, RepoError, Repos, Store};
use crate::version::Version;

/// Why a meeting use case failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeetingError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `meeting`, `registration`, `activity`, `co-ownership`.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the meeting was changed by someone else; reload and try again")]
    Stale,
    /// No seat left; `waiting_list` says whether the meeting offers one to join.
    #[error("the meeting is full")]
    Full { waiting_list: bool },
    #[error("you are already registered")]
    AlreadyRegistered,
    #[error("{0}")]
    RegistrationClosed(RegistrationError),
    #[error("minutes come after the meeting has started")]
    NotHeld,
    #[error("{0}")]
    InvalidTransition(TransitionError),
    #[error("you are already a co-owner of this activity")]
    AlreadyCoOwner,
    /// A field breaks a rule: its path in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(MeetingError);

impl From<RepoError> for MeetingError {
    fn from(e: RepoError) -> Self {
        MeetingError::Repo(e)
    }
}

fn invalid(field: impl Into<String>, message: impl ToString) -> MeetingError {
    MeetingError::Invalid { field: field.into(), message: message.to_string() }
}

/// The most resources one meeting links to.
pub const MAX_LINKS: usize = 20;

/// The kinds of resource a meeting links to, as `Link::kind` spells them.
pub const LINK_KINDS: [&str; 4] = ["action_plan", "commitment", "consultation", "budget"];

/// A new meeting, in domain types; texts are checked against the organisation's locales.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeeting {
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub kind: Kind,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: Option<String>,
    pub link_for_registrants_only: bool,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub organiser: String,
    pub agenda: Vec<AgendaItem>,
    pub links: Vec<Link>,
    pub registration: RegistrationRules,
}

/// Changes to a meeting: `None` keeps a field. `capacity: Some(None)` makes it unlimited,
/// `registration_deadline: Some(None)` removes the deadline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingChanges {
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub kind: Option<Kind>,
    pub address: Option<String>,
    pub online_url: Option<String>,
    pub link_for_registrants_only: Option<bool>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub organiser: Option<String>,
    pub agenda: Option<Vec<AgendaItem>>,
    pub links: Option<Vec<Link>>,
    pub registration_open: Option<bool>,
    pub capacity: Option<Option<u32>>,
    pub registration_deadline: Option<Option<DateTime<Utc>>>,
    pub waiting_list: Option<bool>,
}

/// Minutes and outputs; the HTML of the minutes is sanitised before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesInput {
    pub minutes: LocalizedText,
    pub attendance: Option<u32>,
    pub attachments: Vec<Attachment>,
}

/// A new follow-up activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub title: LocalizedText,
    pub description: LocalizedText,
}

/// What the meeting list selects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    pub linked: Option<Uuid>,
    /// Only meetings that have not ended yet.
    pub upcoming: bool,
    /// Full-text `?q=`.
    pub text: Option<String>,
    /// `starts_at` (the default, soonest first) or `-starts_at` (latest first).
    pub sort: Option<String>,
}

/// The caller's own registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MyRegistration {
    pub status: RegistrationStatus,
    /// Place on the waiting list (1 = next), when waitlisted.
    pub position: Option<u32>,
}

/// What the caller may do with a meeting, by the same decision the use cases make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct MeetingCan {
    /// Edit the meeting (admins and officials).
    pub edit: bool,
    /// Cancel it or mark it held (admins and officials).
    pub cancel: bool,
    /// Register (any signed-in user acting).
    pub register: bool,
    /// Publish minutes and outputs (admins and officials).
    pub record_minutes: bool,
    /// See and export the registrations (any staff role).
    pub see_registrations: bool,
}

impl MeetingCan {
    /// Each flag is the [`Caller::authorize`] decision of the use case it stands for.
    #[must_use]
    pub fn of(caller: &Caller, org_id: OrgId) -> Self {
        let writer = caller.authorize(org_id, Action::WriteContent).is_ok();
        MeetingCan {
            edit: writer,
            cancel: writer,
            register: caller.authorize(org_id, Action::Participate).is_ok(),
            record_minutes: writer,
            see_registrations: caller.authorize(org_id, Action::SeeStaffView).is_ok(),
        }
    }
}

/// A meeting as the caller sees it: the online link removed when it is for registrants only and
/// the caller is neither staff nor confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingView {
    pub meeting: Meeting,
    pub waitlisted: u32,
    pub mine: Option<MyRegistration>,
    pub can: MeetingCan,
    /// Visible comments on it.
    pub comment_count: u64,
}

fn text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, MeetingError> {
    org.check_text(field, t, max).map_err(|e| invalid(e.field, e.message))
}

fn optional_text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, MeetingError> {
    org.check_optional_text(field, t, max).map_err(|e| invalid(e.field, e.message))
}

fn agenda(list: Vec<AgendaItem>, org: &Organisation) -> Result<Vec<AgendaItem>, MeetingError> {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(AgendaItem {
                title: text(&format!("agenda[{i}].title"), a.title, org, 300)?,
                duration_minutes: a.duration_minutes,
            })
        })
        .collect()
}

fn window(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Window, MeetingError> {
    Window::new(starts_at, ends_at).map_err(|e| invalid("ends_at", e))
}

fn venue(kind: Kind, address: Option<&String>, link: Option<&String>) -> Result<(), MeetingError> {
    kind.check_venue(address.is_some(), link.is_some()).map_err(|e| match e {
        VenueError::AddressRequired => invalid("address", e),
        VenueError::LinkRequired => invalid("online_url", e),
    })
}

/// Removes scripts, styles and event handlers from each locale's HTML.
fn sanitised(mut html: LocalizedText) -> LocalizedText {
    for l in html.locales() {
        if let Some(clean) = html.get(l).map(ammonia::clean) {
            html.insert(l, clean);
        }
    }
    html
}

/// The meeting use cases.
pub struct MeetingService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl MeetingService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        MeetingService { store, clock }
    }

    /// What `caller` may do with the meetings of `org_id` (the `can` flags of a response).
    #[must_use]
    pub fn can(&self, caller: &Caller, org_id: OrgId) -> MeetingCan {
        MeetingCan::of(caller, org_id)
    }

    async fn load<R: Repos + ?Sized>(repo: &R, org_id: OrgId, id: MeetingId) -> Result<Meeting, MeetingError> {
        repo.meeting(org_id, id).await?.ok_or(MeetingError::NotFound("meeting"))
    }

    async fn my_registration(&self, caller: &Caller, m: &Meeting) -> Result<Option<MyRegistration>, MeetingError> {
        let Some(user) = caller.user_id() else { return Ok(None) };
        let Some(r) = self.store.registration_of(m.id, user).await? else { return Ok(None) };
        let position = if r.status == RegistrationStatus::Waitlisted {
            let all = self.store.registrations(m.id).await?;
            all.iter()
                .filter(|x| x.status == RegistrationStatus::Waitlisted)
                .position(|x| x.user_id == user)
                .and_then(|p| u32::try_from(p + 1).ok())
        } else {
            None
        };
        Ok(Some(MyRegistration { status: r.status, position }))
    }

    /// The meeting as `caller` sees it, with the counts and their own registration.
    async fn view(&self, caller: &Caller, m: Meeting) -> Result<MeetingView, MeetingError> {
        let n = count_on(self.store.as_ref(), TargetKind::Meeting, m.id.into()).await?;
        self.view_counted(caller, m, n).await
    }

    /// [`Self::view`] with the comment count already known (lists count a page at once).
    async fn view_counted(&self, caller: &Caller, m: Meeting, comment_count: u64) -> Result<MeetingView, MeetingError> {
        let waitlisted = self.store.waitlisted_count(m.id).await?;
        self.view_with(caller, m, comment_count, waitlisted).await
    }

    async fn view_with(
        &self,
        caller: &Caller,
        mut m: Meeting,
        comment_count: u64,
        waitlisted: u32,
    ) -> Result<MeetingView, MeetingError> {
        let mine = self.my_registration(caller, &m).await?;
        let show_link = !m.link_for_registrants_only
            || caller.is_staff_of(m.org_id)
            || mine.is_some_and(|r| r.status == RegistrationStatus::Confirmed);
        if !show_link {
            m.online_url = None;
        }
        let can = MeetingCan::of(caller, m.org_id);
        Ok(MeetingView { meeting: m, waitlisted, mine, can, comment_count })
    }

    /// A page of meetings, by start time; `upcoming` keeps those not ended by now.
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn list(
        &self,
        caller: &Caller,
        org_id: OrgId,
        q: MeetingQuery,
        page: PageRequest,
    ) -> Result<Page<MeetingView>, MeetingError> {
        let now = self.clock.now();
        let from = if q.upcoming { Some(q.from.map_or(now, |x| x.max(now))) } else { q.from };
        let descending = match q.sort.as_deref() {
            None | Some("starts_at") => false,
            Some("-starts_at") => true,
            Some(_) => return Err(invalid("sort", "must be starts_at or -starts_at")),
        };
        let only = crate::search::list_matches(
            self.store.as_ref(),
            org_id,
            crate::search::Kind::Meeting,
            q.text.as_deref(),
            |m| invalid("q", m),
        )
        .await?;
        let filter =
            MeetingFilter { from, to: q.to, kind: q.kind, status: q.status, linked: q.linked, only, descending };
        // Each meeting comes with its comment count and waiting list, in the statement of the page.
        let found = self.store.meetings_counted(org_id, &filter, page).await?;
        let mut items = Vec::with_capacity(found.items.len());
        for c in found.items {
            items.push(self.view_with(caller, c.meeting, c.comments, c.waitlisted).await?);
        }
        Ok(Page { items, next_after: found.next_after, total: found.total })
    }

    /// One meeting, public.
    ///
    /// # Errors
    /// Not found (also another organisation's id).
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id))]
    pub async fn get(&self, caller: &Caller, org_id: OrgId, id: MeetingId) -> Result<MeetingView, MeetingError> {
        let c = self.store.meeting_counted(org_id, id).await?.ok_or(MeetingError::NotFound("meeting"))?;
        self.view_with(caller, c.meeting, c.comments, c.waitlisted).await
    }

    /// The newest `limit` meetings by start, for the organisation's calendar feed (public).
    ///
    /// # Errors
    /// The database failed.
    #[tracing::instrument(skip_all, fields(org = %org_id))]
    pub async fn feed(&self, _caller: &Caller, org_id: OrgId, limit: u64) -> Result<Vec<Meeting>, MeetingError> {
        let page = self.store.meetings(org_id, &MeetingFilter::default(), PageRequest { limit, after: None }).await?;
        Ok(page.items)
    }

    /// Each link names an action plan, commitment, consultation or budget of this organisation
    /// (a draft one too: staff may link what they have not published yet), once, and there are at
    /// most [`MAX_LINKS`].
    async fn check_links(&self, org: &Organisation, links: &[Link]) -> Result<(), MeetingError> {
        if links.len() > MAX_LINKS {
            return Err(invalid("links", format!("a meeting links to at most {MAX_LINKS} resources")));
        }
        for (i, l) in links.iter().enumerate() {
            if links[..i].contains(l) {
                return Err(invalid(format!("links[{i}]"), "is listed twice"));
            }
            let exists = match l.kind.as_str() {
                "action_plan" => self.store.plan(org.id, l.id.into()).await?.is_some(),
                "commitment" => self.store.commitment(org.id, l.id.into()).await?.is_some(),
                "consultation" => self.store.consultation(org.id, l.id.into()).await?.is_some(),
                "budget" => self.store.budget(org.id, l.id.into()).await?.is_some(),
                _ => {
                    return Err(invalid(
                        format!("links[{i}].type"),
                        format!("must be one of {}", LINK_KINDS.join(", ")),
                    ));
                }
            };
            if !exists {
                return Err(invalid(
                    format!("links[{i}].id"),
                    format!("this organisation has no {} with this id", l.kind),
                ));
            }
        }
        Ok(())
    }

    /// Schedules a meeting.
    ///
    /// # Errors
    /// Forbidden unless admin or official; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create(
        &self,
        caller: &Caller,
        org: &Organisation,
        n: NewMeeting,
    ) -> Result<MeetingView, MeetingError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        venue(n.kind, n.address.as_ref(), n.online_url.as_ref())?;
        self.check_links(org, &n.links).await?;
        let now = self.clock.now();
        let m = Meeting {
            id: MeetingId::new_v7(),
            org_id: org.id,
            title: text("title", n.title, org, 200)?,
            description: optional_text("description", n.description, org, 10_000)?,
            kind: n.kind,
            address: n.address,
            latitude: n.latitude,
            longitude: n.longitude,
            online_url: n.online_url,
            link_for_registrants_only: n.link_for_registrants_only,
            window: window(n.starts_at, n.ends_at)?,
            organiser: n.organiser,
            agenda: agenda(n.agenda, org)?,
            links: n.links,
            status: Status::Scheduled,
            cancel_reason: None,
            registration: n.registration,
            confirmed_count: 0,
            minutes: None,
            attendance: None,
            attachments: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_meeting(&m).await?;
        Audit::new(org.id, actor, "meeting.created", ("meeting", m.id), now).created(&m).record(&*tx).await?;
        tx.commit().await?;
        self.view(caller, m).await
    }

    /// Applies `changes` if the version is still `expected` (when given). Capacity may not drop
    /// below the seats taken.
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, meeting = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: MeetingId,
        expected: Option<DateTime<Utc>>,
        c: MeetingChanges,
    ) -> Result<MeetingView, MeetingError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut m = Self::load(self.store.as_ref(), org.id, id).await?;
        Version::check(expected, m.updated_at)?;
        let previous = m.updated_at;
        let before = m.clone();
        if let Some(t) = c.title {
            m.title = text("title", t, org, 200)?;
        }
        if let Some(t) = c.description {
            m.description = optional_text("description", t, org, 10_000)?;
        }
        if let Some(k) = c.kind {
            m.kind = k;
        }
        if c.address.is_some() {
            m.address = c.address;
        }
        if c.online_url.is_some() {
            m.online_url = c.online_url;
        }
        venue(m.kind, m.address.as_ref(), m.online_url.as_ref())?;
        if let Some(v) = c.link_for_registrants_only {
            m.link_for_registrants_only = v;
        }
        if c.starts_at.is_some() || c.ends_at.is_some() {
            m.window = window(c.starts_at.unwrap_or(m.window.starts_at()), c.ends_at.unwrap_or(m.window.ends_at()))?;
        }
        if let Some(o) = c.organiser {
            m.organiser = o;
        }
        if let Some(a) = c.agenda {
            m.agenda = agenda(a, org)?;
        }
        if let Some(l) = c.links {
            self.check_links(org, &l).await?;
            m.links = l;
        }
        if let Some(v) = c.registration_open {
            m.registration.open = v;
        }
        if let Some(cap) = c.capacity {
            rules::check_capacity(cap, m.confirmed_count).map_err(|e| invalid("capacity", e))?;
            m.registration.capacity = cap;
        }
        if let Some(d) = c.registration_deadline {
            m.registration.deadline = d;
        }
        if let Some(w) = c.waiting_list {
            m.registration.waiting_list = w;
        }
        let now = self.clock.now();
        m.updated_at = Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        tx.update_meeting(&m, previous).await.map_err(stale)?;
        Audit::new(org.id, actor, "meeting.updated", ("meeting", m.id), now).updated(&before, &m).record(&*tx).await?;
        // Followers and registrants hear of what changes their plans: the title, the time, the
        // place, the agenda (not the registration settings).
        if m.status == Status::Scheduled
            && (m.title != before.title
                || m.window != before.window
                || m.kind != before.kind
                || m.address != before.address
                || m.online_url != before.online_url
                || m.agenda != before.agenda)
        {
            let registrants = tx.registrations(m.id).await?.into_iter().map(|r| r.user_id);
            let payload = serde_json::json!({
                "meeting_id": m.id, "title": m.title, "starts_at": m.window.starts_at(),
            });
            let event = DomainEvent::new(note::MEETING_CHANGED, org.id, Followable::Meeting, m.id, payload)
                .by(caller.user_id())
                .also(registrants);
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        // Read again: the seat counter may have moved meanwhile.
        let m = Self::load(self.store.as_ref(), org.id, id).await?;
        self.view(caller, m).await
    }

    /// Cancels a meeting (with a reason; every registrant is notified, in the same unit of work)
    /// or marks it held once it has started.
    ///
    /// # Errors
    /// Forbidden; not found; invalid transition; reason missing; stale.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id, to = to.as_str()))]
    pub async fn transition(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: MeetingId,
        to: Status,
        reason: Option<String>,
    ) -> Result<MeetingView, MeetingError> {
        let actor = caller.authorize(org_id, Action::WriteContent)?.user_id;
        let tx = self.store.begin().await?;
        let mut m = Self::load(&*tx, org_id, id).await?;
        let before = m.clone();
        let now = self.clock.now();
        rules::transition(m.status, to, reason.as_deref(), m.window.starts_at(), now).map_err(|e| match e {
            TransitionError::ReasonRequired => invalid("reason", e),
            other => MeetingError::InvalidTransition(other),
        })?;
        let previous = m.updated_at;
        m.status = to;
        m.cancel_reason = if to == Status::Cancelled { reason.clone() } else { None };
        m.updated_at = Version::next_after(previous, now);
        tx.update_meeting(&m, previous).await.map_err(stale)?;
        let action = if to == Status::Cancelled { "meeting.cancelled" } else { "meeting.status_changed" };
        Audit::new(org_id, actor, action, ("meeting", m.id), now).updated(&before, &m).record(&*tx).await?;
        if to == Status::Cancelled {
            // Everyone registered hears of it, following or not; so do the followers.
            let registrants = tx.registrations(m.id).await?.into_iter().map(|r| r.user_id);
            let payload = serde_json::json!({"meeting_id": m.id, "title": m.title, "reason": reason, "starts_at": m.window.starts_at()});
            let event = DomainEvent::new(note::MEETING_CANCELLED, org_id, Followable::Meeting, m.id, payload)
                .by(caller.user_id())
                .also(registrants);
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        self.view(caller, m).await
    }

    /// Publishes minutes (sanitised HTML), attendance and attachments, once the meeting has
    /// started and unless it was cancelled; replaces what was there.
    ///
    /// # Errors
    /// Forbidden; not found; not held; invalid fields; stale.
    #[tracing::instrument(skip_all, fields(org = %org.id, meeting = %id))]
    pub async fn record_minutes(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: MeetingId,
        input: MinutesInput,
    ) -> Result<MeetingView, MeetingError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut m = Self::load(self.store.as_ref(), org.id, id).await?;
        let before = m.clone();
        let now = self.clock.now();
        if m.status == Status::Cancelled || now < m.window.starts_at() {
            return Err(MeetingError::NotHeld);
        }
        let minutes = sanitised(text("minutes", input.minutes, org, 100_000)?);
        let previous = m.updated_at;
        m.minutes = Some(minutes);
        m.attendance = input.attendance;
        m.attachments = input.attachments;
        m.updated_at = Version::next_after(previous, now);
        let tx = self.store.begin().await?;
        tx.update_meeting(&m, previous).await.map_err(stale)?;
        Audit::new(org.id, actor, "meeting.minutes_recorded", ("meeting", m.id), now)
            .updated(&before, &m)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        self.view(caller, m).await
    }

    /// Signs the caller up: a seat if one is free (taken atomically by the repository, so
    /// capacity holds under any number of simultaneous sign-ups), else the waiting list when the
    /// meeting has one and `join_waiting_list` asks for it.
    ///
    /// # Errors
    /// Unauthenticated or read-only; not found; registration closed; full; already registered.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id))]
    pub async fn register(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: MeetingId,
        join_waiting_list: bool,
    ) -> Result<MyRegistration, MeetingError> {
        let user = caller.authorize(org_id, Action::Participate)?.user_id;
        let m = Self::load(self.store.as_ref(), org_id, id).await?;
        let now = self.clock.now();
        let waiting_list = m.registration.waiting_list;
        rules::may_register(&m.registration, m.status, now).map_err(MeetingError::RegistrationClosed)?;
        // One unit of work: the seat counter, the registration, the removal of an earlier
        // cancelled one, the registrant following the meeting and their confirmation commit
        // together.
        let tx = self.store.begin().await?;
        let mine = match tx.sign_up(m.id, user, waiting_list && join_waiting_list, now).await? {
            SignUp::Confirmed => MyRegistration { status: RegistrationStatus::Confirmed, position: None },
            SignUp::Waitlisted { position } => {
                MyRegistration { status: RegistrationStatus::Waitlisted, position: Some(position) }
            }
            SignUp::Full => return Err(MeetingError::Full { waiting_list }),
            SignUp::AlreadyRegistered => return Err(MeetingError::AlreadyRegistered),
        };
        tx.follow(&Follow {
            user_id: user,
            org_id,
            target: Followable::Meeting,
            target_id: m.id.into(),
            created_at: now,
        })
        .await?;
        if mine.status == RegistrationStatus::Confirmed {
            let payload = serde_json::json!({"meeting_id": m.id, "title": m.title, "starts_at": m.window.starts_at()});
            let event =
                DomainEvent::new(note::MEETING_REGISTERED, org_id, Followable::Meeting, m.id, payload).only_to([user]);
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(mine)
    }

    /// Cancels the caller's registration. A freed seat goes to the first on the waiting list, who
    /// is notified: the cancellation, the promotion and the notice commit together.
    ///
    /// # Errors
    /// Unauthenticated or read-only; no such meeting; not registered.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id))]
    pub async fn unregister(&self, caller: &Caller, org_id: OrgId, id: MeetingId) -> Result<(), MeetingError> {
        let user = caller.authorize(org_id, Action::Participate)?.user_id;
        let tx = self.store.begin().await?;
        let m = Self::load(&*tx, org_id, id).await?;
        let now = self.clock.now();
        let promoted = tx.cancel_sign_up(m.id, user, now).await.map_err(|e| match e {
            RepoError::NotFound => MeetingError::NotFound("registration"),
            other => other.into(),
        })?;
        if let Some(u) = promoted {
            let payload = serde_json::json!({"meeting_id": m.id, "title": m.title, "starts_at": m.window.starts_at()});
            let event =
                DomainEvent::new(note::MEETING_SEAT_CONFIRMED, org_id, Followable::Meeting, m.id, payload).only_to([u]);
            publish(&*tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The live registrations (confirmed, then waitlisted, each in sign-up order), for staff.
    ///
    /// # Errors
    /// Unauthenticated; not staff; not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id))]
    pub async fn registrations(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: MeetingId,
    ) -> Result<Vec<Registration>, MeetingError> {
        caller.authorize(org_id, Action::SeeStaffView)?;
        let m = Self::load(self.store.as_ref(), org_id, id).await?;
        Ok(self.store.registrations(m.id).await?)
    }

    /// A meeting's follow-up activities, public.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id))]
    pub async fn activities(
        &self,
        _caller: &Caller,
        org_id: OrgId,
        id: MeetingId,
    ) -> Result<Vec<Activity>, MeetingError> {
        let m = Self::load(self.store.as_ref(), org_id, id).await?;
        Ok(self.store.activities(m.id).await?)
    }

    /// Adds a follow-up activity.
    ///
    /// # Errors
    /// Forbidden unless admin or official; not found; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, meeting = %id))]
    pub async fn add_activity(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: MeetingId,
        n: NewActivity,
    ) -> Result<Activity, MeetingError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let m = Self::load(self.store.as_ref(), org.id, id).await?;
        let a = Activity {
            id: Uuid::now_v7(),
            meeting_id: m.id,
            title: text("title", n.title, org, 300)?,
            description: optional_text("description", n.description, org, 5000)?,
            co_owners: Vec::new(),
            created_at: self.clock.now(),
        };
        let tx = self.store.begin().await?;
        tx.add_activity(&a).await?;
        Audit::new(org.id, actor, "meeting.activity_added", ("meeting_activity", a.id), a.created_at)
            .created(&serde_json::json!({ "title": a.title, "description": a.description }))
            .context("meeting_id", m.id)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(a)
    }

    async fn check_activity(&self, org_id: OrgId, id: MeetingId, activity_id: Uuid) -> Result<(), MeetingError> {
        let m = Self::load(self.store.as_ref(), org_id, id).await?;
        if self.store.activities(m.id).await?.iter().any(|a| a.id == activity_id) {
            Ok(())
        } else {
            Err(MeetingError::NotFound("activity"))
        }
    }

    /// Writes the caller's name next to an activity, with an optional note.
    ///
    /// # Errors
    /// No such meeting or activity; unauthenticated or read-only; already a co-owner.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id, activity = %activity_id))]
    pub async fn join_activity(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: MeetingId,
        activity_id: Uuid,
        note: Option<String>,
    ) -> Result<(), MeetingError> {
        self.check_activity(org_id, id, activity_id).await?;
        let user = caller.authorize(org_id, Action::Participate)?.user_id;
        self.store.join_activity(activity_id, user, note, self.clock.now()).await.map_err(|e| match e {
            RepoError::Conflict { .. } => MeetingError::AlreadyCoOwner,
            other => other.into(),
        })
    }

    /// Withdraws the caller as co-owner of an activity.
    ///
    /// # Errors
    /// No such meeting or activity; unauthenticated or read-only; not a co-owner.
    #[tracing::instrument(skip_all, fields(org = %org_id, meeting = %id, activity = %activity_id))]
    pub async fn leave_activity(
        &self,
        caller: &Caller,
        org_id: OrgId,
        id: MeetingId,
        activity_id: Uuid,
    ) -> Result<(), MeetingError> {
        self.check_activity(org_id, id, activity_id).await?;
        let user = caller.authorize(org_id, Action::Participate)?.user_id;
        if self.store.leave_activity(activity_id, user).await? {
            Ok(())
        } else {
            Err(MeetingError::NotFound("co-ownership"))
        }
    }
}

/// An optimistic update that lost the race reads as stale.
fn stale(e: RepoError) -> MeetingError {
    match e {
        RepoError::Conflict { .. } => MeetingError::Stale,
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::auth::{Membership, Principal, Role, Scope};
    use crate::ids::UserId;

    fn user(org: OrgId, roles: &[Role], scope: Scope) -> Caller {
        let mut memberships = HashMap::new();
        memberships.insert(org, Membership { roles: roles.iter().copied().collect(), verified: false });
        Caller::User(Principal {
            user_id: UserId::from(Uuid::from_u128(5)),
            platform_admin: false,
            memberships,
            scope,
            email_verified: true,
        })
    }

    #[test]
    fn the_can_flags_are_the_authorization_decisions() {
        let org = OrgId::from(Uuid::from_u128(1));
        let all =
            MeetingCan { edit: true, cancel: true, register: true, record_minutes: true, see_registrations: true };
        assert_eq!(MeetingCan::of(&user(org, &[Role::Official], Scope::Act), org), all);
        let none =
            MeetingCan { edit: false, cancel: false, register: false, record_minutes: false, see_registrations: false };
        assert_eq!(MeetingCan::of(&Caller::Anonymous, org), none);
        let resident = MeetingCan { register: true, ..none };
        assert_eq!(MeetingCan::of(&user(org, &[], Scope::Act), org), resident);
        assert_eq!(
            MeetingCan::of(&user(OrgId::from(Uuid::from_u128(2)), &[Role::Admin], Scope::Act), org),
            resident,
            "another org's admin"
        );
        let moderator = MeetingCan { see_registrations: true, ..resident };
        assert_eq!(MeetingCan::of(&user(org, &[Role::Moderator], Scope::Act), org), moderator);
        let read_only = MeetingCan { see_registrations: true, ..none };
        assert_eq!(MeetingCan::of(&user(org, &[Role::Admin], Scope::Read), org), read_only);
    }

    #[test]
    fn minutes_lose_scripts_and_handlers_in_every_locale() {
        use crate::i18n::Locale;
        let html = LocalizedText::from([
            (Locale::Sk, "<p>22</p><script>alert(1)</script>"),
            (Locale::En, "<img src=x onerror=alert(1)>"),
        ]);
        let clean = sanitised(html);
        assert_eq!(clean.get(Locale::Sk), Some("<p>22</p>"));
        assert!(clean.get(Locale::En).is_some_and(|h| !h.contains("onerror")));
    }
}
