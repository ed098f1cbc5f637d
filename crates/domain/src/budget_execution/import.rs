//! Reading a budget file: CSV (UTF-8, comma-separated, with a header row) or XLSX (the first
//! sheet, with a header row), in one column layout, named by the header so the order is free:
//!
//! | column | required | content |
//! |---|---|---|
//! | `code` | yes | the line's code, unique in the file, e.g. `0602-0001-423` |
//! | `programme_code`, `programme_name` | yes | the programme, e.g. `0602`, `Local self-government` |
//! | `subprogramme_code`, `subprogramme_name` | yes | the sub-programme (programme activity or project) |
//! | `economic_code` | yes | the economic classification, e.g. `423` |
//! | `name` | yes | the line's name |
//! | `planned` | yes | the amount adopted |
//! | `amended` | no | the amount after the latest amendment; blank: not amended |
//! | `q1`…`q4` or `m1`…`m12` | one set | executed per quarter or per month; blank: not reported yet |
//! | `commitment_id`, `participatory_budget_id` | no | links, as the ids the API shows |
//!
//! Names are in the organisation's default language (Serbian in either script: the script is
//! recognised); `name.en`, `programme_name.sr-Cyrl` and so
//! on add translations. Amounts are in the organisation's currency, with a `.` before at most two
//! decimals and no thousands separators (`1250000.50`); a spreadsheet number cell is taken as it
//! is. Every error names its row (as the spreadsheet numbers it, the header being row 1) and its
//! column (letter and header).

use std::collections::HashMap;
use std::io::Cursor;

use serde::Serialize;

use super::{BudgetExecutionError, Line, PeriodKind};
use crate::i18n::{Locale, LocalizedText};
use crate::org::Organisation;

/// The most lines a file may have.
pub const MAX_LINES: usize = 5000;
/// The most cell errors reported at once.
const MAX_ERRORS: usize = 50;
const CODE_MAX: usize = 40;
const NAME_MAX: usize = 300;

/// One cell breaking the layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellError {
    /// The spreadsheet's row number (the header is row 1).
    pub row: usize,
    /// The column's letter (`A`, `B`, …, `AA`), empty when the whole file is meant.
    pub column: String,
    /// The column's header, e.g. `planned`.
    pub header: String,
    pub message: String,
}

/// A line read from a file, with the row it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedLine {
    pub row: usize,
    pub line: Line,
}

/// A file read without errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFile {
    pub periods: PeriodKind,
    pub lines: Vec<ImportedLine>,
    /// Each column's letter by its header.
    pub columns: HashMap<String, String>,
}

/// A cell as either reader gives it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{n:.0}")
                } else {
                    n.to_string()
                }
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// The letter(s) of a zero-based column index: 0 → `A`, 26 → `AA`.
#[must_use]
pub fn column_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + u8::try_from(i % 26).unwrap_or(0));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Reads a CSV file (UTF-8, a byte-order mark allowed).
///
/// # Errors
/// Not UTF-8 CSV ([`BudgetExecutionError::Unreadable`]); cells breaking the layout
/// ([`BudgetExecutionError::Cells`]).
pub fn parse_csv(org: &Organisation, bytes: &[u8]) -> Result<ParsedFile, BudgetExecutionError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut grid = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { .. } => {
                BudgetExecutionError::Unreadable(format!("row {}: the file is not UTF-8 text", i + 1))
            }
            _ => BudgetExecutionError::Unreadable(format!("row {}: {e}", i + 1)),
        })?;
        grid.push((i + 1, rec.iter().map(|c| Cell::Text(c.to_owned())).collect()));
    }
    parse_grid(org, grid)
}

/// Reads the first sheet of an XLSX workbook.
///
/// # Errors
/// Not an XLSX workbook, or no sheet ([`BudgetExecutionError::Unreadable`]); cells breaking the
/// layout ([`BudgetExecutionError::Cells`]).
pub fn parse_xlsx(org: &Organisation, bytes: &[u8]) -> Result<ParsedFile, BudgetExecutionError> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| BudgetExecutionError::Unreadable(format!("not an XLSX workbook: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| BudgetExecutionError::Unreadable("the workbook has no sheet".into()))?
        .map_err(|e| BudgetExecutionError::Unreadable(format!("the first sheet cannot be read: {e}")))?;
    let (row0, col0) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut grid = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![Cell::Empty; col0];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty => Cell::Empty,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            #[allow(clippy::cast_precision_loss)]
            Data::Int(n) => Cell::Number(*n as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Text(b.to_string()),
            Data::DateTime(d) => Cell::Number(d.as_f64()),
            Data::Error(e) => Cell::Text(format!("#{e:?}")),
        }));
        grid.push((row0 + i + 1, cells));
    }
    parse_grid(org, grid)
}

