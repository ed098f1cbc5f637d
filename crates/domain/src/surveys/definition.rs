//! A survey's questions: their kinds, options and display conditions, and the checks that make a
//! list of questions a valid [`SurveyDefinition`].
//!
//! Numbers are whole numbers (`i64`) within ±[`NUMBER_LIMIT`]: sums and averages then stay exact,
//! and a question that needs decimals asks in a smaller unit (cents, metres, minutes).

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, LocalizedText, LocalizedTextError};

/// At most this many questions in one survey.
pub const MAX_QUESTIONS: usize = 200;
/// At most this many options in one choice or ranking question.
pub const MAX_OPTIONS: usize = 100;
/// Question and option ids: 1 to 64 ASCII letters, digits, `_` or `-`.
pub const MAX_ID_LEN: usize = 64;
/// The longest `max_length` a short text question may set.
pub const SHORT_TEXT_LIMIT: u32 = 500;
/// The longest `max_length` a long text question may set.
pub const LONG_TEXT_LIMIT: u32 = 20_000;
/// Number answers and bounds lie within ±this, so a sum over millions of responses fits an `i64`
/// and stays exact in a JavaScript client.
pub const NUMBER_LIMIT: i64 = 1_000_000_000;
/// A scale has from 2 to 10 points.
pub const SCALE_MIN_POINTS: u32 = 2;
pub const SCALE_MAX_POINTS: u32 = 10;
/// Conditions nest at most this deep (`all` inside `any` inside …).
pub const MAX_CONDITION_DEPTH: usize = 4;

/// A question's stable key, chosen when the question is created and never changed, e.g. `transport`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(String);

/// An option's stable key within its question, e.g. `bus`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionId(String);

macro_rules! key_type {
    ($t:ident) => {
        impl $t {
            /// Wraps a key; whether it is well formed is checked with the definition it belongs to.
            #[must_use]
            pub fn new(key: impl Into<String>) -> Self {
                $t(key.into())
            }

            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            fn is_well_formed(&self) -> bool {
                !self.0.is_empty()
                    && self.0.len() <= MAX_ID_LEN
                    && self.0.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $t {
            fn from(s: &str) -> Self {
                $t(s.to_owned())
            }
        }
    };
}
key_type!(QuestionId);
key_type!(OptionId);

/// An option of a choice or ranking question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub id: OptionId,
    pub label: LocalizedText,
}

/// The labels of a scale: of its two ends, or of every point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ScaleLabels {
    Ends {
        low: LocalizedText,
        high: LocalizedText,
    },
    /// One label per point, point 1 first.
    Each {
        labels: Vec<LocalizedText>,
    },
}

/// What kind of answer a question takes, with that kind's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<ChoiceOption>,
    },
    /// An answer picks between `min_selections` and `max_selections` (all options when absent)
    /// distinct options. An empty selection counts as no answer.
    MultipleChoice {
        options: Vec<ChoiceOption>,
        #[serde(default)]
        min_selections: u32,
        #[serde(default)]
        max_selections: Option<u32>,
    },
    /// At most `max_length` characters (not bytes).
    ShortText {
        max_length: u32,
    },
    LongText {
        max_length: u32,
    },
    /// A whole number within the optional bounds (inclusive) and always within ±[`NUMBER_LIMIT`].
    Number {
        #[serde(default)]
        min: Option<i64>,
        #[serde(default)]
        max: Option<i64>,
    },
    /// A point from 1 to `points`.
    Scale {
        points: u32,
        labels: ScaleLabels,
    },
    /// An answer orders the options, best first: all of them, or the `top` best.
    Ranking {
        options: Vec<ChoiceOption>,
        #[serde(default)]
        top: Option<u32>,
    },
}

/// A question's kind without its settings: used in errors and as the `type` tag of answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    SingleChoice,
    MultipleChoice,
    ShortText,
    LongText,
    Number,
    Scale,
    Ranking,
}

