//! What the caller may do with a process or a proposal now: the same decisions the use cases
//! make ([`Caller::authorize`] and the phase), so that a client shows only what will work.

use super::BudgetService;
use crate::auth::{Action, Caller};
use crate::budget::process::{self, Budget, Phase, Proposal, Review};

/// What the caller may do with a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessCan {
    /// Edit its texts and schedule (and its rules before voting).
    pub edit: bool,
    /// The phases it may be moved to (at most the next one).
    pub transition: Vec<Phase>,
    /// Submit a proposal.
    pub propose: bool,
    /// Cast a ballot.
    pub vote: bool,
    /// Import a pabulib file into the organisation.
    pub import: bool,
}

/// What the caller may do with a proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCan {
    /// Edit it (its author, during the proposals phase).
    pub edit: bool,
    /// Record its review (staff, during the review phase).
    pub review: bool,
    /// Support it (a resident who has not yet, during the supports phase, if it is feasible).
    pub support: bool,
}

impl BudgetService {
    /// What `caller` may do with `b`.
    #[must_use]
    pub fn process_can(&self, caller: &Caller, b: &Budget) -> ProcessCan {
        let staff = caller.authorize(b.org_id, Action::WriteContent).is_ok();
        let participates = caller.authorize(b.org_id, Action::Participate).is_ok();
        let verified = !b.requires_verified || caller.authorize(b.org_id, Action::ParticipateVerified).is_ok();
        let next = process::next_phase(b.phase, b.supports_threshold.is_some());
        ProcessCan {
            edit: staff,
            transition: if staff { next.into_iter().collect() } else { Vec::new() },
            propose: participates && b.phase == Phase::Proposals,
            vote: participates && verified && b.phase == Phase::Voting,
            import: staff,
        }
    }

    /// What `caller` may do with `p` of `b`, given whether they already support it.
    #[must_use]
    pub fn proposal_can(&self, caller: &Caller, b: &Budget, p: &Proposal, supported: bool) -> ProposalCan {
        let author = caller.authorize(b.org_id, Action::Participate).is_ok_and(|me| p.author_id == Some(me.user_id));
        let participates = caller.authorize(b.org_id, Action::Participate).is_ok();
        ProposalCan {
            edit: author && b.phase == Phase::Proposals,
            review: caller.authorize(b.org_id, Action::WriteContent).is_ok() && b.phase == Phase::Review,
            support: participates && !supported && b.phase == Phase::Supports && p.review == Review::Feasible,
        }
    }
}
