//! The rules of an action plan: its status graph, periods, OGP values, milestone states and the
//! completion level computed from milestones (never stored).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            #[must_use]
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }
        }
    };
}

named_enum!(
    /// Where an action plan is: draft → co_creation → adopted → in_implementation → completed,
    /// and back from co_creation to draft.
    PlanStatus { Draft => "draft", CoCreation => "co_creation", Adopted => "adopted", InImplementation => "in_implementation", Completed => "completed" }
);

named_enum!(
    /// The four OGP values a commitment may serve.
    OgpValue {
        AccessToInformation => "access_to_information",
        CivicParticipation => "civic_participation",
        PublicAccountability => "public_accountability",
        TechnologyAndInnovation => "technology_and_innovation",
    }
);

named_enum!(
    /// A milestone's state.
    MilestoneStatus { NotStarted => "not_started", InProgress => "in_progress", Done => "done", Delayed => "delayed", Cancelled => "cancelled" }
);

named_enum!(
    /// How far a commitment is, following the OGP Independent Reporting Mechanism's scale.
    CompletionLevel { NotStarted => "not_started", Limited => "limited", Substantial => "substantial", Complete => "complete" }
);

named_enum!(
    /// A co-owner's standing: volunteered, accepted by staff, or removed by staff.
    CoOwnerStatus { Proposed => "proposed", Accepted => "accepted", Removed => "removed" }
);

