//! Announcing that a consultation opened: consultations open at a time set in advance, so no
//! request marks the moment. A scheduled worker finds the consultations whose opening time passed
//! and, for each, records the announcement and publishes `consultation.opened` (to followers and
//! webhooks) in one unit of work. The record is a conditional write (only where none was made),
//! so the event goes out once across restarts and across several servers.

use std::sync::Arc;

use crate::clock::Clock;
use crate::notifications::{DomainEvent, Followable, kind, publish};
use crate::repo::{RepoResult, Store};

/// Consultations announced per round at most.
const BATCH: u64 = 50;

/// Publishes `consultation.opened` once per consultation.
pub struct OpeningAnnouncer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl OpeningAnnouncer {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        OpeningAnnouncer { store, clock }
    }

    /// Announces the openings due now; how many this call announced.
    ///
    /// # Errors
    /// The database failed (what was announced before stays announced).
    pub async fn run_once(&self) -> RepoResult<usize> {
        let now = self.clock.now();
        let mut announced = 0;
        for c in self.store.unannounced_openings(now, BATCH).await? {
            let tx = self.store.begin().await?;
            if !tx.announce_opening(c.id, now).await? {
                continue; // another server did
            }
            let payload = serde_json::json!({"consultation_id": c.id, "title": c.title});
            let event = DomainEvent::new(kind::CONSULTATION_OPENED, c.org_id, Followable::Consultation, c.id, payload);
            publish(&*tx, &event, now).await?;
            tx.commit().await?;
            tracing::info!(consultation = %c.id, "consultation opening announced");
            announced += 1;
        }
        Ok(announced)
    }

    /// Runs until the task is dropped, a round every `poll`.
    pub async fn run(self, poll: std::time::Duration) {
        loop {
            if let Err(e) = self.run_once().await {
                tracing::error!(error = %e, "cannot announce consultation openings");
            }
            tokio::time::sleep(poll).await;
        }
    }
}
