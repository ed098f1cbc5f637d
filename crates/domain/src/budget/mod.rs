//! Participatory budgets: processes and their phases, ballots, outcome rules (the cities' greedy
//! rules, Method of Equal Shares), the pabulib format — and the use cases ([`service::BudgetService`]).

pub mod amount;
pub mod ballot;
pub mod casting;
pub mod exchange;
pub mod keys;
pub mod outcome;
pub mod pabulib;
pub mod process;
pub mod results;
pub mod service;

pub use casting::BallotInput;
pub use keys::BallotKeys;
pub use results::{BudgetResults, ResultsCache, ResultsLimits, ResultsQuery, TallyResult, WinnerResult};
pub use service::{BudgetError, BudgetService};
