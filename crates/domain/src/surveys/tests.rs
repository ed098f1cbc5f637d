//! Tests of the survey domain, shared fixtures first.

use super::definition::{LONG_TEXT_LIMIT, MAX_OPTIONS, NUMBER_LIMIT, SHORT_TEXT_LIMIT};
use super::*;
use crate::i18n::{Locale, LocalizedText, LocalizedTextError};

fn t(s: &str) -> LocalizedText {
    LocalizedText::from([(Locale::En, s)])
}

fn qid(s: &str) -> QuestionId {
    QuestionId::from(s)
}

fn oid(s: &str) -> OptionId {
    OptionId::from(s)
}

fn opts(ids: &[&str]) -> Vec<ChoiceOption> {
    ids.iter().map(|id| ChoiceOption { id: oid(id), label: t(id) }).collect()
}

fn q(id: &str, required: bool, kind: QuestionKind) -> Question {
    Question { id: qid(id), text: t(id), description: None, required, condition: None, kind }
}

fn when(mut question: Question, c: Condition) -> Question {
    question.condition = Some(c);
    question
}

fn choice_is(question: &str, options: &[&str]) -> Condition {
    Condition::ChoiceIs { question: qid(question), options: options.iter().map(|o| oid(o)).collect() }
}

fn includes(question: &str, option: &str) -> Condition {
    Condition::Includes { question: qid(question), option: oid(option) }
}

fn compare(question: &str, op: CompareOp, value: i64) -> Condition {
    Condition::Compare { question: qid(question), op, value }
}

/// One question of every kind, with every kind of condition.
fn fixture_questions() -> Vec<Question> {
    vec![
        q("resident", true, QuestionKind::SingleChoice { options: opts(&["yes", "no"]) }),
        when(
            q("district", true, QuestionKind::SingleChoice { options: opts(&["north", "south", "centre"]) }),
            choice_is("resident", &["yes"]),
        ),
        q(
            "transport",
            true,
            QuestionKind::MultipleChoice {
                options: opts(&["bus", "bike", "car", "walk"]),
                min_selections: 1,
                max_selections: Some(2),
            },
        ),
        when(q("bus_line", false, QuestionKind::ShortText { max_length: 20 }), includes("transport", "bus")),
        q("age", true, QuestionKind::Number { min: Some(15), max: Some(120) }),
        q(
            "satisfaction",
            true,
            QuestionKind::Scale { points: 5, labels: ScaleLabels::Ends { low: t("bad"), high: t("good") } },
        ),
        when(
            q("why", false, QuestionKind::LongText { max_length: 200 }),
            Condition::All {
                conditions: vec![compare("satisfaction", CompareOp::Lte, 2), choice_is("resident", &["yes"])],
            },
        ),
        q(
            "priorities",
            true,
            QuestionKind::Ranking { options: opts(&["parks", "roads", "schools", "lighting"]), top: Some(3) },
        ),
        when(
            q("comment", false, QuestionKind::ShortText { max_length: 50 }),
            Condition::Any { conditions: vec![compare("age", CompareOp::Gte, 65), includes("transport", "walk")] },
        ),
    ]
}

fn fixture() -> SurveyDefinition {
    SurveyDefinition::new(fixture_questions()).unwrap()
}

fn single(o: &str) -> Answer {
    Answer::SingleChoice { option: oid(o) }
}

fn multi(os: &[&str]) -> Answer {
    Answer::MultipleChoice { options: os.iter().map(|o| oid(o)).collect() }
}

fn ranking(os: &[&str]) -> Answer {
    Answer::Ranking { options: os.iter().map(|o| oid(o)).collect() }
}

fn short(s: &str) -> Answer {
    Answer::ShortText { text: s.to_owned() }
}

fn answers(pairs: Vec<(&str, Answer)>) -> Answers {
    pairs.into_iter().map(|(k, a)| (qid(k), a)).collect()
}

/// A complete valid response from a resident of the north, aged 70, unhappy, by bus and on foot.
fn full_answers() -> Answers {
    answers(vec![
        ("resident", single("yes")),
        ("district", single("north")),
        ("transport", multi(&["bus", "walk"])),
        ("bus_line", short("L4")),
        ("age", Answer::Number { value: 70 }),
        ("satisfaction", Answer::Scale { value: 2 }),
        ("why", Answer::LongText { text: "Buses are late".into() }),
        ("priorities", ranking(&["roads", "parks", "schools"])),
        ("comment", short("More benches")),
    ])
}

/// Replaces the fixture's question `id` and returns the definition errors.
fn errors_with(id: &str, f: impl FnOnce(&mut Question)) -> Vec<DefinitionError> {
    let mut qs = fixture_questions();
    if let Some(question) = qs.iter_mut().find(|x| x.id.as_str() == id) {
        f(question);
    }
    SurveyDefinition::new(qs).unwrap_err()
}

/// A small deterministic generator for property-style loops.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap()]
    }
}

mod definition {
    use super::*;

    #[test]
    fn a_survey_with_every_kind_and_condition_is_accepted() {
        let d = fixture();
        assert_eq!(d.questions().len(), 9);
        assert_eq!(d.position(&qid("why")), Some(6));
        assert_eq!(d.question(&qid("age")).map(|x| x.kind.question_type()), Some(QuestionType::Number));
        assert_eq!(d.position(&qid("nope")), None);
    }

    #[test]
    fn an_empty_survey_is_refused() {
        assert_eq!(SurveyDefinition::new(vec![]), Err(vec![DefinitionError::NoQuestions]));
    }

    #[test]
    fn too_many_questions_are_refused() {
        let qs: Vec<Question> =
            (0..=200).map(|i| q(&format!("q{i}"), false, QuestionKind::ShortText { max_length: 10 })).collect();
        assert_eq!(SurveyDefinition::new(qs), Err(vec![DefinitionError::TooManyQuestions { max: 200 }]));
    }

    #[test]
    fn duplicate_and_malformed_question_ids_are_refused_with_their_position() {
        let mut qs = fixture_questions();
        qs.push(q("age", false, QuestionKind::ShortText { max_length: 10 }));
        qs.push(q("no spaces", false, QuestionKind::ShortText { max_length: 10 }));
        qs.push(q("", false, QuestionKind::ShortText { max_length: 10 }));
        qs.push(q(&"x".repeat(65), false, QuestionKind::ShortText { max_length: 10 }));
        let errors = SurveyDefinition::new(qs).unwrap_err();
        assert_eq!(
            errors,
            vec![
                DefinitionError::DuplicateQuestionId { position: 10, question: qid("age") },
                DefinitionError::InvalidQuestionId { position: 11, question: qid("no spaces") },
                DefinitionError::InvalidQuestionId { position: 12, question: qid("") },
                DefinitionError::InvalidQuestionId { position: 13, question: qid(&"x".repeat(65)) },
            ]
        );
        assert!(SurveyDefinition::new(vec![q("A-z_09", false, QuestionKind::ShortText { max_length: 1 })]).is_ok());
    }

    #[test]
    fn duplicate_malformed_and_unlabelled_options_are_refused() {
        let errors = errors_with("resident", |x| {
            let mut options = opts(&["yes", "no", "yes", "n/a"]);
            options[1].label = LocalizedText::default();
            x.kind = QuestionKind::SingleChoice { options };
        });
        assert_eq!(
            errors,
            vec![
                DefinitionError::MissingLabel { question: qid("resident"), option: oid("no") },
                DefinitionError::DuplicateOptionId { question: qid("resident"), option: oid("yes") },
                DefinitionError::InvalidOptionId { question: qid("resident"), option: oid("n/a") },
            ]
        );
    }

