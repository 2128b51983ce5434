//! Organizations, users, roles, groups, topics, and isolation between
//! organizations.

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

const CREATE_USER: &str = "mutation($i: CreateUserInput!) { createUser(input: $i) { id email displayName language roles groups { name } ambassadorStatus } }";
const USERS: &str = "query($first: Int, $after: String, $search: String, $status: AmbassadorStatus, $group: ID) { users(first: $first, after: $after, search: $search, ambassadorStatus: $status, groupId: $group) { totalCount edges { cursor node { id email displayName } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

async fn user_count(app: &TestApp) -> i64 {
    app.admin(USERS, json!({})).await.data()["users"]["totalCount"]
        .as_i64()
        .unwrap()
}

async fn create_group(app: &TestApp, token: &str, name: &str) -> String {
    let res = app
        .gql(
            Some(token),
            "mutation($n: String!) { createGroup(name: $n) { id } }",
            json!({ "n": name }),
        )
        .await;
    res.data()["createGroup"]["id"].as_str().unwrap().to_owned()
}

async fn create_topic(app: &TestApp, token: &str, name: &str) -> String {
    let res = app
        .gql(
            Some(token),
            "mutation($n: String!) { createTopic(name: $n) { id } }",
            json!({ "n": name }),
        )
        .await;
    res.data()["createTopic"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_new_organization_has_the_default_settings() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(
            "{ organization { id name slug companyFollowers { network count } settings { individualAnalytics minimumGroupSize pointsPerShare cpm { network amount } charterVersion } } }",
            json!({}),
        )
        .await;
    let org = &res.data()["organization"];
    assert_eq!(org["name"], "Acme");
    assert_eq!(org["slug"], "acme");
    assert_eq!(org["id"], app.org.id.to_string());
    assert_eq!(org["companyFollowers"], json!([]));
    assert_eq!(
        org["settings"],
        json!({ "individualAnalytics": false, "minimumGroupSize": 5, "pointsPerShare": 10, "cpm": [], "charterVersion": "1" })
    );
}

const UPDATE_ORG: &str = "mutation($i: OrganizationInput!) { updateOrganization(input: $i) { name companyFollowers { network count } settings { individualAnalytics minimumGroupSize pointsPerShare cpm { network amount } charterVersion } } }";

#[tokio::test]
async fn an_admin_updates_the_organization_settings() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(
            UPDATE_ORG,
            json!({ "i": {
                "name": "Acme Bank",
                "companyFollowers": [{ "network": "LINKEDIN", "count": 4000 }, { "network": "X", "count": 1500 }],
                "individualAnalytics": true,
                "minimumGroupSize": 3,
                "pointsPerShare": 25,
                "cpm": [{ "network": "LINKEDIN", "amount": 12.5 }],
                "charterVersion": "2026-03"
            } }),
        )
        .await;
    let org = &res.data()["updateOrganization"];
    assert_eq!(org["name"], "Acme Bank");
    assert_eq!(
        org["companyFollowers"],
        json!([{ "network": "LINKEDIN", "count": 4000 }, { "network": "X", "count": 1500 }])
    );
    assert_eq!(
        org["settings"],
        json!({ "individualAnalytics": true, "minimumGroupSize": 3, "pointsPerShare": 25, "cpm": [{ "network": "LINKEDIN", "amount": 12.5 }], "charterVersion": "2026-03" })
    );
    // Absent fields stay as they are.
    let res = app
        .admin(UPDATE_ORG, json!({ "i": { "pointsPerShare": 5 } }))
        .await;
    assert_eq!(res.data()["updateOrganization"]["name"], "Acme Bank");
    assert_eq!(
        res.data()["updateOrganization"]["settings"]["minimumGroupSize"],
        3
    );
}

