//! What a file is, decided from its first bytes (magic numbers, by the `infer` crate), never from
//! its name or the client's `Content-Type`; and the allow-list of what may be uploaded.

/// How a file is stored and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// JPEG, PNG or WebP: resized to a few widths, metadata stripped, the original not kept.
    Image,
    /// Anything else allowed: stored as uploaded.
    Document,
}

impl FileKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Image => "image",
            FileKind::Document => "document",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "image" => Some(FileKind::Image),
            "document" => Some(FileKind::Document),
            _ => None,
        }
    }
}

/// The allowed types: PDF, JPEG, PNG, WebP, OpenDocument and Office Open XML documents.
/// CSV and plain text have no magic number: they are recognised as text (below).
const ALLOWED: [&str; 10] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

/// How many bytes [`detect`] wants to see (Office Open XML is recognised by the names of the
/// entries at the start of its ZIP archive).
pub const SNIFF_BYTES: usize = 64 * 1024;

/// A type on the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub content_type: String,
    pub kind: FileKind,
}

/// Decides the type of a file from its first bytes (up to [`SNIFF_BYTES`]). Text without a magic
/// number is `text/plain`, or `text/csv` when the name ends in `.csv`: the content decides that it
/// is text, the name only which text.
///
/// # Errors
/// The detected type when it is not on the allow-list (`application/octet-stream` when unknown).
pub fn detect(head: &[u8], name: &str) -> Result<Detected, String> {
    if let Some(t) = infer::get(head) {
        let mime = t.mime_type();
        return if ALLOWED.contains(&mime) {
            let kind = if mime.starts_with("image/") { FileKind::Image } else { FileKind::Document };
            Ok(Detected { content_type: mime.to_owned(), kind })
        } else {
            Err(mime.to_owned())
        };
    }
    if is_text(head) {
        let csv = name.to_lowercase().ends_with(".csv");
        let content_type = if csv { "text/csv" } else { "text/plain" };
        return Ok(Detected { content_type: content_type.to_owned(), kind: FileKind::Document });
    }
    Err("application/octet-stream".to_owned())
}

/// UTF-8 (a character cut at the end of the sample is fine) without control characters other
/// than tab, line feed, form feed and carriage return.
fn is_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => {
            // Cut in the middle of a character at the end of the sample.
            let Ok(s) = std::str::from_utf8(&head[..e.valid_up_to()]) else { return false };
            s
        }
        Err(_) => return false,
    };
    !valid.is_empty() && valid.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

/// The name shown for a file: its last path segment, without control characters, at most 255
/// characters; `file` when nothing is left. Never used as a path.
#[must_use]
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(255).collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." { "file".to_owned() } else { clean.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_not_the_name() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
        assert_eq!(detect(pdf, "photo.jpg").map(|d| d.content_type), Ok("application/pdf".to_owned()));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(detect(png, "minutes.pdf").map(|d| d.kind), Ok(FileKind::Image));
    }

    #[test]
    fn text_is_plain_or_csv_by_the_name_and_binaries_are_refused_naming_their_type() {
        assert_eq!(detect(b"a;b\n1;2\n", "data.CSV").map(|d| d.content_type), Ok("text/csv".to_owned()));
        assert_eq!(detect("Zápisnica\n".as_bytes(), "notes").map(|d| d.content_type), Ok("text/plain".to_owned()));
        // A two-byte character cut by the sample's end is still text.
        assert!(detect(&"čč".as_bytes()[..3], "x.txt").is_ok());
        assert_eq!(
            detect(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff", "setup.pdf"),
            Err("application/vnd.microsoft.portable-executable".to_owned())
        );
        assert_eq!(detect(b"GIF89a\x01\0\x01\0", "a.gif"), Err("image/gif".to_owned()));
        assert_eq!(detect(b"\0\x01\x02binary", "x.txt"), Err("application/octet-stream".to_owned()));
        assert_eq!(detect(b"PK\x03\x04\x14\0\0\0\x08\0", "archive.docx"), Err("application/zip".to_owned()));
    }

    #[test]
    fn names_are_for_display_only() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\eva\\Zápisnica č. 3.pdf"), "Zápisnica č. 3.pdf");
        assert_eq!(display_name("a\u{0}b\r\n.txt"), "ab.txt");
        assert_eq!(display_name(".."), "file");
        assert_eq!(display_name(""), "file");
        assert_eq!(display_name(&"x".repeat(300)).chars().count(), 255);
    }
}
