//! What staff create and edit a survey with, and the checks that make it a survey of their
//! organisation: texts in its languages, questions that form a valid definition, response
//! settings that fit together, and a period of its own that closes after it opens.

use chrono::{DateTime, Utc};

use super::definition::{DefinitionError, Question, SurveyDefinition};
use super::records::Survey;
use super::rules::{ResponsePolicy, ResponseSettings};
use super::service::SurveyError;
use crate::consultations::Period;
use crate::i18n::LocalizedText;
use crate::ids::SurveyId;
use crate::org::{InvalidField, Organisation};

/// The longest title, description and question text (with its options and labels), per locale.
const TITLE_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 5000;
const QUESTION_TEXT_MAX: usize = 1000;

/// A new survey, in domain types (the questions as given, not yet checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurvey {
    pub title: LocalizedText,
    /// May be empty.
    pub description: LocalizedText,
    pub questions: Vec<Question>,
    pub policy: ResponsePolicy,
    pub anonymous: bool,
    /// Both or neither: with neither the survey takes the period of the consultation that links it.
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub results_public: bool,
}

/// Changes to a survey: `None` keeps a field. A policy, anonymity or date given alone is combined
/// with the survey's current other one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyChanges {
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub questions: Option<Vec<Question>>,
    pub policy: Option<ResponsePolicy>,
    pub anonymous: Option<bool>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub results_public: Option<bool>,
}

fn invalid(field: impl Into<String>, message: impl ToString) -> SurveyError {
    SurveyError::Invalid(vec![InvalidField { field: field.into(), message: message.to_string() }])
}

fn text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, SurveyError> {
    org.check_text(field, t, max).map_err(|e| SurveyError::Invalid(vec![e]))
}

fn optional_text(field: &str, t: LocalizedText, org: &Organisation, max: usize) -> Result<LocalizedText, SurveyError> {
    org.check_optional_text(field, t, max).map_err(|e| SurveyError::Invalid(vec![e]))
}

/// The questions as a definition: well formed (see [`SurveyDefinition::new`]) and their texts in
/// the organisation's languages. Every problem is reported, each naming `questions[i]` of the
/// question concerned (`questions` when it concerns the whole list).
fn definition(questions: Vec<Question>, org: &Organisation) -> Result<SurveyDefinition, SurveyError> {
    let ids: Vec<_> = questions.iter().map(|q| q.id.clone()).collect();
    let field = |e: &DefinitionError| match e.question().and_then(|q| ids.iter().position(|i| i == q)) {
        Some(i) => format!("questions[{i}]"),
        None => "questions".to_owned(),
    };
    let refused = |errors: Vec<DefinitionError>| {
        SurveyError::Invalid(errors.iter().map(|e| InvalidField { field: field(e), message: e.to_string() }).collect())
    };
    let d = SurveyDefinition::new(questions).map_err(refused)?;
    d.check_texts(org.default_locale, &org.locales, QUESTION_TEXT_MAX).map_err(refused)?;
    Ok(d)
}

fn settings(policy: ResponsePolicy, anonymous: bool) -> Result<ResponseSettings, SurveyError> {
    ResponseSettings::new(policy, anonymous).map_err(|e| invalid("policy", e))
}

/// The survey's own period: both dates, or neither.
fn own_period(
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
) -> Result<Option<Period>, SurveyError> {
    match (opens_at, closes_at) {
        (None, None) => Ok(None),
        (Some(o), Some(c)) => {
            Period::new(o, c).map(Some).map_err(|_| invalid("closes_at", "the survey must close after it opens"))
        }
        (None, Some(_)) => Err(invalid("opens_at", "give both dates, or neither")),
        (Some(_), None) => Err(invalid("closes_at", "give both dates, or neither")),
    }
}

impl NewSurvey {
    /// The survey this describes, created at `now`, if it suits the organisation.
    ///
    /// # Errors
    /// [`SurveyError::Invalid`] naming the fields of the first part that breaks a rule (title,
    /// description, questions, settings, period, in that order).
    pub fn check(self, org: &Organisation, now: DateTime<Utc>) -> Result<Survey, SurveyError> {
        Ok(Survey {
            id: SurveyId::new_v7(),
            org_id: org.id,
            title: text("title", self.title, org, TITLE_MAX)?,
            description: optional_text("description", self.description, org, DESCRIPTION_MAX)?,
            definition: definition(self.questions, org)?,
            settings: settings(self.policy, self.anonymous)?,
            period: own_period(self.opens_at, self.closes_at)?,
            results_public: self.results_public,
            created_at: now,
            updated_at: now,
            responses_version: 0,
        })
    }
}

