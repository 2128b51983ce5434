//! The rows of one organization, drawn from a generator seeded by the run's
//! seed and the organization's place in the run.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Sizes;
use super::sink::{Cell, Sink};

pub struct OrgSpec {
    pub index: u64,
    pub seed: u64,
    pub slug: String,
    pub name: String,
    pub sizes: Sizes,
    pub last_day: NaiveDate,
    pub password_hash: String,
}

pub struct Generated {
    pub organization_id: Uuid,
    pub admin_email: String,
    pub hr_email: String,
    pub curator_email: String,
    pub ambassador_emails: Vec<String>,
    pub tracking_codes: Vec<String>,
    pub rows: BTreeMap<&'static str, u64>,
}

const POINTS_PER_SHARE: i32 = 10;
const NETWORKS: [&str; 6] = ["LINKEDIN", "X", "FACEBOOK", "INSTAGRAM", "XING", "TIKTOK"];
/// How likely an ambassador has an account on each network (LinkedIn always).
const NETWORK_ODDS: [f64; 6] = [1.0, 0.5, 0.3, 0.15, 0.1, 0.05];
/// How much more often a share goes to each network, among one's accounts.
const NETWORK_WEIGHT: [f64; 6] = [6.0, 2.0, 1.5, 1.0, 1.0, 0.5];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    None,
    Invited,
    Declined,
    Active,
    Paused,
    Withdrawn,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::None => "NONE",
            Status::Invited => "INVITED",
            Status::Declined => "DECLINED",
            Status::Active => "ACTIVE",
            Status::Paused => "PAUSED",
            Status::Withdrawn => "WITHDRAWN",
        }
    }
}

struct Person {
    id: Uuid,
    status: Status,
    /// 1 = English, 2 = French.
    lang: u8,
    groups: Vec<u32>,
    enrolled_at: DateTime<Utc>,
    /// When a PAUSED or WITHDRAWN person stopped: they share only before.
    stopped_at: Option<DateTime<Utc>>,
    /// (network index, followers)
    accounts: Vec<(usize, i64)>,
}

struct Item {
    id: Uuid,
    publish_at: DateTime<Utc>,
    /// Until when it can be shared (expiry or archive).
    live_until: Option<DateTime<Utc>>,
    /// 0 = none, 1 = English, 2 = French.
    lang: u8,
    groups: Vec<u32>,
}

fn day_start(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// A time-ordered (v7) id for `at`, with random bits from the generator.
fn uuid_at(rng: &mut StdRng, at: DateTime<Utc>) -> Uuid {
    let bytes: [u8; 10] = rng.random();
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &bytes)
        .into_uuid()
}

fn code(rng: &mut StdRng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn hex64(rng: &mut StdRng) -> String {
    let bytes: [u8; 32] = rng.random();
    hex::encode(bytes)
}

/// A whole number of microseconds in `[0, span)`.
fn micros_within(rng: &mut StdRng, span: Duration) -> Duration {
    let total = span.num_microseconds().unwrap_or(0).max(1);
    Duration::microseconds(rng.random_range(0..total))
}

const FIRST: &[&str] = &[
    "Camille", "Louis", "Emma", "Hugo", "Léa", "Lucas", "Chloé", "Nathan", "Alice", "Jules",
    "Sarah", "Tom", "Anna", "Noah", "Olivia", "James", "Sophie", "Paul", "Julia", "Marc",
];
const LAST: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright",
];
const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Engineering",
    "Marketing",
    "Finance",
    "Operations",
    "Support",
    "HR",
    "Legal",
    "Logistics",
    "Research",
];
const CITIES: &[&str] = &[
    "Paris", "Lyon", "Lille", "Nantes", "London", "Berlin", "Madrid", "Milan", "Toulouse",
    "Brussels",
];
const TOPICS: &[&str] = &[
    "Careers",
    "Innovation",
    "Sustainability",
    "Events",
    "Products",
    "Culture",
    "Customers",
    "Diversity",
    "Engineering",
    "Finance",
    "Health",
    "Industry",
    "Leadership",
    "Partners",
    "Press",
    "Research",
    "Safety",
    "Sports",
    "Training",
    "Volunteering",
];
const KINDS: &[(&str, f64)] = &[
    ("ARTICLE", 0.45),
    ("COMPANY_NEWS", 0.2),
    ("JOB_OFFER", 0.2),
    ("EVENT", 0.1),
    ("TRAINING", 0.05),
];
const COMMENTS: &[&str] = &[
    "Worth a read",
    "Proud of the team!",
    "We are hiring, have a look",
    "Great news",
    "Fier de mon équipe",
];

