//! The programme use cases: platform admins create programmes and invite organisations; an
//! organisation's admin accepts or declines; anyone reads the programmes and the programme page.
//! Each decides authorization first and reads the time from the clock; each write is one unit of
//! work with its line in the audit log.

use crate::audit::Audit;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::rules::{BudgetSummary, PlansSummary, ReportsSummary, budget_summary, plans_summary, reports_summary};
use super::{Member, MemberStatus, Programme, ProgrammeError};
use crate::auth::{Action, AuthzError, Caller, Role};
use crate::clock::Clock;
use crate::i18n::{Locale, LocalizedText};
use crate::ids::{CommitmentId, OrgId, ProgrammeId, UserId};
use crate::org::{Organisation, Slug};
use crate::repo::{Page, PageRequest, RepoError, Store};

const NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 5000;

/// A new programme. Its name needs an English text (the platform's common language); any
/// supported locale may be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramme {
    pub slug: String,
    pub name: LocalizedText,
    pub description: LocalizedText,
}

/// A member with its organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberView {
    pub org: Organisation,
    pub member: Member,
}

/// A programme with the members the caller may see: joined ones, or every one for platform
/// admins.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeDetail {
    pub programme: Programme,
    pub members: Vec<MemberView>,
}

/// One joined member on the programme page.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberOverview {
    pub org: Organisation,
    pub joined_at: Option<DateTime<Utc>>,
    pub plans: PlansSummary,
    pub reports: ReportsSummary,
    /// `None`: no budget year published.
    pub budget: Option<BudgetSummary>,
}

/// The programme page: its joined members side by side, in the order they were invited.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeOverview {
    pub programme: Programme,
    pub members: Vec<MemberOverview>,
}

/// The programme use cases.
pub struct ProgrammeService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

fn invalid(field: impl Into<String>, message: impl ToString) -> ProgrammeError {
    ProgrammeError::Invalid { field: field.into(), message: message.to_string() }
}

fn check_text(field: &str, t: LocalizedText, max: usize, required: bool) -> Result<LocalizedText, ProgrammeError> {
    if !required && t.is_empty() {
        return Ok(t);
    }
    t.validate(Locale::En, &Locale::ALL, max).map_err(|e| invalid(format!("{field}.en"), e))?;
    Ok(t)
}

/// Platform admins only.
fn platform_admin(caller: &Caller) -> Result<UserId, ProgrammeError> {
    let p = caller.authorize(OrgId::from_uuid(Uuid::nil()), Action::CreateOrganisation)?;
    Ok(p.user_id)
}

