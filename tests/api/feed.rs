//! The daily feed: who gets it, what it shows, in which order, how it
//! pages; what one item shows to whom; dismissals; shares; statements.

use std::collections::HashSet;

use chrono::Duration;
use entity::shares;
use serde_json::{Value, json};
use uuid::Uuid;

use advocacy::{analytics::rollups, clock::ManualClock, config::Settings, tenant::Tenant};

use crate::{
    content::{
        CONTENT_FIELDS, ambassador, archive, create, create_group, create_topic, curator, input,
        input_with, publish_new, set_language, set_status, try_publish,
    },
    helpers::{Gql, TestApp, shared_database, start_time},
};

async fn feed(app: &TestApp, token: &str, vars: Value) -> Gql {
    app.gql(
        Some(token),
        "query($f: Int, $a: String, $t: ID, $k: ContentKind) { feed(first: $f, after: $a, topicId: $t, kind: $k) { edges { cursor node { id title pinned publishAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
        vars,
    )
    .await
}

fn titles(res: &Gql) -> Vec<String> {
    res.data()["feed"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn feed_titles(app: &TestApp, token: &str) -> Vec<String> {
    titles(&feed(app, token, json!({ "f": 100 })).await)
}

async fn content(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(
        Some(token),
        "query($id: ID!) { content(id: $id) { id title } }",
        json!({ "id": id }),
    )
    .await
    .data()["content"]
        .clone()
}

async fn dismiss(app: &TestApp, token: &str, id: &str) -> Gql {
    app.gql(
        Some(token),
        "mutation($id: ID!) { dismissContent(contentId: $id) }",
        json!({ "id": id }),
    )
    .await
}

#[tokio::test]
async fn only_active_ambassadors_get_the_feed() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    publish_new(&app, &curator, input("News")).await;
    let (_, active) = ambassador(&app, "amb@acme.example").await;
    assert_eq!(feed_titles(&app, &active).await, vec!["News"]);
    for status in ["NONE", "INVITED", "PAUSED", "DECLINED", "WITHDRAWN"] {
        let (id, token) = app
            .create_user(&format!("{}@acme.example", status.to_lowercase()), &[])
            .await;
        set_status(&app, &id, status).await;
        let res = feed(&app, &token, json!({})).await;
        assert_eq!(res.code(), "FORBIDDEN", "{status}");
    }
    // Roles do not open the feed; being an ACTIVE ambassador does.
    assert_eq!(feed(&app, &curator, json!({})).await.code(), "FORBIDDEN");
    assert_eq!(
        feed(&app, &app.org.admin_token, json!({})).await.code(),
        "FORBIDDEN"
    );
    let res = app
        .gql(None, "{ feed { edges { cursor } } }", json!({}))
        .await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn feed_shows_published_items_until_they_expire_or_are_archived() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let now = app.clock_now();
    create(&app, &curator, input("Draft")).await;
    let scheduled = create(&app, &curator, input("Scheduled")).await;
    try_publish(
        &app,
        &curator,
        &scheduled,
        Some(now + Duration::hours(1)),
        None,
    )
    .await
    .data();
    let expiring = create(&app, &curator, input("Expiring")).await;
    try_publish(
        &app,
        &curator,
        &expiring,
        None,
        Some(now + Duration::minutes(90)),
    )
    .await
    .data();
    let archived = publish_new(&app, &curator, input("Archived")).await;
    archive(&app, &curator, &archived).await.data();
    let (amb_id, _) = ambassador(&app, "amb@acme.example").await;
    let token = app
        .login_token("amb@acme.example", crate::helpers::PASSWORD)
        .await;
    assert_eq!(feed_titles(&app, &token).await, vec!["Expiring"]);
    assert_eq!(content(&app, &token, &scheduled).await, Value::Null);
    assert_eq!(content(&app, &token, &archived).await, Value::Null);

    app.clock.advance(Duration::hours(1));
    let token = app
        .login_token("amb@acme.example", crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        feed_titles(&app, &token).await,
        vec!["Scheduled", "Expiring"]
    );
    assert_eq!(
        content(&app, &token, &scheduled).await["title"],
        "Scheduled"
    );

    app.clock.advance(Duration::minutes(30));
    let token = app
        .login_token("amb@acme.example", crate::helpers::PASSWORD)
        .await;
    assert_eq!(feed_titles(&app, &token).await, vec!["Scheduled"]);
    assert_eq!(content(&app, &token, &expiring).await, Value::Null);
    let _ = amb_id;
}

#[tokio::test]
async fn feed_shows_items_aimed_at_everyone_or_at_one_of_the_viewers_groups() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (lyon_amb, lyon_token) = ambassador(&app, "lyon@acme.example").await;
    let (paris_amb, paris_token) = ambassador(&app, "paris@acme.example").await;
    let (_, loner_token) = ambassador(&app, "loner@acme.example").await;
    let lyon = create_group(&app, "Lyon", &[&lyon_amb]).await;
    let paris = create_group(&app, "Paris", &[&paris_amb]).await;
    let sales = create_group(&app, "Sales", &[&paris_amb]).await;
    let everyone = publish_new(&app, &curator, input("Everyone")).await;
    app.clock.advance(Duration::seconds(1));
    let lyon_only = publish_new(
        &app,
        &curator,
        input_with("Lyon only", json!({ "targetGroupIds": [lyon] })),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    publish_new(
        &app,
        &curator,
        input_with(
            "Paris or Sales",
            json!({ "targetGroupIds": [paris, sales] }),
        ),
    )
    .await;
    assert_eq!(
        feed_titles(&app, &lyon_token).await,
        vec!["Lyon only", "Everyone"]
    );
    assert_eq!(
        feed_titles(&app, &paris_token).await,
        vec!["Paris or Sales", "Everyone"]
    );
    assert_eq!(feed_titles(&app, &loner_token).await, vec!["Everyone"]);
    assert_eq!(content(&app, &paris_token, &lyon_only).await, Value::Null);
    assert_eq!(
        content(&app, &lyon_token, &lyon_only).await["title"],
        "Lyon only"
    );
    assert_eq!(
        content(&app, &loner_token, &everyone).await["title"],
        "Everyone"
    );
    // Leaving the group takes its items away.
    app.admin(
        "mutation($g: ID!) { setGroupMembers(groupId: $g, userIds: []) { id } }",
        json!({ "g": lyon }),
    )
    .await
    .data();
    assert_eq!(feed_titles(&app, &lyon_token).await, vec!["Everyone"]);
}

#[tokio::test]
async fn feed_shows_items_in_no_language_or_in_the_viewers() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, en) = ambassador(&app, "en@acme.example").await;
    let (_, fr) = ambassador(&app, "fr@acme.example").await;
    let (_, fr_ca) = ambassador(&app, "frca@acme.example").await;
    set_language(&app, &fr, "fr").await;
    set_language(&app, &fr_ca, "fr-CA").await;
    publish_new(&app, &curator, input("Any language")).await;
    app.clock.advance(Duration::seconds(1));
    let french = publish_new(
        &app,
        &curator,
        input_with("Français", json!({ "language": "fr" })),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    publish_new(
        &app,
        &curator,
        input_with("English", json!({ "language": "en" })),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    publish_new(
        &app,
        &curator,
        input_with("Québécois", json!({ "language": "fr-CA" })),
    )
    .await;
    assert_eq!(
        feed_titles(&app, &en).await,
        vec!["English", "Any language"]
    );
    assert_eq!(
        feed_titles(&app, &fr).await,
        vec!["Français", "Any language"]
    );
    // A regional variant also reads items in its primary language.
    assert_eq!(
        feed_titles(&app, &fr_ca).await,
        vec!["Québécois", "Français", "Any language"]
    );
    assert_eq!(content(&app, &en, &french).await, Value::Null);
}

#[tokio::test]
async fn dismissed_items_leave_the_feed_but_stay_readable() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, token) = ambassador(&app, "amb@acme.example").await;
    let (_, other) = ambassador(&app, "other@acme.example").await;
    let lyon = create_group(&app, "Lyon", &[]).await;
    let first = publish_new(&app, &curator, input("First")).await;
    app.clock.advance(Duration::seconds(1));
    publish_new(&app, &curator, input("Second")).await;
    let hidden = publish_new(
        &app,
        &curator,
        input_with("Not for me", json!({ "targetGroupIds": [lyon] })),
    )
    .await;
    let draft = create(&app, &curator, input("Draft")).await;

    assert_eq!(
        dismiss(&app, &token, &first).await.data()["dismissContent"],
        true
    );
    // Dismissing again is not an error.
    assert_eq!(
        dismiss(&app, &token, &first).await.data()["dismissContent"],
        true
    );
    assert_eq!(feed_titles(&app, &token).await, vec!["Second"]);
    assert_eq!(content(&app, &token, &first).await["title"], "First");
    // Only the viewer's feed changes.
    assert_eq!(feed_titles(&app, &other).await, vec!["Second", "First"]);
    // Items the viewer may not see cannot be dismissed.
    for id in [&hidden, &draft, &Uuid::now_v7().to_string()] {
        assert_eq!(dismiss(&app, &token, id).await.code(), "NOT_FOUND");
    }
    let other_org = app.create_org("Globex", "globex").await;
    let theirs = publish_new(&app, &other_org.admin_token, input("Theirs")).await;
    assert_eq!(dismiss(&app, &token, &theirs).await.code(), "NOT_FOUND");
    assert_eq!(dismiss(&app, &token, "x").await.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn feed_puts_pinned_items_first_then_newest_publication_then_id() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, token) = ambassador(&app, "amb@acme.example").await;
    let now = app.clock_now();
    let publish_at = |title: &'static str, hours: i64, pinned: bool| {
        let app = &app;
        let curator = curator.clone();
        async move {
            let id = create(
                app,
                &curator,
                input_with(title, json!({ "pinned": pinned })),
            )
            .await;
            try_publish(app, &curator, &id, Some(now - Duration::hours(hours)), None)
                .await
                .data();
            id
        }
    };
    publish_at("Old", 48, false).await;
    publish_at("Pinned old", 72, true).await;
    publish_at("Recent", 1, false).await;
    let tie_a = publish_at("Tie A", 5, false).await;
    let tie_b = publish_at("Tie B", 5, false).await;
    publish_at("Pinned recent", 2, true).await;
    let (high, low) = if tie_a > tie_b {
        ("Tie A", "Tie B")
    } else {
        ("Tie B", "Tie A")
    };
    assert_eq!(
        feed_titles(&app, &token).await,
        vec!["Pinned recent", "Pinned old", "Recent", high, low, "Old"]
    );
    // Paging one by one gives the same order, ties included.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let res = feed(&app, &token, json!({ "f": 1, "a": after })).await;
        seen.extend(titles(&res));
        let info = &res.data()["feed"]["pageInfo"];
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(
        seen,
        vec!["Pinned recent", "Pinned old", "Recent", high, low, "Old"]
    );
}

