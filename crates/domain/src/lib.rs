//! Pnyx's domain: the types and rules of open government, free of any database or HTTP concern.
//!
//! Every rule that decides something — who may do what, which transitions are allowed, whether a
//! ballot is valid, who wins a participatory budget — lives here and is unit-tested here.

pub mod accountability;
pub mod accounts;
pub mod auth;
pub mod budget;
pub mod i18n;
pub mod meetings;
pub mod money;
pub mod org;
pub mod repo;
pub mod surveys;
