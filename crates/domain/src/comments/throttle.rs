//! Slows down comment floods: at most N comments per account within a sliding window; the next
//! is refused (429 with `Retry-After`) until the oldest leaves the window. Kept in memory per
//! server instance, like the login throttle.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::ids::UserId;

/// Recent posts per account.
#[derive(Debug)]
pub struct PostThrottle {
    max_posts: usize,
    window: Duration,
    posts: Mutex<HashMap<UserId, VecDeque<DateTime<Utc>>>>,
}

impl PostThrottle {
    #[must_use]
    pub fn new(max_posts: usize, window: Duration) -> Self {
        PostThrottle { max_posts, window, posts: Mutex::new(HashMap::new()) }
    }

    /// Takes a post of `user` at `now` if the window has room: `Err(seconds to wait)` otherwise.
    /// Checking and counting are one step, so concurrent posts cannot all slip through.
    ///
    /// # Errors
    /// The seconds until the oldest post in the window leaves it (at least 1).
    pub fn take(&self, user: UserId, now: DateTime<Utc>) -> Result<(), i64> {
        let Ok(mut posts) = self.posts.lock() else { return Ok(()) };
        let window = self.window;
        if posts.len() > 100_000 {
            posts.retain(|_, q| q.back().is_some_and(|t| *t + window > now));
        }
        let q = posts.entry(user).or_default();
        while q.front().is_some_and(|t| *t + window <= now) {
            q.pop_front();
        }
        if q.len() >= self.max_posts {
            let oldest = q.front().copied().unwrap_or(now);
            return Err((oldest + window - now).num_seconds().max(1));
        }
        q.push_back(now);
        Ok(())
    }

    /// Gives back a post that `take` counted but that was then refused for another reason.
    pub fn give_back(&self, user: UserId, at: DateTime<Utc>) {
        if let Ok(mut posts) = self.posts.lock()
            && let Some(q) = posts.get_mut(&user)
            && let Some(i) = q.iter().rposition(|t| *t == at)
        {
            q.remove(i);
        }
    }
}

impl Default for PostThrottle {
    /// Five comments a minute.
    fn default() -> Self {
        Self::new(5, Duration::minutes(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn the_sixth_post_in_a_minute_waits_for_the_first_to_leave_the_window() {
        let t = PostThrottle::default();
        let u = UserId::from(Uuid::from_u128(1));
        let start: DateTime<Utc> = "2026-05-01T10:00:00Z".parse().unwrap();
        for i in 0..5 {
            assert_eq!(t.take(u, start + Duration::seconds(i)), Ok(()));
        }
        assert_eq!(t.take(u, start + Duration::seconds(10)), Err(50));
        assert_eq!(t.take(UserId::from(Uuid::from_u128(2)), start), Ok(()), "per account");
        assert_eq!(t.take(u, start + Duration::seconds(60)), Ok(()), "the first left the window");
    }

    #[test]
    fn a_post_given_back_does_not_count() {
        let t = PostThrottle::new(1, Duration::minutes(1));
        let u = UserId::from(Uuid::from_u128(1));
        let now: DateTime<Utc> = "2026-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(t.take(u, now), Ok(()));
        t.give_back(u, now);
        assert_eq!(t.take(u, now), Ok(()));
    }
}
