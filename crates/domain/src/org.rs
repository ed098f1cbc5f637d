//! Organisations (municipalities): the slug that addresses them and the settings they carry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An organisation's address in URLs, e.g. `banska-bystrica`: 2–63 characters of lower-case ASCII
/// letters, digits and single hyphens, starting with a letter and not ending with a hyphen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a valid slug: use 2–63 lower-case letters, digits and single hyphens, starting with a letter"
)]
pub struct InvalidSlug(pub String);

impl FromStr for Slug {
    type Err = InvalidSlug;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (2..=63).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            Err(InvalidSlug(s.to_owned()))
        }
    }
}

impl TryFrom<String> for Slug {
    type Error = InvalidSlug;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> Self {
        s.0
    }
}

impl Slug {
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone name such as `Europe/Bratislava`, checked against the tz database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(chrono_tz::Tz);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IANA time zone such as Europe/Warsaw")]
pub struct InvalidTimeZone(pub String);

impl FromStr for TimeZone {
    type Err = InvalidTimeZone;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<chrono_tz::Tz>()
            .map(TimeZone)
            .map_err(|_| InvalidTimeZone(s.to_owned()))
    }
}

impl TimeZone {
    #[must_use]
    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_municipality_slugs_are_accepted() {
        for s in [
            "banska-bystrica",
            "bedzin",
            "sosnowiec",
            "vlasotince",
            "novi-pazar2",
        ] {
            assert!(s.parse::<Slug>().is_ok(), "{s}");
        }
    }

    #[test]
    fn malformed_slugs_are_refused() {
        for s in [
            "",
            "a",
            "Bedzin",
            "będzin",
            "-x",
            "x-",
            "a--b",
            "1abc",
            "a b",
            &"a".repeat(64),
        ] {
            assert!(s.parse::<Slug>().is_err(), "{s}");
        }
    }

    #[test]
    fn time_zones_come_from_the_tz_database() {
        assert_eq!(
            "Europe/Bratislava".parse::<TimeZone>().map(TimeZone::name),
            Ok("Europe/Bratislava")
        );
        assert!("Europe/Atlantis".parse::<TimeZone>().is_err());
    }
}
