//! The demo surveys: Będzin's consultation on its online platform (`shared/seeds/002`) asks how
//! residents use the platform and what it should offer, with a "why not?" shown only to those who
//! have not used it yet, and has a few residents' anonymous answers so its results are not empty;
//! Sosnowiec's open consultation on its participatory-budget rules (`003`) has a short one.

use chrono::{DateTime, Utc};
use pnyx_domain::accounts::Email;
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::SurveyId;
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{RepoError, Store};
use pnyx_domain::surveys::{
    Answers, Participation, Question, ResponsePolicy, ResponseSettings, Survey, SurveyDefinition, SurveyResponse,
    validate_response,
};
use serde_json::{Value, json};

fn invalid(e: impl std::fmt::Display) -> RepoError {
    RepoError::Unavailable(format!("demo survey: {e}"))
}

fn t(pl: &str, en: &str) -> Value {
    json!({"pl": pl, "en": en})
}

fn opt(id: &str, pl: &str, en: &str) -> Value {
    json!({"id": id, "label": t(pl, en)})
}

fn questions() -> Result<SurveyDefinition, RepoError> {
    let list = json!([
        {"id": "used", "required": true,
         "text": t("Czy korzystał(a) Pan/Pani już z platformy konsultacji online?", "Have you used the online consultation platform yet?"),
         "kind": {"type": "single_choice", "options": [opt("tak", "Tak", "Yes"), opt("nie", "Nie", "No")]}},
        {"id": "why_not", "required": true,
         "text": t("Dlaczego jeszcze nie?", "Why not yet?"),
         "description": t("Można wybrać najwyżej dwie odpowiedzi.", "Choose at most two answers."),
         "condition": {"type": "choice_is", "question": "used", "options": ["nie"]},
         "kind": {"type": "multiple_choice", "max_selections": 2, "options": [
             opt("nie_wiedzialem", "Nie wiedziałem/am o platformie", "I did not know about it"),
             opt("brak_czasu", "Brak czasu", "No time"),
             opt("trudna", "Wydaje się trudna w obsłudze", "It looks hard to use"),
             opt("brak_wplywu", "Nie wierzę, że moja opinia coś zmieni", "I do not believe my opinion changes anything")]}},
        {"id": "ease", "required": false,
         "text": t("Jak ocenia Pan/Pani łatwość korzystania z platformy?", "How easy is the platform to use?"),
         "condition": {"type": "choice_is", "question": "used", "options": ["tak"]},
         "kind": {"type": "scale", "points": 5, "labels": {"type": "each", "labels": [
             t("Bardzo trudna", "Very hard"), t("Trudna", "Hard"), t("Przeciętna", "Average"),
             t("Łatwa", "Easy"), t("Bardzo łatwa", "Very easy")]}}},
        {"id": "features", "required": true,
         "text": t("Które funkcje platformy są dla Pana/Pani najważniejsze? Wskaż trzy, od najważniejszej.",
                   "Which features of the platform matter most to you? Pick three, most important first."),
         "kind": {"type": "ranking", "top": 3, "options": [
             opt("kalendarz", "Kalendarz konsultacji", "Consultation calendar"),
             opt("formularz", "Formularz opinii", "Opinion form"),
             opt("ankiety", "Ankiety", "Surveys"),
             opt("raporty", "Raporty z konsultacji", "Consultation reports"),
             opt("powiadomienia", "Powiadomienia e-mail", "E-mail notifications")]}},
        {"id": "channels", "required": false,
         "text": t("Skąd chce Pan/Pani dowiadywać się o nowych konsultacjach?", "Where would you like to hear about new consultations?"),
         "kind": {"type": "multiple_choice", "max_selections": 2, "options": [
             opt("strona", "Strona internetowa miasta", "The city's website"),
             opt("facebook", "Facebook", "Facebook"),
             opt("newsletter", "Newsletter e-mail", "E-mail newsletter"),
             opt("tablice", "Tablice ogłoszeń", "Notice boards"),
             opt("gazeta", "Gazeta lokalna", "Local newspaper")]}},
        {"id": "how_many", "required": false,
         "text": t("W ilu konsultacjach w roku chciał(a)by Pan/Pani wziąć udział?", "In how many consultations a year would you take part?"),
         "kind": {"type": "number", "min": 0, "max": 50}},
        {"id": "ideas", "required": false,
         "text": t("Co jeszcze powinna oferować platforma?", "What else should the platform offer?"),
         "kind": {"type": "long_text", "max_length": 2000}}
    ]);
    let qs: Vec<Question> = serde_json::from_value(list).map_err(invalid)?;
    SurveyDefinition::new(qs).map_err(|e| invalid(format!("{e:?}")))
}

