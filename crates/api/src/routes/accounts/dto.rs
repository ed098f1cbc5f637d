//! The accounts resources' request and response bodies, and their mapping from the domain.

use chrono::{DateTime, Utc};
use pnyx_domain::accounts::{ApiToken, Profile, Session};
use pnyx_domain::auth::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::dto::{LocaleDto, RoleDto};

/// A new account.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "jana.novakova@example.sk", "password": "Hron-river-2026", "display_name": "Jana Nováková", "locale": "sk"}))]
pub struct RegisterRequest {
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r"^[ \t\n\r]*[^\x00-\x20\x7f-\xa0@\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{1,64}@[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+(\.[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+)+[ \t\n\r]*$"
    )]
    pub email: String,
    /// 10–128 characters, at least 5 different ones, not containing the e-mail.
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: String,
    pub locale: LocaleDto,
}

/// Credentials.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "jana.novakova@example.sk", "password": "Hron-river-2026"}))]
pub struct LoginRequest {
    #[validate(length(max = 254))]
    #[schema(max_length = 254)]
    pub email: String,
    #[validate(length(max = 1024))]
    #[schema(max_length = 1024)]
    pub password: String,
}

/// A refresh token; omit it (or send `{}`) to use the `pnyx_refresh` cookie.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "q2V0kS8yZ3x1dW5oYXJk..."}))]
pub struct RefreshRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT for `Authorization: Bearer`, valid 15 minutes.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Valid 30 days, single use: each refresh returns a new one. Always set as an HttpOnly
    /// cookie; in the body only for a client that asked (`Pnyx-Refresh-Token: body`) or presented
    /// its refresh token in the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub user: MeResponse,
}

/// One organisation's roles of the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipDto {
    pub org_id: Uuid,
    pub org_slug: String,
    pub roles: Vec<RoleDto>,
    pub verified: bool,
    /// What the user may do in the organisation, decided by the server (show actions by these).
    pub can: OrgCanDto,
}

/// What the signed-in user may do in one organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgCanDto {
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
    pub verify_residents: bool,
}

/// What the signed-in user may do on the platform.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeCanDto {
    /// Create organisations (and manage the members of any).
    pub create_organisation: bool,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: LocaleDto,
    pub platform_admin: bool,
    /// Whether the e-mail address is confirmed: until it is, the user cannot take part (vote,
    /// support, register, answer, comment).
    pub email_verified: bool,
    pub memberships: Vec<MembershipDto>,
    pub can: MeCanDto,
    pub created_at: DateTime<Utc>,
}

/// Changes to the profile; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Jana N.", "locale": "en"}))]
pub struct UpdateMeRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub display_name: Option<String>,
    pub locale: Option<LocaleDto>,
}

/// A password change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "Hron-river-2026", "new_password": "Urpin-hill-2027"}))]
pub struct ChangePasswordRequest {
    #[validate(length(max = 1024))]
    #[schema(max_length = 1024)]
    pub current_password: String,
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenScopeDto {
    /// Read what the user can read.
    Read,
    /// Act as the user.
    Act,
}

/// A new API token for a third-party app.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Open-data mirror", "scope": "read", "expires_in_days": 90}))]
pub struct CreateApiTokenRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub scope: TokenScopeDto,
    /// Days until the token stops working (1–366); omit for a token that works until revoked.
    /// Every token is revoked when the password changes.
    #[serde(default)]
    #[validate(range(min = 1, max = 366))]
    #[schema(minimum = 1, maximum = 366)]
    pub expires_in_days: Option<u16>,
}

/// An API token (the secret itself is shown only once, at creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenResponse {
    pub id: Uuid,
    pub name: String,
    pub scope: TokenScopeDto,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it stops working (`null`: when revoked, or when the password changes).
    pub expires_at: Option<DateTime<Utc>>,
}

/// A created API token with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiTokenResponse {
    #[serde(flatten)]
    pub meta: ApiTokenResponse,
    /// Use as `Authorization: Bearer <token>`. Store it now: it cannot be shown again.
    pub token: String,
}

