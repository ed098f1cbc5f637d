//! The figures of the programme page, per member organisation.
//!
//! **Action plans**: the commitments of its public action plans (not drafts), counted by
//! completion level (computed from their milestones, as on the plan's own overview), and the
//! milestones still open past their end date in the organisation's time zone.
//!
//! **Reports**: every report and proposal filed: `received`; `answered` (any first answer);
//! `answered_in_time` (the first answer came within the category's deadline);
//! `in_time_percent` = answered in time as a whole percentage (rounded down) of those answered;
//! and the median time to the first answer (the mean of the middle two for an even count, rounded
//! down to the second).
//!
//! **Budget**: the latest year the organisation published: planned, in force (amended, else
//! planned) and executed totals over its lines, and executed as a whole percentage (rounded down)
//! of the amount in force.

use chrono::{Duration, NaiveDate};

use super::{BudgetLineAmounts, MemberCommitment, ReportTiming};
use crate::action_plans::records::Milestone;
use crate::action_plans::rules::{self as plan_rules, MilestoneStatus};
use crate::action_plans::views::{LevelCounts, OverviewMilestone};
use crate::money::Currency;
use crate::reports::rules::median;

/// A member's action plans at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlansSummary {
    pub commitments: u32,
    pub by_level: LevelCounts,
    /// Open milestones past their end date, oldest end date first.
    pub overdue: Vec<OverviewMilestone>,
}

/// A member's answer times to reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportsSummary {
    pub received: u64,
    pub answered: u64,
    pub answered_in_time: u64,
    /// `None` while nothing is answered.
    pub in_time_percent: Option<u8>,
    pub median_first_answer_seconds: Option<i64>,
}

/// A member's latest budget year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetSummary {
    pub year: i32,
    pub currency: Currency,
    pub planned: i64,
    pub current: i64,
    pub executed: i64,
    /// `None` when nothing is in force.
    pub executed_percent: Option<u8>,
}

fn percent(part: i128, whole: i128) -> Option<u8> {
    if whole <= 0 {
        return None;
    }
    Some(u8::try_from((part.max(0) * 100 / whole).min(255)).unwrap_or(u8::MAX))
}

/// The plans summary of one member from its commitments (of every plan: drafts are left out
/// here) and the milestones of those commitments (others are ignored), as of `today`.
#[must_use]
pub fn plans_summary(commitments: &[MemberCommitment], milestones: &[Milestone], today: NaiveDate) -> PlansSummary {
    let public: Vec<&MemberCommitment> = commitments.iter().filter(|c| c.plan_status.is_public()).collect();
    let mut s =
        PlansSummary { commitments: u32::try_from(public.len()).unwrap_or(u32::MAX), ..PlansSummary::default() };
    for c in &public {
        let mine: Vec<&Milestone> = milestones.iter().filter(|m| m.commitment_id == c.commitment_id).collect();
        let statuses: Vec<MilestoneStatus> = mine.iter().map(|m| m.status).collect();
        s.by_level.count(plan_rules::completion(&statuses).level);
        for m in mine {
            if plan_rules::overdue(m.status, m.dates.end(), today) {
                s.overdue.push(OverviewMilestone {
                    commitment_id: m.commitment_id,
                    milestone_id: m.id,
                    title: m.title.clone(),
                    end_date: m.dates.end(),
                    status: m.status,
                });
            }
        }
    }
    s.overdue.sort_by_key(|m| (m.end_date, m.milestone_id));
    s
}

/// The reports summary of one member's reports.
#[must_use]
pub fn reports_summary(timings: &[ReportTiming]) -> ReportsSummary {
    let mut s = ReportsSummary::default();
    let mut took = Vec::new();
    for t in timings {
        s.received += 1;
        if let Some(a) = t.first_answer_at {
            let d = a - t.created_at;
            took.push(d.num_seconds());
            if d <= Duration::days(i64::from(t.answer_days)) {
                s.answered_in_time += 1;
            }
        }
    }
    s.answered = took.len() as u64;
    s.in_time_percent = percent(i128::from(s.answered_in_time), i128::from(s.answered));
    s.median_first_answer_seconds = median(took);
    s
}

