//! Consultations and surveys: questions, display conditions, answer validation, results.
