//! Writing the organisation's public log of staff changes: one helper every module uses, in the
//! caller's unit of work, so a change and its entry are committed together or not at all.
//!
//! An entry says who (the staff actor, shown by role), what (`module.thing_verb` and the
//! resource), when, and `details.changes`: for exactly the public fields that changed,
//! `{ field: { "from": before, "to": after } }` (a create has only `to`, a delete only `from`).
//! Residents are never named: fields that identify a person, and bookkeeping fields, are left out
//! of the comparison whatever the caller passes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::ids::{OrgId, UserId};
use crate::org::{AuditEntry, OrgRepo};
use crate::repo::RepoResult;

/// Fields never compared nor logged: who a person is (residents are never named; the staff
/// actor is the entry's actor), and bookkeeping that changes with every write.
const NEVER_LOGGED: &[&str] = &[
    "id",
    "org_id",
    "author_id",
    "author",
    "user_id",
    "created_by",
    "updated_by",
    "submitted_by",
    "reviewed_by",
    "answered_by",
    "decided_by",
    "owner_id",
    "resident_id",
    "email",
    "display_name",
    "author_name",
    "created_at",
    "updated_at",
    "version",
];

/// One entry of the public log being put together; [`Audit::record`] writes it.
#[derive(Debug, Clone)]
#[must_use]
pub struct Audit {
    entry: AuditEntry,
    changes: Map<String, Value>,
}

impl Audit {
    /// An entry about `resource` (its type and id), by `actor`, at `now`.
    pub fn new(
        org_id: impl Into<Option<OrgId>>,
        actor: UserId,
        action: &str,
        (resource_type, resource_id): (&str, impl Into<Uuid>),
        now: DateTime<Utc>,
    ) -> Self {
        Audit {
            entry: AuditEntry {
                id: Uuid::now_v7(),
                org_id: org_id.into(),
                actor_id: Some(actor),
                action: action.to_owned(),
                resource_type: resource_type.to_owned(),
                resource_id: resource_id.into().to_string(),
                details: Value::Object(Map::new()),
                created_at: now,
            },
            changes: Map::new(),
        }
    }

    /// The fields of something created: each with only its `to`.
    pub fn created(self, after: &impl Serialize) -> Self {
        self.diff(None, Some(&public(after)))
    }

    /// The fields that differ between `before` and `after`, each `from` → `to`.
    pub fn updated(self, before: &impl Serialize, after: &impl Serialize) -> Self {
        self.diff(Some(&public(before)), Some(&public(after)))
    }

    /// The fields of something deleted: each with only its `from`.
    pub fn deleted(self, before: &impl Serialize) -> Self {
        self.diff(Some(&public(before)), None)
    }

    /// One field's change, stated by the caller (e.g. a status the record does not hold).
    pub fn change(mut self, field: &str, from: impl Serialize, to: impl Serialize) -> Self {
        let (from, to) = (to_value(&from), to_value(&to));
        if from != to && !NEVER_LOGGED.contains(&field) {
            self.changes.insert(field.to_owned(), json!({ "from": from, "to": to }));
        }
        self
    }

    /// Extra context beside the changes (e.g. a slug or a reason); a key that would name a
    /// person is dropped.
    pub fn context(mut self, key: &str, value: impl Serialize) -> Self {
        if !NEVER_LOGGED.contains(&key)
            && key != "changes"
            && let Value::Object(details) = &mut self.entry.details
        {
            details.insert(key.to_owned(), to_value(&value));
        }
        self
    }

    /// Every key of `extra` (an object) as context: see [`Audit::context`].
    pub fn extra(mut self, extra: Value) -> Self {
        if let Value::Object(m) = extra {
            for (k, v) in m {
                self = self.context(&k, v);
            }
        }
        self
    }

    fn diff(mut self, before: Option<&Map<String, Value>>, after: Option<&Map<String, Value>>) -> Self {
        self.changes.extend(changes(before, after));
        self
    }

