//! The unit-of-work port on both databases: writes through one commit together or not at all.

use pnyx_domain::accounts::{AccountRepo, RefreshToken, User};
use pnyx_domain::i18n::Locale;
use pnyx_domain::ids::UserId;
use pnyx_domain::repo::Store;
use uuid::Uuid;

use crate::on_both_databases;

fn user(email: &str) -> User {
    let now = pnyx_domain::now();
    User {
        id: UserId::new_v7(),
        email: email.to_owned(),
        password_hash: "x".to_owned(),
        display_name: "Unit of work".to_owned(),
        locale: Locale::En,
        platform_admin: false,
        email_verified_at: None,
        created_at: now,
        updated_at: now,
    }
}

on_both_databases!(
    async fn committed_writes_are_all_there(app) {
        let (a, b) = (user("uow-a@example.org"), user("uow-b@example.org"));
        let tx = app.db.begin().await.unwrap();
        tx.create_user(&a).await.unwrap();
        tx.create_user(&b).await.unwrap();
        assert!(app.db.user_by_id(a.id).await.unwrap().is_none(), "not visible before the commit");
        tx.commit().await.unwrap();
        assert!(app.db.user_by_id(a.id).await.unwrap().is_some());
        assert!(app.db.user_by_id(b.id).await.unwrap().is_some());
    }
);

on_both_databases!(
    async fn a_failed_last_write_leaves_nothing_of_the_earlier_ones(app) {
        // Triggers are made before the transaction starts: DDL would wait for its locks.
        app.fail_writes("refresh_tokens", "INSERT").await;
        let a = user("uow-c@example.org");
        let token = RefreshToken {
            id: Uuid::now_v7(),
            family_id: Uuid::now_v7(),
            user_id: a.id,
            token_hash: "h".to_owned(),
            expires_at: pnyx_domain::now(),
            used_at: None,
            revoked_at: None,
        };
        let tx = app.db.begin().await.unwrap();
        tx.create_user(&a).await.unwrap();
        assert!(tx.insert_refresh_token(&token, pnyx_domain::now()).await.is_err(), "the forced failure");
        drop(tx);
        app.stop_failing("refresh_tokens", "INSERT").await;
        assert!(app.db.user_by_id(a.id).await.unwrap().is_none(), "the first write was rolled back");
        assert_eq!(app.db.count_users().await.unwrap(), 0);
    }
);

on_both_databases!(
    async fn an_account_and_its_memberships_are_read_together(app) {
        use pnyx_domain::org::OrgRepo;
        let user = app.org_with_member("uow-a", "uow-member@example.org", &["official"]).await;
        app.create_org("uow-b").await;
        app.grant("uow-b", user.id, &["admin", "moderator"]).await;
        let id = UserId::from(user.id);
        let (account, mut memberships) = app.db.user_and_memberships(id).await.unwrap().expect("the account");
        assert_eq!(account, app.db.user_by_id(id).await.unwrap().expect("the account"));
        // The same organisations and roles as the memberships' own read, one entry each (the
        // account's row is repeated per membership: it is read once).
        let mut expected: Vec<_> =
            app.db.memberships_of(id).await.unwrap().into_iter().map(|(org, _, m)| (org, m)).collect();
        memberships.sort_by_key(|(org, _)| *org);
        expected.sort_by_key(|(org, _)| *org);
        assert_eq!(memberships.len(), 2);
        assert_eq!(memberships, expected);
        let roles: Vec<usize> = memberships.iter().map(|(_, m)| m.roles.len()).collect();
        assert!(roles.contains(&1) && roles.contains(&2), "{memberships:?}");

        let resident = app.register("uow-resident@example.org").await;
        let (_, none) = app.db.user_and_memberships(UserId::from(resident.id)).await.unwrap().expect("the account");
        assert!(none.is_empty());
        assert!(app.db.user_and_memberships(UserId::new_v7()).await.unwrap().is_none());
    }
);