    #[test]
    fn a_question_without_text_is_refused() {
        let errors = errors_with("age", |x| x.text = LocalizedText::default());
        assert_eq!(errors, vec![DefinitionError::MissingText { question: qid("age") }]);
    }

    #[test]
    fn choice_and_ranking_questions_need_two_to_a_hundred_options() {
        let one = errors_with("district", |x| x.kind = QuestionKind::SingleChoice { options: opts(&["north"]) });
        assert!(one.contains(&DefinitionError::OptionCount { question: qid("district"), max: MAX_OPTIONS, got: 1 }));
        let ids: Vec<String> = (0..=100).map(|i| format!("o{i}")).collect();
        let many: Vec<&str> = ids.iter().map(String::as_str).collect();
        let errors = errors_with("priorities", |x| x.kind = QuestionKind::Ranking { options: opts(&many), top: None });
        assert_eq!(
            errors,
            vec![DefinitionError::OptionCount { question: qid("priorities"), max: MAX_OPTIONS, got: 101 }]
        );
    }

    #[test]
    fn multiple_choice_limits_must_be_ordered_and_possible() {
        let kind = |min, max| QuestionKind::MultipleChoice {
            options: opts(&["bus", "bike", "car", "walk"]),
            min_selections: min,
            max_selections: max,
        };
        let errors = errors_with("transport", |x| x.kind = kind(3, Some(2)));
        assert_eq!(errors, vec![DefinitionError::MinGreaterThanMax { question: qid("transport"), min: 3, max: 2 }]);
        let errors = errors_with("transport", |x| x.kind = kind(5, None));
        assert_eq!(
            errors,
            vec![DefinitionError::SelectionLimitOutOfRange { question: qid("transport"), limit: 5, options: 4 }]
        );
        let errors = errors_with("transport", |x| x.kind = kind(0, Some(0)));
        assert_eq!(
            errors,
            vec![DefinitionError::SelectionLimitOutOfRange { question: qid("transport"), limit: 0, options: 4 }]
        );
        let errors = errors_with("transport", |x| x.kind = kind(1, Some(6)));
        assert_eq!(
            errors,
            vec![DefinitionError::SelectionLimitOutOfRange { question: qid("transport"), limit: 6, options: 4 }]
        );
    }

    #[test]
    fn the_multiple_choice_condition_option_must_survive_an_option_change() {
        // `bus_line` and `comment` read options `bus` and `walk` of `transport`.
        let errors = errors_with("transport", |x| {
            x.kind = QuestionKind::MultipleChoice {
                options: opts(&["bike", "car"]),
                min_selections: 0,
                max_selections: None,
            };
        });
        assert_eq!(
            errors,
            vec![
                DefinitionError::ConditionUnknownOption {
                    question: qid("bus_line"),
                    refers_to: qid("transport"),
                    option: oid("bus")
                },
                DefinitionError::ConditionUnknownOption {
                    question: qid("comment"),
                    refers_to: qid("transport"),
                    option: oid("walk")
                },
            ]
        );
    }

    #[test]
    fn text_lengths_must_be_within_the_kind_limit() {
        let errors = errors_with("bus_line", |x| x.kind = QuestionKind::ShortText { max_length: 0 });
        assert_eq!(
            errors,
            vec![DefinitionError::MaxLengthOutOfRange {
                question: qid("bus_line"),
                max_length: 0,
                limit: SHORT_TEXT_LIMIT
            }]
        );
        let errors = errors_with("bus_line", |x| x.kind = QuestionKind::ShortText { max_length: SHORT_TEXT_LIMIT + 1 });
        assert_eq!(errors.len(), 1);
        let errors = errors_with("why", |x| x.kind = QuestionKind::LongText { max_length: LONG_TEXT_LIMIT + 1 });
        assert_eq!(
            errors,
            vec![DefinitionError::MaxLengthOutOfRange {
                question: qid("why"),
                max_length: LONG_TEXT_LIMIT + 1,
                limit: LONG_TEXT_LIMIT
            }]
        );
    }

    #[test]
    fn number_bounds_must_be_ordered_and_within_the_limit() {
        let errors = errors_with("age", |x| x.kind = QuestionKind::Number { min: Some(10), max: Some(9) });
        assert!(errors.contains(&DefinitionError::MinGreaterThanMax { question: qid("age"), min: 10, max: 9 }));
        let errors = errors_with("age", |x| x.kind = QuestionKind::Number { min: Some(-NUMBER_LIMIT - 1), max: None });
        assert_eq!(
            errors,
            vec![DefinitionError::NumberBoundOutOfRange { question: qid("age"), bound: -NUMBER_LIMIT - 1 }]
        );
        let errors = errors_with("age", |x| x.kind = QuestionKind::Number { min: None, max: Some(i64::MIN) });
        assert!(errors.contains(&DefinitionError::NumberBoundOutOfRange { question: qid("age"), bound: i64::MIN }));
    }

    #[test]
    fn scale_points_and_labels_must_match() {
        for points in [0, 1, 11] {
            let errors = errors_with("satisfaction", |x| {
                x.kind = QuestionKind::Scale { points, labels: ScaleLabels::Ends { low: t("a"), high: t("b") } };
            });
            assert!(
                errors.contains(&DefinitionError::ScalePointsOutOfRange { question: qid("satisfaction"), points }),
                "{points}: {errors:?}"
            );
        }
        let errors = errors_with("satisfaction", |x| {
            x.kind =
                QuestionKind::Scale { points: 5, labels: ScaleLabels::Each { labels: vec![t("1"), t("2"), t("3")] } };
        });
        assert_eq!(
            errors,
            vec![DefinitionError::ScaleLabelCount { question: qid("satisfaction"), expected: 5, got: 3 }]
        );
        let errors = errors_with("satisfaction", |x| {
            x.kind = QuestionKind::Scale {
                points: 5,
                labels: ScaleLabels::Ends { low: t("a"), high: LocalizedText::default() },
            };
        });
        assert_eq!(errors, vec![DefinitionError::MissingScaleLabel { question: qid("satisfaction") }]);
        let each = |n: u32| ScaleLabels::Each { labels: (1..=n).map(|i| t(&i.to_string())).collect() };
        let mut qs = fixture_questions();
        qs[5].kind = QuestionKind::Scale { points: 2, labels: each(2) };
        assert!(SurveyDefinition::new(qs).is_ok(), "two labelled points are a valid scale");
    }

    #[test]
    fn ranking_top_must_be_between_one_and_the_option_count() {
        for top in [0, 5] {
            let errors = errors_with("priorities", |x| {
                x.kind =
                    QuestionKind::Ranking { options: opts(&["parks", "roads", "schools", "lighting"]), top: Some(top) };
            });
            assert_eq!(
                errors,
                vec![DefinitionError::RankingTopOutOfRange { question: qid("priorities"), top, options: 4 }]
            );
        }
    }

