//! The rules of a meeting: kinds and where they happen, the time window, status transitions,
//! and who gets a seat.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a meeting is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    InPerson,
    Online,
    Hybrid,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::InPerson, Kind::Online, Kind::Hybrid];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::InPerson => "in_person",
            Kind::Online => "online",
            Kind::Hybrid => "hybrid",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// In person needs an address, online a link, hybrid both.
    ///
    /// # Errors
    /// Which one is missing.
    pub fn check_venue(self, has_address: bool, has_link: bool) -> Result<(), VenueError> {
        match self {
            Kind::InPerson | Kind::Hybrid if !has_address => Err(VenueError::AddressRequired),
            Kind::Online | Kind::Hybrid if !has_link => Err(VenueError::LinkRequired),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VenueError {
    #[error("a meeting held in person needs an address")]
    AddressRequired,
    #[error("an online meeting needs a link")]
    LinkRequired,
}

/// When a meeting takes place: it ends after it starts, and lasts at most 14 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("the meeting must end after it starts")]
    EndsBeforeStart,
    #[error("a meeting lasts at most 14 days")]
    TooLong,
}

impl Window {
    /// # Errors
    /// End not after start, or longer than 14 days.
    pub fn new(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Self, WindowError> {
        if ends_at <= starts_at {
            Err(WindowError::EndsBeforeStart)
        } else if ends_at - starts_at > chrono::Duration::days(14) {
            Err(WindowError::TooLong)
        } else {
            Ok(Window { starts_at, ends_at })
        }
    }

    #[must_use]
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at
    }

    #[must_use]
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.ends_at
    }
}

/// Where a meeting is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Scheduled,
    Cancelled,
    Held,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Cancelled => "cancelled",
            Status::Held => "held",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Status::Scheduled, Status::Cancelled, Status::Held].into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a meeting can go from scheduled to cancelled or held only (it is {0})")]
    NotScheduled(&'static str),
    #[error("a cancellation needs a reason")]
    ReasonRequired,
    #[error("a meeting can be marked held only once it has started")]
    NotStartedYet,
}

/// Checks a status change: scheduled → cancelled (with a non-blank reason) | held (once started).
///
/// # Errors
/// The rule broken.
pub fn transition(
    from: Status,
    to: Status,
    reason: Option<&str>,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), TransitionError> {
    if from != Status::Scheduled || to == Status::Scheduled {
        return Err(TransitionError::NotScheduled(from.as_str()));
    }
    match to {
        Status::Cancelled if reason.is_none_or(|r| r.trim().is_empty()) => Err(TransitionError::ReasonRequired),
        Status::Held if now < starts_at => Err(TransitionError::NotStartedYet),
        _ => Ok(()),
    }
}

/// How registration works for a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RegistrationRules {
    pub open: bool,
    /// Seats; `None` is unlimited.
    pub capacity: Option<u32>,
    pub deadline: Option<DateTime<Utc>>,
    /// When full, further sign-ups join a waiting list instead of being refused.
    pub waiting_list: bool,
}

/// Why a registration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("registration for this meeting is closed")]
    Closed,
    #[error("the registration deadline has passed")]
    DeadlinePassed,
    #[error("the meeting was cancelled")]
    Cancelled,
    #[error("the meeting has already taken place")]
    AlreadyHeld,
    #[error("you are already registered")]
    AlreadyRegistered,
    #[error("the meeting is full")]
    Full,
}

/// Whether a sign-up may be attempted at all. Whether a seat is free is decided atomically by
/// the database (see [`seat_outcome`]), never by reading a count first.
///
/// # Errors
/// The reason it may not.
pub fn may_register(rules: &RegistrationRules, status: Status, now: DateTime<Utc>) -> Result<(), RegistrationError> {
    match status {
        Status::Cancelled => return Err(RegistrationError::Cancelled),
        Status::Held => return Err(RegistrationError::AlreadyHeld),
        Status::Scheduled => {}
    }
    if !rules.open {
        return Err(RegistrationError::Closed);
    }
    if rules.deadline.is_some_and(|d| now > d) {
        return Err(RegistrationError::DeadlinePassed);
    }
    Ok(())
}

/// What a sign-up became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RegistrationStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Confirmed, Self::Waitlisted, Self::Cancelled].into_iter().find(|x| x.as_str() == s)
    }
}

/// Given whether the database granted a seat, what the sign-up becomes.
///
/// # Errors
/// [`RegistrationError::Full`] when no seat was granted and there is no waiting list.
pub fn seat_outcome(seat_granted: bool, rules: &RegistrationRules) -> Result<RegistrationStatus, RegistrationError> {
    match (seat_granted, rules.waiting_list) {
        (true, _) => Ok(RegistrationStatus::Confirmed),
        (false, true) => Ok(RegistrationStatus::Waitlisted),
        (false, false) => Err(RegistrationError::Full),
    }
}

