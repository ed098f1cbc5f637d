//! A resident's answers and their validation against a survey.
//!
//! An answer's `type` is its question's type. "No answer" is the question missing from the map;
//! an empty selection, an empty ranking and a blank text count as no answer too, so a form can
//! send every field.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::definition::{NUMBER_LIMIT, OptionId, Question, QuestionId, QuestionKind, QuestionType, SurveyDefinition};
use super::visibility::visibility;

/// An answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    SingleChoice {
        option: OptionId,
    },
    MultipleChoice {
        options: Vec<OptionId>,
    },
    ShortText {
        text: String,
    },
    LongText {
        text: String,
    },
    Number {
        value: i64,
    },
    Scale {
        value: u32,
    },
    /// Options best first.
    Ranking {
        options: Vec<OptionId>,
    },
}

impl Answer {
    #[must_use]
    pub fn question_type(&self) -> QuestionType {
        match self {
            Answer::SingleChoice { .. } => QuestionType::SingleChoice,
            Answer::MultipleChoice { .. } => QuestionType::MultipleChoice,
            Answer::ShortText { .. } => QuestionType::ShortText,
            Answer::LongText { .. } => QuestionType::LongText,
            Answer::Number { .. } => QuestionType::Number,
            Answer::Scale { .. } => QuestionType::Scale,
            Answer::Ranking { .. } => QuestionType::Ranking,
        }
    }

    /// An empty selection or ranking, or a blank text: the same as no answer.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::MultipleChoice { options } | Answer::Ranking { options } => options.is_empty(),
            Answer::ShortText { text } | Answer::LongText { text } => text.trim().is_empty(),
            Answer::SingleChoice { .. } | Answer::Number { .. } | Answer::Scale { .. } => false,
        }
    }
}

/// Answers by question id, as submitted.
pub type Answers = BTreeMap<QuestionId, Answer>;

/// Answers that passed [`validate_response`]: only shown questions, no blanks, every answer valid.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct ValidAnswers(Answers);

impl ValidAnswers {
    /// Answers read back from storage, validated when they were stored. A survey with responses
    /// changes only its texts, so they are still valid; aggregation ignores anything that is not.
    #[must_use]
    pub fn from_stored(answers: Answers) -> Self {
        ValidAnswers(answers)
    }

    #[must_use]
    pub fn get(&self, question: &QuestionId) -> Option<&Answer> {
        self.0.get(question)
    }

    #[must_use]
    pub fn as_map(&self) -> &Answers {
        &self.0
    }