    #[test]
    fn a_condition_must_refer_to_an_earlier_question_of_the_survey() {
        let errors = errors_with("district", |x| x.condition = Some(choice_is("district", &["north"])));
        assert_eq!(
            errors,
            vec![DefinitionError::ConditionNotEarlier { question: qid("district"), refers_to: qid("district") }]
        );
        let errors = errors_with("district", |x| x.condition = Some(compare("age", CompareOp::Gte, 18)));
        assert_eq!(
            errors,
            vec![DefinitionError::ConditionNotEarlier { question: qid("district"), refers_to: qid("age") }]
        );
        let errors = errors_with("district", |x| x.condition = Some(choice_is("ghost", &["yes"])));
        assert_eq!(
            errors,
            vec![DefinitionError::ConditionUnknownQuestion { question: qid("district"), refers_to: qid("ghost") }]
        );
    }

    #[test]
    fn a_condition_must_name_options_the_question_offers() {
        let errors = errors_with("district", |x| x.condition = Some(choice_is("resident", &["yes", "maybe"])));
        assert_eq!(
            errors,
            vec![DefinitionError::ConditionUnknownOption {
                question: qid("district"),
                refers_to: qid("resident"),
                option: oid("maybe")
            }]
        );
        let errors = errors_with("bus_line", |x| x.condition = Some(includes("transport", "tram")));
        assert_eq!(
            errors,
            vec![DefinitionError::ConditionUnknownOption {
                question: qid("bus_line"),
                refers_to: qid("transport"),
                option: oid("tram")
            }]
        );
    }

    #[test]
    fn a_condition_must_read_a_question_of_the_right_kind() {
        let errors = errors_with("bus_line", |x| x.condition = Some(choice_is("transport", &["bus"])));
        assert_eq!(
            errors,
            vec![DefinitionError::ConditionTypeMismatch {
                question: qid("bus_line"),
                refers_to: qid("transport"),
                expected: "single_choice",
                found: QuestionType::MultipleChoice
            }]
        );
        let errors = errors_with("district", |x| x.condition = Some(includes("resident", "yes")));
        assert!(matches!(&errors[..], [DefinitionError::ConditionTypeMismatch { expected: "multiple_choice", .. }]));
        let errors = errors_with("comment", |x| x.condition = Some(compare("bus_line", CompareOp::Eq, 1)));
        assert!(matches!(
            &errors[..],
            [DefinitionError::ConditionTypeMismatch {
                expected: "number or scale",
                found: QuestionType::ShortText,
                ..
            }]
        ));
    }

    #[test]
    fn a_comparison_with_a_value_the_answer_cannot_take_is_refused() {
        for (target, value) in [("satisfaction", 0), ("satisfaction", 6), ("age", 14), ("age", 121)] {
            let errors = errors_with("comment", |x| x.condition = Some(compare(target, CompareOp::Eq, value)));
            assert_eq!(
                errors,
                vec![DefinitionError::ConditionValueOutOfRange {
                    question: qid("comment"),
                    refers_to: qid(target),
                    value
                }],
            );
        }
        for (target, value) in [("satisfaction", 1), ("satisfaction", 5), ("age", 15), ("age", 120)] {
            assert!(
                SurveyDefinition::new({
                    let mut qs = fixture_questions();
                    qs[8].condition = Some(compare(target, CompareOp::Eq, value));
                    qs
                })
                .is_ok()
            );
        }
    }

    #[test]
    fn empty_and_too_deep_conditions_are_refused() {
        let errors = errors_with("comment", |x| x.condition = Some(Condition::Any { conditions: vec![] }));
        assert_eq!(errors, vec![DefinitionError::EmptyCondition { question: qid("comment") }]);
        let errors = errors_with("district", |x| x.condition = Some(choice_is("resident", &[])));
        assert_eq!(errors, vec![DefinitionError::EmptyCondition { question: qid("district") }]);
        let mut deep = choice_is("resident", &["yes"]);
        for _ in 0..4 {
            deep = Condition::All { conditions: vec![deep] };
        }
        let errors = errors_with("district", |x| x.condition = Some(deep.clone()));
        assert_eq!(errors, vec![DefinitionError::ConditionTooDeep { question: qid("district") }]);
        let Condition::All { conditions } = deep else { unreachable!() };
        assert!(
            SurveyDefinition::new({
                let mut qs = fixture_questions();
                qs[1].condition = conditions.into_iter().next();
                qs
            })
            .is_ok()
        );
    }

    #[test]
    fn every_error_is_reported_and_names_its_question() {
        let mut qs = fixture_questions();
        qs[4].kind = QuestionKind::Number { min: Some(5), max: Some(1) };
        qs[5].kind = QuestionKind::Scale { points: 20, labels: ScaleLabels::Ends { low: t("a"), high: t("b") } };
        let errors = SurveyDefinition::new(qs).unwrap_err();
        let named: Vec<&str> = errors.iter().filter_map(|e| e.question()).map(QuestionId::as_str).collect();
        // `comment` compares `age` with 65, which the new bounds no longer allow.
        assert_eq!(named, ["age", "satisfaction", "comment"]);
        assert!(errors[0].to_string().contains("`age`"), "{}", errors[0]);
        assert_eq!(DefinitionError::NoQuestions.question(), None);
    }

    #[test]
    fn a_question_serialises_to_a_stable_snake_case_shape() {
        let question = fixture_questions().swap_remove(2);
        let json = serde_json::to_value(&question).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "transport",
                "text": {"en": "transport"},
                "description": null,
                "required": true,
                "condition": null,
                "kind": {
                    "type": "multiple_choice",
                    "options": [
                        {"id": "bus", "label": {"en": "bus"}},
                        {"id": "bike", "label": {"en": "bike"}},
                        {"id": "car", "label": {"en": "car"}},
                        {"id": "walk", "label": {"en": "walk"}}
                    ],
                    "min_selections": 1,
                    "max_selections": 2
                }
            })
        );
        let conditional = serde_json::to_value(&fixture_questions()[6]).unwrap();
        assert_eq!(
            conditional["condition"],
            serde_json::json!({"type": "all", "conditions": [
                {"type": "compare", "question": "satisfaction", "op": "lte", "value": 2},
                {"type": "choice_is", "question": "resident", "options": ["yes"]}
            ]})
        );
    }

    #[test]
    fn a_definition_round_trips_through_json_and_is_rechecked_when_read() {
        let d = fixture();
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.starts_with('['));
        let back: SurveyDefinition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
        let bad = r#"[{"id":"a","text":{"en":"A"},"required":true,"kind":{"type":"number","min":3,"max":1}}]"#;
        let err = serde_json::from_str::<SurveyDefinition>(bad).unwrap_err();
        assert!(err.to_string().contains("minimum 3 is greater than the maximum 1"), "{err}");
        let defaults = r#"[{"id":"a","text":{"en":"A"},"required":false,"kind":{"type":"multiple_choice","options":[
            {"id":"x","label":{"en":"X"}},{"id":"y","label":{"en":"Y"}}]}}]"#;
        let d: SurveyDefinition = serde_json::from_str(defaults).unwrap();
        assert!(matches!(
            d.questions()[0].kind,
            QuestionKind::MultipleChoice { min_selections: 0, max_selections: None, .. }
        ));
        assert_eq!(d.questions()[0].condition, None);
    }

    #[test]
    fn texts_are_checked_against_the_organisations_locales() {
        let d = fixture();
        assert!(d.check_texts(Locale::En, &[Locale::En], 100).is_ok());
        let errors = d.check_texts(Locale::Sk, &[Locale::Sk, Locale::En], 100).unwrap_err();
        assert_eq!(
            errors[0],
            DefinitionError::Text {
                question: qid("resident"),
                option: None,
                error: LocalizedTextError::MissingDefault(Locale::Sk)
            }
        );
        assert!(errors.contains(&DefinitionError::Text {
            question: qid("resident"),
            option: Some(oid("yes")),
            error: LocalizedTextError::MissingDefault(Locale::Sk)
        }));
        assert!(errors.iter().any(|e| e.to_string()
            == "question `resident`, option `no`: a text in the organisation's default locale `sk` is required"));
    }
}

