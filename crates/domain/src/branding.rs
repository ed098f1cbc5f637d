//! An organisation's accent colour, checked for legibility: the web app paints buttons and the
//! header in it under white text, and links in it on the page's background, so it must reach the
//! WCAG 2.x contrast ratio for normal text (4.5:1) against both.

use std::fmt;
use std::str::FromStr;

/// White: the text on buttons and the header painted in the accent colour.
pub const TEXT_ON_ACCENT: AccentColour = AccentColour([0xff, 0xff, 0xff]);

/// The web app's page background (its `--wash`), on which links are drawn in the accent colour.
pub const PAGE_BACKGROUND: AccentColour = AccentColour([0xf3, 0xf5, 0xf9]);

/// The least contrast ratio WCAG 2.x (success criterion 1.4.3, level AA) asks of normal text.
pub const MIN_CONTRAST: Ratio = Ratio(450);

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccentColour([u8; 3]);

/// Why a colour was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccentError {
    #[error("must be a colour written as #rrggbb, e.g. #1d4e89")]
    Format,
    /// Too light (or too dark) to read: the ratios it reaches.
    #[error(
        "the contrast ratio of {colour} is {against_text}:1 with white text on it and {against_page}:1 on the page background {page}; WCAG 2.x asks at least 4.5:1 for both: choose a darker colour",
        page = PAGE_BACKGROUND
    )]
    Contrast { colour: AccentColour, against_text: Ratio, against_page: Ratio },
}

/// A contrast ratio in hundredths, rounded down (so that one shown as 4.50 never fails and
/// 4.49 never passes): `Ratio(454)` is 4.54:1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ratio(pub u32);

impl Ratio {
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn of(x: f64) -> Self {
        // A contrast ratio lies between 1 and 21.
        Ratio((x.clamp(1.0, 21.0) * 100.0).floor() as u32)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl AccentColour {
    /// The relative luminance (WCAG 2.x definition, sRGB).
    #[must_use]
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let s = f64::from(c) / 255.0;
            if s <= 0.040_45 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(self.0[0]) + 0.7152 * lin(self.0[1]) + 0.0722 * lin(self.0[2])
    }

    /// The contrast ratio of two colours, from 1 (same) to 21 (black on white).
    #[must_use]
    pub fn contrast(self, other: AccentColour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// Accepts the colour if white text on it, and it on the page background, are legible.
    ///
    /// # Errors
    /// [`AccentError::Contrast`] with both ratios when either is under [`MIN_CONTRAST`].
    pub fn check(self) -> Result<Self, AccentError> {
        let against_text = Ratio::of(self.contrast(TEXT_ON_ACCENT));
        let against_page = Ratio::of(self.contrast(PAGE_BACKGROUND));
        if against_text < MIN_CONTRAST || against_page < MIN_CONTRAST {
            return Err(AccentError::Contrast { colour: self, against_text, against_page });
        }
        Ok(self)
    }
}

impl FromStr for AccentColour {
    type Err = AccentError;

    /// `#rrggbb`, in either case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix('#').ok_or(AccentError::Format)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AccentError::Format);
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| AccentError::Format);
        Ok(AccentColour([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl fmt::Display for AccentColour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> AccentColour {
        s.parse().unwrap_or(PAGE_BACKGROUND)
    }

    #[test]
    fn contrast_ratios_match_the_wcag_definition() {
        let black = c("#000000");
        assert!((black.contrast(TEXT_ON_ACCENT) - 21.0).abs() < 1e-9);
        assert!((TEXT_ON_ACCENT.contrast(TEXT_ON_ACCENT) - 1.0).abs() < 1e-9);
        // Published values (WebAIM's checker): #767676 on white is 4.54:1, #777777 4.47:1.
        assert!((c("#767676").contrast(TEXT_ON_ACCENT) - 4.54).abs() < 0.01);
        assert!((c("#777777").contrast(TEXT_ON_ACCENT) - 4.47).abs() < 0.01);
        assert_eq!(c("#1D4E89").to_string(), "#1d4e89");
    }

    #[test]
    fn a_legible_colour_passes_and_a_light_one_is_refused_naming_its_ratios() {
        assert!(c("#1d4e89").check().is_ok(), "the default accent");
        // Passes against white (4.54) but not on the page background.
        match c("#767676").check() {
            Err(AccentError::Contrast { against_text, against_page, .. }) => {
                assert_eq!(against_text, Ratio(454));
                assert_eq!(against_page.to_string(), "4.16");
            }
            other => panic!("{other:?}"),
        }
        let e = c("#ffcc00").check().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("#ffcc00") && e.contains("1.51:1") && e.contains("1.38:1") && e.contains("4.5:1"), "{e}");
    }

    #[test]
    fn only_hex_colours_are_read() {
        for bad in ["1d4e89", "#1d4e8", "#abc", "#1d4e89ff", "#ggg", "red", "", "#"] {
            assert_eq!(bad.parse::<AccentColour>(), Err(AccentError::Format), "{bad}");
        }
    }
}
