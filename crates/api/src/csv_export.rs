//! The one CSV writer of every export a person opens in a spreadsheet (meeting registrations,
//! survey answers, open data): a cell a spreadsheet would run as a formula — one starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return — is written with a leading `'`, which spreadsheets show
//! as text (OWASP's advice against CSV injection). A cell that is a plain number, such as `-5`,
//! is left as it is: no formula is a number.

use std::borrow::Cow;

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::error::ApiError;

/// `cell` as a spreadsheet may open it safely.
#[must_use]
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Rows of a CSV file in memory, every cell through [`neutralise`].
pub struct SpreadsheetCsv {
    w: csv::Writer<Vec<u8>>,
}

impl Default for SpreadsheetCsv {
    fn default() -> Self {
        SpreadsheetCsv { w: csv::Writer::from_writer(Vec::new()) }
    }
}

impl SpreadsheetCsv {
    /// Writes one row.
    ///
    /// # Errors
    /// A row of another length than the first (a bug of the caller).
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), ApiError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect();
        self.w.write_record(&cells).map_err(ApiError::internal)
    }

    /// The file as a download named `filename` (ASCII, no quotes).
    ///
    /// # Errors
    /// Writing to memory failed.
    pub fn into_response(self, filename: &str) -> Result<HttpResponse, ApiError> {
        let bytes = self.w.into_inner().map_err(ApiError::internal)?;
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
            .body(bytes))
    }
}

/// The bytes of `rows` as CSV, every cell through [`neutralise`]: one chunk of a streamed
/// download (the open-data exports), written page by page so no export sits in memory whole.
///
/// # Errors
/// Writing to memory failed.
pub fn csv_chunk<I, R, S>(rows: I) -> Result<Vec<u8>, ApiError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut w = SpreadsheetCsv::default();
    for r in rows {
        w.row(r)?;
    }
    w.w.into_inner().map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_everything_else_as_it_is() {
        for (cell, out) in [
            ("=HYPERLINK(\"https://evil.example\",\"click\")", "'=HYPERLINK(\"https://evil.example\",\"click\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("-5", "-5"),
            ("+3.5", "+3.5"),
            ("Jana Nováková", "Jana Nováková"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out, "{cell:?}");
        }
    }

    #[test]
    fn every_cell_of_a_row_is_neutralised_and_quoted_where_csv_needs_it() {
        let mut w = SpreadsheetCsv::default();
        w.row(["name", "note"]).unwrap();
        w.row(["=1+1", "a, b"]).unwrap();
        let bytes = w.w.into_inner().unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "name,note\n'=1+1,\"a, b\"\n");
    }

    #[test]
    fn a_streamed_chunk_is_neutralised_like_a_whole_file() {
        let chunk = csv_chunk([["@cmd", "x"], ["1", "=2"]]).unwrap();
        assert_eq!(String::from_utf8(chunk).unwrap(), "'@cmd,x\n1,'=2\n");
    }
}