mod conditions {
    use super::*;

    fn shown(a: &Answers) -> Vec<&'static str> {
        let names =
            ["resident", "district", "transport", "bus_line", "age", "satisfaction", "why", "priorities", "comment"];
        names.into_iter().zip(visibility(&fixture(), a)).filter(|(_, v)| *v).map(|(n, _)| n).collect()
    }

    #[test]
    fn with_no_answers_only_unconditional_questions_are_shown() {
        assert_eq!(shown(&Answers::new()), ["resident", "transport", "age", "satisfaction", "priorities"]);
    }

    #[test]
    fn choice_is_and_includes_read_the_chosen_options() {
        let d = fixture();
        assert!(visible(&d, &qid("district"), &answers(vec![("resident", single("yes"))])));
        assert!(!visible(&d, &qid("district"), &answers(vec![("resident", single("no"))])));
        assert!(visible(&d, &qid("bus_line"), &answers(vec![("transport", multi(&["car", "bus"]))])));
        assert!(!visible(&d, &qid("bus_line"), &answers(vec![("transport", multi(&["car"]))])));
        assert!(!visible(&d, &qid("bus_line"), &answers(vec![("transport", multi(&[]))])));
        assert!(
            !visible(&d, &qid("district"), &answers(vec![("resident", multi(&["yes"]))])),
            "an answer of another kind satisfies nothing"
        );
    }

    #[test]
    fn compare_reads_numbers_and_scale_points_inclusively() {
        let d = fixture();
        let comment = |age| visible(&d, &qid("comment"), &answers(vec![("age", Answer::Number { value: age })]));
        assert!(!comment(64));
        assert!(comment(65));
        assert!(comment(90));
        let why = |s| {
            visible(
                &d,
                &qid("why"),
                &answers(vec![("resident", single("yes")), ("satisfaction", Answer::Scale { value: s })]),
            )
        };
        assert_eq!([1, 2, 3, 4, 5].map(why), [true, true, false, false, false]);
        assert!(CompareOp::Eq.holds(3, 3) && !CompareOp::Eq.holds(3, 4));
    }

    #[test]
    fn all_needs_every_condition_and_any_one() {
        let d = fixture();
        let unhappy_visitor = answers(vec![("resident", single("no")), ("satisfaction", Answer::Scale { value: 1 })]);
        assert!(!visible(&d, &qid("why"), &unhappy_visitor));
        let walker = answers(vec![("transport", multi(&["walk"])), ("age", Answer::Number { value: 30 })]);
        assert!(visible(&d, &qid("comment"), &walker));
        let driver = answers(vec![("transport", multi(&["car"])), ("age", Answer::Number { value: 30 })]);
        assert!(!visible(&d, &qid("comment"), &driver));
    }

    #[test]
    fn hiding_spreads_down_a_chain_whatever_the_answers_say() {
        let d = SurveyDefinition::new(vec![
            q("a", true, QuestionKind::SingleChoice { options: opts(&["x", "y"]) }),
            when(q("b", false, QuestionKind::SingleChoice { options: opts(&["x", "y"]) }), choice_is("a", &["x"])),
            when(q("c", false, QuestionKind::ShortText { max_length: 5 }), choice_is("b", &["x"])),
        ])
        .unwrap();
        let all_x = answers(vec![("a", single("x")), ("b", single("x"))]);
        assert_eq!(visibility(&d, &all_x), [true, true, true]);
        let a_y = answers(vec![("a", single("y")), ("b", single("x"))]);
        assert_eq!(visibility(&d, &a_y), [true, false, false], "b is hidden, so its stale answer shows nothing");
        assert_eq!(visibility(&d, &Answers::new()), [true, false, false]);
    }

    #[test]
    fn a_question_the_survey_does_not_have_is_not_visible() {
        assert!(!visible(&fixture(), &qid("ghost"), &full_answers()));
    }

    /// An independent, recursive reading of the documented semantics.
    fn oracle(d: &SurveyDefinition, id: &QuestionId, a: &Answers) -> bool {
        fn holds(c: &Condition, d: &SurveyDefinition, a: &Answers) -> bool {
            let answer = |id: &QuestionId| if oracle(d, id, a) { a.get(id) } else { None };
            match c {
                Condition::ChoiceIs { question, options } => {
                    matches!(answer(question), Some(Answer::SingleChoice { option }) if options.contains(option))
                }
                Condition::Includes { question, option } => {
                    matches!(answer(question), Some(Answer::MultipleChoice { options }) if options.contains(option))
                }
                Condition::Compare { question, op, value } => match answer(question) {
                    Some(Answer::Number { value: v }) => op.holds(*v, *value),
                    Some(Answer::Scale { value: v }) => op.holds(i64::from(*v), *value),
                    _ => false,
                },
                Condition::All { conditions } => conditions.iter().all(|c| holds(c, d, a)),
                Condition::Any { conditions } => conditions.iter().any(|c| holds(c, d, a)),
            }
        }
        d.question(id).is_some_and(|q| q.condition.as_ref().is_none_or(|c| holds(c, d, a)))
    }

    #[test]
    fn visibility_agrees_with_a_recursive_reading_on_generated_answers() {
        let d = fixture();
        let mut rng = Rng(0x5eed);
        for _ in 0..2_000 {
            let a = random_answers(&mut rng);
            let vis = visibility(&d, &a);
            for (q, v) in d.questions().iter().zip(&vis) {
                assert_eq!(*v, oracle(&d, &q.id, &a), "{} for {a:?}", q.id);
                assert_eq!(*v, visible(&d, &q.id, &a));
            }
        }
    }
}

/// Answers of any shape, valid or not, to the fixture's questions (and sometimes to a stranger).
fn random_answers(rng: &mut Rng) -> Answers {
    let mut a = Answers::new();
    let mut maybe = |rng: &mut Rng, id: &str, answer: Answer| {
        if rng.below(5) != 0 {
            a.insert(qid(id), answer);
        }
    };
    let r = *rng.pick(&["yes", "no", "maybe"]);
    maybe(rng, "resident", single(r));
    let dist = *rng.pick(&["north", "south", "centre"]);
    maybe(rng, "district", single(dist));
    let all = ["bus", "bike", "car", "walk", "tram"];
    let n = rng.below(4);
    let chosen: Vec<&str> = (0..n).map(|_| *rng.pick(&all)).collect();
    maybe(rng, "transport", multi(&chosen));
    let line = *rng.pick(&["", "L4", "a very long bus line name indeed"]);
    maybe(rng, "bus_line", short(line));
    let age = i64::try_from(rng.below(130)).unwrap();
    maybe(rng, "age", Answer::Number { value: age });
    let s = u32::try_from(rng.below(7)).unwrap();
    maybe(rng, "satisfaction", Answer::Scale { value: s });
    let why = "x".repeat(usize::try_from(rng.below(3)).unwrap() * 150);
    maybe(rng, "why", Answer::LongText { text: why });
    let pool = ["parks", "roads", "schools", "lighting", "parks"];
    let k = rng.below(5);
    let ranked: Vec<&str> = (0..k).map(|_| *rng.pick(&pool)).collect();
    maybe(rng, "priorities", ranking(&ranked));
    let comment = if rng.below(2) == 0 { short("ok") } else { Answer::Number { value: 1 } };
    maybe(rng, "comment", comment);
    if rng.below(10) == 0 {
        a.insert(qid("stranger"), short("hi"));
    }
    a
}

