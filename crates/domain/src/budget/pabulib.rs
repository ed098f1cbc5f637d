//! The pabulib `.pb` format (<https://pabulib.org/format>): reading and writing participatory-budget
//! elections exchanged with PB researchers.
//!
//! A file has three sections, each a header line then `;`-separated CSV rows: `META` (`key;value`),
//! `PROJECTS` (`project_id;cost;…`) and `VOTES` (`voter_id;vote;…`). Fields are read with a real CSV
//! reader (names contain `;` and doubled quotes). Project ids are strings; costs and the budget are
//! exact decimals ([`Amount`]); every column we do not interpret is kept as text in file order, so
//! [`write`] gives back a file that [`parse`]s to the same [`PbFile`].

use serde::{Deserialize, Serialize};

use super::amount::{Amount, InvalidAmount};

/// How voters expressed themselves (`vote_type` in META).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteType {
    /// A set of approved projects.
    Approval,
    /// Points spread over projects (`points` column).
    Cumulative,
    /// Projects in order of preference, most preferred first.
    Ordinal,
    /// A score per project (`points` column).
    Scoring,
    /// Exactly one project.
    #[serde(rename = "choose-1")]
    Choose1,
}

impl VoteType {
    /// The name pabulib uses.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approval => "approval",
            Self::Cumulative => "cumulative",
            Self::Ordinal => "ordinal",
            Self::Scoring => "scoring",
            Self::Choose1 => "choose-1",
        }
    }

    /// Whether ballots carry a `points` list.
    #[must_use]
    pub fn has_points(self) -> bool {
        matches!(self, Self::Cumulative | Self::Scoring)
    }

    /// The vote type pabulib names `s`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Approval, Self::Cumulative, Self::Ordinal, Self::Scoring, Self::Choose1]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A parsed `.pb` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbFile {
    /// Every META entry in file order, `budget` and `vote_type` included (as written).
    pub meta: Vec<(String, String)>,
    /// The total budget (META `budget`).
    pub budget: Amount,
    /// META `vote_type`.
    pub vote_type: VoteType,
    /// The PROJECTS header, starting with `project_id` and including `cost`.
    pub project_columns: Vec<String>,
    pub projects: Vec<PbProject>,
    /// The VOTES header, starting with `voter_id` and including `vote` (and `points` when used).
    pub vote_columns: Vec<String>,
    pub votes: Vec<PbVote>,
}

/// One PROJECTS row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbProject {
    pub id: String,
    pub cost: Amount,
    /// The other columns, in header order (`project_id` and `cost` left out).
    pub extra: Vec<String>,
}

/// One VOTES row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbVote {
    pub voter_id: String,
    /// Project ids in the order written (rank order for ordinal ballots).
    pub vote: Vec<String>,
    /// The `points` list, parallel to `vote`, when the file has that column.
    pub points: Option<Vec<Amount>>,
    /// The other columns, in header order (`voter_id`, `vote` and `points` left out).
    pub extra: Vec<String>,
}

impl PbFile {
    /// A META value.
    #[must_use]
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// An extra project column's value (`name`, `votes`, `selected`…) for the project at `index`.
    #[must_use]
    pub fn project_field(&self, index: usize, column: &str) -> Option<&str> {
        let pos = extra_index(&self.project_columns, &["project_id", "cost"], column)?;
        self.projects.get(index)?.extra.get(pos).map(String::as_str)
    }
}

fn extra_index(columns: &[String], typed: &[&str], column: &str) -> Option<usize> {
    columns.iter().filter(|c| !typed.contains(&c.as_str())).position(|c| c == column)
}