impl QuestionType {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::SingleChoice => "single_choice",
            QuestionType::MultipleChoice => "multiple_choice",
            QuestionType::ShortText => "short_text",
            QuestionType::LongText => "long_text",
            QuestionType::Number => "number",
            QuestionType::Scale => "scale",
            QuestionType::Ranking => "ranking",
        }
    }
}

impl fmt::Display for QuestionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl QuestionKind {
    #[must_use]
    pub fn question_type(&self) -> QuestionType {
        match self {
            QuestionKind::SingleChoice { .. } => QuestionType::SingleChoice,
            QuestionKind::MultipleChoice { .. } => QuestionType::MultipleChoice,
            QuestionKind::ShortText { .. } => QuestionType::ShortText,
            QuestionKind::LongText { .. } => QuestionType::LongText,
            QuestionKind::Number { .. } => QuestionType::Number,
            QuestionKind::Scale { .. } => QuestionType::Scale,
            QuestionKind::Ranking { .. } => QuestionType::Ranking,
        }
    }

    /// The options of a choice or ranking question; empty for the other kinds.
    #[must_use]
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            QuestionKind::SingleChoice { options }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options, .. } => options,
            _ => &[],
        }
    }

    #[must_use]
    pub fn offers(&self, option: &OptionId) -> bool {
        self.options().iter().any(|o| &o.id == option)
    }
}

/// How a number or scale answer is compared with a condition's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
    Eq,
    Gte,
    Lte,
}

impl CompareOp {
    #[must_use]
    pub fn holds(self, answer: i64, value: i64) -> bool {
        match self {
            CompareOp::Eq => answer == value,
            CompareOp::Gte => answer >= value,
            CompareOp::Lte => answer <= value,
        }
    }
}

/// When a question is shown, in terms of answers to earlier questions. How it is evaluated is
/// documented on [`super::visible`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Condition {
    /// The single-choice answer to `question` is one of `options`.
    ChoiceIs { question: QuestionId, options: Vec<OptionId> },
    /// The multiple-choice answer to `question` includes `option`.
    Includes { question: QuestionId, option: OptionId },
    /// The number or scale answer to `question` compares with `value` by `op`.
    Compare { question: QuestionId, op: CompareOp, value: i64 },
    /// Every condition holds.
    All { conditions: Vec<Condition> },
    /// At least one condition holds.
    Any { conditions: Vec<Condition> },
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub text: LocalizedText,
    /// Optional help shown under the question.
    #[serde(default)]
    pub description: Option<LocalizedText>,
    /// A shown required question must be answered; a hidden one never is.
    pub required: bool,
    #[serde(default)]
    pub condition: Option<Condition>,
    pub kind: QuestionKind,
}

