//! Slows down password guessing: after too many failed logins for one e-mail address within a
//! window, further attempts get 429 with `Retry-After` until the window ends. Kept in memory per
//! server instance (a guesser spread over instances gets at most N × instances tries).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Failed-login counter per key (the normalised e-mail).
#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: u32,
    window: Duration,
    entries: Mutex<HashMap<String, (u32, DateTime<Utc>)>>,
}

impl LoginThrottle {
    #[must_use]
    pub fn new(max_failures: u32, window: Duration) -> Self {
        LoginThrottle { max_failures, window, entries: Mutex::new(HashMap::new()) }
    }

    /// Seconds to wait before trying again, if `key` is locked out now.
    #[must_use]
    pub fn retry_after(&self, key: &str, now: DateTime<Utc>) -> Option<i64> {
        let entries = self.entries.lock().ok()?;
        let (count, start) = entries.get(key)?;
        let ends = *start + self.window;
        (*count >= self.max_failures && ends > now).then(|| (ends - now).num_seconds().max(1))
    }

    pub fn record_failure(&self, key: &str, now: DateTime<Utc>) {
        if let Ok(mut entries) = self.entries.lock() {
            // Forget old windows now and then, so the map does not grow without bound.
            if entries.len() > 100_000 {
                let window = self.window;
                entries.retain(|_, (_, start)| *start + window > now);
            }
            let e = entries.entry(key.to_owned()).or_insert((0, now));
            if e.1 + self.window <= now {
                *e = (0, now);
            }
            e.0 += 1;
        }
    }

    pub fn record_success(&self, key: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }
}

impl Default for LoginThrottle {
    /// Ten failures per fifteen minutes.
    fn default() -> Self {
        Self::new(10, Duration::minutes(15))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_locked_after_the_limit_until_the_window_ends() {
        let t = LoginThrottle::new(3, Duration::minutes(15));
        let now = Utc::now();
        for _ in 0..2 {
            t.record_failure("a@b.sk", now);
        }
        assert_eq!(t.retry_after("a@b.sk", now), None);
        t.record_failure("a@b.sk", now);
        assert_eq!(t.retry_after("a@b.sk", now), Some(900));
        assert_eq!(t.retry_after("other@b.sk", now), None, "per key");
        assert_eq!(t.retry_after("a@b.sk", now + Duration::minutes(15)), None, "window over");
    }

    #[test]
    fn a_success_clears_the_count_and_a_new_window_starts_afresh() {
        let t = LoginThrottle::new(2, Duration::minutes(1));
        let now = Utc::now();
        t.record_failure("k", now);
        t.record_success("k");
        t.record_failure("k", now);
        assert_eq!(t.retry_after("k", now), None);
        t.record_failure("k", now + Duration::minutes(2));
        assert_eq!(t.retry_after("k", now + Duration::minutes(2)), None, "old failure expired");
    }
}
