//! Which questions are shown, given the answers so far. The one evaluation used when validating a
//! response, when counting who was shown a question, and (through the API) by the SPA.
//!
//! Semantics, exactly:
//! - a question without a condition is shown;
//! - a question with a condition is shown when the condition holds;
//! - a leaf condition (`choice_is`, `includes`, `compare`) about question A holds only when A is
//!   itself shown, A has an answer, and that answer is of the kind the condition reads and
//!   satisfies it. So a condition on an unanswered, skipped or hidden question is false, and
//!   hiding spreads down a chain: if A is hidden, B that depends on A is hidden, and so is C that
//!   depends on B — whatever the answers map holds for A or B;
//! - `choice_is` holds when A's single choice is one of the listed options; `includes` when A's
//!   multiple choices include the option; `compare` when A's number or scale point is `=`, `>=`
//!   or `<=` the value;
//! - `all` holds when every sub-condition holds, `any` when at least one does (definitions never
//!   have empty lists);
//! - an id the survey does not have is not shown.
//!
//! Conditions refer only to earlier questions, so one pass in survey order decides them all.

use super::answers::{Answer, Answers};
use super::definition::{Condition, QuestionId, SurveyDefinition};

/// Whether each question is shown, in survey order.
#[must_use]
pub fn visibility(survey: &SurveyDefinition, answers: &Answers) -> Vec<bool> {
    let mut shown = Vec::with_capacity(survey.questions().len());
    for q in survey.questions() {
        let v = q.condition.as_ref().is_none_or(|c| holds(c, survey, answers, &shown));
        shown.push(v);
    }
    shown
}

/// Whether `question` is shown given `answers` (see the module documentation for the rules).
#[must_use]
pub fn visible(survey: &SurveyDefinition, question: &QuestionId, answers: &Answers) -> bool {
    survey.position(question).and_then(|i| visibility(survey, answers).get(i).copied()).unwrap_or(false)
}

/// The answer to `id` if that question is shown (its position is decided, being earlier).
fn shown_answer<'a>(
    survey: &SurveyDefinition,
    answers: &'a Answers,
    shown: &[bool],
    id: &QuestionId,
) -> Option<&'a Answer> {
    let at = survey.position(id)?;
    if shown.get(at).copied().unwrap_or(false) { answers.get(id) } else { None }
}

fn holds(c: &Condition, survey: &SurveyDefinition, answers: &Answers, shown: &[bool]) -> bool {
    match c {
        Condition::ChoiceIs { question, options } => {
            matches!(shown_answer(survey, answers, shown, question),
                Some(Answer::SingleChoice { option }) if options.contains(option))
        }
        Condition::Includes { question, option } => {
            matches!(shown_answer(survey, answers, shown, question),
                Some(Answer::MultipleChoice { options }) if options.contains(option))
        }
        Condition::Compare { question, op, value } => match shown_answer(survey, answers, shown, question) {
            Some(Answer::Number { value: a }) => op.holds(*a, *value),
            Some(Answer::Scale { value: a }) => op.holds(i64::from(*a), *value),
            _ => false,
        },
        Condition::All { conditions } => conditions.iter().all(|c| holds(c, survey, answers, shown)),
        Condition::Any { conditions } => conditions.iter().any(|c| holds(c, survey, answers, shown)),
    }
}
