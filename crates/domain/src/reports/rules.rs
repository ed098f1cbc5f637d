//! The rules of reports: kinds, the status graph, when one is overdue, and the statistics.
//!
//! **Status graph.** `received` → `accepted` | `in_progress` | `resolved` | `declined` |
//! `duplicate`; `accepted` → `in_progress` | `resolved` | `declined` | `duplicate`;
//! `in_progress` → `resolved` | `declined`; and one way back: `resolved` → `in_progress`
//! (staff *reopen* a report whose fix did not hold). `declined` and `duplicate` are final (a
//! resident files anew); nothing goes back to `received`, and a status does not move to itself.
//!
//! **Overdue**: a report still `received` (no answer yet) past its category's deadline.
//!
//! **Statistics** (per category and month of receipt in the organisation's time zone, per
//! category, and in all): `received`; `answered` (got a first answer: any status change);
//! `answered_in_time` (the first answer came within the category's deadline);
//! `median_first_answer_seconds` over the answered ones; `resolved` (resolved now) and
//! `median_resolve_seconds` (receipt to the last resolution) over them. A median of an even number
//! of durations is the mean of the middle two, rounded down to the second.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{Category, ReportTimes};
use crate::ids::ReportCategoryId;

/// A report of a problem, or a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Report,
    Proposal,
}

impl ReportKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Report => "report",
            ReportKind::Proposal => "proposal",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [ReportKind::Report, ReportKind::Proposal].into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Accepted,
    InProgress,
    Resolved,
    Declined,
    Duplicate,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Received, Status::Accepted, Status::InProgress, Status::Resolved, Status::Declined, Status::Duplicate];

    /// Statuses in which staff still have work to do.
    pub const OPEN: [Status; 3] = [Status::Received, Status::Accepted, Status::InProgress];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Declined => "declined",
            Status::Duplicate => "duplicate",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether staff may move a report from `self` to `to` (see the module's graph).
    #[must_use]
    pub fn may_become(self, to: Status) -> bool {
        use Status::{Accepted, Declined, Duplicate, InProgress, Received, Resolved};
        matches!(
            (self, to),
            (Received, Accepted | InProgress | Resolved | Declined | Duplicate)
                | (Accepted, InProgress | Resolved | Declined | Duplicate)
                | (InProgress, Resolved | Declined)
                | (Resolved, InProgress)
        )
    }
}

/// A move the graph does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a report cannot go from {} to {}", from.as_str(), to.as_str())]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

/// # Errors
/// When the graph does not allow the move.
pub fn check_transition(from: Status, to: Status) -> Result<(), TransitionError> {
    if from.may_become(to) { Ok(()) } else { Err(TransitionError { from, to }) }
}

/// Whether a report filed at `created_at`, still unanswered, is past a deadline of `answer_days`.
#[must_use]
pub fn is_overdue(status: Status, created_at: DateTime<Utc>, answer_days: u32, now: DateTime<Utc>) -> bool {
    status == Status::Received && now > created_at + Duration::days(i64::from(answer_days))
}

/// One line of the statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsRow {
    /// `None`: every category.
    pub category_id: Option<ReportCategoryId>,
    /// `YYYY-MM` of receipt; `None`: every month.
    pub month: Option<String>,
    pub received: u64,
    pub answered: u64,
    pub answered_in_time: u64,
    pub median_first_answer_seconds: Option<i64>,
    pub resolved: u64,
    pub median_resolve_seconds: Option<i64>,
}

/// The statistics of an organisation: per category and month, per category, and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Per category and month, by category then month.
    pub rows: Vec<StatsRow>,
    /// Per category (month `None`), in category order.
    pub categories: Vec<StatsRow>,
    pub total: StatsRow,
}

#[derive(Default)]
struct Acc {
    received: u64,
    in_time: u64,
    answer: Vec<i64>,
    resolve: Vec<i64>,
}

