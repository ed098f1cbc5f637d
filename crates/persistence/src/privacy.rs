//! Personal data: the archive requests, the archive's contents (every row about an account),
//! erasing an account, and the organisations' retention settings.

use chrono::{DateTime, Utc};
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::privacy::{
    DataExport, Erasure, ExportStatus, FORMER_RESIDENT, PrivacyRepo, Retention, RetentionRun, months_before,
};
use pnyx_domain::repo::{RepoError, RepoResult};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Statement,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entities::{
    account_tokens, activity_co_owners, api_tokens, budget_proposals, budget_supports, budget_voters, comment_blocks,
    comments, commitment_co_owners, consultations, content_reports, files, follows, history_entries, idempotency_keys,
    invitations, mail_outbox, meeting_registrations, meetings, memberships, notification_digests,
    notification_preferences, notifications, opinions, personal_data_exports, refresh_tokens, report_supports, reports,
    residency_requests, retention_settings, search_documents, survey_participations, survey_responses, users,
};
use crate::error::map_db_err;
use crate::{Conn, Db, placeholder};

/// Columns never put in an archive: secrets, and the technical state of outgoing mail.
const LEFT_OUT: [&str; 6] = ["password_hash", "token_hash", "payload", "locked_by", "locked_until", "last_error"];

fn export_from(m: personal_data_exports::Model) -> RepoResult<DataExport> {
    Ok(DataExport {
        id: m.id,
        user_id: m.user_id.into(),
        status: ExportStatus::parse(&m.status)
            .ok_or_else(|| RepoError::Unavailable(format!("unknown export status {}", m.status)))?,
        requested_at: m.requested_at,
        ready_at: m.ready_at,
        expires_at: m.expires_at,
    })
}

fn months(v: Option<i32>) -> Option<u16> {
    v.and_then(|m| u16::try_from(m).ok())
}