#[tokio::test]
async fn invalid_organization_settings_are_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    for input in [
        json!({ "name": "  " }),
        json!({ "name": "x".repeat(201) }),
        json!({ "minimumGroupSize": 0 }),
        json!({ "pointsPerShare": -1 }),
        json!({ "charterVersion": "" }),
        json!({ "cpm": [{ "network": "X", "amount": -2.0 }] }),
        json!({ "companyFollowers": [{ "network": "X", "count": -5 }] }),
        json!({ "companyFollowers": [{ "network": "X", "count": 1 }, { "network": "X", "count": 2 }] }),
        json!({ "minimumGroupSize": 7, "pointsPerShare": -1 }),
    ] {
        let res = app.admin(UPDATE_ORG, json!({ "i": input })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "{input}");
    }
    let res = app
        .admin(
            "{ organization { name settings { minimumGroupSize pointsPerShare } } }",
            json!({}),
        )
        .await;
    assert_eq!(res.data()["organization"]["name"], "Acme");
    assert_eq!(
        res.data()["organization"]["settings"]["minimumGroupSize"],
        5
    );
}

#[tokio::test]
async fn only_an_admin_may_update_the_organization() {
    let app = TestApp::spawn().await;
    let (_, hr) = app.create_user("hr@acme.example", &["HR", "CURATOR"]).await;
    let res = app
        .gql(Some(&hr), UPDATE_ORG, json!({ "i": { "name": "Mine" } }))
        .await;
    assert_eq!(res.code(), "FORBIDDEN");
}

#[tokio::test]
async fn an_admin_creates_users_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let group = create_group(&app, &app.org.admin_token, "Paris").await;
    let res = app
        .admin(
            CREATE_USER,
            json!({ "i": { "email": " Zoe@Acme.Example ", "displayName": " Zoé Durand ", "password": PASSWORD, "language": "fr", "roles": ["CURATOR"], "groupIds": [group] } }),
        )
        .await;
    let user = &res.data()["createUser"];
    assert_eq!(user["email"], "zoe@acme.example");
    assert_eq!(user["displayName"], "Zoé Durand");
    assert_eq!(user["language"], "fr");
    assert_eq!(user["roles"], json!(["EMPLOYEE", "CURATOR"]));
    assert_eq!(user["groups"], json!([{ "name": "Paris" }]));
    assert_eq!(user["ambassadorStatus"], "NONE");
    let token = app.login_token("zoe@acme.example", PASSWORD).await;
    let me = app.gql(Some(&token), "{ me { email } }", json!({})).await;
    assert_eq!(me.data()["me"]["email"], "zoe@acme.example");
}

#[tokio::test]
async fn a_user_without_a_password_cannot_sign_in() {
    let app = TestApp::spawn().await;
    app.admin(
        CREATE_USER,
        json!({ "i": { "email": "sso@acme.example", "displayName": "Sso" } }),
    )
    .await
    .data();
    let res = app.login("sso@acme.example", PASSWORD).await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn bad_user_input_is_refused_with_a_clear_error_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let group = create_group(&app, &app.org.admin_token, "Paris").await;
    let before = user_count(&app).await;
    let base = json!({ "email": "new@acme.example", "displayName": "New", "password": PASSWORD });
    let with = |field: &str, value: Value| {
        let mut input = base.clone();
        input[field] = value;
        input
    };
    let cases = [
        (with("email", json!("not-an-email")), "BAD_USER_INPUT"),
        (with("email", json!("a@b")), "BAD_USER_INPUT"),
        (
            with("email", json!(format!("{}@acme.example", "x".repeat(250)))),
            "BAD_USER_INPUT",
        ),
        (with("password", json!("short")), "BAD_USER_INPUT"),
        (with("password", json!("elevenchars")), "BAD_USER_INPUT"),
        (with("displayName", json!("   ")), "BAD_USER_INPUT"),
        (
            with("displayName", json!("x".repeat(201))),
            "BAD_USER_INPUT",
        ),
        (with("language", json!("not a language")), "BAD_USER_INPUT"),
        (with("groupIds", json!(["not-an-id"])), "BAD_USER_INPUT"),
        (
            with(
                "groupIds",
                json!([group.clone(), uuid::Uuid::now_v7().to_string()]),
            ),
            "NOT_FOUND",
        ),
        (with("email", json!("ADMIN@acme.example")), "CONFLICT"),
    ];
    for (input, code) in cases {
        let res = app.admin(CREATE_USER, json!({ "i": input })).await;
        assert_eq!(res.code(), code, "{input}: {}", res.body);
        assert!(!res.message().is_empty());
    }
    assert_eq!(user_count(&app).await, before);
    let members = app.admin("{ groups { memberCount } }", json!({})).await;
    assert_eq!(members.data()["groups"][0]["memberCount"], 0);
}

