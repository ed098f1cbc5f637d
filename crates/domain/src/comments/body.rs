//! A comment's text: plain text, trimmed, 1 to 2000 characters. It is never HTML: the web app
//! shows it as text, so markup in it is shown, not run.

/// The longest comment, in characters after trimming.
pub const BODY_MAX: usize = 2000;
/// The longest free text of a report.
pub const DETAILS_MAX: usize = 500;
/// The longest public reason of a moderator's hiding, or a block's reason.
pub const REASON_MAX: usize = 500;

/// [`CommentBody::parse`]'s rule as a regex for the API's schema (ECMA-262 and Rust alike: no
/// `\s`, whose meaning differs between engines): tabs, line breaks (`\n`, `\r\n`) and any
/// character but a control one, with at least one that is not white space.
pub const BODY_PATTERN: &str = r"^(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*$";

/// A checked comment text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    /// The text, trimmed and with Windows line ends as `\n`, if it is at most [`BODY_MAX`]
    /// characters as sent, has no control character but line breaks and tabs, and is not only
    /// white space. The API's schema states the same rule ([`BODY_PATTERN`] and `maxLength`).
    ///
    /// # Errors
    /// What is wrong with it, for the `body` field.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.chars().count() > BODY_MAX {
            return Err("must be at most 2000 characters long");
        }
        let text = raw.replace("\r\n", "\n");
        if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err("must be plain text without control characters");
        }
        let text = text.trim();
        if text.is_empty() {
            return Err("must not be empty");
        }
        Ok(CommentBody(text.to_owned()))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

/// `raw` trimmed, if it is 1 to `max` characters (for reasons and report details).
///
/// # Errors
/// What is wrong with it.
pub(crate) fn short_text(raw: &str, max: usize) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("must not be empty".into());
    }
    if t.chars().count() > max {
        return Err(format!("must be at most {max} characters long"));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_trimmed_and_counted_in_characters() {
        assert_eq!(CommentBody::parse("  Dobrý nápad!\r\n ").map(CommentBody::into_string), Ok("Dobrý nápad!".into()));
        assert!(CommentBody::parse(&"ž".repeat(2000)).is_ok(), "2000 characters, more bytes");
        assert!(CommentBody::parse(&"ž".repeat(2001)).is_err());
        assert!(CommentBody::parse(&format!("  {}  ", "a".repeat(1996))).is_ok());
        assert!(
            CommentBody::parse(&format!("  {}  ", "a".repeat(2000))).is_err(),
            "counted as sent, as the schema's maxLength counts"
        );
    }

    #[test]
    fn blank_and_control_characters_are_refused_but_markup_is_just_text() {
        assert!(CommentBody::parse(" \n\t ").is_err());
        assert!(CommentBody::parse("bell\u{7}").is_err());
        assert!(CommentBody::parse("\u{85}text").is_err(), "a control character, even where trimming would drop it");
        assert!(CommentBody::parse("text\r").is_err(), "a carriage return only before a line feed");
        assert_eq!(
            CommentBody::parse("<b>bold</b>\nline").map(CommentBody::into_string),
            Ok("<b>bold</b>\nline".into()),
            "kept as typed; shown as text"
        );
    }

    #[test]
    fn short_texts_are_trimmed_and_bounded() {
        assert_eq!(short_text("  spam  ", 10), Ok("spam".into()));
        assert!(short_text("   ", 10).is_err());
        assert!(short_text(&"x".repeat(11), 10).is_err());
    }
}