/// The budget summary of one member's latest year's lines; `None` without lines.
#[must_use]
pub fn budget_summary(lines: &[BudgetLineAmounts]) -> Option<BudgetSummary> {
    let first = lines.first()?;
    let (mut planned, mut current, mut executed) = (0i64, 0i64, 0i64);
    for l in lines {
        planned = planned.saturating_add(l.planned);
        current = current.saturating_add(l.current);
        executed = executed.saturating_add(l.executed);
    }
    Some(BudgetSummary {
        year: first.year,
        currency: first.currency,
        planned,
        current,
        executed,
        executed_percent: percent(i128::from(executed), i128::from(current)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action_plans::rules::{DateSpan, PlanStatus};
    use crate::i18n::LocalizedText;
    use crate::ids::{CommitmentId, OrgId};
    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn milestone(c: CommitmentId, status: MilestoneStatus, end: &str) -> Milestone {
        let now: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        Milestone {
            id: Uuid::now_v7(),
            commitment_id: c,
            position: 0,
            title: LocalizedText::default(),
            deliverable: LocalizedText::default(),
            dates: DateSpan::new(d("2025-01-01"), d(end)).unwrap(),
            status,
            completed_on: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn drafts_are_left_out_and_open_milestones_past_their_end_are_overdue() {
        let org = OrgId::new_v7();
        let (a, b, draft) = (CommitmentId::new_v7(), CommitmentId::new_v7(), CommitmentId::new_v7());
        let cs = [
            MemberCommitment { org_id: org, commitment_id: a, plan_status: PlanStatus::InImplementation },
            MemberCommitment { org_id: org, commitment_id: b, plan_status: PlanStatus::Adopted },
            MemberCommitment { org_id: org, commitment_id: draft, plan_status: PlanStatus::Draft },
        ];
        let ms = [
            milestone(a, MilestoneStatus::Done, "2025-06-01"),
            milestone(a, MilestoneStatus::InProgress, "2025-12-31"),
            milestone(b, MilestoneStatus::Done, "2025-03-01"),
            milestone(draft, MilestoneStatus::InProgress, "2025-02-01"),
        ];
        let s = plans_summary(&cs, &ms, d("2026-01-10"));
        assert_eq!(s.commitments, 2);
        assert_eq!((s.by_level.substantial, s.by_level.complete, s.by_level.limited), (1, 1, 0));
        assert_eq!(s.overdue.len(), 1, "the draft's milestone is not shown");
        assert_eq!(s.overdue[0].end_date, d("2025-12-31"));
        assert!(plans_summary(&cs, &ms, d("2025-12-31")).overdue.is_empty(), "due today is not overdue");
    }

    #[test]
    fn answer_times_count_the_deadline_inclusively_and_take_the_median() {
        let org = OrgId::new_v7();
        let t0: DateTime<Utc> = "2026-03-01T10:00:00Z".parse().unwrap();
        let t = |answer: Option<i64>| ReportTiming {
            org_id: org,
            created_at: t0,
            first_answer_at: answer.map(|h| t0 + Duration::hours(h)),
            answer_days: 1,
        };
        let s = reports_summary(&[t(Some(24)), t(Some(25)), t(Some(2)), t(None)]);
        assert_eq!((s.received, s.answered, s.answered_in_time), (4, 3, 2));
        assert_eq!(s.in_time_percent, Some(66));
        assert_eq!(s.median_first_answer_seconds, Some(24 * 3600));
        assert_eq!(reports_summary(&[t(None)]).in_time_percent, None);
    }

    #[test]
    fn budget_totals_add_up_the_lines_and_use_the_amended_amount() {
        let org = OrgId::new_v7();
        let rsd: Currency = "RSD".parse().unwrap();
        let l = |planned, current, executed| BudgetLineAmounts {
            org_id: org,
            year: 2025,
            currency: rsd,
            planned,
            current,
            executed,
        };
        let s = budget_summary(&[l(100, 120, 60), l(50, 50, 50)]).unwrap();
        assert_eq!((s.planned, s.current, s.executed, s.executed_percent), (150, 170, 110, Some(64)));
        assert_eq!(budget_summary(&[]), None);
        assert_eq!(budget_summary(&[l(0, 0, 0)]).unwrap().executed_percent, None);
    }
}