#[tokio::test]
async fn an_email_names_one_user_across_organizations() {
    let app = TestApp::spawn().await;
    let other = app.create_org("Globex", "globex").await;
    app.create_user("sam@shared.example", &[]).await;
    let res = app
        .gql(
            Some(&other.admin_token),
            CREATE_USER,
            json!({ "i": { "email": "SAM@shared.example", "displayName": "Sam" } }),
        )
        .await;
    assert_eq!(res.code(), "CONFLICT");
}

#[tokio::test]
async fn only_an_admin_creates_users_and_sets_roles() {
    let app = TestApp::spawn().await;
    let (employee_id, _) = app.create_user("e@acme.example", &[]).await;
    let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
    let res = app
        .gql(
            Some(&hr),
            CREATE_USER,
            json!({ "i": { "email": "x@acme.example", "displayName": "X" } }),
        )
        .await;
    assert_eq!(res.code(), "FORBIDDEN");
    let res = app
        .gql(
            Some(&hr),
            "mutation($u: ID!) { setUserRoles(userId: $u, roles: [ADMIN]) { roles } }",
            json!({ "u": employee_id }),
        )
        .await;
    assert_eq!(res.code(), "FORBIDDEN");
}

const SET_ROLES: &str =
    "mutation($u: ID!, $r: [Role!]!) { setUserRoles(userId: $u, roles: $r) { roles } }";

#[tokio::test]
async fn set_user_roles_always_keeps_employee() {
    let app = TestApp::spawn().await;
    let (id, _) = app.create_user("e@acme.example", &["CURATOR"]).await;
    let res = app
        .admin(SET_ROLES, json!({ "u": id, "r": ["HR", "HR"] }))
        .await;
    assert_eq!(
        res.data()["setUserRoles"]["roles"],
        json!(["EMPLOYEE", "HR"])
    );
    let res = app.admin(SET_ROLES, json!({ "u": id, "r": [] })).await;
    assert_eq!(res.data()["setUserRoles"]["roles"], json!(["EMPLOYEE"]));
    // The new roles apply from the next sign-in.
    let token = app.login_token("e@acme.example", PASSWORD).await;
    let res = app.gql(Some(&token), USERS, json!({})).await;
    assert_eq!(res.code(), "FORBIDDEN");
}

#[tokio::test]
async fn the_last_admin_cannot_drop_their_own_admin_role() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(SET_ROLES, json!({ "u": app.org.admin_id, "r": ["HR"] }))
        .await;
    assert_eq!(res.code(), "CONFLICT");
    let (other, _) = app.create_user("second@acme.example", &["ADMIN"]).await;
    assert!(!other.is_empty());
    let res = app
        .admin(SET_ROLES, json!({ "u": app.org.admin_id, "r": ["HR"] }))
        .await;
    assert_eq!(
        res.data()["setUserRoles"]["roles"],
        json!(["EMPLOYEE", "HR"])
    );
}