/// Answers that follow the fixture's rules.
fn sane_answers(rng: &mut Rng) -> Answers {
    let mut a = Answers::new();
    let resident = rng.below(2) == 0;
    a.insert(qid("resident"), single(if resident { "yes" } else { "no" }));
    if resident {
        let d = *rng.pick(&["north", "south", "centre"]);
        a.insert(qid("district"), single(d));
    }
    let pairs: [&[&str]; 5] = [&["bus"], &["walk"], &["bus", "walk"], &["car", "bike"], &["bike"]];
    let transport = *rng.pick(&pairs);
    a.insert(qid("transport"), multi(transport));
    if transport.contains(&"bus") && rng.below(2) == 0 {
        a.insert(qid("bus_line"), short("L4"));
    }
    let age = 15 + i64::try_from(rng.below(106)).unwrap();
    a.insert(qid("age"), Answer::Number { value: age });
    let sat = 1 + u32::try_from(rng.below(5)).unwrap();
    a.insert(qid("satisfaction"), Answer::Scale { value: sat });
    if sat <= 2 && resident {
        a.insert(qid("why"), Answer::LongText { text: "slow".into() });
    }
    let orders: [&[&str]; 2] = [&["parks", "roads", "schools"], &["lighting", "schools", "roads"]];
    let order = *rng.pick(&orders);
    a.insert(qid("priorities"), ranking(order));
    if age >= 65 || transport.contains(&"walk") {
        a.insert(qid("comment"), short("benches"));
    }
    a
}

mod responses {
    use super::*;

    fn errors(a: &Answers) -> Vec<AnswerError> {
        validate_response(&fixture(), a).unwrap_err()
    }

    fn with(change: Vec<(&str, Option<Answer>)>) -> Answers {
        let mut a = full_answers();
        for (k, v) in change {
            match v {
                Some(v) => a.insert(qid(k), v),
                None => a.remove(&qid(k)),
            };
        }
        a
    }

    #[test]
    fn a_complete_valid_response_is_accepted_as_given() {
        let valid = validate_response(&fixture(), &full_answers()).unwrap();
        assert_eq!(valid.as_map(), &full_answers());
        assert_eq!(valid.len(), 9);
    }

    #[test]
    fn optional_questions_may_be_skipped_and_blank_answers_are_dropped() {
        let a = with(vec![("bus_line", Some(short("  "))), ("why", None), ("comment", Some(short("")))]);
        let valid = validate_response(&fixture(), &a).unwrap();
        assert_eq!(valid.len(), 6);
        assert_eq!(valid.get(&qid("bus_line")), None);
    }

    #[test]
    fn a_missing_required_answer_is_named() {
        let a = with(vec![("age", None), ("transport", Some(multi(&[])))]);
        // Without them `bus_line` and `comment` are hidden, so their answers are refused too.
        assert_eq!(
            errors(&a),
            [
                AnswerError::Missing { question: qid("transport") },
                AnswerError::HiddenQuestion { question: qid("bus_line") },
                AnswerError::Missing { question: qid("age") },
                AnswerError::HiddenQuestion { question: qid("comment") },
            ]
        );
    }

    #[test]
    fn a_hidden_required_question_needs_no_answer_and_takes_none() {
        let visitor = with(vec![("resident", Some(single("no"))), ("district", None), ("why", None)]);
        assert!(validate_response(&fixture(), &visitor).is_ok());
        let stale = with(vec![("resident", Some(single("no"))), ("why", None)]);
        assert_eq!(errors(&stale), [AnswerError::HiddenQuestion { question: qid("district") }]);
        let blank_hidden = with(vec![
            ("resident", Some(single("no"))),
            ("district", None),
            ("why", Some(Answer::LongText { text: String::new() })),
        ]);
        assert!(validate_response(&fixture(), &blank_hidden).is_ok(), "a blank field of a hidden question is ignored");
    }

    #[test]
    fn an_answer_to_an_unknown_question_is_refused() {
        let a = with(vec![("ghost", Some(short("boo")))]);
        assert_eq!(errors(&a), [AnswerError::UnknownQuestion { question: qid("ghost") }]);
    }

    #[test]
    fn an_answer_of_the_wrong_type_is_refused() {
        let a = with(vec![("age", Some(short("seventy"))), ("bus_line", Some(Answer::LongText { text: "L4".into() }))]);
        assert_eq!(
            errors(&a),
            [
                AnswerError::WrongType {
                    question: qid("bus_line"),
                    expected: QuestionType::ShortText,
                    got: QuestionType::LongText
                },
                AnswerError::WrongType {
                    question: qid("age"),
                    expected: QuestionType::Number,
                    got: QuestionType::ShortText
                },
            ]
        );
    }

    #[test]
    fn a_choice_not_offered_is_refused() {
        let a = with(vec![("district", Some(single("east")))]);
        assert_eq!(errors(&a), [AnswerError::NotOffered { question: qid("district"), option: oid("east") }]);
        let a = with(vec![("transport", Some(multi(&["bus", "tram"])))]);
        assert_eq!(errors(&a), [AnswerError::NotOffered { question: qid("transport"), option: oid("tram") }]);
    }

    #[test]
    fn too_many_or_repeated_choices_are_refused() {
        let a = with(vec![("transport", Some(multi(&["bus", "walk", "car"])))]);
        assert_eq!(errors(&a), [AnswerError::TooManyChoices { question: qid("transport"), max: 2, got: 3 }]);
        let a = with(vec![("transport", Some(multi(&["bus", "bus"])))]);
        assert_eq!(errors(&a), [AnswerError::Duplicate { question: qid("transport"), option: oid("bus") }]);
    }

    #[test]
    fn too_few_choices_are_refused() {
        let d = SurveyDefinition::new(vec![q(
            "pick",
            false,
            QuestionKind::MultipleChoice { options: opts(&["a", "b", "c"]), min_selections: 2, max_selections: None },
        )])
        .unwrap();
        let one = answers(vec![("pick", multi(&["a"]))]);
        assert_eq!(
            validate_response(&d, &one).unwrap_err(),
            [AnswerError::TooFewChoices { question: qid("pick"), min: 2, got: 1 }]
        );
        assert!(validate_response(&d, &answers(vec![("pick", multi(&["a", "b", "c"]))])).is_ok(), "no max means all");
        assert!(validate_response(&d, &answers(vec![("pick", multi(&[]))])).is_ok(), "optional: empty is no answer");
    }

