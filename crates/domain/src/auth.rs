//! Who may do what: per-organisation roles and the one authorization decision every service asks.
//!
//! Accounts are platform-wide; roles are held per organisation. Services call
//! [`Caller::authorize`] first thing, so that no handler can forget to.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use crate::ids::{OrgId, UserId};
use serde::{Deserialize, Serialize};

/// A staff role held in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Official,
    Moderator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Official, Role::Moderator];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Official => "official",
            Role::Moderator => "moderator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`; expected admin, official or moderator")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// What a user holds in one organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub roles: BTreeSet<Role>,
    /// Verified residency, needed where a budget vote demands it.
    pub verified: bool,
}

/// What a token lets its bearer do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Everything the user may do (a session token, or an API token that acts as the user).
    Act,
    /// Reads only, with the user's visibility.
    Read,
}

/// A signed-in user, as the services see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub platform_admin: bool,
    /// Memberships by organisation id.
    pub memberships: HashMap<OrgId, Membership>,
    pub scope: Scope,
    /// Whether the user confirmed their e-mail address: until then they cannot take part.
    pub email_verified: bool,
}

/// Whoever makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    User(Principal),
}

/// Everything that needs a decision. Each variant documents who may do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Platform admins only.
    CreateOrganisation,
    /// Platform admins, and the organisation's admins.
    EditOrganisation,
    /// The organisation's admins (and platform admins).
    ManageMembers,
    /// Admins and officials: create and edit content, see drafts.
    WriteContent,
    /// Admins and moderators: hide or restore residents' contributions.
    Moderate,
    /// Any staff role: see unpublished content and staff-only lists.
    SeeStaffView,
    /// Any signed-in user acting (not read-only): register, vote, comment, propose.
    Participate,
    /// A signed-in user whose residency the organisation verified.
    ParticipateVerified,
    /// Admins and officials: decide residents' requests to be verified.
    VerifyResidents,
}

/// What a caller may do in one organisation (see [`Caller::can_in`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgCan {
    /// Edit the organisation's settings.
    pub edit: bool,
    /// Grant and take roles and verified residency.
    pub manage_members: bool,
    /// Create and edit plans, meetings, consultations, surveys and budgets.
    pub write_content: bool,
    /// Hide residents' contributions and show them again.
    pub moderate: bool,
    /// See drafts and staff-only lists.
    pub see_staff_view: bool,
    /// Decide residents' requests to be verified.
    #[serde(default)]
    pub verify_residents: bool,
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthzError {
    #[error("sign in to do this")]
    Unauthenticated,
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Taking part needs a confirmed e-mail address.
    #[error("confirm your e-mail address first")]
    EmailNotVerified,
}

impl Principal {
    #[must_use]
    pub fn membership(&self, org: OrgId) -> Option<&Membership> {
        self.memberships.get(&org)
    }

    #[must_use]
    pub fn has_role(&self, org: OrgId, role: Role) -> bool {
        self.membership(org).is_some_and(|m| m.roles.contains(&role))
    }

    fn has_any_role(&self, org: OrgId, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(org, *r))
    }
}