/// Why a survey definition was refused. Each names the question (by id, or by position when
/// the id itself is the problem).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    #[error("a survey needs at least one question")]
    NoQuestions,
    #[error("a survey has at most {max} questions")]
    TooManyQuestions { max: usize },
    #[error("question {position}: `{question}` is not a valid id (1–64 letters, digits, `_` or `-`)")]
    InvalidQuestionId { position: usize, question: QuestionId },
    #[error("question {position}: the id `{question}` is already used by an earlier question")]
    DuplicateQuestionId { position: usize, question: QuestionId },
    #[error("question `{question}` has no text")]
    MissingText { question: QuestionId },
    #[error("question `{question}`: `{option}` is not a valid option id (1–64 letters, digits, `_` or `-`)")]
    InvalidOptionId { question: QuestionId, option: OptionId },
    #[error("question `{question}`: the option id `{option}` is used twice")]
    DuplicateOptionId { question: QuestionId, option: OptionId },
    #[error("question `{question}`: option `{option}` has no label")]
    MissingLabel { question: QuestionId, option: OptionId },
    #[error("question `{question}` needs between 2 and {max} options, it has {got}")]
    OptionCount { question: QuestionId, max: usize, got: usize },
    #[error("question `{question}`: the minimum {min} is greater than the maximum {max}")]
    MinGreaterThanMax { question: QuestionId, min: i64, max: i64 },
    #[error("question `{question}`: a selection limit of {limit} is not possible with {options} options")]
    SelectionLimitOutOfRange { question: QuestionId, limit: u32, options: usize },
    #[error("question `{question}`: the maximum length must be between 1 and {limit}, not {max_length}")]
    MaxLengthOutOfRange { question: QuestionId, max_length: u32, limit: u32 },
    #[error("question `{question}`: the bound {bound} is beyond ±{NUMBER_LIMIT}")]
    NumberBoundOutOfRange { question: QuestionId, bound: i64 },
    #[error("question `{question}`: a scale has {SCALE_MIN_POINTS} to {SCALE_MAX_POINTS} points, not {points}")]
    ScalePointsOutOfRange { question: QuestionId, points: u32 },
    #[error("question `{question}`: the scale has {expected} points but {got} labels")]
    ScaleLabelCount { question: QuestionId, expected: u32, got: usize },
    #[error("question `{question}`: a scale label is empty")]
    MissingScaleLabel { question: QuestionId },
    #[error("question `{question}`: ranking the top {top} is not possible with {options} options")]
    RankingTopOutOfRange { question: QuestionId, top: u32, options: usize },
    #[error("question `{question}`: its condition refers to `{refers_to}`, which is not in the survey")]
    ConditionUnknownQuestion { question: QuestionId, refers_to: QuestionId },
    #[error("question `{question}`: its condition refers to `{refers_to}`, which does not come before it")]
    ConditionNotEarlier { question: QuestionId, refers_to: QuestionId },
    #[error("question `{question}`: its condition needs `{refers_to}` to be {expected}, but it is {found}")]
    ConditionTypeMismatch { question: QuestionId, refers_to: QuestionId, expected: &'static str, found: QuestionType },
    #[error("question `{question}`: its condition names option `{option}`, which `{refers_to}` does not offer")]
    ConditionUnknownOption { question: QuestionId, refers_to: QuestionId, option: OptionId },
    #[error("question `{question}`: its condition compares `{refers_to}` with {value}, which it can never equal")]
    ConditionValueOutOfRange { question: QuestionId, refers_to: QuestionId, value: i64 },
    #[error("question `{question}`: its condition has an empty list")]
    EmptyCondition { question: QuestionId },
    #[error("question `{question}`: its condition nests deeper than {MAX_CONDITION_DEPTH} levels")]
    ConditionTooDeep { question: QuestionId },
    #[error("question `{question}`{}: {error}", option.as_ref().map(|o| format!(", option `{o}`")).unwrap_or_default())]
    Text { question: QuestionId, option: Option<OptionId>, error: LocalizedTextError },
}

impl DefinitionError {
    /// The question the error is about, if any.
    #[must_use]
    pub fn question(&self) -> Option<&QuestionId> {
        use DefinitionError as E;
        match self {
            E::NoQuestions | E::TooManyQuestions { .. } => None,
            E::InvalidQuestionId { question, .. }
            | E::DuplicateQuestionId { question, .. }
            | E::MissingText { question }
            | E::InvalidOptionId { question, .. }
            | E::DuplicateOptionId { question, .. }
            | E::MissingLabel { question, .. }
            | E::OptionCount { question, .. }
            | E::MinGreaterThanMax { question, .. }
            | E::SelectionLimitOutOfRange { question, .. }
            | E::MaxLengthOutOfRange { question, .. }
            | E::NumberBoundOutOfRange { question, .. }
            | E::ScalePointsOutOfRange { question, .. }
            | E::ScaleLabelCount { question, .. }
            | E::MissingScaleLabel { question }
            | E::RankingTopOutOfRange { question, .. }
            | E::ConditionUnknownQuestion { question, .. }
            | E::ConditionNotEarlier { question, .. }
            | E::ConditionTypeMismatch { question, .. }
            | E::ConditionUnknownOption { question, .. }
            | E::ConditionValueOutOfRange { question, .. }
            | E::EmptyCondition { question }
            | E::ConditionTooDeep { question }
            | E::Text { question, .. } => Some(question),
        }
    }
}