    #[test]
    fn numbers_and_scale_points_out_of_range_are_refused() {
        let a = with(vec![
            ("age", Some(Answer::Number { value: 14 })),
            ("satisfaction", Some(Answer::Scale { value: 6 })),
            ("why", None),
        ]);
        assert_eq!(
            errors(&a),
            [
                AnswerError::OutOfRange { question: qid("age"), min: 15, max: 120, got: 14 },
                AnswerError::OutOfRange { question: qid("satisfaction"), min: 1, max: 5, got: 6 },
            ]
        );
        let a = with(vec![("satisfaction", Some(Answer::Scale { value: 0 }))]);
        assert!(matches!(&errors(&a)[..], [AnswerError::OutOfRange { got: 0, .. }]));
        let open = SurveyDefinition::new(vec![q("n", true, QuestionKind::Number { min: None, max: None })]).unwrap();
        let huge = answers(vec![("n", Answer::Number { value: NUMBER_LIMIT + 1 })]);
        assert_eq!(
            validate_response(&open, &huge).unwrap_err(),
            [AnswerError::OutOfRange {
                question: qid("n"),
                min: -NUMBER_LIMIT,
                max: NUMBER_LIMIT,
                got: NUMBER_LIMIT + 1
            }]
        );
        assert!(validate_response(&open, &answers(vec![("n", Answer::Number { value: -NUMBER_LIMIT })])).is_ok());
    }

    #[test]
    fn a_text_too_long_is_refused_counting_characters() {
        let a = with(vec![("bus_line", Some(short(&"č".repeat(21))))]);
        assert_eq!(errors(&a), [AnswerError::TextTooLong { question: qid("bus_line"), max: 20, got: 21 }]);
        assert!(validate_response(&fixture(), &with(vec![("bus_line", Some(short(&"č".repeat(20))))])).is_ok());
    }

    #[test]
    fn incomplete_overlong_and_repeated_rankings_are_refused() {
        let a = with(vec![("priorities", Some(ranking(&["parks", "roads"])))]);
        assert_eq!(errors(&a), [AnswerError::IncompleteRanking { question: qid("priorities"), expected: 3, got: 2 }]);
        let a = with(vec![("priorities", Some(ranking(&["parks", "roads", "schools", "lighting"])))]);
        assert_eq!(errors(&a), [AnswerError::TooManyRanked { question: qid("priorities"), expected: 3, got: 4 }]);
        let a = with(vec![("priorities", Some(ranking(&["parks", "roads", "parks"])))]);
        assert_eq!(
            errors(&a),
            [
                AnswerError::Duplicate { question: qid("priorities"), option: oid("parks") },
                AnswerError::IncompleteRanking { question: qid("priorities"), expected: 3, got: 2 },
            ]
        );
        let all = SurveyDefinition::new(vec![q(
            "r",
            true,
            QuestionKind::Ranking { options: opts(&["a", "b", "c"]), top: None },
        )])
        .unwrap();
        assert!(validate_response(&all, &answers(vec![("r", ranking(&["c", "a", "b"]))])).is_ok());
        assert_eq!(
            validate_response(&all, &answers(vec![("r", ranking(&["c", "a"]))])).unwrap_err(),
            [AnswerError::IncompleteRanking { question: qid("r"), expected: 3, got: 2 }]
        );
    }

    #[test]
    fn an_answer_serialises_with_its_question_type_as_tag() {
        let json = serde_json::to_value(full_answers()).unwrap();
        assert_eq!(json["transport"], serde_json::json!({"type": "multiple_choice", "options": ["bus", "walk"]}));
        assert_eq!(json["age"], serde_json::json!({"type": "number", "value": 70}));
        assert_eq!(
            json["priorities"],
            serde_json::json!({"type": "ranking", "options": ["roads", "parks", "schools"]})
        );
        let back: Answers = serde_json::from_value(json).unwrap();
        assert_eq!(back, full_answers());
        let err = AnswerError::TooManyChoices { question: qid("transport"), max: 2, got: 3 };
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            serde_json::json!({"type": "too_many_choices", "question": "transport", "max": 2, "got": 3})
        );
        assert_eq!(err.question(), &qid("transport"));
        assert_eq!(err.to_string(), "`transport` allows at most 2 choices, got 3");
    }

    #[test]
    fn on_generated_answers_valid_ones_are_stable_and_errors_name_real_keys() {
        let d = fixture();
        let mut rng = Rng(42);
        let mut accepted = 0;
        for i in 0..5_000 {
            let a = if i % 2 == 0 { random_answers(&mut rng) } else { sane_answers(&mut rng) };
            match validate_response(&d, &a) {
                Ok(valid) => {
                    accepted += 1;
                    assert_eq!(validate_response(&d, valid.as_map()), Ok(valid.clone()), "validation is idempotent");
                    let vis = visibility(&d, valid.as_map());
                    for (q, shown) in d.questions().iter().zip(vis) {
                        assert!(shown || valid.get(&q.id).is_none(), "{} answered but hidden", q.id);
                        assert!(!shown || !q.required || valid.get(&q.id).is_some(), "{} required", q.id);
                    }
                }
                Err(errors) => {
                    assert!(!errors.is_empty());
                    for e in errors {
                        assert!(a.contains_key(e.question()) || d.position(e.question()).is_some(), "{e}");
                    }
                }
            }
        }
        assert!(accepted > 0, "the generator should produce some valid responses");
    }
}

mod aggregation {
    use super::*;
    use crate::surveys::results::{mean, share_bp};

    fn valid(a: &Answers) -> ValidAnswers {
        validate_response(&fixture(), a).unwrap()
    }

