//! Consultations and surveys: questions, display conditions, answer validation, results.
//!
//! - [`definition`]: the question model and the checks that make a [`SurveyDefinition`];
//! - [`visibility`]: which questions are shown for given answers ([`visible`]);
//! - [`answers`]: answers and [`validate_response`];
//! - [`results`]: one-pass aggregation ([`Tally`], [`aggregate`]);
//! - [`changes`]: what a survey is created and edited with ([`NewSurvey`], [`SurveyChanges`]), checked;
//! - [`rules`]: what may change once residents answered, response policy and anonymity;
//! - [`records`]: surveys and responses as stored, and the [`SurveyRepo`] port;
//! - [`service`]: the use cases, each deciding authorization first ([`SurveyService`]).

pub mod answers;
pub mod changes;
pub mod definition;
pub mod records;
pub mod results;
pub mod rules;
pub mod service;
pub mod visibility;

#[cfg(test)]
mod tests;

pub use answers::{Answer, AnswerError, Answers, ValidAnswers, validate_response};
pub use changes::{NewSurvey, SurveyChanges};
pub use definition::{
    ChoiceOption, CompareOp, Condition, DefinitionError, DefinitionErrors, OptionId, Question, QuestionId,
    QuestionKind, QuestionType, ScaleLabels, SurveyDefinition,
};
pub use records::{Participation, Survey, SurveyRepo, SurveyResponse};
pub use results::{
    OptionCount, PointCount, QuestionResults, RankingScore, Stats, Summary, SurveyResults, Tally, aggregate,
};
pub use rules::{
    AlreadyResponded, AnonymousCannotReplace, DefinitionChange, ResponsePolicy, ResponseSettings, StructuralChange,
    Submission, SurveyChangeError, check_change, classify_change,
};
pub use service::{MyParticipation, ResponseOutcome, ResultsKey, SurveyError, SurveyService, SurveyStatus, SurveyView};
pub use visibility::{visibility, visible};
