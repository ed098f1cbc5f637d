//! The rules around a survey's life: what may change once residents have answered, and how a
//! second response from the same resident is treated.

use serde::{Deserialize, Serialize};

use super::definition::{Question, QuestionId, QuestionKind, ScaleLabels, SurveyDefinition};
use crate::i18n::LocalizedText;

/// A change to a survey that would make earlier responses mean something else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StructuralChange {
    QuestionAdded {
        question: QuestionId,
    },
    QuestionRemoved {
        question: QuestionId,
    },
    QuestionsReordered,
    KindChanged {
        question: QuestionId,
    },
    RequiredChanged {
        question: QuestionId,
    },
    ConditionChanged {
        question: QuestionId,
    },
    /// Options added, removed or reordered.
    OptionsChanged {
        question: QuestionId,
    },
    /// Selection limits, lengths, bounds, scale points or ranking depth.
    LimitsChanged {
        question: QuestionId,
    },
}

/// How a new definition differs from the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DefinitionChange {
    Unchanged,
    /// Only question texts, descriptions, option labels or scale labels changed.
    TextsOnly,
    Structural {
        changes: Vec<StructuralChange>,
    },
}

/// Compares two definitions. Texts are question texts, descriptions, option labels and scale
/// labels (including switching between end labels and per-point labels); everything else —
/// which questions, their order, kinds, required flags, conditions, options with their order,
/// and limits — is structure.
#[must_use]
pub fn classify_change(old: &SurveyDefinition, new: &SurveyDefinition) -> DefinitionChange {
    if old == new {
        return DefinitionChange::Unchanged;
    }
    let mut changes = Vec::new();
    for q in old.questions() {
        if new.position(&q.id).is_none() {
            changes.push(StructuralChange::QuestionRemoved { question: q.id.clone() });
        }
    }
    for q in new.questions() {
        match old.question(&q.id) {
            None => changes.push(StructuralChange::QuestionAdded { question: q.id.clone() }),
            Some(before) => compare_question(before, q, &mut changes),
        }
    }
    let common_old: Vec<&QuestionId> =
        old.questions().iter().map(|q| &q.id).filter(|id| new.position(id).is_some()).collect();
    let common_new: Vec<&QuestionId> =
        new.questions().iter().map(|q| &q.id).filter(|id| old.position(id).is_some()).collect();
    if common_old != common_new {
        changes.push(StructuralChange::QuestionsReordered);
    }
    if changes.is_empty() { DefinitionChange::TextsOnly } else { DefinitionChange::Structural { changes } }
}

fn compare_question(old: &Question, new: &Question, changes: &mut Vec<StructuralChange>) {
    let question = || new.id.clone();
    if old.required != new.required {
        changes.push(StructuralChange::RequiredChanged { question: question() });
    }
    if old.condition != new.condition {
        changes.push(StructuralChange::ConditionChanged { question: question() });
    }
    if old.kind.question_type() != new.kind.question_type() {
        changes.push(StructuralChange::KindChanged { question: question() });
        return;
    }
    let ids = |q: &Question| q.kind.options().iter().map(|o| o.id.clone()).collect::<Vec<_>>();
    if ids(old) != ids(new) {
        changes.push(StructuralChange::OptionsChanged { question: question() });
    }
    if limits(&old.kind) != limits(&new.kind) {
        changes.push(StructuralChange::LimitsChanged { question: question() });
    }
}

/// The kind with options, texts and labels blanked: what is left are its limits.
fn limits(kind: &QuestionKind) -> QuestionKind {
    let mut k = kind.clone();
    match &mut k {
        QuestionKind::SingleChoice { options }
        | QuestionKind::MultipleChoice { options, .. }
        | QuestionKind::Ranking { options, .. } => options.clear(),
        QuestionKind::Scale { labels, .. } => {
            *labels = ScaleLabels::Ends { low: LocalizedText::default(), high: LocalizedText::default() };
        }
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } | QuestionKind::Number { .. } => {}
    }
    k
}

