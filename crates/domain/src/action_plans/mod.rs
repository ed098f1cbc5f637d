//! Action plans and commitments (OGP Local): status transitions, milestones and the completion
//! level that follows from them, the overview numbers, and co-owners.

pub mod records;
pub mod rules;
pub mod service;
pub mod views;

pub use service::{
    ActionPlanError, ActionPlanService, CellError, IMPORT_ROWS_MAX, ImportedCommitment, OGP_COLUMNS, OgpImportError,
};