    fn result<'r>(r: &'r SurveyResults, id: &str) -> &'r QuestionResults {
        r.questions.iter().find(|x| x.question.as_str() == id).unwrap()
    }

    #[test]
    fn shares_are_basis_points_rounded_half_up() {
        assert_eq!(share_bp(1, 3), 3333);
        assert_eq!(share_bp(2, 3), 6667);
        assert_eq!(share_bp(1, 8), 1250);
        assert_eq!(share_bp(1, 20_000), 1, "0.5 bp rounds up");
        assert_eq!(share_bp(0, 0), 0);
        assert_eq!(share_bp(u64::MAX, u64::MAX), 10_000);
    }

    #[test]
    fn means_have_two_decimals_rounded_half_away_from_zero() {
        assert_eq!(mean(11, 3).as_deref(), Some("3.67"));
        assert_eq!(mean(10, 4).as_deref(), Some("2.50"));
        assert_eq!(mean(1, 8).as_deref(), Some("0.13"), "0.125 rounds up");
        assert_eq!(mean(-1, 8).as_deref(), Some("-0.13"));
        assert_eq!(mean(-1, 1000).as_deref(), Some("0.00"), "no negative zero");
        assert_eq!(mean(i64::MAX, 1).as_deref(), Some("9223372036854775807.00"));
        assert_eq!(mean(5, 0), None);
    }

    #[test]
    fn a_few_responses_give_counts_shares_stats_scores_and_texts() {
        let d = fixture();
        let one = valid(&full_answers());
        let two = valid(&answers(vec![
            ("resident", single("no")),
            ("transport", multi(&["car"])),
            ("age", Answer::Number { value: 30 }),
            ("satisfaction", Answer::Scale { value: 5 }),
            ("priorities", ranking(&["parks", "lighting", "roads"])),
        ]));
        let three = valid(&answers(vec![
            ("resident", single("yes")),
            ("district", single("south")),
            ("transport", multi(&["bus"])),
            ("age", Answer::Number { value: 41 }),
            ("satisfaction", Answer::Scale { value: 4 }),
            ("priorities", ranking(&["schools", "parks", "roads"])),
        ]));
        let r = aggregate(&d, [&one, &two, &three]);
        assert_eq!(r.respondents, 3);

        let resident = result(&r, "resident");
        assert_eq!((resident.shown, resident.respondents), (3, 3));
        let Summary::SingleChoice { options } = &resident.summary else { panic!("{resident:?}") };
        assert_eq!(options[0], OptionCount { option: oid("yes"), count: 2, share_bp: 6667 });
        assert_eq!(options[1], OptionCount { option: oid("no"), count: 1, share_bp: 3333 });

        let district = result(&r, "district");
        assert_eq!((district.shown, district.respondents), (2, 2), "hidden for the visitor");
        let Summary::SingleChoice { options } = &district.summary else { panic!() };
        assert_eq!(options.iter().map(|o| o.share_bp).collect::<Vec<_>>(), [5000, 5000, 0]);

        let Summary::MultipleChoice { options } = &result(&r, "transport").summary else { panic!() };
        assert_eq!(options.iter().map(|o| o.count).collect::<Vec<_>>(), [2, 0, 1, 1]);

        let bus_line = result(&r, "bus_line");
        assert_eq!((bus_line.shown, bus_line.respondents), (2, 1));
        assert_eq!(bus_line.summary, Summary::ShortText { texts: vec!["L4".into()] });

        let age = result(&r, "age");
        assert_eq!(
            age.summary,
            Summary::Number {
                stats: Stats { count: 3, sum: 141, mean: Some("47.00".into()), min: Some(30), max: Some(70) }
            }
        );

        let Summary::Scale { stats, points } = &result(&r, "satisfaction").summary else { panic!() };
        assert_eq!((stats.sum, stats.mean.as_deref()), (11, Some("3.67")));
        assert_eq!(
            points.iter().map(|p| (p.point, p.count)).collect::<Vec<_>>(),
            [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
        );

        let why = result(&r, "why");
        assert_eq!((why.shown, why.respondents), (1, 1));

        // Borda over 4 options: rank 1 → 3, rank 2 → 2, rank 3 → 1, unranked → 0.
        let Summary::Ranking { options } = &result(&r, "priorities").summary else { panic!() };
        let scores: Vec<(&str, u64)> = options.iter().map(|o| (o.option.as_str(), o.score)).collect();
        assert_eq!(scores, [("parks", 2 + 3 + 2), ("roads", 3 + 1 + 1), ("schools", 1 + 3), ("lighting", 2)]);
        assert_eq!(options[0].rank_counts, [1, 2, 0, 0]);

        let comment = result(&r, "comment");
        assert_eq!((comment.shown, comment.respondents), (1, 1));
    }

    #[test]
    fn no_responses_give_zeros_and_no_mean() {
        let r = aggregate(&fixture(), []);
        assert_eq!(r.respondents, 0);
        assert!(r.questions.iter().all(|x| x.shown == 0 && x.respondents == 0));
        let Summary::Number { stats } = &result(&r, "age").summary else { panic!() };
        assert_eq!(stats.mean, None);
    }

    #[test]
    fn answers_that_do_not_fit_are_skipped_not_counted() {
        let stored = ValidAnswers::from_stored(answers(vec![
            ("resident", single("perhaps")),
            ("age", short("old")),
            ("satisfaction", Answer::Scale { value: 9 }),
        ]));
        let r = aggregate(&fixture(), [&stored]);
        assert_eq!(r.respondents, 1);
        for id in ["resident", "age", "satisfaction"] {
            assert_eq!(result(&r, id).respondents, 0, "{id}");
        }
    }

    #[test]
    fn a_full_ranking_scores_n_minus_rank() {
        let d = SurveyDefinition::new(vec![q(
            "r",
            true,
            QuestionKind::Ranking { options: opts(&["a", "b", "c"]), top: None },
        )])
        .unwrap();
        let v = |o: &[&str]| validate_response(&d, &answers(vec![("r", ranking(o))])).unwrap();
        let r = aggregate(&d, [&v(&["a", "b", "c"]), &v(&["b", "a", "c"]), &v(&["b", "c", "a"])]);
        let Summary::Ranking { options } = &r.questions[0].summary else { panic!() };
        assert_eq!(options.iter().map(|o| o.score).collect::<Vec<_>>(), [2 + 1, 1 + 2 + 2, 1]);
        assert_eq!(options[2].rank_counts, [0, 1, 2]);
    }

    /// Response `i` of 100 000, built so every count below follows from arithmetic:
    /// `i % 4` decides residency, `(i / 4) % 5` the district, `(i / 20) % 5` transport,
    /// `i % 50` the age, `(i / 100) % 5` satisfaction and `i % 2` the ranking.
    fn generated(i: u64) -> Answers {
        let resident = !i.is_multiple_of(4);
        let mut a = answers(vec![("resident", single(if resident { "yes" } else { "no" }))]);
        if resident {
            a.insert(qid("district"), single(["north", "south", "centre", "north", "south"][(i / 4 % 5) as usize]));
        }
        let c = (i / 20) % 5;
        let transport: &[&str] =
            [&["bus"][..], &["bike"], &["bus", "walk"], &["car", "walk"], &["bike", "bus"]][c as usize];
        a.insert(qid("transport"), multi(transport));
        if c == 0 {
            a.insert(qid("bus_line"), short("L1"));
        }
        let age = 20 + (i % 50) as i64;
        a.insert(qid("age"), Answer::Number { value: age });
        let sat = ((i / 100) % 5 + 1) as u32;
        a.insert(qid("satisfaction"), Answer::Scale { value: sat });
        if sat <= 2 && resident {
            a.insert(qid("why"), Answer::LongText { text: "too slow".into() });
        }
        let order: &[&str] =
            if i.is_multiple_of(2) { &["parks", "roads", "schools"] } else { &["roads", "parks", "lighting"] };
        a.insert(qid("priorities"), ranking(order));
        a
    }

    #[test]
    fn a_hundred_thousand_generated_responses_aggregate_to_exact_counts() {
        let d = fixture();
        let responses: Vec<ValidAnswers> =
            (0..100_000).map(|i| validate_response(&d, &generated(i)).unwrap()).collect();
        let r = aggregate(&d, &responses);
        assert_eq!(r.respondents, 100_000);
        let counts = |id: &str| match &result(&r, id).summary {
            Summary::SingleChoice { options } | Summary::MultipleChoice { options } => {
                options.iter().map(|o| (o.count, o.share_bp)).collect::<Vec<_>>()
            }
            other => panic!("{other:?}"),
        };
        let who = |id: &str| (result(&r, id).shown, result(&r, id).respondents);

        assert_eq!(counts("resident"), [(75_000, 7500), (25_000, 2500)]);
        assert_eq!(who("district"), (75_000, 75_000));
        assert_eq!(counts("district"), [(30_000, 4000), (30_000, 4000), (15_000, 2000)]);
        assert_eq!(counts("transport"), [(60_000, 6000), (40_000, 4000), (20_000, 2000), (40_000, 4000)]);
        assert_eq!(who("bus_line"), (60_000, 20_000));
        let Summary::ShortText { texts } = &result(&r, "bus_line").summary else { panic!() };
        assert_eq!(texts.len(), 20_000);

        // Ages 20..=69, each 2 000 times: sum 2 000 × (50 × 20 + 1 225).
        let Summary::Number { stats } = &result(&r, "age").summary else { panic!() };
        assert_eq!(
            *stats,
            Stats { count: 100_000, sum: 4_450_000, mean: Some("44.50".into()), min: Some(20), max: Some(69) }
        );
        let Summary::Scale { stats, points } = &result(&r, "satisfaction").summary else { panic!() };
        assert_eq!((stats.sum, stats.mean.as_deref()), (300_000, Some("3.00")));
        assert!(points.iter().all(|p| p.count == 20_000 && p.share_bp == 2000));

        // Satisfaction 1 or 2 (40 %) and resident (75 %), independent.
        assert_eq!(who("why"), (30_000, 30_000));

        let Summary::Ranking { options } = &result(&r, "priorities").summary else { panic!() };
        let scores: Vec<u64> = options.iter().map(|o| o.score).collect();
        assert_eq!(scores, [250_000, 250_000, 50_000, 50_000]);
        assert_eq!(options[0].rank_counts, [50_000, 50_000, 0, 0]);
        assert_eq!(options[3].rank_counts, [0, 0, 50_000, 0]);

        // Shown when age ≥ 65 or walking: per 100 responses, transport is `walk` for 40..80
        // and age ≥ 65 for 45..50 and 95..100, 45 in all.
        assert_eq!(who("comment"), (45_000, 0));

        // Fed page by page, the results are the same.
        let mut tally = Tally::new(&d);
        for page in responses.chunks(7_919) {
            page.iter().for_each(|x| tally.add(x));
        }
        assert_eq!(tally.finish(), r);
    }

    #[test]
    fn results_serialise_with_snake_case_tags() {
        let r = aggregate(&fixture(), [&valid(&full_answers())]);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["questions"][0]["summary"]["type"], "single_choice");
        assert_eq!(json["questions"][4]["summary"]["stats"]["mean"], "70.00");
        assert_eq!(json["questions"][7]["summary"]["options"][1]["score"], 3);
    }
}

