//! Domain events and their fan-out: a change (a meeting cancelled, a report answered) is described
//! by a [`DomainEvent`] and handed to [`publish`] inside the change's own unit of work, which
//! writes a notification for each follower (and each person the event is about) by their
//! delivery preference, and queues the e-mails meant to go at once. Nothing is written when the
//! change is not, and nothing is lost when the server stops after it.
//!
//! Webhooks for integrators can consume the same events: [`publish`] is the one place every
//! event passes through.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Delivery, Followable, Notification};
use crate::ids::{OrgId, UserId};
use crate::mail::OutboxMail;
use crate::repo::{RepoResult, UnitOfWork};

/// The kinds of notification: stable, machine-readable, each with a default delivery.
pub mod kind {
    /// A meeting's time, place or agenda changed.
    pub const MEETING_CHANGED: &str = "meeting.changed";
    /// A meeting was cancelled.
    pub const MEETING_CANCELLED: &str = "meeting.cancelled";
    /// The caller's registration for a meeting is confirmed (a seat).
    pub const MEETING_REGISTERED: &str = "meeting.registered";
    /// A seat was freed and given to the first on the waiting list.
    pub const MEETING_SEAT_CONFIRMED: &str = "meeting.seat_confirmed";
    /// A consultation published its report.
    pub const CONSULTATION_REPORT_PUBLISHED: &str = "consultation.report_published";
    /// Staff answered the recipient's opinion.
    pub const OPINION_ANSWERED: &str = "consultation.opinion_answered";
    /// A budget proposal was reviewed (feasible or not).
    pub const PROPOSAL_REVIEWED: &str = "budget.proposal_reviewed";
    /// A budget process moved to another phase (voting opens or closes, results published).
    pub const BUDGET_PHASE_CHANGED: &str = "budget.phase_changed";
    /// A commitment reported progress on a milestone.
    pub const COMMITMENT_PROGRESS: &str = "commitment.progress";
    /// A commitment's milestone changed status.
    pub const COMMITMENT_STATUS_CHANGED: &str = "commitment.status_changed";
    /// The recipient's offer to co-own a commitment was accepted.
    pub const CO_OWNER_ACCEPTED: &str = "commitment.co_owner_accepted";
    /// A resident's report changed status or was answered.
    pub const REPORT_STATUS_CHANGED: &str = "report.status_changed";
    /// A consultation opened for opinions (its opening time passed).
    pub const CONSULTATION_OPENED: &str = "consultation.opened";
    /// The organisation verified the recipient's residency.
    pub const RESIDENCY_APPROVED: &str = "residency.approved";
    /// The organisation refused to verify the recipient's residency.
    pub const RESIDENCY_REFUSED: &str = "residency.refused";
    /// A webhook of an organisation the recipient administers was disabled after its deliveries
    /// kept failing.
    pub const WEBHOOK_DISABLED: &str = "webhook.disabled";

    /// Every kind, in the order the preferences screen lists them.
    pub const ALL: [&str; 16] = [
        MEETING_CHANGED,
        MEETING_CANCELLED,
        MEETING_REGISTERED,
        MEETING_SEAT_CONFIRMED,
        CONSULTATION_OPENED,
        CONSULTATION_REPORT_PUBLISHED,
        OPINION_ANSWERED,
        PROPOSAL_REVIEWED,
        BUDGET_PHASE_CHANGED,
        COMMITMENT_PROGRESS,
        COMMITMENT_STATUS_CHANGED,
        CO_OWNER_ACCEPTED,
        REPORT_STATUS_CHANGED,
        RESIDENCY_APPROVED,
        RESIDENCY_REFUSED,
        WEBHOOK_DISABLED,
    ];
}

/// Whether `k` is a kind of notification.
#[must_use]
pub fn is_kind(k: &str) -> bool {
    kind::ALL.contains(&k)
}

/// How a kind is delivered until the user chooses: what is about the recipient personally or is
/// time-sensitive (a cancelled meeting, an answer, a seat) by e-mail at once; news about what
/// they follow in the daily digest.
#[must_use]
pub fn default_delivery(k: &str) -> Delivery {
    match k {
        kind::MEETING_CHANGED
        | kind::MEETING_CANCELLED
        | kind::MEETING_REGISTERED
        | kind::MEETING_SEAT_CONFIRMED
        | kind::OPINION_ANSWERED
        | kind::PROPOSAL_REVIEWED
        | kind::CO_OWNER_ACCEPTED
        | kind::REPORT_STATUS_CHANGED
        | kind::RESIDENCY_APPROVED
        | kind::RESIDENCY_REFUSED
        | kind::WEBHOOK_DISABLED => Delivery::Email,
        _ => Delivery::Digest,
    }
}

