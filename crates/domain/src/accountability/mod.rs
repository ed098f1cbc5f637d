//! Action plans and commitments: status transitions, milestones and completion levels.