/// Every error of a refused definition (what deserialising a stored definition reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

/// An ordered list of questions that passed every check of [`SurveyDefinition::new`]. It
/// serialises as the JSON array of its questions, and deserialising re-checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Question>", into = "Vec<Question>")]
pub struct SurveyDefinition {
    questions: Vec<Question>,
    /// Position of each question by id.
    index: HashMap<QuestionId, usize>,
}

impl TryFrom<Vec<Question>> for SurveyDefinition {
    type Error = DefinitionErrors;
    fn try_from(questions: Vec<Question>) -> Result<Self, Self::Error> {
        SurveyDefinition::new(questions).map_err(DefinitionErrors)
    }
}

impl From<SurveyDefinition> for Vec<Question> {
    fn from(d: SurveyDefinition) -> Self {
        d.questions
    }
}

impl SurveyDefinition {
    /// Checks the questions: well-formed unique ids, texts present, options and limits that make
    /// sense for each kind, and conditions that refer only to earlier questions, with the right
    /// kind, and to options they offer or values they can take.
    ///
    /// # Errors
    /// Every problem found, in question order.
    pub fn new(questions: Vec<Question>) -> Result<Self, Vec<DefinitionError>> {
        let mut errors = Vec::new();
        if questions.is_empty() {
            errors.push(DefinitionError::NoQuestions);
        }
        if questions.len() > MAX_QUESTIONS {
            errors.push(DefinitionError::TooManyQuestions { max: MAX_QUESTIONS });
        }
        let mut index = HashMap::with_capacity(questions.len());
        for (position, q) in questions.iter().enumerate() {
            if !q.id.is_well_formed() {
                errors.push(DefinitionError::InvalidQuestionId { position: position + 1, question: q.id.clone() });
            } else if index.contains_key(&q.id) {
                errors.push(DefinitionError::DuplicateQuestionId { position: position + 1, question: q.id.clone() });
            } else {
                index.insert(q.id.clone(), position);
            }
        }
        for (position, q) in questions.iter().enumerate() {
            if q.text.is_empty() {
                errors.push(DefinitionError::MissingText { question: q.id.clone() });
            }
            check_kind(q, &mut errors);
            if let Some(c) = &q.condition {
                check_condition(c, q, position, &questions, &index, 1, &mut errors);
            }
        }
        if errors.is_empty() { Ok(SurveyDefinition { questions, index }) } else { Err(errors) }
    }

    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    #[must_use]
    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.position(id).and_then(|i| self.questions.get(i))
    }

    /// Where the question stands in the survey, from 0.
    #[must_use]
    pub fn position(&self, id: &QuestionId) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Checks every text (question, description, option and scale labels) against the
    /// organisation's locales, as [`LocalizedText::validate`] does.
    ///
    /// # Errors
    /// Every text refused, naming its question and option.
    pub fn check_texts(
        &self,
        default: Locale,
        enabled: &[Locale],
        max_chars: usize,
    ) -> Result<(), Vec<DefinitionError>> {
        let mut errors = Vec::new();
        let mut check = |question: &QuestionId, option: Option<&OptionId>, t: &LocalizedText| {
            if let Err(error) = t.validate(default, enabled, max_chars) {
                errors.push(DefinitionError::Text { question: question.clone(), option: option.cloned(), error });
            }
        };
        for q in &self.questions {
            check(&q.id, None, &q.text);
            if let Some(d) = &q.description {
                check(&q.id, None, d);
            }
            for o in q.kind.options() {
                check(&q.id, Some(&o.id), &o.label);
            }
            match &q.kind {
                QuestionKind::Scale { labels: ScaleLabels::Ends { low, high }, .. } => {
                    check(&q.id, None, low);
                    check(&q.id, None, high);
                }
                QuestionKind::Scale { labels: ScaleLabels::Each { labels }, .. } => {
                    labels.iter().for_each(|l| check(&q.id, None, l));
                }
                _ => {}
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

fn check_options(q: &Question, options: &[ChoiceOption], errors: &mut Vec<DefinitionError>) {
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        errors.push(DefinitionError::OptionCount { question: q.id.clone(), max: MAX_OPTIONS, got: options.len() });
    }
    let mut seen = std::collections::HashSet::with_capacity(options.len());
    for o in options {
        if !o.id.is_well_formed() {
            errors.push(DefinitionError::InvalidOptionId { question: q.id.clone(), option: o.id.clone() });
        } else if !seen.insert(&o.id) {
            errors.push(DefinitionError::DuplicateOptionId { question: q.id.clone(), option: o.id.clone() });
        }
        if o.label.is_empty() {
            errors.push(DefinitionError::MissingLabel { question: q.id.clone(), option: o.id.clone() });
        }
    }
}

fn check_kind(q: &Question, errors: &mut Vec<DefinitionError>) {
    let question = || q.id.clone();
    match &q.kind {
        QuestionKind::SingleChoice { options } => check_options(q, options, errors),
        QuestionKind::MultipleChoice { options, min_selections, max_selections } => {
            check_options(q, options, errors);
            let n = options.len();
            if usize::try_from(*min_selections).map_or(true, |m| m > n) {
                errors.push(DefinitionError::SelectionLimitOutOfRange {
                    question: question(),
                    limit: *min_selections,
                    options: n,
                });
            }
            if let Some(max) = *max_selections {
                if max == 0 || usize::try_from(max).map_or(true, |m| m > n) {
                    errors.push(DefinitionError::SelectionLimitOutOfRange {
                        question: question(),
                        limit: max,
                        options: n,
                    });
                }
                if *min_selections > max {
                    errors.push(DefinitionError::MinGreaterThanMax {
                        question: question(),
                        min: i64::from(*min_selections),
                        max: i64::from(max),
                    });
                }
            }
        }
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
            let limit =
                if matches!(q.kind, QuestionKind::ShortText { .. }) { SHORT_TEXT_LIMIT } else { LONG_TEXT_LIMIT };
            if *max_length == 0 || *max_length > limit {
                errors.push(DefinitionError::MaxLengthOutOfRange {
                    question: question(),
                    max_length: *max_length,
                    limit,
                });
            }
        }
        QuestionKind::Number { min, max } => {
            for bound in [min, max].into_iter().flatten() {
                if bound.unsigned_abs() > NUMBER_LIMIT.unsigned_abs() {
                    errors.push(DefinitionError::NumberBoundOutOfRange { question: question(), bound: *bound });
                }
            }
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                errors.push(DefinitionError::MinGreaterThanMax { question: question(), min: *min, max: *max });
            }
        }
        QuestionKind::Scale { points, labels } => {
            if !(SCALE_MIN_POINTS..=SCALE_MAX_POINTS).contains(points) {
                errors.push(DefinitionError::ScalePointsOutOfRange { question: question(), points: *points });
            }
            match labels {
                ScaleLabels::Ends { low, high } => {
                    if low.is_empty() || high.is_empty() {
                        errors.push(DefinitionError::MissingScaleLabel { question: question() });
                    }
                }
                ScaleLabels::Each { labels } => {
                    if usize::try_from(*points) != Ok(labels.len()) {
                        errors.push(DefinitionError::ScaleLabelCount {
                            question: question(),
                            expected: *points,
                            got: labels.len(),
                        });
                    }
                    if labels.iter().any(LocalizedText::is_empty) {
                        errors.push(DefinitionError::MissingScaleLabel { question: question() });
                    }
                }
            }
        }
        QuestionKind::Ranking { options, top } => {
            check_options(q, options, errors);
            if let Some(top) = *top
                && (top == 0 || usize::try_from(top).map_or(true, |t| t > options.len()))
            {
                errors.push(DefinitionError::RankingTopOutOfRange {
                    question: question(),
                    top,
                    options: options.len(),
                });
            }
        }
    }
}

