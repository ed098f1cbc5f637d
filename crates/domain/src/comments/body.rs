//! A comment's text: plain text, trimmed, 1 to 2000 characters. It is never HTML: the web app
//! shows it as text, so markup in it is shown, not run.

/// The longest comment, in characters after trimming.
pub const BODY_MAX: usize = 2000;
/// The longest free text of a report.
pub const DETAILS_MAX: usize = 500;
/// The longest public reason of a moderator's hiding, or a block's reason.
pub const REASON_MAX: usize = 500;

/// A checked comment text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    /// The trimmed text if it is 1 to [`BODY_MAX`] characters with no control characters but
    /// line breaks and tabs (Windows line ends become `\n`).
    ///
    /// # Errors
    /// What is wrong with it, for the `body` field.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let text = raw.replace("\r\n", "\n");
        let text = text.trim();
        if text.is_empty() {
            return Err("must not be empty");
        }
        if text.chars().count() > BODY_MAX {
            return Err("must be at most 2000 characters long");
        }
        if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err("must be plain text without control characters");
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
        assert!(CommentBody::parse(&format!("  {}  ", "a".repeat(2000))).is_ok(), "spaces around do not count");
    }

    #[test]
    fn blank_and_control_characters_are_refused_but_markup_is_just_text() {
        assert!(CommentBody::parse(" \n\t ").is_err());
        assert!(CommentBody::parse("bell\u{7}").is_err());
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
