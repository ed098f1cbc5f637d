//! Readiness: whether the application can serve, i.e. whether its database answers.

use std::sync::Arc;

use crate::repo::{RepoResult, Store};

/// The readiness probe's use case.
pub struct HealthService {
    store: Arc<dyn Store>,
}

impl HealthService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>) -> Self {
        HealthService { store }
    }

    /// Checks that the database answers.
    ///
    /// # Errors
    /// When it does not.
    #[tracing::instrument(skip_all)]
    pub async fn ping(&self) -> RepoResult<()> {
        self.store.ping().await
    }
}