fn check_condition(
    c: &Condition,
    q: &Question,
    position: usize,
    questions: &[Question],
    index: &HashMap<QuestionId, usize>,
    depth: usize,
    errors: &mut Vec<DefinitionError>,
) {
    let question = || q.id.clone();
    if depth > MAX_CONDITION_DEPTH {
        errors.push(DefinitionError::ConditionTooDeep { question: question() });
        return;
    }
    let (refers_to, target) = match c {
        Condition::All { conditions } | Condition::Any { conditions } => {
            if conditions.is_empty() {
                errors.push(DefinitionError::EmptyCondition { question: question() });
            }
            for sub in conditions {
                check_condition(sub, q, position, questions, index, depth + 1, errors);
            }
            return;
        }
        Condition::ChoiceIs { question: r, .. }
        | Condition::Includes { question: r, .. }
        | Condition::Compare { question: r, .. } => {
            let Some(&at) = index.get(r) else {
                errors.push(DefinitionError::ConditionUnknownQuestion { question: question(), refers_to: r.clone() });
                return;
            };
            if at >= position {
                errors.push(DefinitionError::ConditionNotEarlier { question: question(), refers_to: r.clone() });
                return;
            }
            let Some(target) = questions.get(at) else { return };
            (r, target)
        }
    };
    let mismatch = |expected: &'static str| DefinitionError::ConditionTypeMismatch {
        question: question(),
        refers_to: refers_to.clone(),
        expected,
        found: target.kind.question_type(),
    };
    let unknown_option = |option: &OptionId| DefinitionError::ConditionUnknownOption {
        question: question(),
        refers_to: refers_to.clone(),
        option: option.clone(),
    };
    match (c, &target.kind) {
        (Condition::ChoiceIs { options, .. }, QuestionKind::SingleChoice { .. }) => {
            if options.is_empty() {
                errors.push(DefinitionError::EmptyCondition { question: question() });
            }
            errors.extend(options.iter().filter(|o| !target.kind.offers(o)).map(unknown_option));
        }
        (Condition::ChoiceIs { .. }, _) => errors.push(mismatch("single_choice")),
        (Condition::Includes { option, .. }, QuestionKind::MultipleChoice { .. }) => {
            if !target.kind.offers(option) {
                errors.push(unknown_option(option));
            }
        }
        (Condition::Includes { .. }, _) => errors.push(mismatch("multiple_choice")),
        (Condition::Compare { value, .. }, QuestionKind::Number { min, max }) => {
            let low = min.unwrap_or(-NUMBER_LIMIT);
            let high = max.unwrap_or(NUMBER_LIMIT);
            if *value < low || *value > high {
                errors.push(DefinitionError::ConditionValueOutOfRange {
                    question: question(),
                    refers_to: refers_to.clone(),
                    value: *value,
                });
            }
        }
        (Condition::Compare { value, .. }, QuestionKind::Scale { points, .. }) => {
            if *value < 1 || *value > i64::from(*points) {
                errors.push(DefinitionError::ConditionValueOutOfRange {
                    question: question(),
                    refers_to: refers_to.clone(),
                    value: *value,
                });
            }
        }
        (Condition::Compare { .. }, _) => errors.push(mismatch("number or scale")),
        (Condition::All { .. } | Condition::Any { .. }, _) => {}
    }
}