#[tokio::test]
async fn hr_reads_a_user_and_an_employee_may_not() {
    let app = TestApp::spawn().await;
    let (id, employee) = app.create_user("e@acme.example", &[]).await;
    let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
    let query = "query($id: ID!) { user(id: $id) { id email } }";
    let res = app.gql(Some(&hr), query, json!({ "id": id })).await;
    assert_eq!(res.data()["user"]["email"], "e@acme.example");
    let res = app.gql(Some(&employee), query, json!({ "id": id })).await;
    assert_eq!(res.code(), "FORBIDDEN");
    let res = app
        .gql(
            Some(&hr),
            query,
            json!({ "id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app.gql(Some(&hr), query, json!({ "id": "garbage" })).await;
    assert_eq!(res.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn paging_through_users_visits_each_exactly_once_by_name() {
    let app = TestApp::spawn().await;
    let names = ["Yann", "Anna", "Bob", "anna", "Émile", "Carl", "Dora"];
    for (i, name) in names.iter().enumerate() {
        app.admin(
            CREATE_USER,
            json!({ "i": { "email": format!("u{i}@acme.example"), "displayName": name } }),
        )
        .await
        .data();
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let res = app
            .admin(USERS, json!({ "first": 3, "after": after }))
            .await;
        let users = &res.data()["users"];
        assert_eq!(users["totalCount"], 8);
        assert_eq!(users["pageInfo"]["hasPreviousPage"], after.is_some());
        for edge in users["edges"].as_array().unwrap() {
            seen.push(edge["node"]["displayName"].as_str().unwrap().to_owned());
        }
        pages += 1;
        if users["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = users["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    let mut expected: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    expected.push("Acme Admin".into());
    expected.sort();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn users_are_searched_by_name_or_email_and_filtered() {
    let app = TestApp::spawn().await;
    let group = create_group(&app, &app.org.admin_token, "Lyon").await;
    let (ann, _) = app.create_user("ann.smith@acme.example", &[]).await;
    app.create_user("bob@acme.example", &[]).await;
    app.admin(
        CREATE_USER,
        json!({ "i": { "email": "c@acme.example", "displayName": "Carla 100%_off" } }),
    )
    .await
    .data();
    app.admin(
        "mutation($g: ID!, $u: [ID!]!) { setGroupMembers(groupId: $g, userIds: $u) { id } }",
        json!({ "g": group, "u": [ann] }),
    )
    .await
    .data();
    let names = |res: &crate::helpers::Gql| -> Vec<String> {
        res.data()["users"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["email"].as_str().unwrap().to_owned())
            .collect()
    };
    let res = app.admin(USERS, json!({ "search": "SMITH" })).await;
    assert_eq!(names(&res), vec!["ann.smith@acme.example"]);
    let res = app.admin(USERS, json!({ "search": "bob@" })).await;
    assert_eq!(names(&res), vec!["bob@acme.example"]);
    // LIKE wildcards in the search are literal.
    let res = app.admin(USERS, json!({ "search": "%_" })).await;
    assert_eq!(names(&res), vec!["c@acme.example"]);
    let res = app.admin(USERS, json!({ "group": group })).await;
    assert_eq!(names(&res), vec!["ann.smith@acme.example"]);
    assert_eq!(res.data()["users"]["totalCount"], 1);
    let res = app.admin(USERS, json!({ "status": "ACTIVE" })).await;
    assert_eq!(res.data()["users"]["totalCount"], 0);
    let res = app.admin(USERS, json!({ "status": "NONE" })).await;
    assert_eq!(res.data()["users"]["totalCount"], 4);
}

#[tokio::test]
async fn page_sizes_outside_one_to_a_hundred_and_tampered_cursors_are_bad_input() {
    let app = TestApp::spawn().await;
    for first in [0, -1, 101] {
        let res = app.admin(USERS, json!({ "first": first })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "first {first}");
    }
    app.admin(USERS, json!({ "first": 100 })).await.data();
    app.admin(USERS, json!({ "first": 1 })).await.data();
    for cursor in ["garbage", "eyJub3QiOiJhIGN1cnNvciJ9", ""] {
        let res = app.admin(USERS, json!({ "after": cursor })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "cursor {cursor:?}");
    }
}

#[tokio::test]
async fn employees_may_not_list_users() {
    let app = TestApp::spawn().await;
    let (_, employee) = app.create_user("e@acme.example", &["CURATOR"]).await;
    assert_eq!(
        app.gql(Some(&employee), USERS, json!({})).await.code(),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn everyone_updates_their_own_profile() {
    let app = TestApp::spawn().await;
    let (_, token) = app.create_user("e@acme.example", &[]).await;
    let update =
        "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { displayName language } }";
    let res = app
        .gql(
            Some(&token),
            update,
            json!({ "i": { "displayName": "Eve Martin", "language": "fr-fr" } }),
        )
        .await;
    assert_eq!(
        res.data()["updateProfile"],
        json!({ "displayName": "Eve Martin", "language": "fr-FR" })
    );
    for input in [
        json!({ "displayName": "" }),
        json!({ "language": "xx yy" }),
        json!({ "displayName": "y".repeat(201) }),
    ] {
        let res = app.gql(Some(&token), update, json!({ "i": input })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "{input}");
    }
    let res = app
        .gql(Some(&token), "{ me { displayName language } }", json!({}))
        .await;
    assert_eq!(
        res.data()["me"],
        json!({ "displayName": "Eve Martin", "language": "fr-FR" })
    );
}

const SET_MEMBERS: &str = "mutation($g: ID!, $u: [ID!]!) { setGroupMembers(groupId: $g, userIds: $u) { id name memberCount } }";

#[tokio::test]
async fn hr_manages_groups_and_their_members() {
    let app = TestApp::spawn().await;
    let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
    let (a, a_token) = app.create_user("a@acme.example", &[]).await;
    let (b, _) = app.create_user("b@acme.example", &[]).await;
    let group = create_group(&app, &hr, "Sales").await;
    let res = app
        .gql(
            Some(&hr),
            SET_MEMBERS,
            json!({ "g": group, "u": [a, b, a] }),
        )
        .await;
    assert_eq!(res.data()["setGroupMembers"]["memberCount"], 2);
    let res = app
        .gql(Some(&hr), SET_MEMBERS, json!({ "g": group, "u": [b] }))
        .await;
    assert_eq!(res.data()["setGroupMembers"]["memberCount"], 1);
    let res = app
        .gql(Some(&a_token), "{ me { groups { name } } }", json!({}))
        .await;
    assert_eq!(res.data()["me"]["groups"], json!([]));
    let res = app
        .gql(Some(&a_token), "{ groups { name memberCount } }", json!({}))
        .await;
    assert_eq!(
        res.data()["groups"],
        json!([{ "name": "Sales", "memberCount": 1 }])
    );
    // Duplicate and invalid names.
    let dup = app
        .gql(
            Some(&hr),
            "mutation { createGroup(name: \"Sales\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(dup.code(), "CONFLICT");
    let long = app
        .gql(
            Some(&hr),
            "mutation($n: String!) { createGroup(name: $n) { id } }",
            json!({ "n": "g".repeat(201) }),
        )
        .await;
    assert_eq!(long.code(), "BAD_USER_INPUT");
    // Employees may not.
    let res = app
        .gql(
            Some(&a_token),
            "mutation { createGroup(name: \"Mine\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(res.code(), "FORBIDDEN");
    let res = app
        .gql(Some(&a_token), SET_MEMBERS, json!({ "g": group, "u": [a] }))
        .await;
    assert_eq!(res.code(), "FORBIDDEN");
}

#[tokio::test]
async fn setting_members_with_an_unknown_user_writes_nothing() {
    let app = TestApp::spawn().await;
    let (a, _) = app.create_user("a@acme.example", &[]).await;
    let group = create_group(&app, &app.org.admin_token, "Sales").await;
    app.admin(SET_MEMBERS, json!({ "g": group, "u": [a] }))
        .await
        .data();
    let res = app
        .admin(
            SET_MEMBERS,
            json!({ "g": group, "u": [uuid::Uuid::now_v7().to_string()] }),
        )
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app.admin("{ groups { memberCount } }", json!({})).await;
    assert_eq!(res.data()["groups"][0]["memberCount"], 1);
}

#[tokio::test]
async fn curators_create_topics_and_everyone_follows_them() {
    let app = TestApp::spawn().await;
    let (_, curator) = app.create_user("c@acme.example", &["CURATOR"]).await;
    let (_, employee) = app.create_user("e@acme.example", &[]).await;
    let careers = create_topic(&app, &curator, "Careers").await;
    create_topic(&app, &curator, "Events").await;
    let res = app
        .gql(
            Some(&employee),
            "mutation { createTopic(name: \"Mine\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(res.code(), "FORBIDDEN");
    let dup = app
        .gql(
            Some(&curator),
            "mutation { createTopic(name: \"Careers\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(dup.code(), "CONFLICT");

    let follow = "mutation($t: ID!) { followTopic(topicId: $t) { name followedByViewer } }";
    for _ in 0..2 {
        let res = app
            .gql(Some(&employee), follow, json!({ "t": careers }))
            .await;
        assert_eq!(
            res.data()["followTopic"],
            json!({ "name": "Careers", "followedByViewer": true })
        );
    }
    let res = app
        .gql(
            Some(&employee),
            "{ topics { name followedByViewer } me { followedTopics { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        res.data()["topics"],
        json!([{ "name": "Careers", "followedByViewer": true }, { "name": "Events", "followedByViewer": false }])
    );
    assert_eq!(
        res.data()["me"]["followedTopics"],
        json!([{ "name": "Careers" }])
    );
    // Another user's view is their own.
    let res = app
        .gql(Some(&curator), "{ topics { followedByViewer } }", json!({}))
        .await;
    assert_eq!(
        res.data()["topics"],
        json!([{ "followedByViewer": false }, { "followedByViewer": false }])
    );
    let unfollow = "mutation($t: ID!) { unfollowTopic(topicId: $t) { followedByViewer } }";
    let res = app
        .gql(Some(&employee), unfollow, json!({ "t": careers }))
        .await;
    assert_eq!(res.data()["unfollowTopic"]["followedByViewer"], false);
}

#[tokio::test]
async fn nothing_of_one_organization_is_visible_or_writable_from_another() {
    let app = TestApp::spawn().await;
    let (acme_user, _) = app.create_user("e@acme.example", &[]).await;
    let acme_group = create_group(&app, &app.org.admin_token, "Acme Sales").await;
    let acme_topic = create_topic(&app, &app.org.admin_token, "Acme News").await;

    let globex = app.create_org("Globex", "globex").await;
    let (globex_user, globex_employee) = app
        .create_user_in(&globex.admin_token, "e@globex.example", "Gina", &[])
        .await;
    let g = Some(globex.admin_token.as_str());

    let res = app.gql(g, USERS, json!({})).await;
    let emails: Vec<&str> = res.data()["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, vec!["e@globex.example", "admin@globex.example"]);
    let res = app.gql(g, USERS, json!({ "search": "acme" })).await;
    assert_eq!(res.data()["users"]["totalCount"], 0);

    let res = app
        .gql(
            g,
            "query($id: ID!) { user(id: $id) { id } }",
            json!({ "id": acme_user }),
        )
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app.gql(g, USERS, json!({ "group": acme_group })).await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app
        .gql(
            g,
            SET_MEMBERS,
            json!({ "g": acme_group, "u": [globex_user] }),
        )
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let own_group = create_group(&app, &globex.admin_token, "Globex Sales").await;
    let res = app
        .gql(g, SET_MEMBERS, json!({ "g": own_group, "u": [acme_user] }))
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app
        .gql(g, SET_ROLES, json!({ "u": acme_user, "r": ["ADMIN"] }))
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app
        .gql(g, CREATE_USER, json!({ "i": { "email": "n@globex.example", "displayName": "N", "groupIds": [acme_group] } }))
        .await;
    assert_eq!(res.code(), "NOT_FOUND");
    let res = app
        .gql(
            Some(&globex_employee),
            "mutation($t: ID!) { followTopic(topicId: $t) { id } }",
            json!({ "t": acme_topic }),
        )
        .await;
    assert_eq!(res.code(), "NOT_FOUND");

    let res = app
        .gql(
            g,
            "{ groups { name } topics { name } organization { name } }",
            json!({}),
        )
        .await;
    assert_eq!(
        res.data(),
        &json!({ "groups": [{ "name": "Globex Sales" }], "topics": [], "organization": { "name": "Globex" } })
    );
    // And Acme's data is untouched.
    let res = app
        .admin("{ groups { name memberCount } }", json!({}))
        .await;
    assert_eq!(
        res.data()["groups"],
        json!([{ "name": "Acme Sales", "memberCount": 0 }])
    );
}
