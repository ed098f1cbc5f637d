//! `ConsultationRepo` on sea-orm.

use chrono::{DateTime, Utc};
use pnyx_domain::consultations::{
    Author, Consultation, ConsultationFilter, ConsultationOrder, ConsultationRepo, Opinion, Period, Report, Status,
    Subject,
};
use pnyx_domain::ids::{ConsultationId, OrgId, SurveyId, UserId};
use pnyx_domain::repo::{Page, PageRequest, RepoError, RepoResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::codec::{bad, from_json, json};
use crate::counted::{COUNTS, Counted, visible_comments};
use crate::entities::{consultations, opinions};
use crate::search;
use crate::{Conn, Db, map_db_err};
use pnyx_domain::comments::TargetKind;
use pnyx_domain::search::{Document, Kind};

/// The visible comments on the consultation of the outer query's row.
fn comments() -> sea_orm::sea_query::Expr {
    visible_comments(TargetKind::Consultation, (consultations::Entity, consultations::Column::Id))
}

fn counted_from(r: Counted<consultations::Model, 1>) -> RepoResult<(Consultation, u64)> {
    Ok((from_model(r.model)?, r.counts[0]))
}

pub(crate) fn from_model(m: consultations::Model) -> RepoResult<Consultation> {
    let report = match (m.report_text, m.report_published_at) {
        (Some(text), Some(published_at)) => Some(Report { text: from_json("report", text)?, published_at }),
        _ => None,
    };
    Ok(Consultation {
        id: m.id.into(),
        org_id: m.org_id.into(),
        title: from_json("title", m.title)?,
        summary: from_json("summary", m.summary)?,
        body: from_json("body", m.body)?,
        subject: Subject::parse(&m.subject).ok_or_else(|| bad("subject", &m.subject))?,
        documents: from_json("documents", m.documents)?,
        sections: from_json("sections", m.sections)?,
        period: Period::new(m.opens_at, m.closes_at).map_err(|e| bad("period", e))?,
        allow_anonymous: m.allow_anonymous,
        opinions_public: m.opinions_public,
        survey_id: m.survey_id.map(SurveyId::from),
        about: m.about_type.zip(m.about_id),
        report,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_model(c: &Consultation) -> RepoResult<consultations::ActiveModel> {
    Ok(consultations::ActiveModel {
        id: Set(c.id.into()),
        org_id: Set(c.org_id.into()),
        title: Set(json(&c.title)?),
        summary: Set(json(&c.summary)?),
        body: Set(json(&c.body)?),
        subject: Set(c.subject.as_str().to_owned()),
        documents: Set(json(&c.documents)?),
        sections: Set(json(&c.sections)?),
        opens_at: Set(c.period.opens_at()),
        closes_at: Set(c.period.closes_at()),
        allow_anonymous: Set(c.allow_anonymous),
        opinions_public: Set(c.opinions_public),
        survey_id: Set(c.survey_id.map(Into::into)),
        about_type: Set(c.about.as_ref().map(|(t, _)| t.clone())),
        about_id: Set(c.about.as_ref().map(|(_, id)| *id)),
        report_text: Set(c.report.as_ref().map(|r| json(&r.text)).transpose()?),
        report_published_at: Set(c.report.as_ref().map(|r| r.published_at)),
        // Written only by `announce_opening`.
        opening_announced_at: sea_orm::ActiveValue::NotSet,
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    })
}

fn opinion_from(m: opinions::Model) -> Opinion {
    let author = match (m.user_id, m.email) {
        (Some(id), _) => Author::User { id: id.into(), display_name: m.author_name.unwrap_or_default() },
        (None, email) => Author::Anonymous { email: email.unwrap_or_default() },
    };
    Opinion {
        id: m.id,
        consultation_id: m.consultation_id.into(),
        author,
        section: m.section,
        text: m.text,
        answer: m.answer,
        answered_at: m.answered_at,
        hidden: m.hidden,
        created_at: m.created_at,
    }
}

fn opinion_model(o: &Opinion) -> opinions::ActiveModel {
    let (user_id, author_name, email) = match &o.author {
        Author::User { id, display_name } => (Some(*id), Some(display_name.clone()), None),
        Author::Anonymous { email } => (None, None, Some(email.clone())),
    };
    opinions::ActiveModel {
        id: Set(o.id),
        consultation_id: Set(o.consultation_id.into()),
        user_id: Set(user_id.map(Into::into)),
        author_name: Set(author_name),
        email: Set(email),
        section: Set(o.section.clone()),
        text: Set(o.text.clone()),
        answer: Set(o.answer.clone()),
        answered_at: Set(o.answered_at),
        hidden: Set(o.hidden),
        created_at: Set(o.created_at),
        updated_at: Set(o.answered_at.unwrap_or(o.created_at)),
    }
}

#[async_trait::async_trait]
impl<C: Conn> ConsultationRepo for Db<C> {
    async fn create_consultation(&self, c: &Consultation) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        consultations::Entity::insert(to_model(c)?).exec(&tx).await.map_err(map_db_err)?;
        search::put(&tx, Kind::Consultation, c.id.into(), Some(&Document::consultation(c))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn update_consultation(&self, c: &Consultation, expected: DateTime<Utc>) -> RepoResult<()> {
        let tx = self.conn.begin().await.map_err(map_db_err)?;
        let res = consultations::Entity::update_many()
            .set(to_model(c)?)
            .filter(consultations::Column::Id.eq(Uuid::from(c.id)))
            .filter(consultations::Column::UpdatedAt.eq(expected))
            .exec(&tx)
            .await
            .map_err(map_db_err)?;
        if res.rows_affected != 1 {
            return Err(RepoError::Conflict { field: "updated_at".into(), message: "changed meanwhile".into() });
        }
        search::put(&tx, Kind::Consultation, c.id.into(), Some(&Document::consultation(c))).await?;
        tx.commit().await.map_err(map_db_err)
    }

    async fn consultation(&self, org_id: OrgId, id: ConsultationId) -> RepoResult<Option<Consultation>> {
        consultations::Entity::find_by_id(id)
            .filter(consultations::Column::OrgId.eq(Uuid::from(org_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(from_model)
            .transpose()
    }

    async fn consultation_counted(&self, org_id: OrgId, id: ConsultationId) -> RepoResult<Option<(Consultation, u64)>> {
        let row: Option<Counted<consultations::Model, 1>> = consultations::Entity::find_by_id(id)
            .filter(consultations::Column::OrgId.eq(Uuid::from(org_id)))
            .column_as(comments(), COUNTS[0])
            .into_model()
            .one(&self.conn)
            .await
            .map_err(map_db_err)?;
        row.map(counted_from).transpose()
    }

    async fn consultations(
        &self,
        org_id: OrgId,
        filter: &ConsultationFilter,
        now: DateTime<Utc>,
        page: PageRequest,
    ) -> RepoResult<Page<(Consultation, u64)>> {
        use consultations::Column as C;
        let mut cond = sea_orm::Condition::all().add(C::OrgId.eq(Uuid::from(org_id)));
        if let Some(subject) = filter.subject {
            cond = cond.add(C::Subject.eq(subject.as_str()));
        }
        cond = match filter.status {
            None => cond,
            Some(Status::Planned) => cond.add(C::ReportPublishedAt.is_null()).add(C::OpensAt.gt(now)),
            Some(Status::Open) => {
                cond.add(C::ReportPublishedAt.is_null()).add(C::OpensAt.lte(now)).add(C::ClosesAt.gt(now))
            }
            Some(Status::Closed) => cond.add(C::ReportPublishedAt.is_null()).add(C::ClosesAt.lte(now)),
            Some(Status::ReportPublished) => cond.add(C::ReportPublishedAt.is_not_null()),
        };
        if let Some(only) = &filter.only {
            cond = cond.add(C::Id.is_in(only.iter().copied()));
        }
        if filter.order == ConsultationOrder::Created {
            let (rows, total) =
                crate::counted::page_by_id::<consultations::Entity, Counted<consultations::Model, 1>, _>(
                    &self.conn,
                    cond,
                    C::Id,
                    page.after,
                    page.limit,
                    vec![(comments(), COUNTS[0])],
                )
                .await
                .map_err(map_db_err)?;
            let items = rows.into_iter().map(counted_from).collect::<RepoResult<Vec<_>>>()?;
            return Ok(Page::from_overfetch(items, page.limit, total, |(c, _)| c.id));
        }
        // Another order pages in memory (an organisation has tens of consultations, not millions).
        let base = consultations::Entity::find().filter(cond);
        let base = match filter.order {
            ConsultationOrder::Newest => base.order_by_desc(C::Id),
            ConsultationOrder::ClosingSoonest => base.order_by_asc(C::ClosesAt).order_by_asc(C::Id),
            ConsultationOrder::ClosingLatest | ConsultationOrder::Created => {
                base.order_by_desc(C::ClosesAt).order_by_desc(C::Id)
            }
        };
        let rows: Vec<Counted<consultations::Model, 1>> =
            base.column_as(comments(), COUNTS[0]).into_model().all(&self.conn).await.map_err(map_db_err)?;
        let items = rows.into_iter().map(counted_from).collect::<RepoResult<Vec<_>>>()?;
        Ok(Page::of_list(items, page, |(c, _)| c.id))
    }

    async fn add_opinion(&self, o: &Opinion) -> RepoResult<()> {
        opinions::Entity::insert(opinion_model(o)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn opinion(&self, consultation_id: ConsultationId, id: Uuid) -> RepoResult<Option<Opinion>> {
        Ok(opinions::Entity::find_by_id(id)
            .filter(opinions::Column::ConsultationId.eq(Uuid::from(consultation_id)))
            .one(&self.conn)
            .await
            .map_err(map_db_err)?
            .map(opinion_from))
    }

    async fn update_opinion(&self, o: &Opinion) -> RepoResult<()> {
        opinions::Entity::update(opinion_model(o)).exec(&self.conn).await.map_err(map_db_err)?;
        Ok(())
    }

    async fn opinions(
        &self,
        consultation_id: ConsultationId,
        include_hidden: bool,
        page: PageRequest,
    ) -> RepoResult<Page<Opinion>> {
        let mut base =
            opinions::Entity::find().filter(opinions::Column::ConsultationId.eq(Uuid::from(consultation_id)));
        if !include_hidden {
            base = base.filter(opinions::Column::Hidden.eq(false));
        }
        let total = base.clone().count(&self.conn).await.map_err(map_db_err)?;
        let mut q = base.order_by_asc(opinions::Column::Id).limit(page.limit + 1);
        if let Some(after) = page.after {
            q = q.filter(opinions::Column::Id.gt(after));
        }
        let rows = q.all(&self.conn).await.map_err(map_db_err)?;
        Ok(Page::from_overfetch(rows.into_iter().map(opinion_from).collect(), page.limit, total, |o| o.id))
    }

    async fn opinion_authors(&self, consultation_id: ConsultationId) -> RepoResult<Vec<UserId>> {
        let rows: Vec<Option<Uuid>> = opinions::Entity::find()
            .select_only()
            .column(opinions::Column::UserId)
            .distinct()
            .filter(opinions::Column::ConsultationId.eq(Uuid::from(consultation_id)))
            .filter(opinions::Column::UserId.is_not_null())
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(rows.into_iter().flatten().map(UserId::from).collect())
    }

    async fn unannounced_openings(&self, now: DateTime<Utc>, limit: u64) -> RepoResult<Vec<Consultation>> {
        consultations::Entity::find()
            .filter(consultations::Column::OpeningAnnouncedAt.is_null())
            .filter(consultations::Column::OpensAt.lte(now))
            .filter(consultations::Column::ClosesAt.gt(now))
            .filter(consultations::Column::ReportPublishedAt.is_null())
            .order_by_asc(consultations::Column::OpensAt)
            .order_by_asc(consultations::Column::Id)
            .limit(limit)
            .all(&self.conn)
            .await
            .map_err(map_db_err)?
            .into_iter()
            .map(from_model)
            .collect()
    }

    async fn announce_opening(&self, id: ConsultationId, now: DateTime<Utc>) -> RepoResult<bool> {
        let res = consultations::Entity::update_many()
            .col_expr(consultations::Column::OpeningAnnouncedAt, sea_orm::sea_query::Expr::value(now))
            .filter(consultations::Column::Id.eq(Uuid::from(id)))
            .filter(consultations::Column::OpeningAnnouncedAt.is_null())
            .exec(&self.conn)
            .await
            .map_err(map_db_err)?;
        Ok(res.rows_affected == 1)
    }
}
