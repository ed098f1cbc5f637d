//! Exact non-negative decimal amounts (`1546168.66`): budgets, costs and points read from pabulib
//! files or stored as integer minor units. Never floats.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A non-negative decimal number kept exactly: `units / 10^scale`.
///
/// The scale is the number of digits written after the decimal point, so `"1.50"` and `"1.5"` are
/// different representations of the same value (they compare equal) and each prints back as written.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Amount {
    units: u64,
    scale: u8,
}

/// The largest number of decimal digits an [`Amount`] may have.
pub const MAX_SCALE: u8 = 6;

/// Why a text is not an [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a non-negative decimal number (digits, optionally `.` and at most 6 decimals)")]
pub struct InvalidAmount(pub String);

impl Amount {
    /// `units / 10^scale`.
    ///
    /// # Errors
    /// When `scale` exceeds [`MAX_SCALE`].
    pub fn new(units: u64, scale: u8) -> Result<Self, InvalidAmount> {
        if scale > MAX_SCALE {
            return Err(InvalidAmount(format!("{units}e-{scale}")));
        }
        Ok(Self { units, scale })
    }

    /// A whole number.
    #[must_use]
    pub fn whole(units: u64) -> Self {
        Self { units, scale: 0 }
    }

    /// The value in units of `10^-scale`.
    #[must_use]
    pub fn units(&self) -> u64 {
        self.units
    }

    /// The number of decimal digits.
    #[must_use]
    pub fn scale(&self) -> u8 {
        self.scale
    }

    /// The value expressed in units of `10^-scale` for a `scale` at least this amount's own, or
    /// `None` when it does not fit in a `u64`.
    #[must_use]
    pub fn units_at(&self, scale: u8) -> Option<u64> {
        let extra = u32::from(scale.checked_sub(self.scale)?);
        self.units.checked_mul(10u64.checked_pow(extra)?)
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Amount {}
impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Amount {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let scale = self.scale.max(other.scale);
        let widen = |a: &Amount| u128::from(a.units) * 10u128.pow(u32::from(scale - a.scale));
        widen(self).cmp(&widen(other))
    }
}

impl FromStr for Amount {
    type Err = InvalidAmount;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidAmount(s.to_owned());
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
            return Err(bad());
        }
        let scale = u8::try_from(frac.len()).map_err(|_| bad())?;
        if scale > MAX_SCALE {
            return Err(bad());
        }
        let units = format!("{int}{frac}").parse::<u64>().map_err(|_| bad())?;
        Ok(Self { units, scale })
    }
}

impl TryFrom<String> for Amount {
    type Error = InvalidAmount;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Amount> for String {
    fn from(a: Amount) -> Self {
        a.to_string()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.units);
        }
        let p = 10u64.pow(u32::from(self.scale));
        write!(f, "{}.{:0width$}", self.units / p, self.units % p, width = usize::from(self.scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_print_back_as_written() {
        for s in ["0", "12", "1546168.66", "0.05", "1.50", "10.000001"] {
            assert_eq!(s.parse::<Amount>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn bad_texts_are_refused() {
        for s in ["", "-1", "1.", ".5", "1,5", "1e5", "1.1234567", "99999999999999999999"] {
            assert!(s.parse::<Amount>().is_err(), "{s}");
        }
    }

    #[test]
    fn equal_values_at_different_scales_compare_equal() {
        let a: Amount = "1.5".parse().unwrap();
        let b: Amount = "1.50".parse().unwrap();
        assert_eq!(a, b);
        assert!(a < "1.51".parse().unwrap());
        assert_eq!(a.units_at(3), Some(1500));
        assert_eq!(b.units_at(1), None);
    }
}