/// The locale of a name in a bare column (`name`): the organisation's default, except that a
/// Serbian name goes under the script it is written in.
#[must_use]
pub fn bare_locale(default: Locale, text: &str) -> Locale {
    match default {
        Locale::SrCyrl | Locale::SrLatn => {
            if text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
                Locale::SrCyrl
            } else {
                Locale::SrLatn
            }
        }
        other => other,
    }
}

/// Parses an amount into minor units (two decimals).
fn amount(cell: &Cell) -> Result<i64, String> {
    const BAD: &str = "is not an amount (digits, with a `.` before at most two decimals)";
    match cell {
        Cell::Number(n) => {
            let minor = n * 100.0;
            if !minor.is_finite() || minor.abs() > 9.0e15 || (minor - minor.round()).abs() > 1e-6 {
                return Err("is not an amount with at most two decimals".into());
            }
            #[allow(clippy::cast_possible_truncation)]
            Ok(minor.round() as i64)
        }
        Cell::Empty => Err("is blank".into()),
        Cell::Text(s) => {
            let s = s.trim();
            let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
            let (int, frac) = s.split_once('.').unwrap_or((s, ""));
            if int.is_empty()
                || !int.bytes().all(|b| b.is_ascii_digit())
                || frac.len() > 2
                || !frac.bytes().all(|b| b.is_ascii_digit())
                || int.len() > 15
            {
                return Err(BAD.into());
            }
            let whole: i64 = int.parse().map_err(|_| BAD.to_owned())?;
            let cents: i64 =
                if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| BAD.to_owned())? };
            let v = whole * 100 + cents;
            Ok(if neg { -v } else { v })
        }
    }
}

fn code(cell: &Cell) -> Result<String, String> {
    let t = cell.text();
    if t.is_empty() {
        return Err("is blank".into());
    }
    if t.chars().count() > CODE_MAX {
        return Err(format!("is longer than {CODE_MAX} characters"));
    }
    if !t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_')) {
        return Err("may hold only letters, digits, `-`, `.`, `/` and `_`".into());
    }
    Ok(t)
}

struct Errors(Vec<CellError>);

impl Errors {
    fn push(&mut self, row: usize, col: Option<(usize, &str)>, message: impl Into<String>) {
        if self.0.len() < MAX_ERRORS {
            let (column, header) =
                col.map_or((String::new(), String::new()), |(i, h)| (column_letter(i), h.to_owned()));
            self.0.push(CellError { row, column, header, message: message.into() });
        }
    }
}

const NAMED: [&str; 3] = ["name", "programme_name", "subprogramme_name"];
const REQUIRED: [&str; 8] = [
    "code",
    "programme_code",
    "programme_name",
    "subprogramme_code",
    "subprogramme_name",
    "economic_code",
    "name",
    "planned",
];
const OPTIONAL: [&str; 3] = ["amended", "commitment_id", "participatory_budget_id"];