/// The demo residents' answers, by their e-mail's local part.
fn demo_answers() -> Vec<(&'static str, Value)> {
    vec![
        (
            "anna.kowalska",
            json!({
            "used": {"type": "single_choice", "option": "tak"},
            "ease": {"type": "scale", "value": 4},
            "features": {"type": "ranking", "options": ["kalendarz", "formularz", "raporty"]},
            "channels": {"type": "multiple_choice", "options": ["strona", "newsletter"]},
            "how_many": {"type": "number", "value": 3},
            "ideas": {"type": "long_text", "text": "Przypomnienie e-mailem na kilka dni przed końcem konsultacji."}}),
        ),
        (
            "tomasz.nowak",
            json!({
            "used": {"type": "single_choice", "option": "nie"},
            "why_not": {"type": "multiple_choice", "options": ["nie_wiedzialem"]},
            "features": {"type": "ranking", "options": ["ankiety", "kalendarz", "powiadomienia"]},
            "channels": {"type": "multiple_choice", "options": ["facebook"]},
            "how_many": {"type": "number", "value": 2}}),
        ),
        (
            "agnieszka.wojcik",
            json!({
            "used": {"type": "single_choice", "option": "tak"},
            "ease": {"type": "scale", "value": 3},
            "features": {"type": "ranking", "options": ["raporty", "formularz", "kalendarz"]},
            "channels": {"type": "multiple_choice", "options": ["tablice", "gazeta"]},
            "ideas": {"type": "long_text", "text": "Wersja łatwiejsza do czytania dla osób starszych i większa czcionka."}}),
        ),
        (
            "piotr.lewandowski",
            json!({
            "used": {"type": "single_choice", "option": "nie"},
            "why_not": {"type": "multiple_choice", "options": ["brak_czasu", "brak_wplywu"]},
            "features": {"type": "ranking", "options": ["powiadomienia", "raporty", "ankiety"]},
            "how_many": {"type": "number", "value": 1}}),
        ),
        (
            "magdalena.kaminska",
            json!({
            "used": {"type": "single_choice", "option": "tak"},
            "ease": {"type": "scale", "value": 5},
            "features": {"type": "ranking", "options": ["formularz", "ankiety", "kalendarz"]},
            "channels": {"type": "multiple_choice", "options": ["strona", "facebook"]},
            "how_many": {"type": "number", "value": 5}}),
        ),
    ]
}

/// Creates Będzin's platform survey (taking the period of the consultation that will link it)
/// with the answers of those demo residents who exist; returns its id.
///
/// # Errors
/// When the database fails.
pub async fn bedzin_platform_survey(
    store: &dyn Store,
    org: &Organisation,
    now: DateTime<Utc>,
) -> Result<SurveyId, RepoError> {
    let survey = Survey {
        id: SurveyId::new_v7(),
        org_id: org.id,
        title: LocalizedText::from([
            (Locale::Pl, "Ankieta: platforma konsultacji online"),
            (Locale::En, "Survey: the online consultation platform"),
        ]),
        description: LocalizedText::from([
            (
                Locale::Pl,
                "Pięć minut, siedem pytań: jak korzysta Pan/Pani z platformy i czego od niej oczekuje. Odpowiedzi są anonimowe.",
            ),
            (
                Locale::En,
                "Five minutes, seven questions: how you use the platform and what you expect of it. Answers are anonymous.",
            ),
        ]),
        definition: questions()?,
        settings: ResponseSettings::new(ResponsePolicy::OnePerResidentRefuse, true).map_err(invalid)?,
        period: None,
        results_public: true,
        created_at: now,
        updated_at: now,
        responses_version: 0,
    };
    store.create_survey(&survey).await?;
    for (who, answers) in demo_answers() {
        let email = Email::parse(&format!("{who}@{}.demo.pnyx.eu", org.slug)).map_err(invalid)?;
        let Some(user) = store.user_by_email(&email).await? else { continue };
        let answers: Answers = serde_json::from_value(answers).map_err(invalid)?;
        let valid = validate_response(&survey.definition, &answers).map_err(|e| invalid(format!("{e:?}")))?;
        let participation = Participation { survey_id: survey.id, user_id: user.id, at: now };
        store
            .add_response(&participation, &SurveyResponse::anonymous(survey.id, valid, now), survey.updated_at)
            .await?;
    }
    Ok(survey.id)
}

