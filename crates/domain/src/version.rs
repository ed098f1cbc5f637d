//! A resource's version: its `updated_at`, made strictly later by every change, so that an `ETag`
//! made from it changes with every change (even two within one clock tick) and an `If-Match`
//! holding an older one is refused. One helper for every versioned update.

use chrono::{DateTime, Duration, Utc};

/// The version check and bump every versioned update uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version;

/// The caller's `If-Match` names a version that is no longer the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the resource was changed by someone else; reload and try again")]
pub struct Stale;

/// Lets `?` turn a failed [`Version::check`] into an area error's `Stale` variant:
/// `stale_converts!(MeetingError);` beside the error type.
#[macro_export]
macro_rules! stale_converts {
    ($error:ty) => {
        impl From<$crate::version::Stale> for $error {
            fn from(_: $crate::version::Stale) -> Self {
                Self::Stale
            }
        }
    };
}

impl Version {
    /// The version after `previous`: `now`, or one microsecond later than `previous` when the
    /// clock has not moved past it.
    #[must_use]
    pub fn next_after(previous: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
        if now > previous { now } else { previous + Duration::microseconds(1) }
    }

    /// Whether an update that expects `expected` (none: unconditional) may go on `current`.
    ///
    /// # Errors
    /// [`Stale`] when the expected version is not the current one.
    pub fn check(expected: Option<DateTime<Utc>>, current: DateTime<Utc>) -> Result<(), Stale> {
        match expected {
            Some(e) if e != current => Err(Stale),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_version_is_strictly_later_even_within_a_clock_tick() {
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(Version::next_after(t, t + Duration::seconds(1)), t + Duration::seconds(1));
        assert_eq!(Version::next_after(t, t), t + Duration::microseconds(1));
        assert_eq!(Version::next_after(t, t - Duration::seconds(5)), t + Duration::microseconds(1));
    }

    #[test]
    fn only_the_current_version_or_none_passes() {
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(Version::check(None, t), Ok(()));
        assert_eq!(Version::check(Some(t), t), Ok(()));
        assert_eq!(Version::check(Some(t - Duration::microseconds(1)), t), Err(Stale));
    }
}