/// Capacity may not drop below the seats already taken.
///
/// # Errors
/// With both numbers.
pub fn check_capacity(new_capacity: Option<u32>, confirmed: u32) -> Result<(), CapacityError> {
    match new_capacity {
        Some(0) => Err(CapacityError::Zero),
        Some(c) if c < confirmed => Err(CapacityError::BelowRegistrations { capacity: c, confirmed }),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    #[error("capacity must be at least 1 (leave it empty for unlimited)")]
    Zero,
    #[error("capacity {capacity} is below the {confirmed} people already registered")]
    BelowRegistrations { capacity: u32, confirmed: u32 },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    const RULES: RegistrationRules =
        RegistrationRules { open: true, capacity: Some(2), deadline: None, waiting_list: true };

    #[test]
    fn venues_must_fit_the_kind() {
        assert_eq!(Kind::InPerson.check_venue(false, true), Err(VenueError::AddressRequired));
        assert_eq!(Kind::Online.check_venue(true, false), Err(VenueError::LinkRequired));
        assert_eq!(Kind::Hybrid.check_venue(true, false), Err(VenueError::LinkRequired));
        assert_eq!(Kind::Hybrid.check_venue(false, true), Err(VenueError::AddressRequired));
        assert!(Kind::Hybrid.check_venue(true, true).is_ok());
        assert_eq!(Kind::parse("in_person"), Some(Kind::InPerson));
        assert_eq!(Kind::parse("telepathic"), None);
    }

    #[test]
    fn a_meeting_ends_after_it_starts_and_within_two_weeks() {
        assert_eq!(
            Window::new(t("2021-03-31T16:00:00Z"), t("2021-03-31T16:00:00Z")),
            Err(WindowError::EndsBeforeStart)
        );
        assert_eq!(
            Window::new(t("2021-03-31T16:00:00Z"), t("2021-03-31T15:00:00Z")),
            Err(WindowError::EndsBeforeStart)
        );
        assert_eq!(Window::new(t("2021-03-01T16:00:00Z"), t("2021-03-31T15:00:00Z")), Err(WindowError::TooLong));
        assert!(Window::new(t("2021-03-31T16:00:00Z"), t("2021-03-31T18:00:00Z")).is_ok());
    }

    #[test]
    fn only_scheduled_meetings_change_status_and_cancelling_needs_a_reason() {
        let (start, now) = (t("2021-03-31T16:00:00Z"), t("2021-03-30T00:00:00Z"));
        assert_eq!(
            transition(Status::Scheduled, Status::Cancelled, Some("  "), start, now),
            Err(TransitionError::ReasonRequired)
        );
        assert!(transition(Status::Scheduled, Status::Cancelled, Some("flood"), start, now).is_ok());
        assert_eq!(transition(Status::Scheduled, Status::Held, None, start, now), Err(TransitionError::NotStartedYet));
        assert!(transition(Status::Scheduled, Status::Held, None, start, t("2021-03-31T17:00:00Z")).is_ok());
        assert_eq!(
            transition(Status::Cancelled, Status::Held, None, start, now),
            Err(TransitionError::NotScheduled("cancelled"))
        );
        assert!(transition(Status::Held, Status::Cancelled, Some("x"), start, now).is_err());
        assert!(transition(Status::Scheduled, Status::Scheduled, None, start, now).is_err());
    }

    #[test]
    fn registration_needs_an_open_scheduled_meeting_before_the_deadline() {
        let now = t("2021-03-30T00:00:00Z");
        assert!(may_register(&RULES, Status::Scheduled, now).is_ok());
        assert_eq!(may_register(&RULES, Status::Cancelled, now), Err(RegistrationError::Cancelled));
        assert_eq!(may_register(&RULES, Status::Held, now), Err(RegistrationError::AlreadyHeld));
        let closed = RegistrationRules { open: false, ..RULES };
        assert_eq!(may_register(&closed, Status::Scheduled, now), Err(RegistrationError::Closed));
        let late = RegistrationRules { deadline: Some(t("2021-03-29T00:00:00Z")), ..RULES };
        assert_eq!(may_register(&late, Status::Scheduled, now), Err(RegistrationError::DeadlinePassed));
    }

    #[test]
    fn without_a_seat_one_waits_or_is_refused() {
        assert_eq!(seat_outcome(true, &RULES), Ok(RegistrationStatus::Confirmed));
        assert_eq!(seat_outcome(false, &RULES), Ok(RegistrationStatus::Waitlisted));
        let no_list = RegistrationRules { waiting_list: false, ..RULES };
        assert_eq!(seat_outcome(false, &no_list), Err(RegistrationError::Full));
    }

    #[test]
    fn capacity_cannot_drop_below_those_registered() {
        assert_eq!(check_capacity(Some(3), 5), Err(CapacityError::BelowRegistrations { capacity: 3, confirmed: 5 }));
        assert_eq!(check_capacity(Some(0), 0), Err(CapacityError::Zero));
        assert!(check_capacity(Some(5), 5).is_ok());
        assert!(check_capacity(None, 500).is_ok());
    }
}