#[tokio::test]
async fn feed_filters_by_topic_and_kind() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, token) = ambassador(&app, "amb@acme.example").await;
    let careers = create_topic(&app, &curator, "Careers").await;
    let events = create_topic(&app, &curator, "Events").await;
    publish_new(
        &app,
        &curator,
        json!({ "kind": "JOB_OFFER", "title": "Welders", "url": "https://e.com/1", "topicIds": [careers] }),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    publish_new(
        &app,
        &curator,
        json!({ "kind": "EVENT", "title": "Job fair", "url": "https://e.com/2", "topicIds": [careers, events] }),
    )
    .await;
    app.clock.advance(Duration::seconds(1));
    publish_new(
        &app,
        &curator,
        json!({ "kind": "EVENT", "title": "Party", "url": "https://e.com/3" }),
    )
    .await;
    let titles_with = |vars: Value| {
        let app = &app;
        let token = token.clone();
        async move { titles(&feed(app, &token, vars).await) }
    };
    assert_eq!(
        titles_with(json!({ "t": careers })).await,
        vec!["Job fair", "Welders"]
    );
    assert_eq!(titles_with(json!({ "t": events })).await, vec!["Job fair"]);
    assert_eq!(
        titles_with(json!({ "k": "EVENT" })).await,
        vec!["Party", "Job fair"]
    );
    assert_eq!(
        titles_with(json!({ "k": "EVENT", "t": careers })).await,
        vec!["Job fair"]
    );
    assert!(titles_with(json!({ "k": "STUDY" })).await.is_empty());
    let other = app.create_org("Globex", "globex").await;
    let theirs = create_topic(&app, &other.admin_token, "Theirs").await;
    assert_eq!(
        feed(&app, &token, json!({ "t": theirs })).await.code(),
        "NOT_FOUND"
    );
    assert_eq!(
        feed(&app, &token, json!({ "t": "nope" })).await.code(),
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn paging_visits_each_item_once_while_new_items_are_published() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, token) = ambassador(&app, "amb@acme.example").await;
    let mut expected = HashSet::new();
    for i in 0..23 {
        let pinned = i % 7 == 0;
        expected.insert(
            publish_new(
                &app,
                &curator,
                input_with(&format!("Item {i}"), json!({ "pinned": pinned })),
            )
            .await,
        );
        // Some share a publication time, so ties are broken by id.
        if i % 3 == 0 {
            app.clock.advance(Duration::seconds(1));
        }
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let res = feed(&app, &token, json!({ "f": 5, "a": after })).await;
        let conn = &res.data()["feed"];
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], after.is_some());
        for edge in conn["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        pages += 1;
        // Meanwhile curators publish more, pinned or not.
        app.clock.advance(Duration::seconds(1));
        publish_new(
            &app,
            &curator,
            input_with(&format!("New {pages}"), json!({ "pinned": pages % 2 == 0 })),
        )
        .await;
        if conn["pageInfo"]["hasNextPage"] == false {
            assert_eq!(
                conn["pageInfo"]["endCursor"],
                conn["edges"][conn["edges"].as_array().unwrap().len() - 1]["cursor"]
            );
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 5);
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "an item was visited twice");
    assert_eq!(unique, expected);
}

