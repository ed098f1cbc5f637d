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
        process_can(caller, b)
    }

    /// What `caller` may do with `p` of `b`, given whether they already support it.
    #[must_use]
    pub fn proposal_can(&self, caller: &Caller, b: &Budget, p: &Proposal, supported: bool) -> ProposalCan {
        proposal_can(caller, b, p, supported)
    }
}

fn process_can(caller: &Caller, b: &Budget) -> ProcessCan {
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

fn proposal_can(caller: &Caller, b: &Budget, p: &Proposal, supported: bool) -> ProposalCan {
    let author = caller.authorize(b.org_id, Action::Participate).is_ok_and(|me| p.author_id == Some(me.user_id));
    let participates = caller.authorize(b.org_id, Action::Participate).is_ok();
    let verified = !b.requires_verified || caller.authorize(b.org_id, Action::ParticipateVerified).is_ok();
    ProposalCan {
        edit: author && b.phase == Phase::Proposals,
        review: caller.authorize(b.org_id, Action::WriteContent).is_ok() && b.phase == Phase::Review,
        support: participates && verified && !supported && b.phase == Phase::Supports && p.review == Review::Feasible,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    use crate::ids::{BudgetId, OrgId, ProposalId, UserId};

    use super::*;
    use crate::auth::{Membership, Principal, Role, Scope};
    use crate::budget::ballot::BallotRule;
    use crate::budget::outcome::OutcomeRule;
    use crate::budget::process::Schedule;
    use crate::i18n::LocalizedText;

    const ORG: OrgId = OrgId::from_uuid(Uuid::from_u128(7));

    fn user(id: u128, roles: &[Role], verified: bool) -> Caller {
        let mut memberships = HashMap::new();
        memberships.insert(ORG, Membership { roles: roles.iter().copied().collect(), verified });
        Caller::User(Principal {
            user_id: UserId::from(Uuid::from_u128(id)),
            platform_admin: false,
            memberships,
            scope: Scope::Act,
            email_verified: true,
        })
    }

    fn budget(phase: Phase, requires_verified: bool) -> Budget {
        Budget {
            id: BudgetId::from(Uuid::from_u128(1)),
            org_id: ORG,
            title: LocalizedText::default(),
            rules_text: LocalizedText::default(),
            total: 1_000,
            currency: "EUR".into(),
            districts: Vec::new(),
            categories: Vec::new(),
            schedule: Schedule::default(),
            phase,
            supports_threshold: Some(1),
            ballot_rule: BallotRule::Approval { min_projects: 0, max_projects: None, knapsack: false },
            outcome_rule: OutcomeRule::Greedy,
            min_score: 0,
            requires_verified,
            district_voting: crate::budget::process::DistrictVoting::Each,
            pabulib: None,
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
        }
    }

    fn proposal(author: u128, review: Review) -> Proposal {
        Proposal {
            id: ProposalId::from(Uuid::from_u128(2)),
            budget_id: BudgetId::from(Uuid::from_u128(1)),
            org_id: ORG,
            author_id: Some(UserId::from(Uuid::from_u128(author))),
            code: "2".into(),
            title: LocalizedText::default(),
            description: LocalizedText::default(),
            category: None,
            district: None,
            location: None,
            estimated_cost: 100,
            images: Vec::new(),
            review,
            review_reason: None,
            validated_cost: None,
            supports: 0,
            works: None,
            amount_spent: None,
            pabulib_extra: None,
            created_at: DateTime::<Utc>::MIN_UTC,
            updated_at: DateTime::<Utc>::MIN_UTC,
        }
    }

    #[test]
    fn staff_flags_follow_the_authorization_decision() {
        let b = budget(Phase::Review, false);
        let official = process_can(&user(1, &[Role::Official], false), &b);
        assert_eq!((official.edit, official.import, official.transition), (true, true, vec![Phase::Supports]));
        for caller in [user(2, &[], true), user(3, &[Role::Moderator], false), Caller::Anonymous] {
            let c = process_can(&caller, &b);
            assert_eq!((c.edit, c.import, c.transition.len()), (false, false, 0), "{caller:?}");
        }
    }

    #[test]
    fn residents_propose_and_vote_only_in_their_phases_and_verified_where_required() {
        let resident = user(2, &[], false);
        assert!(process_can(&resident, &budget(Phase::Proposals, false)).propose);
        assert!(!process_can(&resident, &budget(Phase::Review, false)).propose);
        assert!(process_can(&resident, &budget(Phase::Voting, false)).vote);
        assert!(!process_can(&resident, &budget(Phase::Voting, true)).vote, "not verified");
        assert!(process_can(&user(2, &[], true), &budget(Phase::Voting, true)).vote);
        assert!(!process_can(&Caller::Anonymous, &budget(Phase::Voting, false)).vote);
    }

    #[test]
    fn only_the_author_edits_only_staff_review_and_a_support_counts_once() {
        let (author, other, staff) = (user(5, &[], false), user(6, &[], false), user(7, &[Role::Admin], false));
        let p = proposal(5, Review::Submitted);
        let b = budget(Phase::Proposals, false);
        assert!(proposal_can(&author, &b, &p, false).edit);
        assert!(!proposal_can(&other, &b, &p, false).edit);
        assert!(!proposal_can(&staff, &b, &p, false).review, "not in the review phase");
        assert!(proposal_can(&staff, &budget(Phase::Review, false), &p, false).review);
        assert!(!proposal_can(&author, &budget(Phase::Review, false), &p, false).review);
        let feasible = proposal(5, Review::Feasible);
        let supports = budget(Phase::Supports, false);
        assert!(proposal_can(&other, &supports, &feasible, false).support);
        assert!(!proposal_can(&other, &supports, &feasible, true).support, "already supported");
        assert!(!proposal_can(&other, &supports, &p, false).support, "not feasible");
        assert!(!proposal_can(&Caller::Anonymous, &supports, &feasible, false).support);
        let verified_only = budget(Phase::Supports, true);
        assert!(!proposal_can(&other, &verified_only, &feasible, false).support, "not verified");
        assert!(proposal_can(&user(8, &[], true), &verified_only, &feasible, false).support);
    }
}
