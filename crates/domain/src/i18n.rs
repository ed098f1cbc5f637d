//! Multilingual text: the locales Pnyx speaks and text held in several of them.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A locale Pnyx supports, as a BCP 47 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[serde(rename = "sk")]
    Sk,
    #[serde(rename = "pl")]
    Pl,
    /// Serbian in the Latin script.
    #[serde(rename = "sr-Latn")]
    SrLatn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::Sk, Locale::Pl, Locale::SrLatn, Locale::En];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Sk => "sk",
            Locale::Pl => "pl",
            Locale::SrLatn => "sr-Latn",
            Locale::En => "en",
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported locale `{0}`; expected one of sk, pl, sr-Latn, en")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(s)).ok_or_else(|| UnknownLocale(s.to_owned()))
    }
}

/// Text held in one or more locales, e.g. `{"sk": "Akčný plán", "en": "Action plan"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LocalizedText(BTreeMap<Locale, String>);

/// Why a [`LocalizedText`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalizedTextError {
    #[error("a text in the organisation's default locale `{0}` is required")]
    MissingDefault(Locale),
    #[error("the `{0}` text must not be blank")]
    Blank(Locale),
    #[error("the `{locale}` text is longer than {max} characters")]
    TooLong { locale: Locale, max: usize },
    #[error("the locale `{0}` is not enabled for this organisation")]
    NotEnabled(Locale),
}

impl LocalizedText {
    /// Checks the text against an organisation's locales: the default must be there, every
    /// translation non-blank and at most `max_chars` characters, and only enabled locales used.
    ///
    /// # Errors
    /// The first rule broken, naming its locale.
    pub fn validate(&self, default: Locale, enabled: &[Locale], max_chars: usize) -> Result<(), LocalizedTextError> {
        for (locale, text) in &self.0 {
            if !enabled.contains(locale) && *locale != default {
                return Err(LocalizedTextError::NotEnabled(*locale));
            }
            if text.trim().is_empty() {
                return Err(LocalizedTextError::Blank(*locale));
            }
            if text.chars().count() > max_chars {
                return Err(LocalizedTextError::TooLong { locale: *locale, max: max_chars });
            }
        }
        if !self.0.contains_key(&default) {
            return Err(LocalizedTextError::MissingDefault(default));
        }
        Ok(())
    }

    #[must_use]
    pub fn get(&self, locale: Locale) -> Option<&str> {
        self.0.get(&locale).map(String::as_str)
    }

    /// The text in `locale`, else in `fallback`, else any held translation.
    #[must_use]
    pub fn resolve(&self, locale: Locale, fallback: Locale) -> Option<&str> {
        self.get(locale).or_else(|| self.get(fallback)).or_else(|| self.0.values().next().map(String::as_str))
    }

    pub fn insert(&mut self, locale: Locale, text: impl Into<String>) {
        self.0.insert(locale, text.into());
    }

    #[must_use]
    pub fn locales(&self) -> Vec<Locale> {
        self.0.keys().copied().collect()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<const N: usize> From<[(Locale, &str); N]> for LocalizedText {
    fn from(pairs: [(Locale, &str); N]) -> Self {
        LocalizedText(pairs.into_iter().map(|(l, t)| (l, t.to_owned())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_the_default_locale_is_refused() {
        let t = LocalizedText::from([(Locale::En, "Plan")]);
        assert_eq!(
            t.validate(Locale::Sk, &[Locale::Sk, Locale::En], 100),
            Err(LocalizedTextError::MissingDefault(Locale::Sk))
        );
    }

    #[test]
    fn blank_over_long_and_disabled_translations_are_refused() {
        let blank = LocalizedText::from([(Locale::Sk, "  ")]);
        assert_eq!(blank.validate(Locale::Sk, &[Locale::Sk], 10), Err(LocalizedTextError::Blank(Locale::Sk)));
        let long = LocalizedText::from([(Locale::Sk, "čččččččččččč")]);
        assert_eq!(
            long.validate(Locale::Sk, &[Locale::Sk], 10),
            Err(LocalizedTextError::TooLong { locale: Locale::Sk, max: 10 })
        );
        let pl = LocalizedText::from([(Locale::Sk, "a"), (Locale::Pl, "b")]);
        assert_eq!(pl.validate(Locale::Sk, &[Locale::Sk], 10), Err(LocalizedTextError::NotEnabled(Locale::Pl)));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let t = LocalizedText::from([(Locale::Sk, "ščťžýáíé")]);
        assert!(t.validate(Locale::Sk, &[Locale::Sk], 8).is_ok());
    }

    #[test]
    fn resolve_falls_back_to_the_default_then_anything() {
        let t = LocalizedText::from([(Locale::Sk, "Plán"), (Locale::En, "Plan")]);
        assert_eq!(t.resolve(Locale::Pl, Locale::Sk), Some("Plán"));
        assert_eq!(t.resolve(Locale::En, Locale::Sk), Some("Plan"));
        let only_en = LocalizedText::from([(Locale::En, "Plan")]);
        assert_eq!(only_en.resolve(Locale::Pl, Locale::Sk), Some("Plan"));
    }

    #[test]
    fn locales_parse_case_insensitively_and_serialise_as_bcp47() {
        assert_eq!("SR-latn".parse::<Locale>(), Ok(Locale::SrLatn));
        assert!("de".parse::<Locale>().is_err());
        let t = LocalizedText::from([(Locale::SrLatn, "Plan")]);
        assert_eq!(serde_json::to_string(&t).unwrap_or_default(), r#"{"sr-Latn":"Plan"}"#);
    }
}