impl ProgrammeService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ProgrammeService { store, clock }
    }

    async fn load(&self, slug: &str) -> Result<Programme, ProgrammeError> {
        self.store.programme_by_slug(slug).await?.ok_or(ProgrammeError::NotFound("programme"))
    }

    async fn with_orgs(&self, members: Vec<Member>) -> Result<Vec<MemberView>, ProgrammeError> {
        let ids: Vec<OrgId> = members.iter().map(|m| m.org_id).collect();
        let mut orgs: HashMap<OrgId, Organisation> =
            self.store.orgs_by_ids(&ids).await?.into_iter().map(|o| (o.id, o)).collect();
        Ok(members
            .into_iter()
            .filter_map(|m| orgs.remove(&m.org_id).map(|org| MemberView { org, member: m }))
            .collect())
    }

    /// Creates a programme.
    ///
    /// # Errors
    /// Forbidden unless a platform admin; an invalid slug, name or description; the slug taken.
    #[tracing::instrument(skip_all)]
    pub async fn create(&self, caller: &Caller, n: NewProgramme) -> Result<Programme, ProgrammeError> {
        let actor = platform_admin(caller)?;
        let slug: Slug = n.slug.parse().map_err(|e: crate::org::InvalidSlug| invalid("slug", e))?;
        let name = check_text("name", n.name, NAME_MAX, true)?;
        let description = check_text("description", n.description, DESCRIPTION_MAX, false)?;
        let now = self.clock.now();
        let p = Programme {
            id: ProgrammeId::new_v7(),
            slug,
            name,
            description,
            created_by: Some(actor),
            created_at: now,
            updated_at: now,
        };
        let tx = self.store.begin().await?;
        tx.create_programme(&p).await.map_err(|e| match e {
            RepoError::Conflict { .. } => ProgrammeError::SlugTaken,
            other => other.into(),
        })?;
        Audit::new(None, actor, "programme.created", ("programme", p.id), now)
            .extra(serde_json::json!({"slug": p.slug}))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// A page of the programmes with how many organisations joined each, oldest first; public.
    ///
    /// # Errors
    /// The database failed.
    pub async fn list(&self, page: PageRequest) -> Result<Page<(Programme, u64)>, ProgrammeError> {
        let counts: HashMap<ProgrammeId, u64> = self.store.joined_counts().await?.into_iter().collect();
        let all = self.store.programmes().await?;
        Ok(Page::of_list(all, page, |p| p.id).map(|p| {
            let n = counts.get(&p.id).copied().unwrap_or(0);
            (p, n)
        }))
    }

    /// A programme with its joined members; platform admins also see the invited and declined.
    ///
    /// # Errors
    /// Not found.
    pub async fn get(&self, caller: &Caller, slug: &str) -> Result<ProgrammeDetail, ProgrammeError> {
        let programme = self.load(slug).await?;
        let all = platform_admin(caller).is_ok();
        let members: Vec<Member> = self
            .store
            .programme_members(programme.id)
            .await?
            .into_iter()
            .filter(|m| all || m.status == MemberStatus::Joined)
            .collect();
        Ok(ProgrammeDetail { programme, members: self.with_orgs(members).await? })
    }

    /// Invites an organisation (by its slug) to join; a declined one may be invited again.
    ///
    /// # Errors
    /// Forbidden unless a platform admin; no such programme; no such organisation (422 on `org`);
    /// already invited or joined.
    #[tracing::instrument(skip_all, fields(programme = slug))]
    pub async fn invite(&self, caller: &Caller, slug: &str, org_slug: &str) -> Result<MemberView, ProgrammeError> {
        let actor = platform_admin(caller)?;
        let programme = self.load(slug).await?;
        let org = self.store.org_by_slug(org_slug).await?.ok_or_else(|| invalid("org", "is not an organisation"))?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let member = match tx.programme_member(programme.id, org.id).await? {
            Some(m) if m.status == MemberStatus::Declined => {
                let again = Member {
                    status: MemberStatus::Invited,
                    invited_by: Some(actor),
                    invited_at: now,
                    decided_by: None,
                    decided_at: None,
                    ..m
                };
                if !tx.update_programme_member(&again, MemberStatus::Declined).await? {
                    return Err(ProgrammeError::AlreadyMember("invited"));
                }
                again
            }
            Some(m) => return Err(ProgrammeError::AlreadyMember(m.status.as_str())),
            None => {
                let m = Member {
                    programme_id: programme.id,
                    org_id: org.id,
                    status: MemberStatus::Invited,
                    invited_by: Some(actor),
                    invited_at: now,
                    decided_by: None,
                    decided_at: None,
                };
                tx.add_programme_member(&m).await.map_err(|e| match e {
                    RepoError::Conflict { .. } => ProgrammeError::AlreadyMember("invited"),
                    other => other.into(),
                })?;
                m
            }
        };
        let details = serde_json::json!({"programme": programme.slug});
        Audit::new(Some(org.id), actor, "programme.invited", ("programme", programme.id), now)
            .extra(details)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(MemberView { org, member })
    }

    /// The organisation's admin accepts (`join`) or declines the invitation. Only the
    /// organisation's own admins decide: a platform admin without that role is refused.
    ///
    /// # Errors
    /// Forbidden; no such programme, or no invitation of this organisation; decided already (409).
    #[tracing::instrument(skip_all, fields(org = %org.id, programme = slug))]
    pub async fn decide(
        &self,
        caller: &Caller,
        org: &Organisation,
        slug: &str,
        join: bool,
    ) -> Result<MemberView, ProgrammeError> {
        let p = caller.authorize(org.id, Action::ManageMembers)?;
        if !p.has_role(org.id, Role::Admin) {
            return Err(AuthzError::Forbidden.into());
        }
        let actor = p.user_id;
        let programme = self.load(slug).await?;
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let m = tx.programme_member(programme.id, org.id).await?.ok_or(ProgrammeError::NotFound("invitation"))?;
        if m.status != MemberStatus::Invited {
            return Err(ProgrammeError::AlreadyDecided(m.status.as_str()));
        }
        let decided = Member {
            status: if join { MemberStatus::Joined } else { MemberStatus::Declined },
            decided_by: Some(actor),
            decided_at: Some(now),
            ..m
        };
        if !tx.update_programme_member(&decided, MemberStatus::Invited).await? {
            return Err(ProgrammeError::AlreadyDecided("decided on"));
        }
        let action = if join { "programme.joined" } else { "programme.declined" };
        Audit::new(Some(org.id), actor, action, ("programme", programme.id), now)
            .extra(serde_json::json!({"programme": programme.slug}))
            .record(&*tx)
            .await?;
        tx.commit().await?;
        Ok(MemberView { org: org.clone(), member: decided })
    }

    /// The organisation's places in programmes (invitations included), for its staff.
    ///
    /// # Errors
    /// Forbidden unless staff of the organisation.
    pub async fn of_org(
        &self,
        caller: &Caller,
        org: &Organisation,
    ) -> Result<Vec<(Programme, Member)>, ProgrammeError> {
        caller.authorize(org.id, Action::SeeStaffView)?;
        Ok(self.store.programmes_of_org(org.id).await?)
    }

    /// The programme page: every joined member's figures (see [`super::rules`]), read with a fixed
    /// number of queries whatever the number of members; public.
    ///
    /// # Errors
    /// Not found.
    #[tracing::instrument(skip_all, fields(programme = slug))]
    pub async fn overview(&self, slug: &str) -> Result<ProgrammeOverview, ProgrammeError> {
        let programme = self.load(slug).await?;
        let joined: Vec<Member> = self
            .store
            .programme_members(programme.id)
            .await?
            .into_iter()
            .filter(|m| m.status == MemberStatus::Joined)
            .collect();
        let members = self.with_orgs(joined).await?;
        let ids: Vec<OrgId> = members.iter().map(|m| m.org.id).collect();
        let commitments = self.store.member_commitments(&ids).await?;
        let commitment_ids: Vec<CommitmentId> = commitments.iter().map(|c| c.commitment_id).collect();
        let milestones = self.store.milestones(&commitment_ids).await?;
        let timings = self.store.member_report_timings(&ids).await?;
        let lines = self.store.member_latest_budget_lines(&ids).await?;
        let now = self.clock.now();
        let members = members
            .into_iter()
            .map(|MemberView { org, member }| {
                let today = now.with_timezone(&org.time_zone.tz()).date_naive();
                let cs: Vec<_> = commitments.iter().filter(|c| c.org_id == org.id).copied().collect();
                let ts: Vec<_> = timings.iter().filter(|t| t.org_id == org.id).copied().collect();
                let ls: Vec<_> = lines.iter().filter(|l| l.org_id == org.id).copied().collect();
                MemberOverview {
                    plans: plans_summary(&cs, &milestones, today),
                    reports: reports_summary(&ts),
                    budget: budget_summary(&ls),
                    joined_at: member.decided_at,
                    org,
                }
            })
            .collect();
        Ok(ProgrammeOverview { programme, members })
    }
}