impl PlanStatus {
    /// Residents see every plan but drafts.
    #[must_use]
    pub fn is_public(self) -> bool {
        self != PlanStatus::Draft
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an action plan cannot go from {from} to {to}")]
pub struct PlanTransitionError {
    pub from: &'static str,
    pub to: &'static str,
}

/// Checks an action plan's status change.
///
/// # Errors
/// Any change not in the graph (forward one step, or co-creation back to draft).
pub fn plan_transition(from: PlanStatus, to: PlanStatus) -> Result<(), PlanTransitionError> {
    use PlanStatus as S;
    let ok = matches!(
        (from, to),
        (S::Draft, S::CoCreation)
            | (S::CoCreation, S::Draft)
            | (S::CoCreation, S::Adopted)
            | (S::Adopted, S::InImplementation)
            | (S::InImplementation, S::Completed)
    );
    if ok { Ok(()) } else { Err(PlanTransitionError { from: from.as_str(), to: to.as_str() }) }
}

/// A span of days, the end not before the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateSpan {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the end date must not be before the start date")]
pub struct EndBeforeStart;

impl DateSpan {
    /// # Errors
    /// When `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, EndBeforeStart> {
        if end < start { Err(EndBeforeStart) } else { Ok(DateSpan { start, end }) }
    }

    #[must_use]
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    #[must_use]
    pub fn end(&self) -> NaiveDate {
        self.end
    }
}

/// A milestone's completion date must be given exactly when it is done, and not in the future.
///
/// # Errors
/// Which rule is broken.
pub fn check_completion(
    status: MilestoneStatus,
    completed_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), CompletionDateError> {
    match (status, completed_on) {
        (MilestoneStatus::Done, None) => Err(CompletionDateError::Required),
        (MilestoneStatus::Done, Some(d)) if d > today => Err(CompletionDateError::InFuture),
        (s, Some(_)) if s != MilestoneStatus::Done => Err(CompletionDateError::OnlyWhenDone),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CompletionDateError {
    #[error("a done milestone needs its completion date")]
    Required,
    #[error("the completion date cannot be in the future")]
    InFuture,
    #[error("only a done milestone has a completion date")]
    OnlyWhenDone,
}

/// A commitment's progress as computed from its milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub level: CompletionLevel,
    /// Done milestones as a whole percentage (rounded down) of those not cancelled.
    pub percent: u8,
    pub done: u32,
    pub total: u32,
}

/// Computes a commitment's completion from its milestones' states.
///
/// Cancelled milestones do not count. No counted milestone, or none begun: `not_started`.
/// All done: `complete`. At least half done: `substantial`. Anything done, in progress or
/// delayed: `limited`. This mirrors the IRM's scale, where "substantial" means most of the
/// commitment's activities are done.
#[must_use]
pub fn completion(milestones: &[MilestoneStatus]) -> Completion {
    let counted: Vec<MilestoneStatus> =
        milestones.iter().copied().filter(|s| *s != MilestoneStatus::Cancelled).collect();
    let total = u32::try_from(counted.len()).unwrap_or(u32::MAX);
    let done = u32::try_from(counted.iter().filter(|s| **s == MilestoneStatus::Done).count()).unwrap_or(u32::MAX);
    let begun = counted.iter().any(|s| matches!(s, MilestoneStatus::InProgress | MilestoneStatus::Delayed));
    let percent = (done * 100).checked_div(total).map_or(0, |p| u8::try_from(p).unwrap_or(100));
    let level = if total == 0 {
        CompletionLevel::NotStarted
    } else if done == total {
        CompletionLevel::Complete
    } else if done * 2 >= total {
        CompletionLevel::Substantial
    } else if done > 0 || begun {
        CompletionLevel::Limited
    } else {
        CompletionLevel::NotStarted
    };
    Completion { level, percent, done, total }
}

/// A milestone is open while neither done nor cancelled.
#[must_use]
pub fn is_open(status: MilestoneStatus) -> bool {
    !matches!(status, MilestoneStatus::Done | MilestoneStatus::Cancelled)
}

/// Due in the next 30 days (today included), and still open.
#[must_use]
pub fn due_soon(status: MilestoneStatus, end: NaiveDate, today: NaiveDate) -> bool {
    is_open(status) && end >= today && end <= today + chrono::Duration::days(30)
}

/// Past its end date and still open.
#[must_use]
pub fn overdue(status: MilestoneStatus, end: NaiveDate, today: NaiveDate) -> bool {
    is_open(status) && end < today
}

#[cfg(test)]
mod tests {
    use super::*;
    use MilestoneStatus::{Cancelled, Delayed, Done, InProgress, NotStarted};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn plans_move_forward_one_step_or_back_from_co_creation_to_draft() {
        use PlanStatus as S;
        assert!(plan_transition(S::Draft, S::CoCreation).is_ok());
        assert!(plan_transition(S::CoCreation, S::Draft).is_ok());
        assert!(plan_transition(S::CoCreation, S::Adopted).is_ok());
        assert!(plan_transition(S::Adopted, S::InImplementation).is_ok());
        assert!(plan_transition(S::InImplementation, S::Completed).is_ok());
        for (from, to) in
            [(S::Draft, S::Adopted), (S::Adopted, S::Draft), (S::Completed, S::InImplementation), (S::Draft, S::Draft)]
        {
            assert_eq!(plan_transition(from, to), Err(PlanTransitionError { from: from.as_str(), to: to.as_str() }));
        }
        assert!(!S::Draft.is_public() && S::CoCreation.is_public());
    }

    #[test]
    fn completion_follows_the_milestones() {
        assert_eq!(completion(&[]).level, CompletionLevel::NotStarted);
        assert_eq!(completion(&[NotStarted, NotStarted]).level, CompletionLevel::NotStarted);
        assert_eq!(completion(&[InProgress, NotStarted]).level, CompletionLevel::Limited);
        assert_eq!(completion(&[Delayed, NotStarted]).level, CompletionLevel::Limited);
        let c = completion(&[Done, NotStarted, NotStarted]);
        assert_eq!((c.level, c.percent, c.done, c.total), (CompletionLevel::Limited, 33, 1, 3));
        assert_eq!(completion(&[Done, Done, NotStarted, InProgress]).level, CompletionLevel::Substantial);
        let c = completion(&[Done, Done, Cancelled]);
        assert_eq!((c.level, c.percent, c.total), (CompletionLevel::Complete, 100, 2), "cancelled ones do not count");
        assert_eq!(completion(&[Cancelled]).level, CompletionLevel::NotStarted);
    }

    #[test]
    fn dates_and_completion_dates_are_checked() {
        assert_eq!(DateSpan::new(d("2021-09-01"), d("2021-08-31")), Err(EndBeforeStart));
        assert!(DateSpan::new(d("2021-09-01"), d("2021-09-01")).is_ok());
        let today = d("2022-01-10");
        assert_eq!(check_completion(Done, None, today), Err(CompletionDateError::Required));
        assert_eq!(check_completion(Done, Some(d("2022-02-01")), today), Err(CompletionDateError::InFuture));
        assert_eq!(check_completion(InProgress, Some(d("2022-01-01")), today), Err(CompletionDateError::OnlyWhenDone));
        assert!(check_completion(Done, Some(d("2022-01-05")), today).is_ok());
    }

    #[test]
    fn due_and_overdue_look_only_at_open_milestones() {
        let today = d("2022-01-10");
        assert!(due_soon(InProgress, d("2022-01-10"), today));
        assert!(due_soon(NotStarted, d("2022-02-09"), today));
        assert!(!due_soon(NotStarted, d("2022-02-10"), today));
        assert!(!due_soon(Done, d("2022-01-20"), today));
        assert!(overdue(Delayed, d("2022-01-09"), today));
        assert!(!overdue(Cancelled, d("2021-12-01"), today));
        assert!(!overdue(InProgress, d("2022-01-10"), today));
    }

    #[test]
    fn names_round_trip() {
        for v in OgpValue::ALL {
            assert_eq!(OgpValue::parse(v.as_str()), Some(*v));
        }
        assert_eq!(OgpValue::parse("transparency"), None);
        assert_eq!(MilestoneStatus::parse("delayed"), Some(Delayed));
    }
}
