//! The shared append-only history, through its repository on both databases.

use pnyx_domain::history::{EntryKind, Evidence, HistoryEntry, HistoryRepo, SubjectKind};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::OrgId;
use pnyx_domain::org::OrgRepo;
use pnyx_domain::repo::PageRequest;
use uuid::Uuid;

use crate::on_both_databases;

fn entry(
    org_id: OrgId,
    subject: SubjectKind,
    subject_id: Uuid,
    parent: Option<Uuid>,
    entry: EntryKind,
) -> HistoryEntry {
    HistoryEntry {
        id: Uuid::now_v7(),
        org_id,
        subject,
        subject_id,
        parent_id: parent,
        entry,
        occurred_on: "2022-03-01".parse().unwrap(),
        author_id: None,
        created_at: pnyx_domain::now(),
    }
}

on_both_databases! {
    async fn a_history_lists_its_own_and_its_childrens_entries_in_order(app) {
        app.create_org("banska-bystrica").await;
        let org = app.db.org_by_slug("banska-bystrica").await.unwrap().unwrap();
        let (commitment, milestone, unrelated) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let update = EntryKind::Update {
            text: LocalizedText::from([(Locale::Sk, "Spustili sme register")]),
            evidence: vec![Evidence { url: "https://www.banskabystrica.sk".into(), title: Some("Register".into()) }],
            amount_spent: Some(120_000),
        };
        let change = EntryKind::StatusChange { from: Some("not_started".into()), to: "in_progress".into(), reason: None };
        app.db.append_history(&entry(org.id, SubjectKind::Commitment, commitment, None, update.clone())).await.unwrap();
        app.db.append_history(&entry(org.id, SubjectKind::Milestone, milestone, Some(commitment), change.clone())).await.unwrap();
        app.db.append_history(&entry(org.id, SubjectKind::Commitment, unrelated, None, change.clone())).await.unwrap();

        let page = app.db.history(commitment, PageRequest { limit: 10, after: None }).await.unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(page.items[0].entry, update);
        assert_eq!(page.items[1].entry, change);
        assert_eq!(page.items[1].subject, SubjectKind::Milestone);
        let only_milestone = app.db.history(milestone, PageRequest { limit: 10, after: None }).await.unwrap();
        assert_eq!(only_milestone.total, 1);
    }
}