fn pick_kind(rng: &mut StdRng) -> &'static str {
    let mut u: f64 = rng.random();
    for (kind, p) in KINDS {
        if u < *p {
            return kind;
        }
        u -= p;
    }
    "ARTICLE"
}

/// Distinct values in `0..n`, between `min` and `max` of them.
fn distinct(rng: &mut StdRng, n: u32, min: usize, max: usize) -> Vec<u32> {
    let want = rng.random_range(min..=max).min(n as usize);
    let mut out = Vec::with_capacity(want);
    while out.len() < want {
        let g = rng.random_range(0..n);
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// Splits `total` over `weights` exactly (largest remainders).
fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.partial_cmp(&ra)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

pub async fn organization(sink: &Sink, spec: &OrgSpec) -> anyhow::Result<Generated> {
    let s = &spec.sizes;
    let mut rng = StdRng::seed_from_u64(
        spec.seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(spec.index.wrapping_mul(0xD1B5_4A32_D192_ED03)),
    );
    let mut rows: BTreeMap<&'static str, u64> = BTreeMap::new();
    let first_day = spec.last_day - Duration::days(i64::from(s.days) - 1);
    let start = day_start(first_day);
    // Nothing happens at or after this instant (the start of the day after the last).
    let end = day_start(spec.last_day) + Duration::days(1);
    let domain = format!(
        "{}.bench.example",
        spec.slug.trim_start_matches(super::SLUG_PREFIX)
    );
    let created = start - Duration::days(90);

    // The organization.
    let org_id = uuid_at(&mut rng, created);
    {
        let mut t = sink.table(
            "organizations",
            &[
                "id",
                "name",
                "slug",
                "individual_analytics",
                "minimum_group_size",
                "points_per_share",
                "charter_version",
                "cpm",
                "company_followers",
                "created_at",
            ],
        );
        t.push(vec![
            org_id.into(),
            spec.name.as_str().into(),
            spec.slug.as_str().into(),
            true.into(),
            5.into(),
            POINTS_PER_SHARE.into(),
            "1".into(),
            r#"{"LINKEDIN": 12.5, "X": 6.0, "FACEBOOK": 8.0, "INSTAGRAM": 9.0, "XING": 10.0, "TIKTOK": 5.0}"#.into(),
            r#"{"LINKEDIN": 250000, "X": 80000, "FACEBOOK": 60000}"#.into(),
            created.into(),
        ])
        .await?;
        rows.insert("organizations", t.finish().await?);
    }

    // People: an ADMIN, an HR user and a CURATOR, then employees with
    // ambassador statuses in shuffled order.
    let n = s.employees as usize;
    let a = s.ambassadors as usize;
    let mut statuses = vec![Status::None; n - 3];
    let mut at = 0;
    for (status, count) in [
        (Status::Active, a),
        (Status::Paused, a * 6 / 100),
        (Status::Withdrawn, a * 6 / 100),
        (Status::Invited, a * 20 / 100),
        (Status::Declined, a * 10 / 100),
    ] {
        for _ in 0..count {
            if at < statuses.len() {
                statuses[at] = status;
                at += 1;
            }
        }
    }
    statuses.shuffle(&mut rng);
    let mut people: Vec<Person> = Vec::with_capacity(n);
    let mut emails: Vec<String> = Vec::with_capacity(n);
    let mut users = sink.table(
        "users",
        &[
            "id",
            "organization_id",
            "email",
            "display_name",
            "language",
            "password_hash",
            "roles",
            "ambassador_status",
            "enrolled_at",
            "status_changed_at",
            "created_at",
        ],
    );
    let mut consent = sink.table(
        "consent_records",
        &[
            "id",
            "organization_id",
            "user_id",
            "action",
            "charter_version",
            "created_at",
        ],
    );
    let mut invitations = sink.table(
        "invitations",
        &[
            "id",
            "organization_id",
            "user_id",
            "invited_by",
            "message",
            "created_at",
        ],
    );
    let mut admin_id = Uuid::nil();
    for i in 0..n {
        let (email, roles, status) = match i {
            0 => (format!("admin@{domain}"), "EMPLOYEE,ADMIN", Status::None),
            1 => (format!("hr@{domain}"), "EMPLOYEE,HR", Status::None),
            2 => (
                format!("curator@{domain}"),
                "EMPLOYEE,CURATOR",
                Status::None,
            ),
            _ => (format!("e{i:06}@{domain}"), "EMPLOYEE", statuses[i - 3]),
        };
        let joined = created + micros_within(&mut rng, Duration::days(60));
        let id = uuid_at(&mut rng, joined);
        if i == 0 {
            admin_id = id;
        }
        let language = match rng.random_range(0..20) {
            0..=2 => "fr",
            3 => "fr-FR",
            4..=5 => "en-GB",
            _ => "en",
        };
        let lang = if language.starts_with("fr") { 2 } else { 1 };
        let name = format!(
            "{} {}",
            FIRST[rng.random_range(0..FIRST.len())],
            LAST[rng.random_range(0..LAST.len())]
        );
        // Enrolled before the history starts; PAUSED and WITHDRAWN people
        // stopped within the last half year.
        let enrolled_at = start - Duration::days(20) + micros_within(&mut rng, Duration::days(19));
        let stopped_at = matches!(status, Status::Paused | Status::Withdrawn).then(|| {
            let span = (end - start).min(Duration::days(180));
            end - span + micros_within(&mut rng, span - Duration::hours(1))
        });
        let invited_at = end - Duration::days(40) + micros_within(&mut rng, Duration::days(30));
        let (enrolled, changed) = match status {
            Status::Active => (Some(enrolled_at), Some(enrolled_at)),
            Status::Paused | Status::Withdrawn => (Some(enrolled_at), stopped_at),
            Status::Invited => (None, Some(invited_at)),
            Status::Declined => (None, Some(invited_at + Duration::days(2))),
            Status::None => (None, None),
        };
        users
            .push(vec![
                id.into(),
                org_id.into(),
                email.as_str().into(),
                name.into(),
                language.into(),
                spec.password_hash.as_str().into(),
                roles.into(),
                status.as_str().into(),
                enrolled.into(),
                changed.into(),
                joined.into(),
            ])
            .await?;
        let record = |action: &'static str, at: DateTime<Utc>, rng: &mut StdRng| {
            vec![
                uuid_at(rng, at).into(),
                org_id.into(),
                id.into(),
                action.into(),
                "1".into(),
                at.into(),
            ]
        };
        match status {
            Status::Active => {
                consent
                    .push_child(record("ENROLL", enrolled_at, &mut rng), &mut users)
                    .await?
            }
            Status::Paused | Status::Withdrawn => {
                consent
                    .push_child(record("ENROLL", enrolled_at, &mut rng), &mut users)
                    .await?;
                let action = if status == Status::Paused {
                    "PAUSE"
                } else {
                    "WITHDRAW"
                };
                consent
                    .push_child(
                        record(action, stopped_at.unwrap_or(end), &mut rng),
                        &mut users,
                    )
                    .await?;
            }
            Status::Declined => {
                consent
                    .push_child(
                        record("DECLINE", invited_at + Duration::days(2), &mut rng),
                        &mut users,
                    )
                    .await?;
            }
            _ => {}
        }
        if matches!(status, Status::Invited | Status::Declined) {
            invitations
                .push_child(
                    vec![
                        uuid_at(&mut rng, invited_at).into(),
                        org_id.into(),
                        id.into(),
                        admin_id.into(),
                        Cell::from("Join our ambassador programme"),
                        invited_at.into(),
                    ],
                    &mut users,
                )
                .await?;
        }
        emails.push(email);
        people.push(Person {
            id,
            status,
            lang,
            groups: Vec::new(),
            enrolled_at,
            stopped_at,
            accounts: Vec::new(),
        });
    }
    rows.insert("users", users.finish().await?);
    rows.insert("consent_records", consent.finish().await?);
    rows.insert("invitations", invitations.finish().await?);

    // Social accounts of everyone who is or was an ambassador: followers
    // follow a Pareto law (most a few hundred, a few tens of thousands).
    let mut accounts = sink.table(
        "social_accounts",
        &[
            "organization_id",
            "user_id",
            "network",
            "handle",
            "follower_count",
            "updated_at",
        ],
    );
    for (i, p) in people.iter_mut().enumerate() {
        if !matches!(
            p.status,
            Status::Active | Status::Paused | Status::Withdrawn
        ) {
            continue;
        }
        let base = 60.0 / (1.0 - rng.random::<f64>()).powf(1.0 / 1.2);
        for (k, odds) in NETWORK_ODDS.iter().enumerate() {
            if k > 0 && !rng.random_bool(*odds) {
                continue;
            }
            let followers = (base * (0.3 + rng.random::<f64>())).min(3_000_000.0) as i64;
            p.accounts.push((k, followers));
            accounts
                .push(vec![
                    org_id.into(),
                    p.id.into(),
                    NETWORKS[k].into(),
                    format!("@e{i:06}").into(),
                    followers.into(),
                    p.enrolled_at.into(),
                ])
                .await?;
        }
    }
    rows.insert("social_accounts", accounts.finish().await?);

    // Groups, and one to three memberships per employee.
    let mut group_ids = Vec::with_capacity(s.groups as usize);
    let mut groups = sink.table("groups", &["id", "organization_id", "name", "created_at"]);
    for g in 0..s.groups {
        let id = uuid_at(&mut rng, created);
        group_ids.push(id);
        let name = format!(
            "{} {} {:03}",
            DEPARTMENTS[g as usize % DEPARTMENTS.len()],
            CITIES[(g as usize / DEPARTMENTS.len()) % CITIES.len()],
            g + 1
        );
        groups
            .push(vec![id.into(), org_id.into(), name.into(), created.into()])
            .await?;
    }
    rows.insert("groups", groups.finish().await?);
    let mut members = sink.table("group_members", &["organization_id", "group_id", "user_id"]);
    for p in people.iter_mut() {
        p.groups = distinct(&mut rng, s.groups, 1, 3);
        for g in &p.groups {
            members
                .push(vec![
                    org_id.into(),
                    group_ids[*g as usize].into(),
                    p.id.into(),
                ])
                .await?;
        }
    }
    rows.insert("group_members", members.finish().await?);

    // Topics, and a few followed by each ACTIVE ambassador.
    let mut topic_ids = Vec::new();
    let mut topics = sink.table("topics", &["id", "organization_id", "name", "created_at"]);
    for t in 0..s.topics {
        let id = uuid_at(&mut rng, created);
        topic_ids.push(id);
        let name = match TOPICS.get(t as usize) {
            Some(name) => (*name).to_owned(),
            None => format!("Topic {:03}", t + 1),
        };
        topics
            .push(vec![id.into(), org_id.into(), name.into(), created.into()])
            .await?;
    }
    rows.insert("topics", topics.finish().await?);
    let mut follows = sink.table(
        "topic_follows",
        &["organization_id", "user_id", "topic_id", "created_at"],
    );
    for p in people.iter().filter(|p| p.status == Status::Active) {
        for t in distinct(&mut rng, s.topics, 0, 3) {
            follows
                .push(vec![
                    org_id.into(),
                    p.id.into(),
                    topic_ids[t as usize].into(),
                    p.enrolled_at.into(),
                ])
                .await?;
        }
    }
    rows.insert("topic_follows", follows.finish().await?);

    // Content: items_per_day items a day, about 30% targeted at one to three
    // groups, 20% in French, a few pinned, some with suggested texts.
    let curator_id = people[2].id;
    let mut items: Vec<Item> = Vec::with_capacity((s.days * s.items_per_day) as usize);
    let mut contents = sink.table(
        "contents",
        &[
            "id",
            "organization_id",
            "kind",
            "title",
            "summary",
            "body",
            "url",
            "image_url",
            "language",
            "pinned",
            "targeted",
            "publish_at",
            "expires_at",
            "archived_at",
            "created_by",
            "created_at",
            "updated_at",
        ],
    );
    let mut content_topics = sink.table(
        "content_topics",
        &["organization_id", "content_id", "topic_id"],
    );
    let mut content_groups = sink.table(
        "content_groups",
        &["organization_id", "content_id", "group_id"],
    );
    let mut suggested = sink.table(
        "content_suggested_texts",
        &["organization_id", "content_id", "network", "text"],
    );
    for d in 0..s.days {
        let day = start + Duration::days(i64::from(d));
        for j in 0..s.items_per_day {
            let number = d * s.items_per_day + j + 1;
            let publish_at =
                day + Duration::hours(6) + micros_within(&mut rng, Duration::hours(12));
            let created_at =
                publish_at - Duration::hours(1) - micros_within(&mut rng, Duration::hours(47));
            let id = uuid_at(&mut rng, created_at);
            let kind = pick_kind(&mut rng);
            let lang = match rng.random_range(0..100) {
                0..=19 => 2u8,
                20..=64 => 1,
                _ => 0,
            };
            let targeted = rng.random_bool(0.3);
            let item_groups = if targeted {
                distinct(&mut rng, s.groups, 1, 3)
            } else {
                Vec::new()
            };
            let expires_at = match kind {
                "JOB_OFFER" => Some(publish_at + Duration::days(60)),
                "EVENT" => Some(publish_at + Duration::days(30)),
                _ => None,
            };
            let archived_at = rng
                .random_bool(0.01)
                .then(|| publish_at + Duration::days(20))
                .filter(|t| *t < end);
            let pinned = rng.random_bool(0.002);
            let title = match lang {
                2 => format!("Actualité n°{number} : {kind}"),
                _ => format!("{} #{number}", kind.replace('_', " ").to_lowercase()),
            };
            let summary = rng
                .random_bool(0.7)
                .then(|| format!("What happened at {} this week, item {number}.", spec.name));
            let body = rng.random_bool(0.3).then(|| {
                format!(
                    "Item {number}.\n\nA longer text that the app shows when the item is opened."
                )
            });
            let image = rng
                .random_bool(0.6)
                .then(|| format!("https://cdn.{domain}/img/{number}.jpg"));
            contents
                .push(vec![
                    id.into(),
                    org_id.into(),
                    kind.into(),
                    title.into(),
                    summary.into(),
                    body.into(),
                    format!("https://news.{domain}/items/{number}").into(),
                    image.into(),
                    Cell::from(match lang {
                        1 => Some("en"),
                        2 => Some("fr"),
                        _ => None,
                    }),
                    pinned.into(),
                    targeted.into(),
                    publish_at.into(),
                    expires_at.into(),
                    archived_at.into(),
                    curator_id.into(),
                    created_at.into(),
                    created_at.into(),
                ])
                .await?;
            for t in distinct(&mut rng, s.topics, 1, 2) {
                content_topics
                    .push_child(
                        vec![org_id.into(), id.into(), topic_ids[t as usize].into()],
                        &mut contents,
                    )
                    .await?;
            }
            for g in &item_groups {
                content_groups
                    .push_child(
                        vec![org_id.into(), id.into(), group_ids[*g as usize].into()],
                        &mut contents,
                    )
                    .await?;
            }
            if rng.random_bool(0.25) {
                for k in distinct(&mut rng, 3, 1, 3) {
                    suggested
                        .push_child(
                            vec![
                                org_id.into(),
                                id.into(),
                                NETWORKS[k as usize].into(),
                                format!("Have a look at this ({number})").into(),
                            ],
                            &mut contents,
                        )
                        .await?;
                }
            }
            let live_until = match (expires_at, archived_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            items.push(Item {
                id,
                publish_at,
                live_until,
                lang,
                groups: item_groups,
            });
        }
    }
    rows.insert("contents", contents.finish().await?);
    rows.insert("content_topics", content_topics.finish().await?);
    rows.insert("content_groups", content_groups.finish().await?);
    rows.insert("content_suggested_texts", suggested.finish().await?);

    // Shares, denser on recent days, by ACTIVE ambassadors and by people who
    // have since paused or withdrawn (before they stopped); each of an item
    // the sharer could see, published in the two weeks before; clicks after.
    let mut sharers: Vec<usize> = (0..n)
        .filter(|&i| {
            matches!(
                people[i].status,
                Status::Active | Status::Paused | Status::Withdrawn
            )
        })
        .collect();
    sharers.shuffle(&mut rng);
    let weights: Vec<f64> = (0..s.days)
        .map(|d| 1.0 + 4.0 * (f64::from(d) / f64::from(s.days)).powi(2))
        .collect();
    let per_day = apportion(s.shares, &weights);
    let clicks_per_share = if s.shares == 0 {
        0.0
    } else {
        s.clicks as f64 / s.shares as f64
    };
    let code_stride = (s.shares / 1000).max(1);
    let mut tracking_codes = Vec::new();
    let mut first_shares: HashSet<u64> = HashSet::new();
    let mut shares = sink.table(
        "shares",
        &[
            "id",
            "organization_id",
            "user_id",
            "content_id",
            "network",
            "comment",
            "shared_at",
            "potential_reach",
            "idempotency_key",
            "request_hash",
            "tracking_code",
            "points_awarded",
            "created_at",
        ],
    );
    let mut ledger = sink.table(
        "points_ledger",
        &[
            "id",
            "organization_id",
            "user_id",
            "share_id",
            "content_id",
            "network",
            "points",
            "awarded_at",
        ],
    );
    let mut clicks = sink.table(
        "clicks",
        &[
            "id",
            "organization_id",
            "share_id",
            "content_id",
            "user_id",
            "network",
            "clicked_at",
            "visitor_key",
        ],
    );
    let ipd = s.items_per_day as usize;
    let mut share_number: u64 = 0;
    let mut skipped = 0u64;
    struct Draft {
        sharer: usize,
        item: usize,
        network: usize,
        reach: i64,
        at: DateTime<Utc>,
    }
    for (d, count) in per_day.iter().enumerate() {
        let day = start + Duration::days(d as i64);
        let mut drafts: Vec<Draft> = Vec::with_capacity(*count as usize);
        for _ in 0..*count {
            let mut draft = None;
            for _attempt in 0..50 {
                // A few people share far more than most.
                let sharer = sharers[((sharers.len() as f64) * rng.random::<f64>().powf(2.0))
                    as usize
                    % sharers.len()];
                let p = &people[sharer];
                let back = ((14.0 * rng.random::<f64>().powf(1.5)) as usize).min(d);
                let item = (d - back) * ipd + rng.random_range(0..ipd);
                let it = &items[item];
                let at = day + micros_within(&mut rng, Duration::days(1));
                let visible_lang = it.lang == 0 || it.lang == p.lang;
                let visible_group =
                    it.groups.is_empty() || it.groups.iter().any(|g| p.groups.contains(g));
                let live = it.publish_at < at && it.live_until.is_none_or(|u| at < u);
                let active = p.stopped_at.is_none_or(|t| at < t) && p.enrolled_at < at;
                if !(visible_lang && visible_group && live && active && at < end) {
                    continue;
                }
                let total: f64 = p.accounts.iter().map(|(k, _)| NETWORK_WEIGHT[*k]).sum();
                let mut u = rng.random::<f64>() * total;
                let mut chosen = p.accounts[0];
                for acc in &p.accounts {
                    if u < NETWORK_WEIGHT[acc.0] {
                        chosen = *acc;
                        break;
                    }
                    u -= NETWORK_WEIGHT[acc.0];
                }
                draft = Some(Draft {
                    sharer,
                    item,
                    network: chosen.0,
                    reach: chosen.1,
                    at,
                });
                break;
            }
            match draft {
                Some(draft) => drafts.push(draft),
                None => skipped += 1,
            }
        }
        drafts.sort_by_key(|d| d.at);
        for draft in drafts {
            share_number += 1;
            let p = &people[draft.sharer];
            let it = &items[draft.item];
            let network = NETWORKS[draft.network];
            let share_id = uuid_at(&mut rng, draft.at);
            let comment = rng
                .random_bool(0.3)
                .then(|| COMMENTS[rng.random_range(0..COMMENTS.len())]);
            let key = Uuid::from_bytes(rng.random()).to_string();
            let request_hash = {
                let canonical =
                    serde_json::json!([it.id, network, comment, draft.at.timestamp_micros(),]);
                hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
            };
            let tracking = code(&mut rng);
            if share_number.is_multiple_of(code_stride) && tracking_codes.len() < 1000 {
                tracking_codes.push(tracking.clone());
            }
            let first = first_shares.insert(
                ((draft.sharer as u64) << 35) | ((draft.item as u64) << 3) | draft.network as u64,
            );
            let points = if first { POINTS_PER_SHARE } else { 0 };
            shares
                .push(vec![
                    share_id.into(),
                    org_id.into(),
                    p.id.into(),
                    it.id.into(),
                    network.into(),
                    comment.into(),
                    draft.at.into(),
                    draft.reach.into(),
                    key.into(),
                    request_hash.into(),
                    tracking.into(),
                    points.into(),
                    draft.at.into(),
                ])
                .await?;
            if first {
                ledger
                    .push_child(
                        vec![
                            uuid_at(&mut rng, draft.at).into(),
                            org_id.into(),
                            p.id.into(),
                            share_id.into(),
                            it.id.into(),
                            network.into(),
                            points.into(),
                            draft.at.into(),
                        ],
                        &mut shares,
                    )
                    .await?;
            }
            // Clicks: a geometric number with the wanted mean, most within
            // hours of the share, none after the end of history.
            let q = clicks_per_share / (1.0 + clicks_per_share);
            let mut k = 0u32;
            while rng.random::<f64>() < q {
                k += 1;
            }
            let window = (end - draft.at).min(Duration::days(7));
            for _ in 0..k {
                let u: f64 = rng.random();
                let delay = Duration::microseconds(
                    ((window.num_microseconds().unwrap_or(0) - 1).max(0) as f64 * u.powi(3)) as i64,
                );
                let clicked_at = draft.at + delay;
                clicks
                    .push_child(
                        vec![
                            uuid_at(&mut rng, clicked_at).into(),
                            org_id.into(),
                            share_id.into(),
                            it.id.into(),
                            p.id.into(),
                            network.into(),
                            clicked_at.into(),
                            hex64(&mut rng).into(),
                        ],
                        &mut shares,
                    )
                    .await?;
            }
        }
    }
    if skipped > 0 {
        eprintln!(
            "seed-bench: {}: {skipped} share(s) found no item their sharer could share that day",
            spec.slug
        );
    }
    rows.insert("shares", shares.finish().await?);
    rows.insert("points_ledger", ledger.finish().await?);
    rows.insert("clicks", clicks.finish().await?);

    let ambassador_emails = (0..n)
        .filter(|&i| people[i].status == Status::Active)
        .take(200)
        .map(|i| emails[i].clone())
        .collect();
    Ok(Generated {
        organization_id: org_id,
        admin_email: emails[0].clone(),
        hr_email: emails[1].clone(),
        curator_email: emails[2].clone(),
        ambassador_emails,
        tracking_codes,
        rows,
    })
}