/// The signed-in user's API tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    pub items: Vec<ApiTokenResponse>,
}

impl From<Scope> for TokenScopeDto {
    fn from(s: Scope) -> Self {
        match s {
            Scope::Act => TokenScopeDto::Act,
            Scope::Read => TokenScopeDto::Read,
        }
    }
}

impl From<TokenScopeDto> for Scope {
    fn from(s: TokenScopeDto) -> Self {
        match s {
            TokenScopeDto::Act => Scope::Act,
            TokenScopeDto::Read => Scope::Read,
        }
    }
}

impl From<&ApiToken> for ApiTokenResponse {
    fn from(t: &ApiToken) -> Self {
        ApiTokenResponse {
            id: t.id,
            name: t.name.clone(),
            scope: t.scope.into(),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
        }
    }
}

impl From<Profile> for MeResponse {
    fn from(p: Profile) -> Self {
        let memberships = p
            .memberships
            .into_iter()
            .map(|m| MembershipDto {
                org_id: m.org_id.into(),
                org_slug: m.org_slug.to_string(),
                roles: m.membership.roles.into_iter().map(RoleDto::from).collect(),
                verified: m.membership.verified,
                can: OrgCanDto {
                    edit: m.can.edit,
                    manage_members: m.can.manage_members,
                    write_content: m.can.write_content,
                    moderate: m.can.moderate,
                    see_staff_view: m.can.see_staff_view,
                    verify_residents: m.can.verify_residents,
                },
            })
            .collect();
        let u = p.user;
        MeResponse {
            id: u.id.into(),
            email: u.email,
            display_name: u.display_name,
            locale: u.locale.into(),
            platform_admin: u.platform_admin,
            email_verified: u.email_verified_at.is_some(),
            memberships,
            can: MeCanDto { create_organisation: p.can_create_organisations },
            created_at: u.created_at,
        }
    }
}

impl From<Session> for TokenResponse {
    fn from(s: Session) -> Self {
        TokenResponse {
            access_token: s.access_token,
            token_type: "Bearer".to_owned(),
            expires_in: s.expires_in.num_seconds(),
            refresh_token: Some(s.refresh_token),
            user: s.profile.into(),
        }
    }
}

/// A request taken; what follows arrives by e-mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedResponse {
    #[schema(example = "check-email")]
    pub status: String,
    #[schema(example = "Check your e-mail: we sent you a link.")]
    pub detail: String,
}

impl AcceptedResponse {
    #[must_use]
    pub fn check_email() -> Self {
        AcceptedResponse {
            status: "check-email".to_owned(),
            detail: "Check your e-mail: if the address can be used, we sent a link to it.".to_owned(),
        }
    }
}

/// The token from an e-mailed link.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "q2V0kS8yZ3x1dW5oYXJk"}))]
pub struct EmailTokenRequest {
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub token: String,
}

/// The address to send a password reset link to.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "jana.novakova@example.sk"}))]
pub struct PasswordResetRequest {
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r"^[ \t\n\r]*[^\x00-\x20\x7f-\xa0@\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{1,64}@[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+(\.[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+)+[ \t\n\r]*$"
    )]
    pub email: String,
}

/// A new password, with the token from the reset e-mail.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "q2V0kS8yZ3x1dW5oYXJk", "new_password": "Urpin-hill-2027"}))]
pub struct PasswordResetConfirmRequest {
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub token: String,
    #[validate(length(max = 1024))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

/// A new address for the account, confirmed by a link sent to it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"new_email": "jana@example.org", "current_password": "Hron-river-2026"}))]
pub struct EmailChangeRequest {
    #[validate(length(max = 254))]
    #[schema(
        max_length = 254,
        pattern = r"^[ \t\n\r]*[^\x00-\x20\x7f-\xa0@\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{1,64}@[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+(\.[^\x00-\x20\x7f-\xa0@.\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+)+[ \t\n\r]*$"
    )]
    pub new_email: String,
    #[validate(length(max = 1024))]
    #[schema(max_length = 1024)]
    pub current_password: String,
}
