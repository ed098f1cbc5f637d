//! Request and response bodies shared across resources. They mirror domain types for the spec;
//! no entity is ever accepted or returned.

use pnyx_domain::auth::Role;
use pnyx_domain::i18n::{Locale, LocalizedText};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A locale: Slovak, Polish, Serbian in the Latin or the Cyrillic script, or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum LocaleDto {
    #[serde(rename = "sk")]
    Sk,
    #[serde(rename = "pl")]
    Pl,
    #[serde(rename = "sr-Latn")]
    SrLatn,
    #[serde(rename = "sr-Cyrl")]
    SrCyrl,
    #[serde(rename = "en")]
    En,
}

impl From<LocaleDto> for Locale {
    fn from(l: LocaleDto) -> Self {
        match l {
            LocaleDto::Sk => Locale::Sk,
            LocaleDto::Pl => Locale::Pl,
            LocaleDto::SrLatn => Locale::SrLatn,
            LocaleDto::SrCyrl => Locale::SrCyrl,
            LocaleDto::En => Locale::En,
        }
    }
}

impl From<Locale> for LocaleDto {
    fn from(l: Locale) -> Self {
        match l {
            Locale::Sk => LocaleDto::Sk,
            Locale::Pl => LocaleDto::Pl,
            Locale::SrLatn => LocaleDto::SrLatn,
            Locale::SrCyrl => LocaleDto::SrCyrl,
            Locale::En => LocaleDto::En,
        }
    }
}

/// Text in several languages. Requests must include the organisation's default locale (for
/// Serbian, either script will do). Responses hold what the author wrote: Serbian written in one
/// script only is for clients to show in the reader's script by transliteration (one letter for
/// one, with `lj`, `nj`, `dž` as single letters), as the web app does. A text that is given holds
/// more than blanks (a blank one is refused, 422).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sk": "Akčný plán", "en": "Action plan"}))]
pub struct LocalizedTextDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, pattern = r"\S")]
    pub sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, pattern = r"\S")]
    pub pl: Option<String>,
    #[serde(rename = "sr-Latn", default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, pattern = r"\S")]
    pub sr_latn: Option<String>,
    #[serde(rename = "sr-Cyrl", default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, pattern = r"\S")]
    pub sr_cyrl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, pattern = r"\S")]
    pub en: Option<String>,
}

impl From<LocalizedTextDto> for LocalizedText {
    fn from(d: LocalizedTextDto) -> Self {
        let mut t = LocalizedText::default();
        for (l, v) in [
            (Locale::Sk, d.sk),
            (Locale::Pl, d.pl),
            (Locale::SrLatn, d.sr_latn),
            (Locale::SrCyrl, d.sr_cyrl),
            (Locale::En, d.en),
        ] {
            if let Some(v) = v {
                t.insert(l, v);
            }
        }
        t
    }
}

impl From<&LocalizedText> for LocalizedTextDto {
    fn from(t: &LocalizedText) -> Self {
        let g = |l| t.get(l).map(str::to_owned);
        LocalizedTextDto {
            sk: g(Locale::Sk),
            pl: g(Locale::Pl),
            sr_latn: g(Locale::SrLatn),
            sr_cyrl: g(Locale::SrCyrl),
            en: g(Locale::En),
        }
    }
}

/// A staff role in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleDto {
    Admin,
    Official,
    Moderator,
}

impl From<RoleDto> for Role {
    fn from(r: RoleDto) -> Self {
        match r {
            RoleDto::Admin => Role::Admin,
            RoleDto::Official => Role::Official,
            RoleDto::Moderator => Role::Moderator,
        }
    }
}

impl From<Role> for RoleDto {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => RoleDto::Admin,
            Role::Official => RoleDto::Official,
            Role::Moderator => RoleDto::Moderator,
        }
    }
}

/// Declares an API enum mirroring a domain enum variant for variant (snake_case in JSON), with
/// conversions both ways, so the spec names it while the domain stays free of utoipa.
#[macro_export]
macro_rules! dto_enum {
    ($(#[$m:meta])* $dto:ident => $domain:ident { $($v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $dto { $($v),+ }
        impl From<$dto> for $domain {
            fn from(d: $dto) -> Self { match d { $($dto::$v => $domain::$v),+ } }
        }
        impl From<$domain> for $dto {
            fn from(d: $domain) -> Self { match d { $($domain::$v => $dto::$v),+ } }
        }
    };
}

/// Declares the page type of a list: `{items, next_cursor, total}` with its items by reference,
/// so the spec (and generated clients) name each list.
#[macro_export]
macro_rules! list_response {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `?cursor=` for the next page; `null` on the last page.
            pub next_cursor: Option<String>,
            /// How many items all pages hold.
            pub total: u64,
        }

        impl $name {
            pub fn from_page<D>(page: pnyx_domain::repo::Page<D>, f: impl FnMut(D) -> $item) -> Self {
                $name {
                    items: page.items.into_iter().map(f).collect(),
                    next_cursor: page.next_after.map($crate::extract::encode_cursor),
                    total: page.total,
                }
            }
        }
    };
}

/// Full-text `?q=` of a list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TextSearchParams {
    /// Full-text search (as `GET .../search` matches: every word, the last as a prefix, accents
    /// and case ignored; only what the public sees is indexed, so drafts are not found). A `q`
    /// without a letter or digit (blank, punctuation) does not filter.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// A link people click (the spec states it as the pattern `^[Hh][Tt][Tt][Pp][Ss]?://`): an absolute `http:` or `https:` URL with a host. `javascript:`,
/// `data:`, `file:` and the like are refused, so a stored link cannot run script in a reader's
/// browser or point at their own machine.
///
/// # Errors
/// Anything else.
pub fn web_url(s: &str) -> Result<(), validator::ValidationError> {
    let bad = || validator::ValidationError::new("url").with_message("must be an http:// or https:// address".into());
    let url = url::Url::parse(s).map_err(|_| bad())?;
    if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) {
        Ok(())
    } else {
        Err(bad())
    }
}

// A [`web_url`] as the spec states a list's item: `images: Vec<String>` carries
// `#[schema(value_type = Vec<WebUrl>)]`.
/// An absolute `http:` or `https:` address of at most 2000 characters.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = "uri", max_length = 2000, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
pub struct WebUrl(pub String);

#[cfg(test)]
mod web_url_tests {
    use super::web_url;

    #[test]
    fn only_web_addresses_pass() {
        for ok in ["https://www.bedzin.pl/a.pdf", "http://example.sk", "HTTPS://Example.sk/x?y=1#z"] {
            assert!(web_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://example.sk/a",
            "mailto:a@example.sk",
            "https://",
            "//example.sk",
            "example.sk",
        ] {
            assert!(web_url(bad).is_err(), "{bad}");
        }
    }
}
