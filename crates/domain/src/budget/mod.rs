//! Participatory budgets: processes and their phases, ballots, outcome rules (greedy, Method of
//! Equal Shares) and the pabulib format.

pub mod amount;
pub mod ballot;
pub mod outcome;
pub mod pabulib;
pub mod process;