#[allow(clippy::too_many_lines)]
fn parse_grid(org: &Organisation, grid: Vec<(usize, Vec<Cell>)>) -> Result<ParsedFile, BudgetExecutionError> {
    let mut errors = Errors(Vec::new());
    let mut rows = grid.into_iter().filter(|(_, cells)| !cells.iter().all(Cell::is_empty));
    let Some((header_row, header)) = rows.next() else {
        return Err(BudgetExecutionError::Unreadable("the file is empty: it needs a header row and lines".into()));
    };
    // Header → column index; translations: (base, locale) → column index.
    let mut cols: HashMap<String, usize> = HashMap::new();
    let mut translations: Vec<(&'static str, Locale, usize)> = Vec::new();
    let mut period_cols: Vec<(PeriodKind, usize, usize)> = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let h = cell.text().to_lowercase();
        if h.is_empty() {
            continue;
        }
        let known = REQUIRED.contains(&h.as_str()) || OPTIONAL.contains(&h.as_str());
        let period = ["q", "m"].iter().find_map(|p| {
            let n: usize = h.strip_prefix(p)?.parse().ok()?;
            let kind = if *p == "q" { PeriodKind::Quarter } else { PeriodKind::Month };
            (1..=kind.count()).contains(&n).then_some((kind, n - 1))
        });
        let translation = h.split_once('.').and_then(|(base, loc)| {
            let base = NAMED.iter().find(|b| **b == base)?;
            Some((*base, loc.parse::<Locale>().ok()?))
        });
        if cols.contains_key(&h) {
            errors.push(header_row, Some((i, &h)), "this column appears twice");
        } else if known {
            cols.insert(h.clone(), i);
        } else if let Some((kind, n)) = period {
            cols.insert(h.clone(), i);
            period_cols.push((kind, n, i));
        } else if let Some((base, locale)) = translation {
            cols.insert(h.clone(), i);
            translations.push((base, locale, i));
        } else {
            errors.push(header_row, Some((i, &h)), "is not a column of the layout");
        }
    }
    for r in REQUIRED {
        if !cols.contains_key(r) {
            errors.push(header_row, None, format!("the column `{r}` is missing"));
        }
    }
    let kinds: Vec<PeriodKind> = {
        let mut k: Vec<PeriodKind> = period_cols.iter().map(|(k, _, _)| *k).collect();
        k.dedup();
        k.sort_by_key(|k| k.count());
        k.dedup();
        k
    };
    let periods = match kinds.as_slice() {
        [k] => {
            for n in 0..k.count() {
                if !period_cols.iter().any(|(_, m, _)| *m == n) {
                    errors.push(header_row, None, format!("the column `{}{}` is missing", k.prefix(), n + 1));
                }
            }
            *k
        }
        [] => {
            errors.push(header_row, None, "add the executed amounts: columns q1…q4 (quarters) or m1…m12 (months)");
            PeriodKind::Quarter
        }
        _ => {
            errors.push(header_row, None, "give either quarters (q1…q4) or months (m1…m12), not both");
            PeriodKind::Quarter
        }
    };
    if !errors.0.is_empty() {
        return Err(BudgetExecutionError::Cells(errors.0));
    }
    let col = |name: &str| cols.get(name).copied();
    let mut lines: Vec<ImportedLine> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Programme and sub-programme names must agree across rows: code → (row, name).
    let mut programmes: HashMap<String, (usize, LocalizedText)> = HashMap::new();
    let mut subprogrammes: HashMap<(String, String), (usize, LocalizedText)> = HashMap::new();
    for (row, cells) in rows {
        if lines.len() == MAX_LINES {
            errors.push(row, None, format!("a file may have at most {MAX_LINES} lines"));
            break;
        }
        let empty = Cell::Empty;
        let cell = |i: usize| cells.get(i).unwrap_or(&empty);
        let before = errors.0.len();
        let text_of = |name: &'static str, errors: &mut Errors| -> Option<String> {
            let i = col(name)?;
            match code(cell(i)) {
                Ok(t) => Some(t),
                Err(m) => {
                    errors.push(row, Some((i, name)), m);
                    None
                }
            }
        };
        let code_v = text_of("code", &mut errors);
        let programme_code = text_of("programme_code", &mut errors);
        let subprogramme_code = text_of("subprogramme_code", &mut errors);
        let economic_code = text_of("economic_code", &mut errors);
        let mut names: HashMap<&'static str, LocalizedText> = HashMap::new();
        for base in NAMED {
            let mut t = LocalizedText::default();
            let Some(i) = col(base) else { continue };
            let v = cell(i).text();
            if v.is_empty() {
                errors.push(row, Some((i, base)), "is blank");
                continue;
            }
            t.insert(bare_locale(org.default_locale, &v), v);
            for (b, locale, j) in &translations {
                let v = cell(*j).text();
                if *b == base && !v.is_empty() {
                    t.insert(*locale, v);
                }
            }
            match org.check_text(base, t, NAME_MAX) {
                Ok(t) => {
                    names.insert(base, t);
                }
                Err(e) => {
                    let (at, header) = e
                        .field
                        .split_once('.')
                        .and_then(|(_, l)| {
                            let h = format!("{base}.{l}");
                            cols.get(&h).map(|j| (*j, h))
                        })
                        .unwrap_or((i, base.to_owned()));
                    errors.push(row, Some((at, &header)), e.message);
                }
            }
        }
        let amount_of = |name: &str, required: bool, errors: &mut Errors| -> Option<Option<i64>> {
            let Some(i) = col(name) else { return Some(None) };
            let c = cell(i);
            if c.is_empty() && !required {
                return Some(None);
            }
            match amount(c) {
                Ok(v) if v < 0 && (name == "planned" || name == "amended") => {
                    errors.push(row, Some((i, name)), "must not be negative");
                    None
                }
                Ok(v) => Some(Some(v)),
                Err(m) => {
                    errors.push(row, Some((i, name)), m);
                    None
                }
            }
        };
        let planned = amount_of("planned", true, &mut errors).flatten();
        let amended = amount_of("amended", false, &mut errors).flatten();
        let mut executed = vec![None; periods.count()];
        for (n, slot) in executed.iter_mut().enumerate() {
            *slot = amount_of(&format!("{}{}", periods.prefix(), n + 1), false, &mut errors).flatten();
        }
        let link = |name: &'static str, errors: &mut Errors| -> Option<uuid::Uuid> {
            let i = col(name)?;
            let v = cell(i).text();
            if v.is_empty() {
                return None;
            }
            match uuid::Uuid::parse_str(&v) {
                Ok(u) => Some(u),
                Err(_) => {
                    errors.push(row, Some((i, name)), "is not an id (a UUID)");
                    None
                }
            }
        };
        let commitment_id = link("commitment_id", &mut errors);
        let participatory_budget_id = link("participatory_budget_id", &mut errors);
        if let Some(c) = &code_v {
            if let Some(first) = seen.get(c) {
                let i = col("code").unwrap_or(0);
                errors.push(row, Some((i, "code")), format!("`{c}` is already the code of row {first}"));
            } else {
                seen.insert(c.clone(), row);
            }
        }
        if let (Some(p), Some(n)) = (&programme_code, names.get("programme_name")) {
            match programmes.get(p) {
                Some((first, t)) if t != n => {
                    let i = col("programme_name").unwrap_or(0);
                    errors.push(
                        row,
                        Some((i, "programme_name")),
                        format!("differs from row {first} for programme `{p}`"),
                    );
                }
                Some(_) => {}
                None => {
                    programmes.insert(p.clone(), (row, n.clone()));
                }
            }
        }
        if let (Some(p), Some(s), Some(n)) = (&programme_code, &subprogramme_code, names.get("subprogramme_name")) {
            let key = (p.clone(), s.clone());
            match subprogrammes.get(&key) {
                Some((first, t)) if t != n => {
                    let i = col("subprogramme_name").unwrap_or(0);
                    errors.push(
                        row,
                        Some((i, "subprogramme_name")),
                        format!("differs from row {first} for sub-programme `{p}/{s}`"),
                    );
                }
                Some(_) => {}
                None => {
                    subprogrammes.insert(key, (row, n.clone()));
                }
            }
        }
        if errors.0.len() > before {
            continue;
        }
        let (Some(code_v), Some(programme_code), Some(subprogramme_code), Some(economic_code), Some(planned)) =
            (code_v, programme_code, subprogramme_code, economic_code, planned)
        else {
            continue;
        };
        lines.push(ImportedLine {
            row,
            line: Line {
                code: code_v,
                programme_code,
                programme_name: names.remove("programme_name").unwrap_or_default(),
                subprogramme_code,
                subprogramme_name: names.remove("subprogramme_name").unwrap_or_default(),
                economic_code,
                name: names.remove("name").unwrap_or_default(),
                planned,
                amended,
                executed,
                commitment_id: commitment_id.map(Into::into),
                participatory_budget_id: participatory_budget_id.map(Into::into),
            },
        });
    }
    if !errors.0.is_empty() {
        return Err(BudgetExecutionError::Cells(errors.0));
    }
    if lines.is_empty() {
        return Err(BudgetExecutionError::Unreadable("the file has a header row but no lines".into()));
    }
    let columns = cols.into_iter().map(|(h, i)| (h, column_letter(i))).collect();
    Ok(ParsedFile { periods, lines, columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn amounts_are_minor_units_with_at_most_two_decimals() {
        assert_eq!(amount(&Cell::Text("1250000.5".into())), Ok(125_000_050));
        assert_eq!(amount(&Cell::Text("12".into())), Ok(1200));
        assert_eq!(amount(&Cell::Text("-3.07".into())), Ok(-307));
        assert_eq!(amount(&Cell::Number(1234.56)), Ok(123_456));
        assert!(amount(&Cell::Text("1,5".into())).is_err());
        assert!(amount(&Cell::Text("1.505".into())).is_err());
        assert!(amount(&Cell::Text("1 000".into())).is_err());
        assert!(amount(&Cell::Number(0.001)).is_err());
        assert!(amount(&Cell::Text(String::new())).is_err());
    }
}