/// Something that happened to a followable resource.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainEvent {
    /// One of [`kind`].
    pub kind: &'static str,
    pub org_id: OrgId,
    /// The resource it happened to.
    pub target: Followable,
    pub target_id: Uuid,
    /// Who made the change (not told about their own change).
    pub actor: Option<UserId>,
    /// What rendering needs: ids, `title`, reasons, answers.
    pub payload: serde_json::Value,
    /// Tell the resource's followers (otherwise only [`DomainEvent::also`]).
    pub to_followers: bool,
    /// People the event is about, told whether they follow or not (a promoted registrant, the
    /// author of an answered opinion).
    pub also: Vec<UserId>,
}

impl DomainEvent {
    /// An event told to the followers of `target_id`.
    #[must_use]
    pub fn new(
        kind: &'static str,
        org_id: OrgId,
        target: Followable,
        target_id: impl Into<Uuid>,
        payload: serde_json::Value,
    ) -> Self {
        DomainEvent {
            kind,
            org_id,
            target,
            target_id: target_id.into(),
            actor: None,
            payload,
            to_followers: true,
            also: Vec::new(),
        }
    }

    /// Made by `actor` (who is not told).
    #[must_use]
    pub fn by(mut self, actor: Option<UserId>) -> Self {
        self.actor = actor;
        self
    }

    /// Also told to `users`.
    #[must_use]
    pub fn also(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.also.extend(users);
        self
    }

    /// Told only to the people it is about, not to the followers.
    #[must_use]
    pub fn only_to(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.to_followers = false;
        self.also.extend(users);
        self
    }
}

/// Fans an event out inside the change's unit of work: a notification per recipient whose
/// delivery for the kind is not off (marked for the digest when that is their choice), and an
/// e-mail in the outbox for those who chose e-mail at once and confirmed their address; and a
/// webhook delivery for each of the organisation's subscriptions to it
/// ([`crate::webhooks::enqueue`]). Returns how many people were notified.
///
/// # Errors
/// The database failed (the caller's unit of work then rolls back with the change).
pub async fn publish(tx: &dyn UnitOfWork, event: &DomainEvent, now: DateTime<Utc>) -> RepoResult<usize> {
    crate::webhooks::enqueue(tx, event, now).await?;
    let mut recipients: BTreeSet<UserId> = event.also.iter().copied().collect();
    if event.to_followers {
        recipients.extend(tx.followers(event.target, event.target_id).await?);
    }
    if let Some(actor) = event.actor {
        recipients.remove(&actor);
    }
    if recipients.is_empty() {
        return Ok(0);
    }
    // What the web app needs to link the notification to its resource.
    let mut payload = event.payload.clone();
    if let Some(obj) = payload.as_object_mut() {
        obj.insert("target".into(), event.target.as_str().into());
        obj.insert("target_id".into(), event.target_id.to_string().into());
        if let Some(t) = tx.follow_target(event.target, event.target_id).await? {
            obj.insert("org_slug".into(), t.org_slug.into());
        }
    }
    tell(tx, event.kind, event.org_id, recipients, payload, None, now).await
}

/// Tells `users` of something of `kind` (not about a followable resource: a residency decision,
/// a disabled webhook) by their delivery preference, like [`publish`]: a notification unless
/// they turned the kind off (for the digest when they chose it), and an e-mail at once to those
/// who chose it and confirmed their address: the generic notification e-mail, or, given
/// `mail_kind`, that message (its payload is `payload` with the recipient's `name`). Returns how
/// many were notified.
///
/// # Errors
/// The database failed.
pub async fn tell(
    tx: &dyn UnitOfWork,
    kind: &'static str,
    org_id: OrgId,
    users: impl IntoIterator<Item = UserId>,
    payload: serde_json::Value,
    mail_kind: Option<&'static str>,
    now: DateTime<Utc>,
) -> RepoResult<usize> {
    let users: Vec<UserId> = users.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
    if users.is_empty() {
        return Ok(0);
    }
    let chosen: HashMap<UserId, Delivery> = tx.deliveries(&users, kind).await?.into_iter().collect();
    let mut notes = Vec::with_capacity(users.len());
    for user in users {
        let delivery = chosen.get(&user).copied().unwrap_or_else(|| default_delivery(kind));
        if delivery == Delivery::Off {
            continue;
        }
        let mut note = Notification::new(user, Some(org_id), kind, payload.clone(), now);
        note.digest_pending = delivery == Delivery::Digest;
        if delivery == Delivery::Email
            && let Some(u) = tx.user_by_id(user).await?
            && u.email_verified_at.is_some()
        {
            let (mail, body) = match mail_kind {
                Some(k) => {
                    let mut body = payload.clone();
                    if let Some(obj) = body.as_object_mut() {
                        obj.insert("name".into(), u.display_name.clone().into());
                    }
                    (k, body)
                }
                None => (
                    crate::mail::kind::NOTIFICATION,
                    serde_json::json!({
                        "name": u.display_name,
                        "notification_id": note.id,
                        "kind": kind,
                        "payload": payload,
                    }),
                ),
            };
            tx.enqueue_mail(&OutboxMail::new(mail, &u.email, u.locale, Some(u.id), body, now)).await?;
        }
        notes.push(note);
    }
    tx.notify(&notes).await?;
    Ok(notes.len())
}