/// Why a survey edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyChangeError {
    #[error("the survey has {responses} responses: only texts and labels may change")]
    StructureLocked { responses: u64, changes: Vec<StructuralChange> },
}

/// Whether `new` may replace `old` when the survey has `responses` responses: anything goes
/// before the first response, only texts after.
///
/// # Errors
/// `StructureLocked`, listing the structural changes.
pub fn check_change(
    old: &SurveyDefinition,
    new: &SurveyDefinition,
    responses: u64,
) -> Result<DefinitionChange, SurveyChangeError> {
    match classify_change(old, new) {
        DefinitionChange::Structural { changes } if responses > 0 => {
            Err(SurveyChangeError::StructureLocked { responses, changes })
        }
        change => Ok(change),
    }
}

/// What happens when a resident who already answered answers again. Either way there is at
/// most one response per resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsePolicy {
    /// The new response replaces the old one.
    OnePerResidentReplace,
    /// The new response is refused.
    OnePerResidentRefuse,
}

impl ResponsePolicy {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ResponsePolicy::OnePerResidentReplace => "one_per_resident_replace",
            ResponsePolicy::OnePerResidentRefuse => "one_per_resident_refuse",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [ResponsePolicy::OnePerResidentReplace, ResponsePolicy::OnePerResidentRefuse]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// How a survey takes responses.
///
/// Anonymity: when `anonymous`, a response is stored with no link to its account, and a
/// separate participation record says only that the account answered (it enforces one response
/// per resident). Nothing may join the two: the response id is random (UUID v4, not the
/// time-ordered v7 used elsewhere) and its date is kept to the day (see
/// [`super::SurveyResponse::anonymous`]), and staff see answers and the participation list, never
/// who gave which answers. So an anonymous response cannot be found again, which is why an
/// anonymous survey cannot replace responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ResponseSettingsShape", into = "ResponseSettingsShape")]
pub struct ResponseSettings {
    policy: ResponsePolicy,
    anonymous: bool,
}

#[derive(Serialize, Deserialize)]
struct ResponseSettingsShape {
    policy: ResponsePolicy,
    anonymous: bool,
}

impl TryFrom<ResponseSettingsShape> for ResponseSettings {
    type Error = AnonymousCannotReplace;
    fn try_from(s: ResponseSettingsShape) -> Result<Self, Self::Error> {
        ResponseSettings::new(s.policy, s.anonymous)
    }
}

impl From<ResponseSettings> for ResponseSettingsShape {
    fn from(s: ResponseSettings) -> Self {
        ResponseSettingsShape { policy: s.policy, anonymous: s.anonymous }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an anonymous survey cannot replace responses: nothing links a response to its author")]
pub struct AnonymousCannotReplace;

impl ResponseSettings {
    /// # Errors
    /// An anonymous survey with the replace policy.
    pub fn new(policy: ResponsePolicy, anonymous: bool) -> Result<Self, AnonymousCannotReplace> {
        if anonymous && policy == ResponsePolicy::OnePerResidentReplace {
            Err(AnonymousCannotReplace)
        } else {
            Ok(ResponseSettings { policy, anonymous })
        }
    }

    #[must_use]
    pub fn policy(&self) -> ResponsePolicy {
        self.policy
    }

    #[must_use]
    pub fn anonymous(&self) -> bool {
        self.anonymous
    }

    /// What to do with a response from a resident who has (or has not) answered already.
    ///
    /// # Errors
    /// `AlreadyResponded` under the refuse policy.
    pub fn on_submit(&self, already_responded: bool) -> Result<Submission, AlreadyResponded> {
        match (already_responded, self.policy) {
            (false, _) => Ok(Submission::Store),
            (true, ResponsePolicy::OnePerResidentReplace) => Ok(Submission::Replace),
            (true, ResponsePolicy::OnePerResidentRefuse) => Err(AlreadyResponded),
        }
    }
}

/// What storing a response means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submission {
    /// A first response: store it (with its participation record).
    Store,
    /// Replace the resident's earlier response.
    Replace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("you have already answered this survey")]
pub struct AlreadyResponded;
