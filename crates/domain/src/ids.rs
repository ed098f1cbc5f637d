//! Typed ids of the entities whose ids cross crate boundaries: an `OrgId` cannot be passed where a
//! `UserId` is expected, so swapped arguments no longer compile.
//!
//! Each is a transparent newtype over [`Uuid`]: it serializes as the bare UUID string, prints as
//! the UUID does, and converts to and from a `Uuid` with `From`. Persistence keeps `Uuid` columns
//! and the API keeps `Uuid` path parameters and DTO fields; both convert at their boundary.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id: a UUID v7, so that ids sort by creation (the cursor pagination relies
            /// on it).
            #[must_use]
            pub fn new_v7() -> Self {
                Self(Uuid::now_v7())
            }

            /// The id a UUID already is (for constants; elsewhere `From` reads better).
            #[must_use]
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::from_str(s).map(Self)
            }
        }
    )+};
}

typed_id! {
    /// An organisation (municipality).
    OrgId;
    /// A user account.
    UserId;
    /// An action plan.
    PlanId;
    /// A commitment of an action plan.
    CommitmentId;
    /// A public meeting.
    MeetingId;
    /// A public consultation.
    ConsultationId;
    /// A survey.
    SurveyId;
    /// A participatory-budget process (one edition): a [`crate::budget::process::Budget`].
    BudgetId;
    /// A participatory-budget proposal (project).
    ProposalId;
    /// A resident's comment in a thread.
    CommentId;
    /// A resident's report of a communal problem, or their proposal to the municipality.
    ReportId;
    /// A category of reports (with the department in charge and its deadline to answer).
    ReportCategoryId;
    /// An uploaded file (a document, or an image with its resized variants).
    FileId;
    /// A document of an organisation's library (legal act, report, publication, minutes, education).
    DocumentId;
    /// A content page of an organisation (Markdown, in its menu).
    ContentPageId;
    /// A programme grouping organisations (e.g. one OGP Local programme of several towns).
    ProgrammeId;
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "01890a5d-ac96-774b-bcce-b302099a8057";

    #[test]
    fn serde_round_trips_through_the_bare_uuid_string() {
        let id: OrgId = RAW.parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{RAW}\""));
        assert_eq!(serde_json::from_str::<OrgId>(&json).unwrap(), id);
        assert_eq!(
            serde_json::to_string(&vec![(ProposalId::from(id.as_uuid()), 3)]).unwrap(),
            format!("[[\"{RAW}\",3]]")
        );
        assert!(serde_json::from_str::<UserId>("\"not-a-uuid\"").is_err());
        assert!(serde_json::from_str::<UserId>(&format!("{{\"id\":\"{RAW}\"}}")).is_err(), "no wrapping object");
    }

    #[test]
    fn parsing_refuses_anything_but_a_uuid() {
        for s in ["", "garbage", "01890a5d-ac96-774b-bcce-b302099a805", "01890a5d-ac96-774b-bcce-b302099a8057x", "42"] {
            assert!(s.parse::<UserId>().is_err(), "{s:?}");
        }
        assert_eq!(RAW.to_uppercase().parse::<UserId>().map(Uuid::from), RAW.parse::<Uuid>());
    }

    #[test]
    fn display_is_the_uuid_s() {
        let u = Uuid::now_v7();
        assert_eq!(MeetingId::from(u).to_string(), u.to_string());
        assert_eq!(UserId::from(u).to_string().parse::<UserId>().map(Uuid::from), Ok(u));
        assert_eq!(format!("{:>40}", SurveyId::from(u)), format!("{u:>40}"), "formatting flags pass through");
    }

    #[test]
    fn conversions_keep_the_uuid_and_new_ids_are_v7_in_creation_order() {
        let u = Uuid::from_u128(7);
        assert_eq!(Uuid::from(PlanId::from(u)), u);
        assert_eq!(PlanId::from_uuid(u).as_uuid(), u);
        let (a, b) = (CommitmentId::new_v7(), CommitmentId::new_v7());
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a < b, "v7 ids sort by creation");
    }
}
