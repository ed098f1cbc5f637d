//! What the web app shows comes from the server: `/me` says per organisation what the user may do,
//! by the same decision the use cases make.

use serde_json::Value;

use crate::helpers::json_of;
use crate::on_both_databases;

fn can_in<'a>(me: &'a Value, slug: &str) -> &'a Value {
    &me["memberships"].as_array().unwrap().iter().find(|m| m["org_slug"] == slug).expect("a membership")["can"]
}

on_both_databases!(
    async fn me_says_what_the_user_may_do_in_each_organisation(app) {
        let official = app.org_with_member("bedzin", "official@bedzin.pl", &["official"]).await;
        app.create_org("sosnowiec").await;
        app.grant("sosnowiec", official.id, &["moderator"]).await;
        let me = json_of(app.get("/api/v1/me", Some(&official.token)).await, 200).await;
        let bedzin = can_in(&me, "bedzin");
        assert_eq!(bedzin["write_content"], true);
        assert_eq!(bedzin["see_staff_view"], true);
        assert_eq!(bedzin["moderate"], false);
        assert_eq!(bedzin["manage_members"], false);
        let sosnowiec = can_in(&me, "sosnowiec");
        assert_eq!(sosnowiec["write_content"], false, "a role in one organisation gives nothing in another");
        assert_eq!(sosnowiec["moderate"], true);
        assert_eq!(me["can"]["create_organisation"], false);

        let root = app.platform_admin("root@example.org").await;
        let me = json_of(app.get("/api/v1/me", Some(&root.token)).await, 200).await;
        assert_eq!(me["can"]["create_organisation"], true);
    }
);