impl Caller {
    #[must_use]
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Caller::Anonymous => None,
            Caller::User(p) => Some(p),
        }
    }

    #[must_use]
    pub fn user_id(&self) -> Option<UserId> {
        self.principal().map(|p| p.user_id)
    }

    /// Decides whether the caller may do `action` in the organisation `org`.
    ///
    /// # Errors
    /// [`AuthzError::Unauthenticated`] for an anonymous caller, [`AuthzError::Forbidden`] for a
    /// signed-in one without the power (including a read-only token asked to write).
    pub fn authorize(&self, org: OrgId, action: Action) -> Result<&Principal, AuthzError> {
        let p = self.principal().ok_or(AuthzError::Unauthenticated)?;
        if p.scope == Scope::Read && action != Action::SeeStaffView {
            return Err(AuthzError::Forbidden);
        }
        if matches!(action, Action::Participate | Action::ParticipateVerified) && !p.email_verified {
            return Err(AuthzError::EmailNotVerified);
        }
        let allowed = match action {
            Action::CreateOrganisation => p.platform_admin,
            Action::EditOrganisation | Action::ManageMembers => p.platform_admin || p.has_role(org, Role::Admin),
            Action::WriteContent | Action::VerifyResidents => p.has_any_role(org, &[Role::Admin, Role::Official]),
            Action::Moderate => p.has_any_role(org, &[Role::Admin, Role::Moderator]),
            Action::SeeStaffView => p.has_any_role(org, &Role::ALL),
            Action::Participate => true,
            Action::ParticipateVerified => p.membership(org).is_some_and(|m| m.verified),
        };
        if allowed { Ok(p) } else { Err(AuthzError::Forbidden) }
    }

    /// What the caller may do in the organisation `org`, each flag the decision
    /// [`Caller::authorize`] makes for the use cases behind it: what the web app shows.
    #[must_use]
    pub fn can_in(&self, org: OrgId) -> OrgCan {
        let ok = |a| self.authorize(org, a).is_ok();
        OrgCan {
            edit: ok(Action::EditOrganisation),
            manage_members: ok(Action::ManageMembers),
            write_content: ok(Action::WriteContent),
            moderate: ok(Action::Moderate),
            see_staff_view: ok(Action::SeeStaffView),
            verify_residents: ok(Action::VerifyResidents),
        }
    }

    /// Whether the caller may see staff-only content of `org` (drafts, staff lists).
    #[must_use]
    pub fn is_staff_of(&self, org: OrgId) -> bool {
        self.authorize(org, Action::SeeStaffView).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn org_no(n: u128) -> OrgId {
        OrgId::from(Uuid::from_u128(n))
    }

    fn user(org: OrgId, roles: &[Role], verified: bool) -> Caller {
        let mut memberships = HashMap::new();
        memberships.insert(org, Membership { roles: roles.iter().copied().collect(), verified });
        Caller::User(Principal {
            user_id: UserId::from(Uuid::nil()),
            platform_admin: false,
            memberships,
            scope: Scope::Act,
            email_verified: true,
        })
    }

    #[test]
    fn anonymous_callers_must_sign_in() {
        assert_eq!(Caller::Anonymous.authorize(org_no(0), Action::Participate), Err(AuthzError::Unauthenticated));
    }

    #[test]
    fn a_role_in_one_organisation_gives_no_power_in_another() {
        let (a, b) = (org_no(1), org_no(2));
        let admin_of_a = user(a, &[Role::Admin], false);
        assert!(admin_of_a.authorize(a, Action::ManageMembers).is_ok());
        assert_eq!(admin_of_a.authorize(b, Action::ManageMembers), Err(AuthzError::Forbidden));
        assert_eq!(admin_of_a.authorize(b, Action::WriteContent), Err(AuthzError::Forbidden));
        assert!(!admin_of_a.is_staff_of(b));
    }

    #[test]
    fn each_role_has_exactly_its_powers() {
        let org = org_no(7);
        let official = user(org, &[Role::Official], false);
        assert!(official.authorize(org, Action::WriteContent).is_ok());
        assert_eq!(official.authorize(org, Action::ManageMembers), Err(AuthzError::Forbidden));
        assert_eq!(official.authorize(org, Action::Moderate), Err(AuthzError::Forbidden));
        let moderator = user(org, &[Role::Moderator], false);
        assert!(moderator.authorize(org, Action::Moderate).is_ok());
        assert_eq!(moderator.authorize(org, Action::WriteContent), Err(AuthzError::Forbidden));
        let resident = user(org, &[], false);
        assert!(resident.authorize(org, Action::Participate).is_ok());
        assert_eq!(resident.authorize(org, Action::ParticipateVerified), Err(AuthzError::Forbidden));
        assert_eq!(resident.authorize(org, Action::CreateOrganisation), Err(AuthzError::Forbidden));
        assert!(user(org, &[], true).authorize(org, Action::ParticipateVerified).is_ok());
    }

    #[test]
    fn the_flags_in_an_organisation_are_the_decisions() {
        let org = org_no(11);
        let official = user(org, &[Role::Official], false).can_in(org);
        assert!(official.write_content && official.see_staff_view);
        assert!(!official.manage_members && !official.moderate && !official.edit);
        let moderator = user(org, &[Role::Moderator], false).can_in(org);
        assert!(moderator.moderate && !moderator.write_content);
        let admin = user(org, &[Role::Admin], false);
        assert_eq!(
            admin.can_in(org),
            OrgCan {
                edit: true,
                manage_members: true,
                write_content: true,
                moderate: true,
                see_staff_view: true,
                verify_residents: true
            }
        );
        assert_eq!(admin.can_in(org_no(12)), OrgCan::default(), "nothing in another organisation");
        assert_eq!(Caller::Anonymous.can_in(org), OrgCan::default());
    }

    #[test]
    fn a_read_only_token_cannot_act() {
        let org = org_no(3);
        let mut caller = user(org, &[Role::Admin], true);
        if let Caller::User(p) = &mut caller {
            p.scope = Scope::Read;
        }
        assert_eq!(caller.authorize(org, Action::Participate), Err(AuthzError::Forbidden));
        assert!(caller.authorize(org, Action::SeeStaffView).is_ok());
    }

    #[test]
    fn an_unconfirmed_e_mail_cannot_take_part_but_staff_work_goes_on() {
        let org = org_no(4);
        let mut caller = user(org, &[Role::Official], true);
        if let Caller::User(p) = &mut caller {
            p.email_verified = false;
        }
        assert_eq!(caller.authorize(org, Action::Participate), Err(AuthzError::EmailNotVerified));
        assert_eq!(caller.authorize(org, Action::ParticipateVerified), Err(AuthzError::EmailNotVerified));
        assert!(caller.authorize(org, Action::WriteContent).is_ok());
    }

    #[test]
    fn platform_admins_create_and_edit_organisations() {
        let org = org_no(9);
        let admin = Caller::User(Principal {
            user_id: UserId::from(Uuid::nil()),
            platform_admin: true,
            memberships: HashMap::new(),
            scope: Scope::Act,
            email_verified: true,
        });
        assert!(admin.authorize(org, Action::CreateOrganisation).is_ok());
        assert!(admin.authorize(org, Action::EditOrganisation).is_ok());
        assert!(user(org, &[Role::Admin], false).authorize(org, Action::CreateOrganisation).is_err());
    }
}