#[tokio::test]
async fn tampered_cursors_and_page_sizes_out_of_range_are_bad_user_input() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (_, token) = ambassador(&app, "amb@acme.example").await;
    for i in 0..3 {
        publish_new(&app, &curator, input(&format!("Item {i}"))).await;
    }
    let res = feed(&app, &token, json!({ "f": 1 })).await;
    let cursor = res.data()["feed"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut tampered = cursor.clone();
    tampered.insert(3, '!');
    let truncated = cursor[..cursor.len() / 2].to_owned();
    for bad in [
        tampered.as_str(),
        truncated.as_str(),
        "",
        "not a cursor",
        "eyJmb28iOjF9",
        "W10",
    ] {
        let res = feed(&app, &token, json!({ "a": bad })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "cursor {bad:?}: {}", res.body);
    }
    for first in [0, -5, 101, 1000] {
        let res = feed(&app, &token, json!({ "f": first })).await;
        assert_eq!(res.code(), "BAD_USER_INPUT", "first = {first}");
    }
    assert_eq!(
        titles(&feed(&app, &token, json!({ "f": 100 })).await).len(),
        3
    );
    // The default page size is 20.
    for i in 3..25 {
        publish_new(&app, &curator, input(&format!("Item {i}"))).await;
    }
    let res = feed(&app, &token, json!({})).await;
    assert_eq!(titles(&res).len(), 20);
    assert_eq!(res.data()["feed"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(res.data()["feed"]["pageInfo"]["hasPreviousPage"], false);
}

#[tokio::test]
async fn content_shows_staff_every_item_and_others_only_what_the_feed_allows() {
    let app = TestApp::spawn().await;
    let curator_token = curator(&app).await;
    let (_, hr) = app.create_user("hr@acme.example", &["HR"]).await;
    let (_, employee) = app.create_user("emp@acme.example", &[]).await;
    let (_, amb) = ambassador(&app, "amb@acme.example").await;
    let draft = create(&app, &curator_token, input("Draft")).await;
    let live = publish_new(&app, &curator_token, input("Live")).await;
    for token in [&curator_token, &hr, &app.org.admin_token] {
        assert_eq!(content(&app, token, &draft).await["title"], "Draft");
        assert_eq!(content(&app, token, &live).await["title"], "Live");
    }
    assert_eq!(content(&app, &amb, &draft).await, Value::Null);
    assert_eq!(content(&app, &amb, &live).await["title"], "Live");
    // An employee who is not an ACTIVE ambassador sees nothing.
    assert_eq!(content(&app, &employee, &live).await, Value::Null);
    let res = app
        .gql(
            None,
            "query($id: ID!) { content(id: $id) { id } }",
            json!({ "id": live }),
        )
        .await;
    assert_eq!(res.code(), "UNAUTHENTICATED");
}

/// A share row with its rollups, as recordShare writes them.
async fn insert_share(app: &TestApp, org: Uuid, user: &str, content: &str, network: &str) {
    let now = app.clock_now();
    let share = shares::Model {
        id: Uuid::now_v7(),
        organization_id: org,
        user_id: Uuid::parse_str(user).unwrap(),
        content_id: Uuid::parse_str(content).unwrap(),
        network: network.to_owned(),
        comment: None,
        shared_at: now,
        potential_reach: 100,
        idempotency_key: Uuid::now_v7().to_string(),
        request_hash: "hash".to_owned(),
        tracking_code: Uuid::now_v7().simple().to_string(),
        points_awarded: 10,
        created_at: now,
    };
    rollups::insert_shares(&app.state.db, Tenant::seeding(org), &[share])
        .await
        .expect("insert share");
}

#[tokio::test]
async fn share_count_and_viewer_has_shared_reflect_recorded_shares() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (me, token) = ambassador(&app, "me@acme.example").await;
    let (other, _) = ambassador(&app, "other@acme.example").await;
    let a = publish_new(&app, &curator, input("A")).await;
    app.clock.advance(Duration::seconds(1));
    let b = publish_new(&app, &curator, input("B")).await;
    app.clock.advance(Duration::seconds(1));
    publish_new(&app, &curator, input("C")).await;
    let org = app.org.id;
    insert_share(&app, org, &me, &a, "LINKEDIN").await;
    insert_share(&app, org, &me, &a, "X").await;
    insert_share(&app, org, &other, &a, "X").await;
    insert_share(&app, org, &other, &b, "FACEBOOK").await;
    let res = app
        .gql(
            Some(&token),
            "{ feed { edges { node { title shareCount viewerHasShared } } } }",
            json!({}),
        )
        .await;
    let nodes: Vec<Value> = res.data()["feed"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(
        nodes,
        vec![
            json!({ "title": "C", "shareCount": 0, "viewerHasShared": false }),
            json!({ "title": "B", "shareCount": 1, "viewerHasShared": false }),
            json!({ "title": "A", "shareCount": 3, "viewerHasShared": true }),
        ]
    );
}

#[tokio::test]
async fn a_feed_page_runs_the_same_number_of_statements_for_10_and_100_items() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (me, token) = ambassador(&app, "amb@acme.example").await;
    let (other, _) = ambassador(&app, "other@acme.example").await;
    let lyon = create_group(&app, "Lyon", &[&me]).await;
    let sales = create_group(&app, "Sales", &[&me, &other]).await;
    let careers = create_topic(&app, &curator, "Careers").await;
    let events = create_topic(&app, &curator, "Events").await;
    for i in 0..100 {
        let id = publish_new(
            &app,
            &curator,
            input_with(
                &format!("Item {i}"),
                json!({
                    "topicIds": [careers, events],
                    "targetGroupIds": if i % 2 == 0 { json!([lyon, sales]) } else { json!([]) },
                    "suggestedTexts": [
                        { "network": "X", "text": "Short" },
                        { "network": "LINKEDIN", "text": "Longer" }
                    ]
                }),
            ),
        )
        .await;
        if i % 3 == 0 {
            insert_share(&app, app.org.id, &me, &id, "X").await;
            insert_share(&app, app.org.id, &other, &id, "X").await;
        }
    }
    let query = format!(
        "query($f: Int) {{ feed(first: $f) {{ edges {{ cursor node {{ {CONTENT_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    // The first request of a server loads the organization's feed
    // catalogue: the size of its items, the items, their target group and
    // topic links, their suggested texts, the organization's topics and
    // groups.
    let before = app.state.statement_count();
    app.gql(Some(&token), &query, json!({ "f": 10 }))
        .await
        .data();
    let cold = app.state.statement_count() - before;
    let mut counts = Vec::new();
    for first in [10, 100] {
        let before = app.state.statement_count();
        let res = app.gql(Some(&token), &query, json!({ "f": first })).await;
        let after = app.state.statement_count();
        let edges = res.data()["feed"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), first);
        let node = &edges[0]["node"];
        assert_eq!(node["topics"].as_array().unwrap().len(), 2);
        assert_eq!(node["suggestedTexts"].as_array().unwrap().len(), 2);
        assert!(edges.iter().any(|e| e["node"]["shareCount"] == 2));
        assert!(edges.iter().any(|e| e["node"]["viewerHasShared"] == true));
        assert!(
            edges
                .iter()
                .any(|e| e["node"]["targetGroups"].as_array().unwrap().len() == 2)
        );
        counts.push(after - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "statements for 10 and 100 items: {counts:?}"
    );
    // The viewer's row, the content version, the viewer's groups and
    // dismissals in one statement; the share counts and viewerHasShared in
    // another. The rest comes from the catalogue.
    assert_eq!(counts[0], 2, "statements per page: {counts:?}");
    assert_eq!(cold, counts[0] + 7, "statements on a cold catalogue");
}

#[tokio::test]
async fn a_full_field_feed_page_runs_two_statements_with_a_warm_catalogue() {
    let app = TestApp::spawn().await;
    let curator = curator(&app).await;
    let (me, token) = ambassador(&app, "amb@acme.example").await;
    let lyon = create_group(&app, "Lyon", &[&me]).await;
    let careers = create_topic(&app, &curator, "Careers").await;
    for i in 0..3 {
        let id = publish_new(
            &app,
            &curator,
            input_with(
                &format!("Item {i}"),
                json!({
                    "topicIds": [careers],
                    "targetGroupIds": [lyon],
                    "suggestedTexts": [{ "network": "X", "text": "Short" }]
                }),
            ),
        )
        .await;
        insert_share(&app, app.org.id, &me, &id, "X").await;
    }
    let full = format!(
        "{{ feed(first: 20) {{ edges {{ cursor node {{ {CONTENT_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let without_shares = "{ feed(first: 20) { edges { node { id title body topics { id name } targetGroups { id name } suggestedTexts { network text } } } } }";
    let statements = |query: String| {
        let app = &app;
        let token = &token;
        async move {
            let before = app.state.statement_count();
            let res = app.gql(Some(token), &query, json!({})).await;
            let count = app.state.statement_count() - before;
            (res.data()["feed"]["edges"].clone(), count)
        }
    };
    statements(full.clone()).await; // loads the catalogue
    let (edges, count) = statements(full).await;
    assert_eq!(count, 2, "full-field page");
    let node = &edges[0]["node"];
    assert_eq!(
        node["topics"],
        json!([{ "id": careers, "name": "Careers" }])
    );
    assert_eq!(
        node["targetGroups"],
        json!([{ "id": lyon, "name": "Lyon" }])
    );
    assert_eq!(
        node["suggestedTexts"],
        json!([{ "network": "X", "text": "Short" }])
    );
    assert_eq!(node["shareCount"], 1);
    assert_eq!(node["viewerHasShared"], true);
    let (edges, count) = statements(without_shares.to_owned()).await;
    assert_eq!(edges.as_array().unwrap().len(), 3);
    assert_eq!(count, 1, "page without share fields");
}

/// Shares and viewerHasShared of the viewer's feed, by title.
async fn feed_shares(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app
        .gql(
            Some(token),
            "{ feed(first: 100) { edges { node { title shareCount viewerHasShared } } } }",
            json!({}),
        )
        .await;
    res.data()["feed"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn update(app: &TestApp, token: &str, id: &str, input: Value) {
    app.gql(
        Some(token),
        "mutation($id: ID!, $i: ContentInput!) { updateContent(id: $id, input: $i) { id } }",
        json!({ "id": id, "i": input }),
    )
    .await
    .data();
}

/// Removes a SQLite test database file and its journals when dropped, so
/// a failing test leaves nothing behind either.
struct RemoveSqliteFiles(String);

impl Drop for RemoveSqliteFiles {
    fn drop(&mut self) {
        if let Some(path) = self
            .0
            .strip_prefix("sqlite://")
            .and_then(|rest| rest.split('?').next())
        {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
}

#[tokio::test]
async fn a_write_on_one_server_shows_in_the_next_feed_of_another() {
    let url = shared_database().await;
    let _cleanup = RemoveSqliteFiles(url.clone());
    let a = TestApp::spawn_on(
        Settings::for_tests(url.clone()),
        ManualClock::new(start_time()),
    )
    .await;
    let b = a.spawn_replica().await;
    let curator = curator(&a).await;
    let (me, token) = ambassador(&a, "amb@acme.example").await;
    let lyon = create_group(&a, "Lyon", &[&me]).await;
    let paris = create_group(&a, "Paris", &[]).await;
    // B holds its catalogue from here on.
    assert!(feed_titles(&b, &token).await.is_empty());

    // Publish.
    let news = publish_new(&a, &curator, input("News")).await;
    assert_eq!(feed_titles(&b, &token).await, vec!["News"]);
    a.clock.advance(Duration::seconds(1));
    let other = publish_new(&a, &curator, input("Other")).await;
    assert_eq!(feed_titles(&b, &token).await, vec!["Other", "News"]);

    // Update: retargeting away from the viewer, then back with a new title.
    update(
        &a,
        &curator,
        &news,
        input_with("News", json!({ "targetGroupIds": [paris] })),
    )
    .await;
    assert_eq!(feed_titles(&b, &token).await, vec!["Other"]);
    update(
        &a,
        &curator,
        &news,
        input_with("News for Lyon", json!({ "targetGroupIds": [lyon] })),
    )
    .await;
    assert_eq!(
        feed_titles(&b, &token).await,
        vec!["Other", "News for Lyon"]
    );
    // Pinning reorders.
    update(
        &a,
        &curator,
        &news,
        input_with(
            "News for Lyon",
            json!({ "targetGroupIds": [lyon], "pinned": true }),
        ),
    )
    .await;
    assert_eq!(
        feed_titles(&b, &token).await,
        vec!["News for Lyon", "Other"]
    );

    // A share recorded through A.
    insert_share(&a, a.org.id, &me, &other, "X").await;
    assert_eq!(
        feed_shares(&b, &token).await,
        vec![
            json!({ "title": "News for Lyon", "shareCount": 0, "viewerHasShared": false }),
            json!({ "title": "Other", "shareCount": 1, "viewerHasShared": true }),
        ]
    );

    // Dismiss.
    dismiss(&a, &token, &other).await.data();
    assert_eq!(feed_titles(&b, &token).await, vec!["News for Lyon"]);

    // Archive, then publish again.
    archive(&a, &curator, &news).await.data();
    assert!(feed_titles(&b, &token).await.is_empty());
    try_publish(&a, &curator, &news, None, None).await.data();
    assert_eq!(feed_titles(&b, &token).await, vec!["News for Lyon"]);

    // Leaving the group.
    a.admin(
        "mutation($g: ID!) { setGroupMembers(groupId: $g, userIds: []) { id } }",
        json!({ "g": lyon }),
    )
    .await
    .data();
    assert!(feed_titles(&b, &token).await.is_empty());
}

#[tokio::test]
async fn an_update_of_what_an_item_shows_on_one_server_shows_in_the_next_feed_of_another() {
    let url = shared_database().await;
    let _cleanup = RemoveSqliteFiles(url.clone());
    let a = TestApp::spawn_on(
        Settings::for_tests(url.clone()),
        ManualClock::new(start_time()),
    )
    .await;
    let b = a.spawn_replica().await;
    let curator = curator(&a).await;
    let (_, token) = ambassador(&a, "amb@acme.example").await;
    let careers = create_topic(&a, &curator, "Careers").await;
    let events = create_topic(&a, &curator, "Events").await;
    let news = publish_new(
        &a,
        &curator,
        input_with(
            "News",
            json!({
                "summary": "Old summary",
                "topicIds": [careers],
                "suggestedTexts": [{ "network": "X", "text": "Old text" }]
            }),
        ),
    )
    .await;
    let shown = |app: &'static str| {
        let server = if app == "a" { &a } else { &b };
        let token = &token;
        async move {
            let res = server
                .gql(
                    Some(token),
                    "{ feed { edges { node { title summary topics { name } suggestedTexts { network text } } } } }",
                    json!({}),
                )
                .await;
            res.data()["feed"]["edges"][0]["node"].clone()
        }
    };
    // B holds its catalogue from here on.
    assert_eq!(
        shown("b").await,
        json!({
            "title": "News",
            "summary": "Old summary",
            "topics": [{ "name": "Careers" }],
            "suggestedTexts": [{ "network": "X", "text": "Old text" }]
        })
    );
    update(
        &a,
        &curator,
        &news,
        input_with(
            "News, updated",
            json!({
                "summary": "New summary",
                "topicIds": [events, careers],
                "suggestedTexts": [
                    { "network": "LINKEDIN", "text": "New long text" },
                    { "network": "X", "text": "New text" }
                ]
            }),
        ),
    )
    .await;
    let expected = json!({
        "title": "News, updated",
        "summary": "New summary",
        "topics": [{ "name": "Careers" }, { "name": "Events" }],
        "suggestedTexts": [
            { "network": "LINKEDIN", "text": "New long text" },
            { "network": "X", "text": "New text" }
        ]
    });
    assert_eq!(shown("b").await, expected);
    assert_eq!(shown("a").await, expected);
}

#[tokio::test]
async fn scheduled_and_expiring_items_follow_the_clock_without_any_write() {
    let url = shared_database().await;
    let _cleanup = RemoveSqliteFiles(url.clone());
    let a = TestApp::spawn_on(
        Settings::for_tests(url.clone()),
        ManualClock::new(start_time()),
    )
    .await;
    let b = a.spawn_replica().await;
    let curator = curator(&a).await;
    let (_, token) = ambassador(&a, "amb@acme.example").await;
    let now = a.clock_now();
    let scheduled = create(&a, &curator, input("Scheduled")).await;
    try_publish(
        &a,
        &curator,
        &scheduled,
        Some(now + Duration::hours(1)),
        None,
    )
    .await
    .data();
    let expiring = create(&a, &curator, input("Expiring")).await;
    try_publish(
        &a,
        &curator,
        &expiring,
        Some(now - Duration::hours(1)),
        Some(now + Duration::minutes(90)),
    )
    .await
    .data();
    assert_eq!(feed_titles(&b, &token).await, vec!["Expiring"]);
    let warm = {
        let before = b.state.statement_count();
        feed_titles(&b, &token).await;
        b.state.statement_count() - before
    };

    // Access tokens last 15 minutes: sign in again on B after each step.
    b.clock.advance(Duration::hours(1));
    let token = b
        .login_token("amb@acme.example", crate::helpers::PASSWORD)
        .await;
    let before = b.state.statement_count();
    assert_eq!(feed_titles(&b, &token).await, vec!["Scheduled", "Expiring"]);
    assert_eq!(
        b.state.statement_count() - before,
        warm,
        "the catalogue was reloaded"
    );

    b.clock.advance(Duration::minutes(30));
    let token = b
        .login_token("amb@acme.example", crate::helpers::PASSWORD)
        .await;
    let before = b.state.statement_count();
    assert_eq!(feed_titles(&b, &token).await, vec!["Scheduled"]);
    assert_eq!(b.state.statement_count() - before, warm);
}

/// Titles of every page of the viewer's feed, `size` at a time.
async fn all_pages(app: &TestApp, token: &str, size: i64, filters: Value) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut vars = filters.clone();
        vars["f"] = json!(size);
        vars["a"] = json!(after);
        let res = feed(app, token, vars).await;
        seen.extend(titles(&res));
        let info = &res.data()["feed"]["pageInfo"];
        if info["hasNextPage"] == false {
            return seen;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
}

/// The same content and viewers on a server with at most `max_items` and
/// `max_bytes` held in memory.
async fn feeds_with_catalogue_of(max_items: usize, max_bytes: usize) -> Vec<Vec<String>> {
    let app = TestApp::spawn_with(|s| {
        s.feed_catalogue_max_items = max_items;
        s.feed_catalogue_max_bytes = max_bytes;
    })
    .await;
    let curator = curator(&app).await;
    let (me, token) = ambassador(&app, "amb@acme.example").await;
    let (_, fr) = ambassador(&app, "fr@acme.example").await;
    set_language(&app, &fr, "fr-CA").await;
    let lyon = create_group(&app, "Lyon", &[&me]).await;
    let paris = create_group(&app, "Paris", &[]).await;
    let careers = create_topic(&app, &curator, "Careers").await;
    let now = app.clock_now();
    let mut ids = Vec::new();
    for i in 0..12 {
        let language = match i % 4 {
            0 => json!("fr"),
            1 => json!("en"),
            _ => Value::Null,
        };
        let targets = match i % 5 {
            0 => json!([lyon]),
            1 => json!([paris]),
            _ => json!([]),
        };
        let id = create(
            &app,
            &curator,
            json!({
                "kind": if i % 3 == 0 { "EVENT" } else { "ARTICLE" },
                "title": format!("Item {i}"),
                "url": format!("https://e.com/{i}"),
                "language": language,
                "targetGroupIds": targets,
                "topicIds": if i % 2 == 0 { json!([careers]) } else { json!([]) },
                "pinned": i % 6 == 0,
            }),
        )
        .await;
        // Some share a publication time, so ties are broken by id.
        try_publish(
            &app,
            &curator,
            &id,
            Some(now - Duration::hours(i / 2)),
            None,
        )
        .await
        .data();
        ids.push(id);
    }
    dismiss(&app, &token, &ids[2]).await.data();
    archive(&app, &curator, &ids[7]).await.data();
    let mut out = Vec::new();
    for (viewer, size) in [(&token, 100), (&token, 2), (&fr, 3)] {
        out.push(all_pages(&app, viewer, size, json!({})).await);
        out.push(all_pages(&app, viewer, size, json!({ "t": careers })).await);
        out.push(all_pages(&app, viewer, size, json!({ "k": "EVENT" })).await);
    }
    out
}

#[tokio::test]
async fn the_feed_is_the_same_from_memory_from_the_database_and_for_an_organization_too_large_to_hold()
 {
    const MIB: usize = 1 << 20;
    let memory = feeds_with_catalogue_of(200_000, 48 * MIB).await;
    assert!(memory.iter().all(|titles| !titles.is_empty()));
    assert_eq!(memory[0], memory[3], "paging by 2 changes nothing");
    assert_eq!(
        memory,
        feeds_with_catalogue_of(0, 48 * MIB).await,
        "database"
    );
    assert_eq!(
        memory,
        feeds_with_catalogue_of(5, 48 * MIB).await,
        "too many"
    );
    // A dozen items take a few kilobytes: 2,000 bytes hold only some.
    assert_eq!(
        memory,
        feeds_with_catalogue_of(200_000, 2_000).await,
        "too big"
    );
}

#[tokio::test]
async fn catalogues_beyond_the_memory_bound_evict_the_least_recently_used_organization() {
    let app = TestApp::spawn_with(|s| s.feed_catalogue_max_items = 4).await;
    let curator = curator(&app).await;
    let (_, acme) = ambassador(&app, "amb@acme.example").await;
    for i in 0..3 {
        publish_new(&app, &curator, input(&format!("Acme {i}"))).await;
        app.clock.advance(Duration::seconds(1));
    }
    let globex = app.create_org("Globex", "globex").await;
    let (amb, _) = app
        .create_user_in(&globex.admin_token, "amb@globex.example", "Amb", &[])
        .await;
    crate::content::make_ambassador(&app, &amb).await;
    let globex_token = app
        .login_token("amb@globex.example", crate::helpers::PASSWORD)
        .await;
    for i in 0..2 {
        publish_new(&app, &globex.admin_token, input(&format!("Globex {i}"))).await;
        app.clock.advance(Duration::seconds(1));
    }
    assert_eq!(
        feed_titles(&app, &acme).await,
        vec!["Acme 2", "Acme 1", "Acme 0"]
    );
    assert_eq!(app.state.feed_catalogues.held_items(), 3);
    // Globex's two items would make five: Acme's catalogue goes.
    assert_eq!(
        feed_titles(&app, &globex_token).await,
        vec!["Globex 1", "Globex 0"]
    );
    assert_eq!(app.state.feed_catalogues.held_items(), 2);
    // Acme's comes back when asked for, and Globex's goes.
    assert_eq!(
        feed_titles(&app, &acme).await,
        vec!["Acme 2", "Acme 1", "Acme 0"]
    );
    assert_eq!(app.state.feed_catalogues.held_items(), 3);
}

// --- the feed rules: one list, two forms ---

/// Deterministic pseudo-random numbers, so a failure replays.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.roll(items.len() as u64) as usize]
    }
}

#[tokio::test]
async fn both_forms_of_the_feed_rules_select_the_same_items_in_the_same_order() {
    use advocacy::content::{
        ContentKind,
        visibility::{self, Facts, FeedCursor, FeedRules, Reader, ReaderRows},
    };
    use entity::{
        content_dismissals, content_groups, content_topics, contents, group_members, groups, topics,
    };
    use sea_orm::{ActiveModelTrait, EntityTrait, QuerySelect, Set};

    let app = TestApp::spawn().await;
    let db = &app.state.db;
    let tenant = Tenant::seeding(app.org.id);
    let org = app.org.id;
    let now = app.clock_now();
    let mut dice = Dice(7);
    let author: Uuid = app.org.admin_id.parse().unwrap();

    let mut group_ids = Vec::new();
    for name in ["a", "b", "c", "d"] {
        let group = groups::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(org),
            name: Set(name.to_owned()),
            created_at: Set(now),
        };
        group_ids.push(group.insert(db).await.unwrap().id);
    }
    let mut topic_ids = Vec::new();
    for name in ["x", "y", "z"] {
        let topic = topics::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(org),
            name: Set(name.to_owned()),
            created_at: Set(now),
        };
        topic_ids.push(topic.insert(db).await.unwrap().id);
    }
    let languages = [None, Some("fr"), Some("fr-CA"), Some("en"), Some("de")];
    let hours = |h: i64| now + Duration::hours(h);
    let mut items = Vec::new();
    for n in 0..80 {
        let publish_at = match dice.roll(10) {
            0 => None,
            // Ties on publishAt, so the id decides the order.
            1 | 2 => Some(hours(-5)),
            _ => Some(hours(dice.roll(200) as i64 - 150)),
        };
        let expires_at = (dice.roll(4) == 0).then(|| hours(dice.roll(100) as i64 - 50));
        let item = contents::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(org),
            kind: Set(dice.pick(&ContentKind::ALL).as_str().to_owned()),
            title: Set(format!("item {n}")),
            summary: Set(None),
            body: Set(None),
            url: Set("https://example.com".to_owned()),
            image_url: Set(None),
            language: Set(dice.pick(&languages).map(str::to_owned)),
            pinned: Set(dice.roll(6) == 0),
            targeted: Set(dice.roll(3) == 0),
            publish_at: Set(publish_at),
            expires_at: Set(expires_at),
            archived_at: Set((dice.roll(8) == 0).then_some(now)),
            created_by: Set(author),
            created_at: Set(hours(-200)),
            updated_at: Set(hours(-200)),
        }
        .insert(db)
        .await
        .unwrap();
        for group_id in &group_ids {
            if item.targeted && dice.roll(3) == 0 {
                content_groups::ActiveModel {
                    organization_id: Set(org),
                    content_id: Set(item.id),
                    group_id: Set(*group_id),
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        for topic_id in &topic_ids {
            if dice.roll(3) == 0 {
                content_topics::ActiveModel {
                    organization_id: Set(org),
                    content_id: Set(item.id),
                    topic_id: Set(*topic_id),
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        items.push(item);
    }
    let links = |pairs: Vec<(Uuid, Uuid)>| {
        let mut out: std::collections::HashMap<Uuid, Vec<Uuid>> = Default::default();
        for (content, other) in pairs {
            out.entry(content).or_default().push(other);
        }
        out
    };
    let item_groups = links(
        content_groups::Entity::find()
            .select_only()
            .columns([
                content_groups::Column::ContentId,
                content_groups::Column::GroupId,
            ])
            .into_tuple()
            .all(db)
            .await
            .unwrap(),
    );
    let item_topics = links(
        content_topics::Entity::find()
            .select_only()
            .columns([
                content_topics::Column::ContentId,
                content_topics::Column::TopicId,
            ])
            .into_tuple()
            .all(db)
            .await
            .unwrap(),
    );

    let mut checked = 0;
    for (email, language) in [
        ("fr-ca@acme.example", "fr-CA"),
        ("en@acme.example", "en"),
        ("de@acme.example", "de-AT"),
    ] {
        let (reader_id, _) = app.create_user(email, &[]).await;
        let reader_id: Uuid = reader_id.parse().unwrap();
        let mut my_groups = HashSet::new();
        for group_id in &group_ids {
            if dice.roll(2) == 0 {
                my_groups.insert(*group_id);
                group_members::ActiveModel {
                    organization_id: Set(org),
                    group_id: Set(*group_id),
                    user_id: Set(reader_id),
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        let mut dismissed = HashSet::new();
        for item in &items {
            if dice.roll(6) == 0 {
                dismissed.insert(item.id);
                content_dismissals::ActiveModel {
                    organization_id: Set(org),
                    user_id: Set(reader_id),
                    content_id: Set(item.id),
                    dismissed_at: Set(now),
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        let reader = Reader::new(reader_id, language);
        let rows = ReaderRows {
            groups: &my_groups,
            dismissed: &dismissed,
        };
        for at in [-100, -5, 0, 30] {
            for (topic_id, kind, since) in [
                (None, None, None),
                (Some(topic_ids[0]), None, None),
                (None, Some(ContentKind::Article), None),
                (Some(topic_ids[1]), Some(ContentKind::Event), None),
                (None, None, Some(hours(-40))),
                (Some(topic_ids[2]), None, Some(hours(-5))),
            ] {
                let whole = FeedRules {
                    topic_id,
                    kind,
                    published_after: since,
                    ..FeedRules::at(hours(at))
                };
                let sql: Vec<contents::Model> =
                    whole.select(tenant, &reader).all(db).await.unwrap();
                // Every third position of the result, and one that is no
                // item's, as cursors.
                let mut cursors: Vec<Option<FeedCursor>> = vec![None];
                cursors.extend(sql.iter().step_by(3).map(|c| Some(FeedCursor::of(c))));
                cursors.push(Some(FeedCursor {
                    pinned: false,
                    publish_at: hours(-7),
                    id: Uuid::nil(),
                }));
                for after in cursors {
                    let feed = FeedRules {
                        after,
                        ..whole.clone()
                    };
                    let from_sql: Vec<Uuid> = feed
                        .select(tenant, &reader)
                        .all(db)
                        .await
                        .unwrap()
                        .iter()
                        .map(|c| c.id)
                        .collect();
                    let rules = feed.rules();
                    let mut in_memory: Vec<(visibility::Key, Uuid)> = items
                        .iter()
                        .map(|c| {
                            let groups = item_groups.get(&c.id).map_or(&[][..], Vec::as_slice);
                            let facts = Facts {
                                id: c.id,
                                pinned: c.pinned,
                                publish_at: c.publish_at.unwrap_or(c.created_at),
                                published: c.publish_at.is_some(),
                                expires_at: c.expires_at,
                                archived: c.archived_at.is_some(),
                                language: c.language.as_deref(),
                                kind: ContentKind::parse(&c.kind),
                                groups: c.targeted.then_some(groups),
                                topics: item_topics.get(&c.id).map_or(&[][..], Vec::as_slice),
                            };
                            (
                                facts.key(),
                                visibility::admits(&rules, &facts, &reader, &rows),
                            )
                        })
                        .filter(|(_, admitted)| *admitted)
                        .map(|(key, _)| (key, key.2))
                        .collect();
                    in_memory.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
                    let in_memory: Vec<Uuid> = in_memory.into_iter().map(|(_, id)| id).collect();
                    assert_eq!(from_sql, in_memory, "{language} at {at}h, {feed:?}");
                    checked += usize::from(!from_sql.is_empty());
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} non-empty comparisons");
}

/// What the daily digest would list for `user` (`feed::new_since`).
async fn digest(app: &TestApp, user: &str, since: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    advocacy::content::feed::new_since(
        &app.state.db,
        &app.state.feed_catalogues,
        Tenant::seeding(app.org.id),
        user.parse().unwrap(),
        since,
        app.clock_now(),
    )
    .await
    .expect("digest")
    .into_iter()
    .map(|c| c.title)
    .collect()
}

#[tokio::test]
async fn the_digest_lists_the_feeds_items_published_since_pinned_first_at_most_ten() {
    for catalogue in [200_000, 0] {
        let app = TestApp::spawn_with(|s| s.feed_catalogue_max_items = catalogue).await;
        let curator = curator(&app).await;
        let (amb, token) = ambassador(&app, "amb@acme.example").await;
        let (other, _) = app.create_user("other@acme.example", &[]).await;
        let elsewhere = create_group(&app, "Elsewhere", &[&other]).await;
        let now = app.clock_now();
        let publish = async |title: String, hours_ago: i64, extra: Value| {
            let id = create(&app, &curator, input_with(&title, extra)).await;
            try_publish(
                &app,
                &curator,
                &id,
                Some(now - Duration::hours(hours_ago)),
                None,
            )
            .await
            .data();
            id
        };
        publish("Yesterday's".to_owned(), 30, json!({})).await;
        for n in 0..11 {
            publish(format!("New {n:02}"), 20 - n, json!({})).await;
        }
        publish("Pinned".to_owned(), 22, json!({ "pinned": true })).await;
        publish(
            "Not for me".to_owned(),
            1,
            json!({ "targetGroupIds": [elsewhere] }),
        )
        .await;
        let dismissed = publish("Dismissed".to_owned(), 1, json!({})).await;
        dismiss(&app, &token, &dismissed).await.data();
        let scheduled = create(&app, &curator, input("Tomorrow's")).await;
        try_publish(
            &app,
            &curator,
            &scheduled,
            Some(now + Duration::hours(2)),
            None,
        )
        .await
        .data();

        let since = now - Duration::hours(24);
        let listed = digest(&app, &amb, since).await;
        // Exactly the feed's items published since, in the feed's order.
        let feed: Vec<String> = feed_titles(&app, &token).await;
        let expected: Vec<String> = feed
            .into_iter()
            .filter(|t| t != "Yesterday's")
            .take(10)
            .collect();
        assert_eq!(listed, expected, "catalogue of {catalogue}");
        assert_eq!(listed[0], "Pinned");
        assert_eq!(listed[1], "New 10");
        assert_eq!(listed.len(), 10);
        // Nothing new: nothing listed.
        assert!(digest(&app, &amb, now).await.is_empty());
        // Only ACTIVE ambassadors get one.
        assert!(digest(&app, &other, since).await.is_empty());
    }
}
