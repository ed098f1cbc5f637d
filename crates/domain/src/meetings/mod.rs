//! Public meetings: schedule, registration with capacity and waiting list.