/// What is wrong with a `.pb` file, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PbError {
    #[error("line {line}: not valid CSV: {message}")]
    Csv { line: u64, message: String },
    #[error("line {line}: data before the first section (META, PROJECTS or VOTES)")]
    OutsideSection { line: u64 },
    #[error("line {line}: section {section} appears twice")]
    RepeatedSection { line: u64, section: &'static str },
    #[error("line {line}: section {section} has no header line")]
    MissingHeader { line: u64, section: &'static str },
    #[error("line {line}: the {section} header lacks the `{column}` column")]
    MissingColumn { line: u64, section: &'static str, column: &'static str },
    #[error("line {line}: the {section} header repeats the `{column}` column")]
    DuplicateColumn { line: u64, section: &'static str, column: String },
    #[error("line {line}: expected {expected} fields, found {found}")]
    FieldCount { line: u64, expected: usize, found: usize },
    #[error("the file has no {section} section")]
    MissingSection { section: &'static str },
    #[error("META has no `{key}` entry")]
    MissingMeta { key: &'static str },
    #[error("line {line}: META `{key}` appears twice")]
    DuplicateMeta { line: u64, key: String },
    #[error("line {line}: unknown vote_type `{value}`")]
    UnknownVoteType { line: u64, value: String },
    #[error("line {line}: {field}: {source}")]
    BadAmount { line: u64, field: &'static str, source: InvalidAmount },
    #[error("line {line}: empty project id")]
    EmptyProjectId { line: u64 },
    #[error("line {line}: project `{id}` is listed twice")]
    DuplicateProject { line: u64, id: String },
    #[error("line {line}: voter `{id}` is listed twice")]
    DuplicateVoter { line: u64, id: String },
    #[error("line {line}: the vote names project `{id}`, which is not in PROJECTS")]
    UnknownProject { line: u64, id: String },
    #[error("line {line}: the vote names project `{id}` twice")]
    RepeatedProjectInVote { line: u64, id: String },
    #[error("line {line}: {votes} projects voted for but {points} points given")]
    PointsMismatch { line: u64, votes: usize, points: usize },
    #[error("line {line}: a {vote_type} ballot needs a `points` column")]
    MissingPoints { line: u64, vote_type: &'static str },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Meta,
    Projects,
    Votes,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Self::Meta => "META",
            Self::Projects => "PROJECTS",
            Self::Votes => "VOTES",
        }
    }
}

fn split_list(s: &str) -> Vec<String> {
    if s.trim().is_empty() { Vec::new() } else { s.split(',').map(|x| x.trim().to_owned()).collect() }
}

fn column(columns: &[String], name: &'static str, section: Section, line: u64) -> Result<usize, PbError> {
    columns.iter().position(|c| c == name).ok_or(PbError::MissingColumn { line, section: section.name(), column: name })
}

/// Parses a `.pb` file.
///
/// # Errors
/// A [`PbError`] naming the line and what is wrong: malformed CSV, a missing section, header or
/// column, a row with the wrong number of fields, a bad number, an unknown `vote_type`, a duplicate
/// project or voter, or a vote naming an unknown project (or one project twice).
pub fn parse(text: &str) -> Result<PbFile, PbError> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut section: Option<Section> = None;
    let mut seen: Vec<Section> = Vec::new();
    let mut header: Option<Vec<String>> = None;
    let mut meta: Vec<(String, String)> = Vec::new();
    let mut meta_lines: Vec<u64> = Vec::new();
    let (mut project_columns, mut vote_columns) = (Vec::new(), Vec::new());
    let mut raw_projects: Vec<(u64, Vec<String>)> = Vec::new();
    let mut raw_votes: Vec<(u64, Vec<String>)> = Vec::new();
    let mut last_line = 1;

    // Line numbers come from byte offsets: the CSV reader's own line count is not reliable with CRLF.
    let line_starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
    let line_of = |pos: Option<&csv::Position>, fallback: u64| {
        pos.map_or(fallback, |p| {
            let byte = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            u64::try_from(line_starts.partition_point(|&s| s <= byte)).unwrap_or(u64::MAX).saturating_add(1)
        })
    };
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| PbError::Csv { line: line_of(e.position(), last_line), message: e.to_string() })?;
        if !more {
            break;
        }
        let line = line_of(record.position(), last_line);
        last_line = line;
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.len() == 1 {
            let name = fields[0].trim().to_ascii_lowercase();
            let next = match name.as_str() {
                "meta" => Some(Section::Meta),
                "projects" => Some(Section::Projects),
                "votes" => Some(Section::Votes),
                _ => None,
            };
            if let Some(next) = next {
                if seen.contains(&next) {
                    return Err(PbError::RepeatedSection { line, section: next.name() });
                }
                if let (Some(prev), None) = (section, &header) {
                    return Err(PbError::MissingHeader { line, section: prev.name() });
                }
                seen.push(next);
                section = Some(next);
                header = None;
                continue;
            }
        }
        let Some(current) = section else {
            return Err(PbError::OutsideSection { line });
        };
        let Some(columns) = &header else {
            let columns: Vec<String> = fields.iter().map(|f| f.trim().to_owned()).collect();
            for (i, c) in columns.iter().enumerate() {
                if columns[..i].contains(c) {
                    return Err(PbError::DuplicateColumn { line, section: current.name(), column: c.clone() });
                }
            }
            match current {
                Section::Meta => {}
                Section::Projects => {
                    if columns.first().map(String::as_str) != Some("project_id") {
                        return Err(PbError::MissingColumn { line, section: "PROJECTS", column: "project_id" });
                    }
                    column(&columns, "cost", current, line)?;
                    project_columns.clone_from(&columns);
                }
                Section::Votes => {
                    if columns.first().map(String::as_str) != Some("voter_id") {
                        return Err(PbError::MissingColumn { line, section: "VOTES", column: "voter_id" });
                    }
                    column(&columns, "vote", current, line)?;
                    vote_columns.clone_from(&columns);
                }
            }
            header = Some(columns);
            continue;
        };
        if fields.len() != columns.len() {
            return Err(PbError::FieldCount { line, expected: columns.len(), found: fields.len() });
        }
        match current {
            Section::Meta => {
                let key = fields[0].trim().to_owned();
                if meta.iter().any(|(k, _)| *k == key) {
                    return Err(PbError::DuplicateMeta { line, key });
                }
                meta.push((key, fields[1].trim().to_owned()));
                meta_lines.push(line);
            }
            Section::Projects => raw_projects.push((line, fields)),
            Section::Votes => raw_votes.push((line, fields)),
        }
    }
    if let (Some(prev), None) = (section, &header) {
        return Err(PbError::MissingHeader { line: last_line, section: prev.name() });
    }
    for s in [Section::Meta, Section::Projects, Section::Votes] {
        if !seen.contains(&s) {
            return Err(PbError::MissingSection { section: s.name() });
        }
    }

    let meta_entry = |key: &'static str| {
        meta.iter()
            .position(|(k, _)| k == key)
            .map(|i| (meta_lines[i], meta[i].1.as_str()))
            .ok_or(PbError::MissingMeta { key })
    };
    let (line, budget) = meta_entry("budget")?;
    let budget = budget.parse().map_err(|source| PbError::BadAmount { line, field: "budget", source })?;
    let (line, vote_type) = meta_entry("vote_type")?;
    let vote_type =
        VoteType::parse(vote_type).ok_or_else(|| PbError::UnknownVoteType { line, value: vote_type.to_owned() })?;

    let cost_col = project_columns.iter().position(|c| c == "cost").unwrap_or(1);
    let mut projects = Vec::with_capacity(raw_projects.len());
    let mut ids = std::collections::HashSet::new();
    for (line, fields) in raw_projects {
        let id = fields[0].trim().to_owned();
        if id.is_empty() {
            return Err(PbError::EmptyProjectId { line });
        }
        if !ids.insert(id.clone()) {
            return Err(PbError::DuplicateProject { line, id });
        }
        let cost =
            fields[cost_col].trim().parse().map_err(|source| PbError::BadAmount { line, field: "cost", source })?;
        let extra = fields.into_iter().enumerate().filter(|(i, _)| *i != 0 && *i != cost_col).map(|(_, f)| f).collect();
        projects.push(PbProject { id, cost, extra });
    }

    let vote_col = vote_columns.iter().position(|c| c == "vote").unwrap_or(1);
    let points_col = vote_columns.iter().position(|c| c == "points");
    if vote_type.has_points() && points_col.is_none() {
        return Err(PbError::MissingPoints { line: last_line, vote_type: vote_type.as_str() });
    }
    let mut votes = Vec::with_capacity(raw_votes.len());
    let mut voters = std::collections::HashSet::new();
    for (line, fields) in raw_votes {
        let voter_id = fields[0].trim().to_owned();
        if !voters.insert(voter_id.clone()) {
            return Err(PbError::DuplicateVoter { line, id: voter_id });
        }
        let vote = split_list(&fields[vote_col]);
        // Linear in the vote's length: a hostile file may name thousands of projects in one vote.
        let mut in_vote = std::collections::HashSet::with_capacity(vote.len());
        for id in &vote {
            if !ids.contains(id) {
                return Err(PbError::UnknownProject { line, id: id.clone() });
            }
            if !in_vote.insert(id.as_str()) {
                return Err(PbError::RepeatedProjectInVote { line, id: id.clone() });
            }
        }
        let points = match points_col {
            None => None,
            Some(c) => {
                let list = split_list(&fields[c])
                    .iter()
                    .map(|p| p.parse::<Amount>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|source| PbError::BadAmount { line, field: "points", source })?;
                if list.len() != vote.len() {
                    return Err(PbError::PointsMismatch { line, votes: vote.len(), points: list.len() });
                }
                Some(list)
            }
        };
        let extra = fields
            .into_iter()
            .enumerate()
            .filter(|(i, _)| *i != 0 && *i != vote_col && Some(*i) != points_col)
            .map(|(_, f)| f)
            .collect();
        votes.push(PbVote { voter_id, vote, points, extra });
    }

    Ok(PbFile { meta, budget, vote_type, project_columns, projects, vote_columns, votes })
}

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// Writes a `.pb` file (`\n` line ends, fields quoted only where CSV needs it). `budget` and
/// `vote_type` are written from the typed fields, in their META position (appended if absent).
#[must_use]
pub fn write(file: &PbFile) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let mut row = |fields: &[String]| {
        let _ = w.write_record(fields);
    };
    row(&["META".to_owned()]);
    row(&["key".to_owned(), "value".to_owned()]);
    let mut meta = file.meta.clone();
    for (key, value) in [("budget", file.budget.to_string()), ("vote_type", file.vote_type.as_str().to_owned())] {
        match meta.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => meta.push((key.to_owned(), value)),
        }
    }
    for (k, v) in &meta {
        row(&[k.clone(), v.clone()]);
    }

    row(&["PROJECTS".to_owned()]);
    row(&file.project_columns);
    for p in &file.projects {
        let mut extra = p.extra.iter();
        let fields: Vec<String> = file
            .project_columns
            .iter()
            .map(|c| match c.as_str() {
                "project_id" => p.id.clone(),
                "cost" => p.cost.to_string(),
                _ => extra.next().cloned().unwrap_or_default(),
            })
            .collect();
        row(&fields);
    }

    row(&["VOTES".to_owned()]);
    row(&file.vote_columns);
    for v in &file.votes {
        let mut extra = v.extra.iter();
        let fields: Vec<String> = file
            .vote_columns
            .iter()
            .map(|c| match c.as_str() {
                "voter_id" => v.voter_id.clone(),
                "vote" => v.vote.join(","),
                "points" => v.points.as_deref().map(join).unwrap_or_default(),
                _ => extra.next().cloned().unwrap_or_default(),
            })
            .collect();
        row(&fields);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const SMALL: &str = "META\r\nkey;value\r\ndescription;\"Test; \"\"quoted\"\"\"\r\nbudget;100.50\r\nvote_type;cumulative\r\n\
PROJECTS\r\nproject_id;cost;name;votes\r\np1;60.25;\"Park; with \"\"quotes\"\"\";2\r\np2;40;Bench;1\r\n\
VOTES\r\nvoter_id;vote;points;age\r\nv1;p1,p2;3,2;40\r\nv2;p1;5;\r\n";

    #[test]
    fn a_small_file_is_read_with_its_quotes_decimals_and_extra_columns() {
        let f = parse(SMALL).unwrap();
        assert_eq!(f.budget.to_string(), "100.50");
        assert_eq!(f.vote_type, VoteType::Cumulative);
        assert_eq!(f.meta("description"), Some("Test; \"quoted\""));
        assert_eq!(f.projects[0].id, "p1");
        assert_eq!(f.projects[0].cost.units(), 6025);
        assert_eq!(f.project_field(0, "name"), Some("Park; with \"quotes\""));
        assert_eq!(f.project_field(1, "votes"), Some("1"));
        assert_eq!(f.votes[0].vote, vec!["p1", "p2"]);
        assert_eq!(f.votes[0].points.as_ref().unwrap().iter().map(Amount::units).collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(f.votes[1].extra, vec![""]);
        assert_eq!(parse(&write(&f)).unwrap(), f);
    }

    fn err(text: &str) -> PbError {
        parse(text).unwrap_err()
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let base =
            "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n";
        assert!(parse(&format!("{base}1;a\n")).is_ok());
        assert_eq!(err(&format!("{base}1;a,b\n")), PbError::UnknownProject { line: 10, id: "b".into() });
        assert_eq!(err(&format!("{base}1;a,a\n")), PbError::RepeatedProjectInVote { line: 10, id: "a".into() });
        assert_eq!(err(&format!("{base}1;a\n1;a\n")), PbError::DuplicateVoter { line: 11, id: "1".into() });
        assert_eq!(err(&format!("{base}1;a;x\n")), PbError::FieldCount { line: 10, expected: 2, found: 3 });
        assert!(matches!(err(&base.replace("a;5", "a;5,5")), PbError::BadAmount { line: 7, field: "cost", .. }));
        assert_eq!(
            err(&base.replace("approval", "lottery")),
            PbError::UnknownVoteType { line: 4, value: "lottery".into() }
        );
        assert_eq!(err(&base.replace("budget;10\n", "")), PbError::MissingMeta { key: "budget" });
        assert_eq!(err(&base.replace("a;5\n", "a;5\na;6\n")), PbError::DuplicateProject { line: 8, id: "a".into() });
        assert_eq!(err("x;y\n"), PbError::OutsideSection { line: 1 });
        assert_eq!(err(&base.replace("VOTES\nvoter_id;vote\n", "")), PbError::MissingSection { section: "VOTES" });
        assert_eq!(
            err(&base.replace("voter_id;vote", "voter_id;ballot")),
            PbError::MissingColumn { line: 9, section: "VOTES", column: "vote" }
        );
        let cumulative = base.replace("approval", "cumulative").replace("voter_id;vote", "voter_id;vote;points");
        assert_eq!(err(&format!("{cumulative}1;a;1,2\n")), PbError::PointsMismatch { line: 10, votes: 1, points: 2 });
        assert!(matches!(
            err(&base.replace("approval", "cumulative")),
            PbError::MissingPoints { vote_type: "cumulative", .. }
        ));
    }

    #[test]
    fn an_empty_vote_is_an_empty_ballot() {
        let text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;\n";
        assert!(parse(text).unwrap().votes[0].vote.is_empty());
    }

    pub(crate) fn instances_dir() -> std::path::PathBuf {
        std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/pb-instances"))
    }

    #[test]
    fn every_reference_instance_survives_import_export_import() {
        let mut n = 0;
        for entry in std::fs::read_dir(instances_dir()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("pb") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let first = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let num = |k: &str| first.meta(k).unwrap().parse::<usize>().unwrap();
            assert_eq!(first.projects.len(), num("num_projects"), "{}", path.display());
            assert_eq!(first.votes.len(), num("num_votes"), "{}", path.display());
            let written = write(&first);
            let second = parse(&written).unwrap();
            assert!(first == second, "{} changed on export", path.display());
            assert_eq!(write(&second), written);
            n += 1;
        }
        assert_eq!(n, 12);
    }
}