impl Acc {
    fn row(self, category_id: Option<ReportCategoryId>, month: Option<String>) -> StatsRow {
        StatsRow {
            category_id,
            month,
            received: self.received,
            answered: self.answer.len() as u64,
            answered_in_time: self.in_time,
            median_first_answer_seconds: median(self.answer),
            resolved: self.resolve.len() as u64,
            median_resolve_seconds: median(self.resolve),
        }
    }
}

/// The median, the mean of the middle two for an even count (rounded down).
#[must_use]
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]).div_euclid(2) })
}

/// The statistics of `reports` (see the module), months in `tz`.
#[must_use]
pub fn stats(reports: &[ReportTimes], categories: &[Category], tz: chrono_tz::Tz) -> Stats {
    let days: BTreeMap<ReportCategoryId, u32> = categories.iter().map(|c| (c.id, c.answer_days)).collect();
    let order: BTreeMap<ReportCategoryId, usize> = categories.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut cells: BTreeMap<(usize, String), Acc> = BTreeMap::new();
    let mut per_cat: BTreeMap<usize, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    for r in reports {
        let idx = order.get(&r.category_id).copied().unwrap_or(usize::MAX);
        let month = r.created_at.with_timezone(&tz).format("%Y-%m").to_string();
        let deadline = Duration::days(i64::from(days.get(&r.category_id).copied().unwrap_or(0)));
        for acc in [cells.entry((idx, month)).or_default(), per_cat.entry(idx).or_default(), &mut total] {
            acc.received += 1;
            if let Some(a) = r.first_answer_at {
                let took = a - r.created_at;
                acc.answer.push(took.num_seconds());
                if took <= deadline {
                    acc.in_time += 1;
                }
            }
            if let (Status::Resolved, Some(done)) = (r.status, r.resolved_at) {
                acc.resolve.push((done - r.created_at).num_seconds());
            }
        }
    }
    let cat = |i: usize| categories.get(i).map(|c| c.id);
    Stats {
        rows: cells.into_iter().map(|((i, m), acc)| acc.row(cat(i), Some(m))).collect(),
        categories: per_cat.into_iter().map(|(i, acc)| acc.row(cat(i), None)).collect(),
        total: total.row(None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graph_goes_forward_and_reopens_only_a_resolved_report() {
        use Status::*;
        assert!(Received.may_become(Accepted));
        assert!(Received.may_become(Duplicate));
        assert!(Accepted.may_become(Resolved));
        assert!(InProgress.may_become(Declined));
        assert!(Resolved.may_become(InProgress), "reopen");
        for s in Status::ALL {
            assert!(!s.may_become(Received), "{s:?} back to received");
            assert!(!s.may_become(s), "{s:?} to itself");
            assert!(!Declined.may_become(s), "declined is final");
            assert!(!Duplicate.may_become(s), "duplicate is final");
        }
        assert!(!InProgress.may_become(Accepted));
        assert!(!InProgress.may_become(Duplicate));
        assert!(!Resolved.may_become(Declined));
        assert_eq!(check_transition(Resolved, Accepted), Err(TransitionError { from: Resolved, to: Accepted }));
    }

    #[test]
    fn only_an_unanswered_report_past_its_deadline_is_overdue() {
        let filed: DateTime<Utc> = "2026-03-01T10:00:00Z".parse().unwrap();
        assert!(!is_overdue(Status::Received, filed, 15, filed + Duration::days(15)));
        assert!(is_overdue(Status::Received, filed, 15, filed + Duration::days(15) + Duration::seconds(1)));
        assert!(!is_overdue(Status::Accepted, filed, 15, filed + Duration::days(40)));
    }

    #[test]
    fn a_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 2, 10]), Some(3));
        assert_eq!(median(vec![1, 2]), Some(1), "1.5 rounds down");
    }

    #[test]
    fn statuses_and_kinds_round_trip_through_their_names() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReportKind::parse("proposal"), Some(ReportKind::Proposal));
        assert_eq!(Status::parse("closed"), None);
    }
}