mod changes {
    use super::*;
    use crate::surveys::rules::SurveyChangeError;

    fn changed(f: impl FnOnce(&mut Vec<Question>)) -> SurveyDefinition {
        let mut qs = fixture_questions();
        f(&mut qs);
        SurveyDefinition::new(qs).unwrap()
    }

    fn structural(new: &SurveyDefinition) -> Vec<StructuralChange> {
        match classify_change(&fixture(), new) {
            DefinitionChange::Structural { changes } => changes,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn texts_labels_and_descriptions_are_texts_only() {
        assert_eq!(classify_change(&fixture(), &fixture()), DefinitionChange::Unchanged);
        let new = changed(|qs| {
            qs[0].text = t("Do you live here?");
            qs[0].description = Some(t("In the municipality"));
            if let QuestionKind::SingleChoice { options } = &mut qs[1].kind {
                options[0].label = t("North side");
            }
            qs[5].kind = QuestionKind::Scale {
                points: 5,
                labels: ScaleLabels::Each { labels: ["1", "2", "3", "4", "5"].map(t).to_vec() },
            };
        });
        assert_eq!(classify_change(&fixture(), &new), DefinitionChange::TextsOnly);
        assert_eq!(check_change(&fixture(), &new, 1_000), Ok(DefinitionChange::TextsOnly));
    }

    #[test]
    fn each_structural_change_is_named() {
        let new = changed(|qs| {
            qs[4].required = false;
            qs[1].condition = Some(choice_is("resident", &["yes", "no"]));
            qs[5].kind = QuestionKind::Scale { points: 7, labels: ScaleLabels::Ends { low: t("a"), high: t("b") } };
            qs[3].kind = QuestionKind::LongText { max_length: 20 };
            if let QuestionKind::Ranking { options, .. } = &mut qs[7].kind {
                options.swap(0, 1);
            }
        });
        assert_eq!(
            structural(&new),
            [
                StructuralChange::ConditionChanged { question: qid("district") },
                StructuralChange::KindChanged { question: qid("bus_line") },
                StructuralChange::RequiredChanged { question: qid("age") },
                StructuralChange::LimitsChanged { question: qid("satisfaction") },
                StructuralChange::OptionsChanged { question: qid("priorities") },
            ]
        );
    }

    #[test]
    fn adding_removing_and_reordering_questions_is_structural() {
        let new = changed(|qs| {
            qs.remove(8);
            qs.push(q("extra", false, QuestionKind::ShortText { max_length: 5 }));
        });
        assert_eq!(
            structural(&new),
            [
                StructuralChange::QuestionRemoved { question: qid("comment") },
                StructuralChange::QuestionAdded { question: qid("extra") }
            ]
        );
        let new = changed(|qs| qs.swap(7, 8));
        assert_eq!(structural(&new), [StructuralChange::QuestionsReordered]);
    }

    #[test]
    fn structure_is_locked_once_there_are_responses() {
        let new = changed(|qs| qs[4].kind = QuestionKind::Number { min: Some(16), max: Some(120) });
        assert!(matches!(check_change(&fixture(), &new, 0), Ok(DefinitionChange::Structural { .. })));
        assert_eq!(
            check_change(&fixture(), &new, 3),
            Err(SurveyChangeError::StructureLocked {
                responses: 3,
                changes: vec![StructuralChange::LimitsChanged { question: qid("age") }]
            })
        );
    }

    #[test]
    fn an_anonymous_survey_refuses_the_replace_policy() {
        assert_eq!(ResponseSettings::new(ResponsePolicy::OnePerResidentReplace, true), Err(AnonymousCannotReplace));
        let json = r#"{"policy":"one_per_resident_replace","anonymous":true}"#;
        assert!(serde_json::from_str::<ResponseSettings>(json).is_err());
        let ok = ResponseSettings::new(ResponsePolicy::OnePerResidentRefuse, true).unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), r#"{"policy":"one_per_resident_refuse","anonymous":true}"#);
        assert_eq!(ResponsePolicy::parse("one_per_resident_replace"), Some(ResponsePolicy::OnePerResidentReplace));
        assert_eq!(ResponsePolicy::parse("many"), None);
    }

    #[test]
    fn a_second_response_is_replaced_or_refused_by_policy() {
        let replace = ResponseSettings::new(ResponsePolicy::OnePerResidentReplace, false).unwrap();
        let refuse = ResponseSettings::new(ResponsePolicy::OnePerResidentRefuse, false).unwrap();
        assert_eq!(replace.on_submit(false), Ok(Submission::Store));
        assert_eq!(replace.on_submit(true), Ok(Submission::Replace));
        assert_eq!(refuse.on_submit(false), Ok(Submission::Store));
        assert_eq!(refuse.on_submit(true), Err(AlreadyResponded));
    }

    #[test]
    fn an_anonymous_response_carries_no_link_and_no_time_of_day() {
        let now: chrono::DateTime<chrono::Utc> = "2026-03-14T15:09:26.535Z".parse().unwrap();
        let survey = crate::ids::SurveyId::new_v7();
        let r = SurveyResponse::anonymous(survey, ValidAnswers::default(), now);
        assert_eq!(r.respondent, None);
        assert_eq!(r.id.get_version_num(), 4, "a random id, not a time-ordered one");
        assert_eq!(r.submitted_at.to_rfc3339(), "2026-03-14T00:00:00+00:00");
        let user = crate::ids::UserId::new_v7();
        let named = SurveyResponse::identified(survey, user, ValidAnswers::default(), now);
        assert_eq!((named.respondent, named.submitted_at, named.id.get_version_num()), (Some(user), now, 7));
    }
}
