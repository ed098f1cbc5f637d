//! Multilingual text: the locales Pnyx speaks and text held in several of them.

use std::borrow::Cow;
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
    /// Serbian in the Cyrillic script (the official one).
    #[serde(rename = "sr-Cyrl")]
    SrCyrl,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 5] = [Locale::Sk, Locale::Pl, Locale::SrLatn, Locale::SrCyrl, Locale::En];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Sk => "sk",
            Locale::Pl => "pl",
            Locale::SrLatn => "sr-Latn",
            Locale::SrCyrl => "sr-Cyrl",
            Locale::En => "en",
        }
    }

    /// The same language in its other script (Serbian only): text in one is shown in the other
    /// by transliteration.
    #[must_use]
    pub fn other_script(self) -> Option<Locale> {
        match self {
            Locale::SrLatn => Some(Locale::SrCyrl),
            Locale::SrCyrl => Some(Locale::SrLatn),
            _ => None,
        }
    }

    /// `text`, written in this locale's other script, in this locale's script.
    fn transliterate(self, text: &str) -> String {
        match self {
            Locale::SrCyrl => crate::serbian::to_cyrillic(text),
            Locale::SrLatn => crate::serbian::to_latin(text),
            _ => text.to_owned(),
        }
    }

    /// The locale a BCP 47 language tag asks for, if Pnyx speaks it: `sk-SK` → `sk`, `en-GB` →
    /// `en`; Serbian without a script (`sr`, `sr-RS`) is Cyrillic, the official script, and
    /// `sr-Latn-RS` is Latin.
    #[must_use]
    pub fn from_language_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        match parts.next()? {
            "sk" => Some(Locale::Sk),
            "pl" => Some(Locale::Pl),
            "en" => Some(Locale::En),
            "sr" => Some(if parts.any(|p| p == "latn") { Locale::SrLatn } else { Locale::SrCyrl }),
            _ => None,
        }
    }

    /// The best locale for an `Accept-Language` header: the tags by decreasing quality (the
    /// header's order among equals), the first Pnyx speaks.
    #[must_use]
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut tags: Vec<(usize, f32, &str)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(i, item)| {
                let mut bits = item.split(';');
                let tag = bits.next()?.trim();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").map(|v| v.trim().parse::<f32>().unwrap_or(0.0)))
                    .unwrap_or(1.0);
                (!tag.is_empty() && q > 0.0).then_some((i, q, tag))
            })
            .collect();
        tags.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        tags.into_iter().find_map(|(_, _, tag)| Locale::from_language_tag(tag))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported locale `{0}`; expected one of sk, pl, sr-Latn, sr-Cyrl, en")]
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
    /// Serbian counts in either script: a text in Latin stands for an organisation whose default
    /// is Cyrillic (it is shown transliterated), and an author may give both.
    ///
    /// # Errors
    /// The first rule broken, naming its locale.
    pub fn validate(&self, default: Locale, enabled: &[Locale], max_chars: usize) -> Result<(), LocalizedTextError> {
        let allowed = |l: Locale| enabled.contains(&l) || l == default;
        for (locale, text) in &self.0 {
            if !allowed(*locale) && !locale.other_script().is_some_and(allowed) {
                return Err(LocalizedTextError::NotEnabled(*locale));
            }
            if text.trim().is_empty() {
                return Err(LocalizedTextError::Blank(*locale));
            }
            if text.chars().count() > max_chars {
                return Err(LocalizedTextError::TooLong { locale: *locale, max: max_chars });
            }
        }
        if !self.0.contains_key(&default) && !default.other_script().is_some_and(|o| self.0.contains_key(&o)) {
            return Err(LocalizedTextError::MissingDefault(default));
        }
        Ok(())
    }

    #[must_use]
    pub fn get(&self, locale: Locale) -> Option<&str> {
        self.0.get(&locale).map(String::as_str)
    }

    /// The text in `locale` (Serbian: in the other script, transliterated, when the author did
    /// not write this one), else in `fallback` likewise, else any held translation.
    #[must_use]
    pub fn resolve(&self, locale: Locale, fallback: Locale) -> Option<Cow<'_, str>> {
        self.in_script(locale)
            .or_else(|| self.in_script(fallback))
            .or_else(|| self.0.values().next().map(|t| Cow::Borrowed(t.as_str())))
    }

    /// The text in `locale`, or in its other script transliterated.
    fn in_script(&self, locale: Locale) -> Option<Cow<'_, str>> {
        self.get(locale)
            .map(Cow::Borrowed)
            .or_else(|| locale.other_script().and_then(|o| self.get(o)).map(|t| Cow::Owned(locale.transliterate(t))))
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
        assert_eq!(t.resolve(Locale::Pl, Locale::Sk).as_deref(), Some("Plán"));
        assert_eq!(t.resolve(Locale::En, Locale::Sk).as_deref(), Some("Plan"));
        let only_en = LocalizedText::from([(Locale::En, "Plan")]);
        assert_eq!(only_en.resolve(Locale::Pl, Locale::Sk).as_deref(), Some("Plan"));
    }

    #[test]
    fn serbian_is_shown_in_the_readers_script_unless_the_author_wrote_both() {
        let latin = LocalizedText::from([(Locale::SrLatn, "Opština Vlasotince"), (Locale::En, "Vlasotince")]);
        assert_eq!(latin.resolve(Locale::SrCyrl, Locale::En).as_deref(), Some("Општина Власотинце"));
        assert_eq!(latin.resolve(Locale::SrLatn, Locale::En).as_deref(), Some("Opština Vlasotince"));
        assert_eq!(latin.resolve(Locale::Sk, Locale::SrCyrl).as_deref(), Some("Општина Власотинце"));
        let both = LocalizedText::from([(Locale::SrLatn, "Opština"), (Locale::SrCyrl, "Општина (ћирилица)")]);
        assert_eq!(both.resolve(Locale::SrCyrl, Locale::En).as_deref(), Some("Општина (ћирилица)"));
        let cyrillic = LocalizedText::from([(Locale::SrCyrl, "Шумадија")]);
        assert_eq!(cyrillic.resolve(Locale::SrLatn, Locale::SrLatn).as_deref(), Some("Šumadija"));
    }

    #[test]
    fn either_serbian_script_satisfies_a_serbian_organisation() {
        let latin = LocalizedText::from([(Locale::SrLatn, "Plan")]);
        assert_eq!(latin.validate(Locale::SrCyrl, &[Locale::SrCyrl, Locale::En], 10), Ok(()));
        let both = LocalizedText::from([(Locale::SrLatn, "Plan"), (Locale::SrCyrl, "План")]);
        assert_eq!(both.validate(Locale::SrLatn, &[Locale::SrLatn], 10), Ok(()));
        let english = LocalizedText::from([(Locale::En, "Plan")]);
        assert_eq!(
            english.validate(Locale::SrCyrl, &[Locale::SrCyrl, Locale::En], 10),
            Err(LocalizedTextError::MissingDefault(Locale::SrCyrl))
        );
        let polish = LocalizedText::from([(Locale::SrLatn, "Plan"), (Locale::Pl, "Plan")]);
        assert_eq!(
            polish.validate(Locale::SrLatn, &[Locale::SrLatn], 10),
            Err(LocalizedTextError::NotEnabled(Locale::Pl))
        );
    }

    #[test]
    fn accept_language_picks_the_best_spoken_locale_and_plain_serbian_is_cyrillic() {
        assert_eq!(Locale::negotiate("sr"), Some(Locale::SrCyrl));
        assert_eq!(Locale::negotiate("sr-RS,sr;q=0.9,en;q=0.8"), Some(Locale::SrCyrl));
        assert_eq!(Locale::negotiate("sr-Latn-RS, en;q=0.5"), Some(Locale::SrLatn));
        assert_eq!(Locale::negotiate("de-DE, pl;q=0.7, en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::negotiate("de, fr;q=0.5"), None);
        assert_eq!(Locale::negotiate("sk;q=0, en"), Some(Locale::En));
        assert_eq!(Locale::negotiate(""), None);
    }

    #[test]
    fn locales_parse_case_insensitively_and_serialise_as_bcp47() {
        assert_eq!("SR-latn".parse::<Locale>(), Ok(Locale::SrLatn));
        assert_eq!("sr-Cyrl".parse::<Locale>(), Ok(Locale::SrCyrl));
        assert!("de".parse::<Locale>().is_err());
        let t = LocalizedText::from([(Locale::SrLatn, "Plan")]);
        assert_eq!(serde_json::to_string(&t).unwrap_or_default(), r#"{"sr-Latn":"Plan"}"#);
    }
}