impl SurveyChanges {
    /// Applies the changes to `s`, each checked as on creation; nothing changes when one is
    /// refused. What responses already given lock is decided by the service.
    ///
    /// # Errors
    /// [`SurveyError::Invalid`] naming the fields of the first part that breaks a rule.
    pub fn apply(self, s: &mut Survey, org: &Organisation) -> Result<(), SurveyError> {
        let title = self.title.map(|t| text("title", t, org, TITLE_MAX)).transpose()?;
        let description =
            self.description.map(|t| optional_text("description", t, org, DESCRIPTION_MAX)).transpose()?;
        let def = self.questions.map(|q| definition(q, org)).transpose()?;
        let new_settings = match (self.policy, self.anonymous) {
            (None, None) => None,
            (p, a) => Some(settings(p.unwrap_or(s.settings.policy()), a.unwrap_or(s.settings.anonymous()))?),
        };
        let new_period = match (self.opens_at, self.closes_at) {
            (None, None) => None,
            (o, c) => own_period(o.or(s.period.map(|p| p.opens_at())), c.or(s.period.map(|p| p.closes_at())))?,
        };
        if let Some(v) = title {
            s.title = v;
        }
        if let Some(v) = description {
            s.description = v;
        }
        if let Some(v) = def {
            s.definition = v;
        }
        if let Some(v) = new_settings {
            s.settings = v;
        }
        if let Some(v) = new_period {
            s.period = Some(v);
        }
        if let Some(v) = self.results_public {
            s.results_public = v;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::surveys::definition::{ChoiceOption, Condition, QuestionKind};

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn org() -> Organisation {
        Organisation::speaking(&[Locale::Sk, Locale::En])
    }

    fn sk(s: &str) -> LocalizedText {
        LocalizedText::from([(Locale::Sk, s)])
    }

    fn choice(id: &str) -> Question {
        Question {
            id: id.into(),
            text: sk("Ako chodíte do práce?"),
            description: None,
            required: true,
            condition: None,
            kind: QuestionKind::SingleChoice {
                options: vec![
                    ChoiceOption { id: "bus".into(), label: sk("Autobusom") },
                    ChoiceOption { id: "car".into(), label: sk("Autom") },
                ],
            },
        }
    }

    fn new_survey() -> NewSurvey {
        NewSurvey {
            title: sk("Doprava v meste"),
            description: LocalizedText::default(),
            questions: vec![choice("mode")],
            policy: ResponsePolicy::OnePerResidentRefuse,
            anonymous: false,
            opens_at: Some(t("2026-03-01T00:00:00Z")),
            closes_at: Some(t("2026-03-31T00:00:00Z")),
            results_public: true,
        }
    }

    fn fields(e: SurveyError) -> Vec<String> {
        match e {
            SurveyError::Invalid(list) => list.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid fields, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_survey_is_built_for_the_organisation() {
        let org = org();
        let now = t("2026-02-01T00:00:00Z");
        let s = new_survey().check(&org, now).unwrap();
        assert_eq!((s.org_id, s.created_at, s.updated_at), (org.id, now, now));
        assert_eq!(s.definition.questions().len(), 1);
        assert_eq!(s.period.map(|p| p.closes_at()), Some(t("2026-03-31T00:00:00Z")));
    }

    #[test]
    fn a_text_in_a_language_the_organisation_does_not_use_is_refused_naming_its_locale() {
        let mut n = new_survey();
        n.title.insert(Locale::Pl, "Transport w mieście");
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["title.pl"]);
    }

    #[test]
    fn every_bad_question_is_named_by_its_position() {
        let mut late = choice("late");
        late.condition = Some(Condition::ChoiceIs { question: "later".into(), options: vec!["bus".into()] });
        let mut polish = choice("polish");
        polish.text.insert(Locale::Pl, "Jak dojeżdżasz?");
        let mut n = new_survey();
        n.questions = vec![choice("mode"), late, choice("later")];
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["questions[1]"]);
        let mut n = new_survey();
        n.questions = vec![choice("mode"), choice("mode"), polish];
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["questions[0]"], "a duplicate id");
        let mut n = new_survey();
        n.questions = vec![choice("mode"), choice("second")];
        n.questions[1].text.insert(Locale::Pl, "Jak dojeżdżasz?");
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["questions[1]"]);
        let mut n = new_survey();
        n.questions = Vec::new();
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["questions"]);
    }

    #[test]
    fn settings_and_the_own_period_are_checked() {
        let mut n = new_survey();
        n.policy = ResponsePolicy::OnePerResidentReplace;
        n.anonymous = true;
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["policy"]);
        let mut n = new_survey();
        n.closes_at = Some(t("2026-02-15T00:00:00Z"));
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["closes_at"]);
        let mut n = new_survey();
        n.opens_at = None;
        assert_eq!(fields(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap_err()), ["opens_at"]);
        let mut n = new_survey();
        (n.opens_at, n.closes_at) = (None, None);
        assert_eq!(n.check(&org(), t("2026-02-01T00:00:00Z")).unwrap().period, None);
    }

    #[test]
    fn a_change_combines_with_the_current_survey_and_is_checked_like_a_new_one() {
        let org = org();
        let mut s = new_survey().check(&org, t("2026-02-01T00:00:00Z")).unwrap();
        let before = s.clone();
        let early = SurveyChanges { closes_at: Some(t("2026-02-20T00:00:00Z")), ..Default::default() };
        assert_eq!(fields(early.apply(&mut s, &org).unwrap_err()), ["closes_at"]);
        let anonymous_replace = SurveyChanges {
            policy: Some(ResponsePolicy::OnePerResidentReplace),
            anonymous: Some(true),
            ..Default::default()
        };
        assert_eq!(fields(anonymous_replace.apply(&mut s, &org).unwrap_err()), ["policy"]);
        assert_eq!(s, before, "nothing changed");

        let later =
            SurveyChanges { closes_at: Some(t("2026-04-07T00:00:00Z")), anonymous: Some(true), ..Default::default() };
        later.apply(&mut s, &org).unwrap();
        assert_eq!(
            s.period.map(|p| (p.opens_at(), p.closes_at())),
            Some((t("2026-03-01T00:00:00Z"), t("2026-04-07T00:00:00Z")))
        );
        assert!(s.settings.anonymous());
        assert_eq!(s.settings.policy(), ResponsePolicy::OnePerResidentRefuse, "the policy is kept");
    }
}
