//! Public meetings: schedule, registration with capacity and waiting list, minutes and outputs,
//! follow-up activities residents co-own.

pub mod records;
pub mod rules;
pub mod service;
