//! `MeetingRepo` on sea-orm. A seat is taken by one conditional UPDATE of the meeting's
//! confirmed-seat counter inside the transaction that inserts the registration: PostgreSQL
//! serialises concurrent updates of the row (re-checking the condition), SQLite has one writer,
//! so capacity holds under any number of simultaneous sign-ups on either database.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pnyx_domain::comments::TargetKind;
use pnyx_domain::ids::{MeetingId, OrgId, UserId};
use pnyx_domain::meetings::records::{
    Activity, CoOwner, CountedMeeting, Meeting, MeetingFilter, MeetingRepo, Registration, SignUp,
};
use pnyx_domain::meetings::rules::{Kind, RegistrationRules, RegistrationStatus, Status, Window};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use uuid::Uuid;

use crate::codec::{bad, from_json, json};
use crate::counted::{COUNTS, Counted, scalar, visible_comments};
use crate::entities::{activity_co_owners, meeting_activities, meeting_registrations as regs, meetings, users};
use crate::search;
use crate::{Conn, Db, map_db_err};
use pnyx_domain::search::{Document, Kind as SearchKind};

fn count(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn int(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

pub(crate) fn from_model(m: meetings::Model) -> RepoResult<Meeting> {
    Ok(Meeting {
        id: m.id.into(),
        org_id: m.org_id.into(),
        title: from_json("title", m.title)?,
        description: from_json("description", m.description)?,
        kind: Kind::parse(&m.kind).ok_or_else(|| bad("kind", &m.kind))?,
        address: m.address,
        latitude: m.latitude,
        longitude: m.longitude,
        online_url: m.online_url,
        link_for_registrants_only: m.link_for_registrants_only,
        window: Window::new(m.starts_at, m.ends_at).map_err(|e| bad("window", e))?,
        organiser: m.organiser,
        agenda: from_json("agenda", m.agenda)?,
        links: from_json("links", m.links)?,
        status: Status::parse(&m.status).ok_or_else(|| bad("status", &m.status))?,
        cancel_reason: m.cancel_reason,
        registration: RegistrationRules {
            open: m.registration_open,
            capacity: m.capacity.map(count),
            deadline: m.registration_deadline,
            waiting_list: m.waiting_list,
        },
        confirmed_count: count(m.confirmed_count),
        minutes: m.minutes.map(|v| from_json("minutes", v)).transpose()?,
        attendance: m.attendance.map(count),
        attachments: from_json("attachments", m.attachments)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_model(m: &Meeting) -> RepoResult<meetings::ActiveModel> {
    Ok(meetings::ActiveModel {
        id: Set(m.id.into()),
        org_id: Set(m.org_id.into()),
        title: Set(json(&m.title)?),
        description: Set(json(&m.description)?),
        kind: Set(m.kind.as_str().to_owned()),
        address: Set(m.address.clone()),
        latitude: Set(m.latitude),
        longitude: Set(m.longitude),
        online_url: Set(m.online_url.clone()),
        link_for_registrants_only: Set(m.link_for_registrants_only),
        starts_at: Set(m.window.starts_at()),
        ends_at: Set(m.window.ends_at()),
        organiser: Set(m.organiser.clone()),
        agenda: Set(json(&m.agenda)?),
        links: Set(json(&m.links)?),
        status: Set(m.status.as_str().to_owned()),
        cancel_reason: Set(m.cancel_reason.clone()),
        registration_open: Set(m.registration.open),
        capacity: Set(m.registration.capacity.map(int)),
        registration_deadline: Set(m.registration.deadline),
        waiting_list: Set(m.registration.waiting_list),
        confirmed_count: Set(int(m.confirmed_count)),
        minutes: Set(m.minutes.as_ref().map(json).transpose()?),
        attendance: Set(m.attendance.map(int)),
        attachments: Set(json(&m.attachments)?),
        created_at: Set(m.created_at),
        updated_at: Set(m.updated_at),
    })
}

const LIVE: [&str; 2] = ["confirmed", "waitlisted"];

async fn waitlist_position<C: ConnectionTrait>(c: &C, meeting_id: MeetingId, id: Uuid) -> RepoResult<u32> {
    let n = regs::Entity::find()
        .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
        .filter(regs::Column::Status.eq("waitlisted"))
        .filter(regs::Column::Id.lte(id))
        .count(c)
        .await
        .map_err(map_db_err)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The meetings of a filter's columns, by start time (links and search hits are filtered by [`keep`]).
fn meetings_query(org_id: OrgId, f: &MeetingFilter) -> Select<meetings::Entity> {
    use meetings::Column as C;
    let mut base = meetings::Entity::find().filter(C::OrgId.eq(Uuid::from(org_id)));
    if let Some(from) = f.from {
        base = base.filter(C::EndsAt.gte(from));
    }
    if let Some(to) = f.to {
        base = base.filter(C::StartsAt.lt(to));
    }
    if let Some(kind) = f.kind {
        base = base.filter(C::Kind.eq(kind.as_str()));
    }
    if let Some(status) = f.status {
        base = base.filter(C::Status.eq(status.as_str()));
    }
    base.order_by_asc(C::StartsAt).order_by_asc(C::Id)
}

/// The rest of a filter, applied to the rows read. Links live in JSON; filtering on them is done
/// here (a municipality has hundreds of meetings, not millions).
fn keep<T>(mut items: Vec<T>, f: &MeetingFilter, meeting: impl Fn(&T) -> &Meeting) -> Vec<T> {
    if let Some(linked) = f.linked {
        items.retain(|t| meeting(t).links.iter().any(|l| l.id == linked));
    }
    if let Some(only) = &f.only {
        items.retain(|t| only.contains(&meeting(t).id.into()));
    }
    if f.descending {
        items.reverse();
    }
    items
}

/// The select with each meeting's visible comments and waiting list as count columns.
fn with_counts(q: Select<meetings::Entity>) -> Select<meetings::Entity> {
    let waitlisted = Query::select()
        .expr(Expr::col((regs::Entity, regs::Column::Id)).count())
        .from(regs::Entity)
        .and_where(Expr::col((regs::Entity, regs::Column::MeetingId)).equals((meetings::Entity, meetings::Column::Id)))
        .and_where(Expr::col((regs::Entity, regs::Column::Status)).eq("waitlisted"))
        .to_owned();
    q.column_as(visible_comments(TargetKind::Meeting, (meetings::Entity, meetings::Column::Id)), COUNTS[0])
        .column_as(scalar(waitlisted), COUNTS[1])
}

fn counted_from(r: Counted<meetings::Model, 2>) -> RepoResult<CountedMeeting> {
    Ok(CountedMeeting {
        meeting: from_model(r.model)?,
        comments: r.counts[0],
        waitlisted: u32::try_from(r.counts[1]).unwrap_or(u32::MAX),
    })
}

#[async_trait::async_trait]
impl<C: Conn> MeetingRepo for Db<C> {
    async fn create_meeting(&self, m: &Meeting) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        meetings::Entity::insert(to_model(m)?).exec(&tx).await.map_err(map_db_err)?;
        search::put(&tx, SearchKind::Meeting, m.id.into(), Some(&Document::meeting(m))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_meeting(&self, m: &Meeting, expected: DateTime<Utc>) -> RepoResult<()> {
        let mut model = to_model(m)?;
        // The seat counter belongs to sign-ups, never to an edit.
        model.confirmed_count = sea_orm::ActiveValue::NotSet;
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = meetings::Entity::update_many()
            .set(model)
            .filter(meetings::Column::Id.eq(Uuid::from(m.id)))
            .filter(meetings::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(RepoError::Conflict { field: "updated_at".into(), message: "changed meanwhile".into() });
        }
        search::put(&tx, SearchKind::Meeting, m.id.into(), Some(&Document::meeting(m))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn meeting(&self, org_id: OrgId, id: MeetingId) -> RepoResult<Option<Meeting>> {
        meetings::Entity::find_by_id(id)
            .filter(meetings::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(from_model)
            .transpose()
    }

    async fn meetings(&self, org_id: OrgId, f: &MeetingFilter, page: PageRequest) -> RepoResult<Page<Meeting>> {
        let rows = meetings_query(org_id, f).all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(from_model).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::of_list(keep(items, f, |m| m), page, |m| m.id))
    }

    async fn meeting_counted(&self, org_id: OrgId, id: MeetingId) -> RepoResult<Option<CountedMeeting>> {
        let q = meetings::Entity::find_by_id(id).filter(meetings::Column::OrgId.eq(Uuid::from(org_id)));
        let row: Option<Counted<meetings::Model, 2>> =
            with_counts(q).into_model().one(&self.conn).await.map_err(map_db_err)?;
        row.map(counted_from).transpose()
    }

    async fn meetings_counted(
        &self,
        org_id: OrgId,
        f: &MeetingFilter,
        page: PageRequest,
    ) -> RepoResult<Page<CountedMeeting>> {
        let rows: Vec<Counted<meetings::Model, 2>> =
            with_counts(meetings_query(org_id, f)).into_model().all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(counted_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::of_list(keep(items, f, |c| &c.meeting), page, |c| c.meeting.id))
    }

    async fn sign_up(
        &self,
        meeting_id: MeetingId,
        user_id: UserId,
        waiting_list: bool,
        now: DateTime<Utc>,
    ) -> RepoResult<SignUp> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        // A cancelled registration makes way for a new one (and this write takes SQLite's lock first).
        regs::Entity::delete_many()
            .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
            .filter(regs::Column::UserId.eq(Uuid::from(user_id)))
            .filter(regs::Column::Status.eq("cancelled"))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        let existing = regs::Entity::find()
            .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
            .filter(regs::Column::UserId.eq(Uuid::from(user_id)))
            .one(&tx)
            .await
            .map_err(map_db_err)?;
        if existing.is_some() {
            return Ok(SignUp::AlreadyRegistered);
        }
        let seat = meetings::Entity::update_many()
            .col_expr(meetings::Column::ConfirmedCount, Expr::col(meetings::Column::ConfirmedCount).add(1))
            .filter(meetings::Column::Id.eq(Uuid::from(meeting_id)))
            .filter(
                sea_orm::Condition::any()
                    .add(meetings::Column::Capacity.is_null())
                    .add(Expr::col(meetings::Column::ConfirmedCount).lt(Expr::col(meetings::Column::Capacity))),
            )
            .exec(&tx)
            .await
            .map_err(map_db_err)?
            .rows_affected
            == 1;
        let status = match (seat, waiting_list) {
            (true, _) => RegistrationStatus::Confirmed,
            (false, true) => RegistrationStatus::Waitlisted,
            (false, false) => return Ok(SignUp::Full),
        };
        let id = Uuid::now_v7();
        let inserted = regs::Entity::insert(regs::ActiveModel {
            id: Set(id),
            meeting_id: Set(meeting_id.into()),
            user_id: Set(user_id.into()),
            status: Set(status.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&tx)
        .await
        .map_err(map_db_err);
        match inserted {
            Ok(_) => {}
            // The same person signing up twice at once: the unique index keeps one.
            Err(RepoError::Conflict { .. }) => return Ok(SignUp::AlreadyRegistered),
            Err(e) => return Err(e),
        }
        let outcome = match status {
            RegistrationStatus::Waitlisted => {
                SignUp::Waitlisted { position: waitlist_position(&tx, meeting_id, id).await? }
            }
            _ => SignUp::Confirmed,
        };
        tx.commit().await.map_err(map_db_err)?;
        Ok(outcome)
    }

    async fn cancel_sign_up(
        &self,
        meeting_id: MeetingId,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> RepoResult<Option<UserId>> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let mine = regs::Entity::find()
            .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
            .filter(regs::Column::UserId.eq(Uuid::from(user_id)))
            .filter(regs::Column::Status.is_in(LIVE))
            .one(&tx)
            .await
            .map_err(map_db_err)?
            .ok_or(RepoError::NotFound)?;
        let cancelled = regs::Entity::update_many()
            .col_expr(regs::Column::Status, Expr::value("cancelled"))
            .col_expr(regs::Column::UpdatedAt, Expr::value(now))
            .filter(regs::Column::Id.eq(mine.id))
            .filter(regs::Column::Status.eq(mine.status.clone()))
            .exec(&tx)
            .await
            .map_err(map_db_err)?
            .rows_affected;
        if cancelled != 1 {
            return Err(RepoError::NotFound);
        }
        let mut promoted = None;
        if mine.status == "confirmed" {
            // The freed seat goes to the first waiting; if another cancellation promoted them
            // meanwhile, try the next.
            loop {
                let next = regs::Entity::find()
                    .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
                    .filter(regs::Column::Status.eq("waitlisted"))
                    .order_by_asc(regs::Column::Id)
                    .one(&tx)
                    .await
                    .map_err(map_db_err)?;
                let Some(next) = next else { break };
                let won = regs::Entity::update_many()
                    .col_expr(regs::Column::Status, Expr::value("confirmed"))
                    .col_expr(regs::Column::UpdatedAt, Expr::value(now))
                    .filter(regs::Column::Id.eq(next.id))
                    .filter(regs::Column::Status.eq("waitlisted"))
                    .exec(&tx)
                    .await
                    .map_err(map_db_err)?
                    .rows_affected
                    == 1;
                if won {
                    promoted = Some(UserId::from(next.user_id));
                    break;
                }
            }
            if promoted.is_none() {
                meetings::Entity::update_many()
                    .col_expr(meetings::Column::ConfirmedCount, Expr::col(meetings::Column::ConfirmedCount).sub(1))
                    .filter(meetings::Column::Id.eq(Uuid::from(meeting_id)))
                    .exec(&tx)
                    .await
                    .map_err(map_db_err)?;
            }
        }
        tx.commit().await.map_err(map_db_err)?;
        Ok(promoted)
    }

    async fn registration_of(&self, meeting_id: MeetingId, user_id: UserId) -> RepoResult<Option<Registration>> {
        Ok(self.registrations_where(meeting_id, Some(user_id)).await?.pop())
    }

    async fn registrations(&self, meeting_id: MeetingId) -> RepoResult<Vec<Registration>> {
        self.registrations_where(meeting_id, None).await
    }

    async fn waitlisted_count(&self, meeting_id: MeetingId) -> RepoResult<u32> {
        let n = regs::Entity::find()
            .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
            .filter(regs::Column::Status.eq("waitlisted"))
            .count(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn add_activity(&self, a: &Activity) -> RepoResult<()> {
        meeting_activities::Entity::insert(meeting_activities::ActiveModel {
            id: Set(a.id),
            meeting_id: Set(a.meeting_id.into()),
            title: Set(json(&a.title)?),
            description: Set(json(&a.description)?),
            created_at: Set(a.created_at),
            updated_at: Set(a.created_at),
        })
        .exec(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn activities(&self, meeting_id: MeetingId) -> RepoResult<Vec<Activity>> {
        let rows = meeting_activities::Entity::find()
            .filter(meeting_activities::Column::MeetingId.eq(Uuid::from(meeting_id)))
            .order_by_asc(meeting_activities::Column::Id)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
        let owners = activity_co_owners::Entity::find()
            .filter(activity_co_owners::Column::ActivityId.is_in(ids))
            .order_by_asc(activity_co_owners::Column::CreatedAt)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        let names = self.display_names(owners.iter().map(|o| o.user_id).collect()).await?;
        let mut by_activity: HashMap<Uuid, Vec<CoOwner>> = HashMap::new();
        for o in owners {
            by_activity.entry(o.activity_id).or_default().push(CoOwner {
                user_id: o.user_id.into(),
                display_name: names.get(&o.user_id).cloned().unwrap_or_default(),
                note: o.note,
            });
        }
        rows.into_iter()
            .map(|a| {
                Ok(Activity {
                    id: a.id,
                    meeting_id: a.meeting_id.into(),
                    title: from_json("activity title", a.title)?,
                    description: from_json("activity description", a.description)?,
                    co_owners: by_activity.remove(&a.id).unwrap_or_default(),
                    created_at: a.created_at,
                })
            })
            .collect()
    }

    async fn join_activity(
        &self,
        activity_id: Uuid,
        user_id: UserId,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> RepoResult<()> {
        let res = activity_co_owners::Entity::insert(activity_co_owners::ActiveModel {
            activity_id: Set(activity_id),
            user_id: Set(user_id.into()),
            note: Set(note),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([activity_co_owners::Column::ActivityId, activity_co_owners::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        if res == 1 {
            Ok(())
        } else {
            Err(RepoError::Conflict { field: "user_id".into(), message: "already a co-owner".into() })
        }
    }

    async fn leave_activity(&self, activity_id: Uuid, user_id: UserId) -> RepoResult<bool> {
        let res = activity_co_owners::Entity::delete_by_id((activity_id, Uuid::from(user_id)))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }
}

impl<C: Conn> Db<C> {
    async fn display_names(&self, ids: Vec<Uuid>) -> RepoResult<HashMap<Uuid, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect())
    }

    async fn registrations_where(&self, meeting_id: MeetingId, user: Option<UserId>) -> RepoResult<Vec<Registration>> {
        let mut q = regs::Entity::find()
            .filter(regs::Column::MeetingId.eq(Uuid::from(meeting_id)))
            .filter(regs::Column::Status.is_in(LIVE));
        if let Some(u) = user {
            q = q.filter(regs::Column::UserId.eq(Uuid::from(u)));
        }
        let rows = q.order_by_asc(regs::Column::Id).all(&self.conn).await.map_err(map_db_err)?;
        let people: HashMap<Uuid, users::Model> = users::Entity::find()
            .filter(users::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let mut out: Vec<Registration> = rows
            .into_iter()
            .map(|r| {
                let person = people.get(&r.user_id);
                Registration {
                    id: r.id,
                    meeting_id: r.meeting_id.into(),
                    user_id: r.user_id.into(),
                    status: RegistrationStatus::parse(&r.status).unwrap_or(RegistrationStatus::Cancelled),
                    created_at: r.created_at,
                    display_name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
                    email: person.map(|p| p.email.clone()).unwrap_or_default(),
                }
            })
            .collect();
        out.sort_by_key(|r| (r.status != RegistrationStatus::Confirmed, r.id));
        Ok(out)
    }
}