    #[must_use]
    pub fn into_inner(self) -> Answers {
        self.0
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What is wrong with one answer; each names its question. Serialises with a snake_case `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerError {
    #[error("`{question}` is not a question of this survey")]
    UnknownQuestion { question: QuestionId },
    #[error("`{question}` is not shown for these answers, so it takes no answer")]
    HiddenQuestion { question: QuestionId },
    #[error("`{question}` requires an answer")]
    Missing { question: QuestionId },
    #[error("`{question}` takes a {expected} answer, not {got}")]
    WrongType { question: QuestionId, expected: QuestionType, got: QuestionType },
    #[error("`{question}` does not offer `{option}`")]
    NotOffered { question: QuestionId, option: OptionId },
    #[error("`{question}`: `{option}` is given twice")]
    Duplicate { question: QuestionId, option: OptionId },
    #[error("`{question}` needs at least {min} choices, got {got}")]
    TooFewChoices { question: QuestionId, min: u32, got: usize },
    #[error("`{question}` allows at most {max} choices, got {got}")]
    TooManyChoices { question: QuestionId, max: u32, got: usize },
    #[error("`{question}` takes a value from {min} to {max}, not {got}")]
    OutOfRange { question: QuestionId, min: i64, max: i64, got: i64 },
    #[error("`{question}` takes at most {max} characters, got {got}")]
    TextTooLong { question: QuestionId, max: u32, got: usize },
    #[error("`{question}` needs {expected} options ranked, got {got}")]
    IncompleteRanking { question: QuestionId, expected: usize, got: usize },
    #[error("`{question}` ranks {expected} options, got {got}")]
    TooManyRanked { question: QuestionId, expected: usize, got: usize },
}

impl AnswerError {
    #[must_use]
    pub fn question(&self) -> &QuestionId {
        use AnswerError as E;
        match self {
            E::UnknownQuestion { question }
            | E::HiddenQuestion { question }
            | E::Missing { question }
            | E::WrongType { question, .. }
            | E::NotOffered { question, .. }
            | E::Duplicate { question, .. }
            | E::TooFewChoices { question, .. }
            | E::TooManyChoices { question, .. }
            | E::OutOfRange { question, .. }
            | E::TextTooLong { question, .. }
            | E::IncompleteRanking { question, .. }
            | E::TooManyRanked { question, .. } => question,
        }
    }
}

/// Checks a whole response: answers only to questions of the survey that are shown (by
/// [`super::visible`], evaluated on the answers as submitted), every shown required question
/// answered, and each answer valid for its question. Blank answers are dropped.
///
/// A response with any error is refused as a whole, so a condition that read an invalid answer
/// cannot let an invalid response through.
///
/// # Errors
/// Every problem: unknown questions first, then in survey order.
pub fn validate_response(survey: &SurveyDefinition, answers: &Answers) -> Result<ValidAnswers, Vec<AnswerError>> {
    let mut errors: Vec<AnswerError> = answers
        .keys()
        .filter(|id| survey.position(id).is_none())
        .map(|id| AnswerError::UnknownQuestion { question: id.clone() })
        .collect();
    let shown = visibility(survey, answers);
    let mut valid = Answers::new();
    for (q, shown) in survey.questions().iter().zip(shown) {
        let answer = answers.get(&q.id).filter(|a| !a.is_blank());
        match (answer, shown) {
            (None, true) if q.required => errors.push(AnswerError::Missing { question: q.id.clone() }),
            (None, _) => {}
            (Some(_), false) => errors.push(AnswerError::HiddenQuestion { question: q.id.clone() }),
            (Some(a), true) => {
                let before = errors.len();
                check_answer(q, a, &mut errors);
                if errors.len() == before {
                    valid.insert(q.id.clone(), a.clone());
                }
            }
        }
    }
    if errors.is_empty() { Ok(ValidAnswers(valid)) } else { Err(errors) }
}

fn check_answer(q: &Question, a: &Answer, errors: &mut Vec<AnswerError>) {
    let question = || q.id.clone();
    match (&q.kind, a) {
        (QuestionKind::SingleChoice { .. }, Answer::SingleChoice { option }) => {
            if !q.kind.offers(option) {
                errors.push(AnswerError::NotOffered { question: question(), option: option.clone() });
            }
        }
        (
            QuestionKind::MultipleChoice { options, min_selections, max_selections },
            Answer::MultipleChoice { options: chosen },
        ) => {
            let distinct = check_choices(q, chosen, errors);
            let min = (*min_selections).max(1);
            if distinct < usize::try_from(min).unwrap_or(usize::MAX) {
                errors.push(AnswerError::TooFewChoices { question: question(), min, got: distinct });
            }
            let max = max_selections.unwrap_or_else(|| u32::try_from(options.len()).unwrap_or(u32::MAX));
            if distinct > usize::try_from(max).unwrap_or(usize::MAX) {
                errors.push(AnswerError::TooManyChoices { question: question(), max, got: distinct });
            }
        }
        (QuestionKind::ShortText { max_length }, Answer::ShortText { text })
        | (QuestionKind::LongText { max_length }, Answer::LongText { text }) => {
            let got = text.chars().count();
            if got > usize::try_from(*max_length).unwrap_or(usize::MAX) {
                errors.push(AnswerError::TextTooLong { question: question(), max: *max_length, got });
            }
        }
        (QuestionKind::Number { min, max }, Answer::Number { value }) => {
            let min = min.unwrap_or(-NUMBER_LIMIT);
            let max = max.unwrap_or(NUMBER_LIMIT);
            if *value < min || *value > max {
                errors.push(AnswerError::OutOfRange { question: question(), min, max, got: *value });
            }
        }
        (QuestionKind::Scale { points, .. }, Answer::Scale { value }) => {
            if *value < 1 || value > points {
                errors.push(AnswerError::OutOfRange {
                    question: question(),
                    min: 1,
                    max: i64::from(*points),
                    got: i64::from(*value),
                });
            }
        }
        (QuestionKind::Ranking { options, top }, Answer::Ranking { options: ranked }) => {
            let distinct = check_choices(q, ranked, errors);
            let expected = top.and_then(|t| usize::try_from(t).ok()).unwrap_or(options.len()).min(options.len());
            if ranked.len() > expected {
                errors.push(AnswerError::TooManyRanked { question: question(), expected, got: ranked.len() });
            } else if distinct < expected {
                errors.push(AnswerError::IncompleteRanking { question: question(), expected, got: distinct });
            }
        }
        (kind, a) => errors.push(AnswerError::WrongType {
            question: question(),
            expected: kind.question_type(),
            got: a.question_type(),
        }),
    }
}

/// Reports options not offered or given twice; returns how many distinct offered options remain.
fn check_choices(q: &Question, chosen: &[OptionId], errors: &mut Vec<AnswerError>) -> usize {
    let mut seen = HashSet::with_capacity(chosen.len());
    for option in chosen {
        if !q.kind.offers(option) {
            errors.push(AnswerError::NotOffered { question: q.id.clone(), option: option.clone() });
        } else if !seen.insert(option) {
            errors.push(AnswerError::Duplicate { question: q.id.clone(), option: option.clone() });
        }
    }
    seen.len()
}