/// `s` as a `LIKE` pattern matching it anywhere, its wildcards escaped with `\`.
fn contains_pattern(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl<C: Conn> Db<C> {
    async fn json_rows<E: EntityTrait>(&self, query: Select<E>) -> RepoResult<Vec<Value>> {
        let rows = query.into_json().all(&self.conn).await.map_err(map_db_err)?;
        Ok(rows
            .into_iter()
            .map(|mut row| {
                if let Value::Object(o) = &mut row {
                    for key in LEFT_OUT {
                        o.remove(key);
                    }
                }
                row
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl<C: Conn> PrivacyRepo for Db<C> {
    async fn insert_data_export(&self, e: &DataExport) -> RepoResult<()> {
        personal_data_exports::Entity::insert(personal_data_exports::ActiveModel {
            id: Set(e.id),
            user_id: Set(e.user_id.into()),
            status: Set(e.status.as_str().to_owned()),
            archive: Set(None),
            requested_at: Set(e.requested_at),
            ready_at: Set(e.ready_at),
            expires_at: Set(e.expires_at),
            created_at: Set(e.requested_at),
            updated_at: Set(e.requested_at),
        })
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn latest_data_export(&self, user: UserId) -> RepoResult<Option<DataExport>> {
        personal_data_exports::Entity::find()
            .filter(personal_data_exports::Column::UserId.eq(Uuid::from(user)))
            .order_by_desc(personal_data_exports::Column::Id)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(export_from)
            .transpose()
    }

    async fn data_export_archive(&self, user: UserId, now: DateTime<Utc>) -> RepoResult<Option<String>> {
        Ok(personal_data_exports::Entity::find()
            .filter(personal_data_exports::Column::UserId.eq(Uuid::from(user)))
            .filter(personal_data_exports::Column::Status.eq(ExportStatus::Ready.as_str()))
            .filter(personal_data_exports::Column::ExpiresAt.gt(now))
            .order_by_desc(personal_data_exports::Column::Id)
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .and_then(|m| m.archive))
    }

    async fn pending_data_exports(&self, limit: u64) -> RepoResult<Vec<DataExport>> {
        personal_data_exports::Entity::find()
            .filter(personal_data_exports::Column::Status.eq(ExportStatus::Pending.as_str()))
            .order_by_asc(personal_data_exports::Column::Id)
            .limit(limit)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(export_from)
            .collect()
    }

    async fn complete_data_export(
        &self,
        id: Uuid,
        archive: &str,
        ready_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> RepoResult<bool> {
        let res = personal_data_exports::Entity::update_many()
            .col_expr(personal_data_exports::Column::Status, Expr::value(ExportStatus::Ready.as_str()))
            .col_expr(personal_data_exports::Column::Archive, Expr::value(archive))
            .col_expr(personal_data_exports::Column::ReadyAt, Expr::value(ready_at))
            .col_expr(personal_data_exports::Column::ExpiresAt, Expr::value(expires_at))
            .col_expr(personal_data_exports::Column::UpdatedAt, Expr::value(ready_at))
            .filter(personal_data_exports::Column::Id.eq(id))
            .filter(personal_data_exports::Column::Status.eq(ExportStatus::Pending.as_str()))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected > 0)
    }

    async fn purge_data_exports(&self, now: DateTime<Utc>) -> RepoResult<u64> {
        let res = personal_data_exports::Entity::delete_many()
            .filter(personal_data_exports::Column::ExpiresAt.lte(now))
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected)
    }

    async fn personal_data(&self, user: UserId) -> RepoResult<Map<String, Value>> {
        let id = Uuid::from(user);
        let mut out = Map::new();
        macro_rules! rows {
            ($name:literal, $entity:ident, $col:expr) => {
                out.insert(
                    $name.to_owned(),
                    Value::Array(self.json_rows($entity::Entity::find().filter($col.eq(id))).await?),
                );
            };
        }
        rows!("account", users, users::Column::Id);
        rows!("memberships", memberships, memberships::Column::UserId);
        rows!("residency_requests", residency_requests, residency_requests::Column::UserId);
        rows!("sessions", refresh_tokens, refresh_tokens::Column::UserId);
        rows!("api_tokens", api_tokens, api_tokens::Column::UserId);
        rows!("account_emails", account_tokens, account_tokens::Column::UserId);
        rows!("notifications", notifications, notifications::Column::UserId);
        rows!("notification_preferences", notification_preferences, notification_preferences::Column::UserId);
        rows!("notification_digests", notification_digests, notification_digests::Column::UserId);
        rows!("follows", follows, follows::Column::UserId);
        rows!("opinions", opinions, opinions::Column::UserId);
        rows!("meeting_registrations", meeting_registrations, meeting_registrations::Column::UserId);
        rows!("meeting_activities_co_owned", activity_co_owners, activity_co_owners::Column::UserId);
        rows!("commitments_co_owned", commitment_co_owners, commitment_co_owners::Column::UserId);
        rows!("survey_participations", survey_participations, survey_participations::Column::UserId);
        rows!("survey_answers", survey_responses, survey_responses::Column::RespondentId);
        rows!("budget_proposals", budget_proposals, budget_proposals::Column::AuthorId);
        rows!("budget_supports", budget_supports, budget_supports::Column::UserId);
        rows!("budget_votes_cast", budget_voters, budget_voters::Column::UserId);
        rows!("comments", comments, comments::Column::AuthorId);
        rows!("comment_reports", content_reports, content_reports::Column::ReporterId);
        rows!("comment_blocks", comment_blocks, comment_blocks::Column::UserId);
        rows!("reports", reports, reports::Column::AuthorId);
        rows!("report_supports", report_supports, report_supports::Column::UserId);
        rows!("files_uploaded", files, files::Column::UploadedBy);
        rows!("invitations_accepted", invitations, invitations::Column::AcceptedBy);
        rows!("edits", history_entries, history_entries::Column::AuthorId);
        rows!("mail", mail_outbox, mail_outbox::Column::UserId);
        Ok(out)
    }

    async fn erase_account(&self, e: &Erasure) -> RepoResult<()> {
        let id = Uuid::from(e.user_id);
        let now = e.now;
        let db = &self.conn;
        let res = users::Entity::update_many()
            .col_expr(users::Column::Email, Expr::value(format!("erased-{id}@invalid")))
            .col_expr(users::Column::DisplayName, Expr::value(FORMER_RESIDENT))
            .col_expr(users::Column::PasswordHash, Expr::value("!"))
            .col_expr(users::Column::PlatformAdmin, Expr::value(false))
            .col_expr(users::Column::EmailVerifiedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(users::Column::ErasedAt, Expr::value(now))
            .col_expr(users::Column::UpdatedAt, Expr::value(now))
            .filter(users::Column::Id.eq(id))
            .filter(users::Column::ErasedAt.is_null())
            .exec(db)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected == 0 {
            return Err(RepoError::NotFound);
        }
        macro_rules! delete_where {
            ($entity:ident, $cond:expr) => {
                $entity::Entity::delete_many().filter($cond).exec(db).await.map_err(map_db_err)?;
            };
        }
        delete_where!(memberships, memberships::Column::UserId.eq(id));
        delete_where!(refresh_tokens, refresh_tokens::Column::UserId.eq(id));
        delete_where!(api_tokens, api_tokens::Column::UserId.eq(id));
        delete_where!(account_tokens, account_tokens::Column::UserId.eq(id));
        delete_where!(notifications, notifications::Column::UserId.eq(id));
        delete_where!(notification_preferences, notification_preferences::Column::UserId.eq(id));
        delete_where!(notification_digests, notification_digests::Column::UserId.eq(id));
        delete_where!(follows, follows::Column::UserId.eq(id));
        delete_where!(idempotency_keys, idempotency_keys::Column::UserId.eq(id));
        delete_where!(residency_requests, residency_requests::Column::UserId.eq(id));
        delete_where!(activity_co_owners, activity_co_owners::Column::UserId.eq(id));
        delete_where!(commitment_co_owners, commitment_co_owners::Column::UserId.eq(id));
        delete_where!(comment_blocks, comment_blocks::Column::UserId.eq(id));
        delete_where!(personal_data_exports, personal_data_exports::Column::UserId.eq(id));
        delete_where!(
            mail_outbox,
            Condition::any().add(mail_outbox::Column::UserId.eq(id)).add(mail_outbox::Column::Recipient.eq(&e.email))
        );
        delete_where!(
            invitations,
            Condition::any().add(invitations::Column::Email.eq(&e.email)).add(invitations::Column::AcceptedBy.eq(id))
        );
        invitations::Entity::update_many()
            .col_expr(invitations::Column::InvitedBy, Expr::value(Option::<Uuid>::None))
            .filter(invitations::Column::InvitedBy.eq(id))
            .exec(db)
            .await
            .map_err(map_db_err)?;
        // Failed-login counters are keyed by the e-mail.
        let backend = ConnectionTrait::get_database_backend(db);
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            format!("{} ESCAPE '\\'", placeholder(backend, "DELETE FROM rate_limits WHERE key LIKE ", 1)),
            [contains_pattern(&e.email).into()],
        ))
        .await
        .map_err(map_db_err)?;
        // What they published: their name goes; the content too if they asked.
        if e.remove_content {
            opinions::Entity::delete_many()
                .filter(Condition::any().add(opinions::Column::UserId.eq(id)).add(opinions::Column::Email.eq(&e.email)))
                .exec(db)
                .await
                .map_err(map_db_err)?;
            comments::Entity::update_many()
                .col_expr(comments::Column::Body, Expr::value(Option::<String>::None))
                .col_expr(comments::Column::State, Expr::value("deleted"))
                .col_expr(comments::Column::UpdatedAt, Expr::value(now))
                .filter(comments::Column::AuthorId.eq(id))
                .exec(db)
                .await
                .map_err(map_db_err)?;
            let gone: Vec<Uuid> = reports::Entity::find()
                .select_only()
                .column(reports::Column::Id)
                .filter(reports::Column::AuthorId.eq(id))
                .into_tuple()
                .all(db)
                .await
                .map_err(map_db_err)?;
            if !gone.is_empty() {
                search_documents::Entity::delete_many()
                    .filter(search_documents::Column::ResourceId.is_in(gone.clone()))
                    .exec(db)
                    .await
                    .map_err(map_db_err)?;
                reports::Entity::delete_many()
                    .filter(reports::Column::Id.is_in(gone))
                    .exec(db)
                    .await
                    .map_err(map_db_err)?;
            }
        } else {
            opinions::Entity::update_many()
                .col_expr(opinions::Column::AuthorName, Expr::value(FORMER_RESIDENT))
                .col_expr(opinions::Column::Email, Expr::value(Option::<String>::None))
                .col_expr(opinions::Column::UpdatedAt, Expr::value(now))
                .filter(Condition::any().add(opinions::Column::UserId.eq(id)).add(opinions::Column::Email.eq(&e.email)))
                .exec(db)
                .await
                .map_err(map_db_err)?;
        }
        comments::Entity::update_many()
            .col_expr(comments::Column::AuthorName, Expr::value(FORMER_RESIDENT))
            .filter(comments::Column::AuthorId.eq(id))
            .exec(db)
            .await
            .map_err(map_db_err)?;
        reports::Entity::update_many()
            .col_expr(reports::Column::AuthorName, Expr::value(FORMER_RESIDENT))
            .col_expr(reports::Column::ShowName, Expr::value(false))
            .filter(reports::Column::AuthorId.eq(id))
            .exec(db)
            .await
            .map_err(map_db_err)?;
        files::Entity::update_many()
            .col_expr(files::Column::UploadedBy, Expr::value(Option::<Uuid>::None))
            .filter(files::Column::UploadedBy.eq(id))
            .exec(db)
            .await
            .map_err(map_db_err)?;
        Ok(())
    }

    async fn retention(&self, org: OrgId) -> RepoResult<Retention> {
        Ok(retention_settings::Entity::find_by_id(Uuid::from(org))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(|m| Retention {
                registration_months: months(m.registration_months),
                report_contact_months: months(m.report_contact_months),
                opinion_contact_months: months(m.opinion_contact_months),
            })
            .unwrap_or_default())
    }

    async fn set_retention(&self, org: OrgId, r: Retention, now: DateTime<Utc>) -> RepoResult<()> {
        retention_settings::Entity::insert(retention_settings::ActiveModel {
            org_id: Set(org.into()),
            registration_months: Set(r.registration_months.map(i32::from)),
            report_contact_months: Set(r.report_contact_months.map(i32::from)),
            opinion_contact_months: Set(r.opinion_contact_months.map(i32::from)),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(retention_settings::Column::OrgId)
                .update_columns([
                    retention_settings::Column::RegistrationMonths,
                    retention_settings::Column::ReportContactMonths,
                    retention_settings::Column::OpinionContactMonths,
                    retention_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await
        .map_err(map_db_err)?;
        Ok(())
    }

    async fn apply_retention(&self, now: DateTime<Utc>) -> RepoResult<RetentionRun> {
        let db = &self.conn;
        let mut run = RetentionRun::default();
        let settings = retention_settings::Entity::find().all(db).await.map_err(map_db_err)?;
        for s in settings {
            if let Some(m) = months(s.registration_months) {
                let ended: Vec<Uuid> = meetings::Entity::find()
                    .select_only()
                    .column(meetings::Column::Id)
                    .filter(meetings::Column::OrgId.eq(s.org_id))
                    .filter(meetings::Column::EndsAt.lt(months_before(now, m)))
                    .into_tuple()
                    .all(db)
                    .await
                    .map_err(map_db_err)?;
                if !ended.is_empty() {
                    run.registrations += meeting_registrations::Entity::delete_many()
                        .filter(meeting_registrations::Column::MeetingId.is_in(ended))
                        .exec(db)
                        .await
                        .map_err(map_db_err)?
                        .rows_affected;
                }
            }
            if let Some(m) = months(s.report_contact_months) {
                let cutoff = months_before(now, m);
                run.report_contacts += reports::Entity::update_many()
                    .col_expr(reports::Column::AuthorName, Expr::value(""))
                    .col_expr(reports::Column::ShowName, Expr::value(false))
                    .filter(reports::Column::OrgId.eq(s.org_id))
                    .filter(reports::Column::AuthorName.ne(""))
                    .filter(
                        Condition::any().add(reports::Column::ResolvedAt.lt(cutoff)).add(
                            Condition::all()
                                .add(reports::Column::ResolvedAt.is_null())
                                .add(reports::Column::CreatedAt.lt(cutoff)),
                        ),
                    )
                    .exec(db)
                    .await
                    .map_err(map_db_err)?
                    .rows_affected;
            }
            if let Some(m) = months(s.opinion_contact_months) {
                let of_org: Vec<Uuid> = consultations::Entity::find()
                    .select_only()
                    .column(consultations::Column::Id)
                    .filter(consultations::Column::OrgId.eq(s.org_id))
                    .into_tuple()
                    .all(db)
                    .await
                    .map_err(map_db_err)?;
                if !of_org.is_empty() {
                    run.opinion_contacts += opinions::Entity::update_many()
                        .col_expr(opinions::Column::Email, Expr::value(Option::<String>::None))
                        .col_expr(opinions::Column::AuthorName, Expr::value(Option::<String>::None))
                        .filter(opinions::Column::ConsultationId.is_in(of_org))
                        .filter(opinions::Column::UserId.is_null())
                        .filter(opinions::Column::CreatedAt.lt(months_before(now, m)))
                        .filter(
                            Condition::any()
                                .add(opinions::Column::Email.is_not_null())
                                .add(opinions::Column::AuthorName.is_not_null()),
                        )
                        .exec(db)
                        .await
                        .map_err(map_db_err)?
                        .rows_affected;
                }
            }
        }
        Ok(run)
    }
}
