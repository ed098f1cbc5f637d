//! The time as the services see it: a port, so that tests can set the date of a phase, a
//! deadline or a vote instead of waiting for it.

use std::sync::Mutex;

use chrono::{DateTime, SubsecRound, Utc};

/// Where the services read the current time.
pub trait Clock: Send + Sync {
    /// The current time at microsecond precision: what both databases store, so a timestamp
    /// read back (and an `ETag` made from it) equals the one written.
    fn now(&self) -> DateTime<Utc>;
}

/// The start of `t`'s day (UTC): how times are stored where a finer one could link a person to
/// what they chose (ballots, anonymous answers, stored responses).
#[must_use]
pub fn day_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.date_naive().and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that says what it is told (tests, demo data for a fixed date). Starts at the time
/// given and moves only when set or advanced.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    #[must_use]
    pub fn at(t: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(t.trunc_subsecs(6)))
    }

    pub fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = t.trunc_subsecs(6);
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-03-01T10:00:00.1234567Z").map(|t| t.to_utc());
        let Ok(start) = start else { panic!("bad literal") };
        let c = FixedClock::at(start);
        assert_eq!(c.now(), start.trunc_subsecs(6), "microseconds, as stored");
        assert_eq!(c.now(), c.now());
        c.advance(chrono::Duration::days(1));
        assert_eq!(c.now() - start.trunc_subsecs(6), chrono::Duration::days(1));
        let Some(later) = start.checked_add_signed(chrono::Duration::days(30)) else { panic!("overflow") };
        c.set(later);
        assert_eq!(c.now(), later.trunc_subsecs(6));
    }

    #[test]
    fn the_system_clock_keeps_microseconds() {
        let t = SystemClock.now();
        assert_eq!(t.timestamp_subsec_nanos() % 1000, 0);
    }
}

/// The system's clock moved by an offset that tests set: "a week later" without waiting, while
/// time still passes as it does (so versions made a moment apart still differ).
#[derive(Debug, Default)]
pub struct OffsetClock(Mutex<chrono::Duration>);

impl OffsetClock {
    /// Moves the clock by `by` (negative: back).
    pub fn advance(&self, by: chrono::Duration) {
        let mut o = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *o += by;
    }

    /// Puts the clock back to the system's time.
    pub fn reset(&self) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = chrono::Duration::zero();
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        SystemClock.now() + offset
    }
}

#[cfg(test)]
mod offset_tests {
    use super::*;

    #[test]
    fn an_offset_clock_runs_ahead_by_what_it_is_told() {
        let c = OffsetClock::default();
        c.advance(chrono::Duration::days(7));
        let ahead = c.now() - SystemClock.now();
        assert!(ahead > chrono::Duration::days(7) - chrono::Duration::seconds(5), "{ahead}");
        assert!(ahead <= chrono::Duration::days(7));
        c.reset();
        assert!(c.now() - SystemClock.now() < chrono::Duration::seconds(5));
    }
}