    /// The entry as it will be stored.
    #[must_use]
    pub fn into_entry(mut self) -> AuditEntry {
        if let Value::Object(details) = &mut self.entry.details {
            details.insert("changes".to_owned(), Value::Object(self.changes));
        }
        self.entry
    }

    /// Writes the entry through `repo`: pass the unit of work the change is written in.
    ///
    /// # Errors
    /// The database failed.
    pub async fn record<R: OrgRepo + ?Sized>(self, repo: &R) -> RepoResult<()> {
        repo.record_audit(&self.into_entry()).await
    }
}

fn to_value(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The loggable fields of `v`: its serde object less [`NEVER_LOGGED`]; a value that is not an
/// object is the single field `value`.
fn public(v: &impl Serialize) -> Map<String, Value> {
    match to_value(v) {
        Value::Object(mut m) => {
            m.retain(|k, _| !NEVER_LOGGED.contains(&k.as_str()));
            m
        }
        other => Map::from_iter([("value".to_owned(), other)]),
    }
}

/// `{ field: { "from", "to" } }` for exactly the fields that differ; a side that is absent
/// contributes no key (a create has only `to`, a delete only `from`). A field missing on one
/// side of an update is `null` there.
#[must_use]
pub fn changes(before: Option<&Map<String, Value>>, after: Option<&Map<String, Value>>) -> Map<String, Value> {
    let mut out = Map::new();
    match (before, after) {
        (None, Some(a)) => {
            for (k, v) in a {
                if !v.is_null() {
                    out.insert(k.clone(), json!({ "to": v }));
                }
            }
        }
        (Some(b), None) => {
            for (k, v) in b {
                if !v.is_null() {
                    out.insert(k.clone(), json!({ "from": v }));
                }
            }
        }
        (Some(b), Some(a)) => {
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for k in keys {
                let (from, to) = (b.get(k).unwrap_or(&Value::Null), a.get(k).unwrap_or(&Value::Null));
                if from != to {
                    out.insert(k.clone(), json!({ "from": from, "to": to }));
                }
            }
        }
        (None, None) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(a: Audit) -> Value {
        a.into_entry().details
    }

    fn new() -> Audit {
        Audit::new(OrgId::new_v7(), UserId::new_v7(), "thing.updated", ("thing", Uuid::nil()), crate::now())
    }

    #[test]
    fn an_update_lists_exactly_the_changed_fields() {
        let before = json!({"title": {"en": "A"}, "status": "draft", "budget": 10, "updated_at": "x"});
        let after = json!({"title": {"en": "B"}, "status": "draft", "budget": 10, "updated_at": "y"});
        assert_eq!(
            entry(new().updated(&before, &after)),
            json!({"changes": {"title": {"from": {"en": "A"}, "to": {"en": "B"}}}})
        );
    }

    #[test]
    fn a_create_has_only_to_and_a_delete_only_from() {
        let v = json!({"title": "A", "note": null});
        assert_eq!(entry(new().created(&v)), json!({"changes": {"title": {"to": "A"}}}));
        assert_eq!(entry(new().deleted(&v)), json!({"changes": {"title": {"from": "A"}}}));
    }

    #[test]
    fn people_are_never_logged() {
        let before = json!({"author_id": "u1", "email": "a@b", "text": "x"});
        let after = json!({"author_id": "u2", "email": "c@d", "text": "y"});
        let d = entry(new().updated(&before, &after).context("user_id", "u").context("reason", "r"));
        assert_eq!(d, json!({"reason": "r", "changes": {"text": {"from": "x", "to": "y"}}}));
    }

    #[test]
    fn a_stated_change_is_kept_only_when_it_differs() {
        let d = entry(new().change("status", "open", "closed").change("phase", "a", "a"));
        assert_eq!(d, json!({"changes": {"status": {"from": "open", "to": "closed"}}}));
    }
}