fn budget_rules_questions() -> Result<SurveyDefinition, RepoError> {
    let list = json!([
        {"id": "weeks", "required": true,
         "text": t("Ile tygodni powinno trwać zgłaszanie projektów (§3)?", "How many weeks should the submission of projects last (§3)?"),
         "kind": {"type": "single_choice", "options": [
             opt("4", "4 tygodnie", "4 weeks"), opt("6", "6 tygodni", "6 weeks"), opt("8", "8 tygodni", "8 weeks")]}},
        {"id": "paper", "required": false,
         "text": t("Jak ważne jest głosowanie papierowe w punktach obsługi mieszkańców (§5)?",
                   "How important is paper voting at the residents' service points (§5)?"),
         "kind": {"type": "scale", "points": 5, "labels": {"type": "ends",
             "low": t("Zupełnie nieważne", "Not at all"), "high": t("Bardzo ważne", "Very important")}}},
        {"id": "remarks", "required": false,
         "text": t("Inne uwagi do zasad budżetu obywatelskiego", "Other remarks on the rules"),
         "kind": {"type": "short_text", "max_length": 500}}
    ]);
    let qs: Vec<Question> = serde_json::from_value(list).map_err(invalid)?;
    SurveyDefinition::new(qs).map_err(|e| invalid(format!("{e:?}")))
}

/// Creates Sosnowiec's short survey on its participatory-budget rules (identified, a second
/// response replacing the first) with two demo residents' answers; returns its id.
///
/// # Errors
/// When the database fails.
pub async fn sosnowiec_rules_survey(
    store: &dyn Store,
    org: &Organisation,
    now: DateTime<Utc>,
) -> Result<SurveyId, RepoError> {
    let survey = Survey {
        id: SurveyId::new_v7(),
        org_id: org.id,
        title: LocalizedText::from([
            (Locale::Pl, "Ankieta: zasady budżetu obywatelskiego 2027"),
            (Locale::En, "Survey: the participatory budget rules 2027"),
        ]),
        description: LocalizedText::from([(
            Locale::Pl,
            "Trzy krótkie pytania o najważniejsze zmiany w projekcie uchwały.",
        )]),
        definition: budget_rules_questions()?,
        settings: ResponseSettings::new(ResponsePolicy::OnePerResidentReplace, false).map_err(invalid)?,
        period: None,
        results_public: false,
        created_at: now,
        updated_at: now,
        responses_version: 0,
    };
    store.create_survey(&survey).await?;
    let answers = [
        (
            "katarzyna.wisniewska",
            json!({"weeks": {"type": "single_choice", "option": "6"}, "paper": {"type": "scale", "value": 5},
            "remarks": {"type": "short_text", "text": "Więcej punktów do głosowania w dzielnicach."}}),
        ),
        (
            "marek.zielinski",
            json!({"weeks": {"type": "single_choice", "option": "8"}, "paper": {"type": "scale", "value": 3}}),
        ),
    ];
    for (who, a) in answers {
        let email = Email::parse(&format!("{who}@{}.demo.pnyx.eu", org.slug)).map_err(invalid)?;
        let Some(user) = store.user_by_email(&email).await? else { continue };
        let a: Answers = serde_json::from_value(a).map_err(invalid)?;
        let valid = validate_response(&survey.definition, &a).map_err(|e| invalid(format!("{e:?}")))?;
        let participation = Participation { survey_id: survey.id, user_id: user.id, at: now };
        store
            .add_response(
                &participation,
                &SurveyResponse::identified(survey.id, user.id, valid, now),
                survey.updated_at,
            )
            .await?;
    }
    Ok(survey.id)
}
