//! Demo content for `seed-demo`: about forty items of every kind over the
//! last weeks, some targeted, some in French, some pinned, one scheduled,
//! one expired, one draft and one archived.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::{content_groups, content_suggested_texts, content_topics, contents};
use sea_orm::{ConnectionTrait, Set};
use uuid::Uuid;

use super::ContentKind;
use crate::{domain::SocialNetwork, error::AppResult, tenant::Tenant};

/// (kind, English title, French title, topic)
const ITEMS: &[(ContentKind, &str, &str, &str)] = &[
    (
        ContentKind::Article,
        "Our branch network in the regional press",
        "Notre réseau d'agences dans la presse régionale",
        "Innovation",
    ),
    (
        ContentKind::Article,
        "How we finance local renovation projects",
        "Comment nous finançons la rénovation locale",
        "Sustainability",
    ),
    (
        ContentKind::Article,
        "Five questions to our chief economist",
        "Cinq questions à notre économiste en chef",
        "Innovation",
    ),
    (
        ContentKind::Article,
        "Mobile banking: what customers ask for",
        "Banque mobile : ce que demandent les clients",
        "Innovation",
    ),
    (
        ContentKind::Article,
        "A greener mortgage, explained",
        "Le prêt vert expliqué",
        "Sustainability",
    ),
    (
        ContentKind::Article,
        "Why we back small businesses",
        "Pourquoi nous soutenons les petites entreprises",
        "Careers",
    ),
    (
        ContentKind::JobOffer,
        "Customer advisers wanted in Lyon",
        "Conseillers clientèle recherchés à Lyon",
        "Careers",
    ),
    (
        ContentKind::JobOffer,
        "Data engineers: join our platform team",
        "Ingénieurs data : rejoignez notre plateforme",
        "Careers",
    ),
    (
        ContentKind::JobOffer,
        "Apprenticeships open for next autumn",
        "Alternances ouvertes pour la rentrée",
        "Careers",
    ),
    (
        ContentKind::JobOffer,
        "Risk analysts, Paris",
        "Analystes risques, Paris",
        "Careers",
    ),
    (
        ContentKind::JobOffer,
        "Branch managers for new openings",
        "Directeurs d'agence pour nos ouvertures",
        "Careers",
    ),
    (
        ContentKind::JobOffer,
        "Security engineers, remote friendly",
        "Ingénieurs sécurité, télétravail possible",
        "Careers",
    ),
    (
        ContentKind::Event,
        "Job fair at our Lyon campus",
        "Forum emploi sur notre campus de Lyon",
        "Events",
    ),
    (
        ContentKind::Event,
        "Open day for students",
        "Journée portes ouvertes étudiants",
        "Events",
    ),
    (
        ContentKind::Event,
        "Webinar: saving for a first home",
        "Webinaire : épargner pour un premier logement",
        "Events",
    ),
    (
        ContentKind::Event,
        "Meet our tech teams at the developer summit",
        "Rencontrez nos équipes tech au sommet développeurs",
        "Events",
    ),
    (
        ContentKind::Event,
        "Charity run for financial literacy",
        "Course solidaire pour l'éducation financière",
        "Events",
    ),
    (
        ContentKind::Event,
        "Women in finance breakfast",
        "Petit-déjeuner femmes de la finance",
        "Events",
    ),
    (
        ContentKind::Training,
        "A training to become a customer adviser in 12 weeks",
        "Devenir conseiller clientèle en 12 semaines",
        "Trainings",
    ),
    (
        ContentKind::Training,
        "Free course: budgeting basics",
        "Cours gratuit : bases du budget",
        "Trainings",
    ),
    (
        ContentKind::Training,
        "Reskilling programme for cloud operations",
        "Reconversion aux métiers du cloud",
        "Trainings",
    ),
    (
        ContentKind::Training,
        "Cyber-security awareness for small firms",
        "Sensibilisation cyber pour les TPE",
        "Trainings",
    ),
    (
        ContentKind::Training,
        "Sustainable finance certificate",
        "Certificat de finance durable",
        "Trainings",
    ),
    (
        ContentKind::Training,
        "Coding bootcamp scholarships",
        "Bourses pour un bootcamp de code",
        "Trainings",
    ),
    (
        ContentKind::CompanyNews,
        "Record customer satisfaction this year",
        "Satisfaction client record cette année",
        "Innovation",
    ),
    (
        ContentKind::CompanyNews,
        "We are opening ten new branches",
        "Nous ouvrons dix nouvelles agences",
        "Careers",
    ),
    (
        ContentKind::CompanyNews,
        "Our new app is live",
        "Notre nouvelle application est en ligne",
        "Innovation",
    ),
    (
        ContentKind::CompanyNews,
        "Carbon footprint down by a fifth",
        "Empreinte carbone en baisse d'un cinquième",
        "Sustainability",
    ),
    (
        ContentKind::CompanyNews,
        "Half-year results",
        "Résultats semestriels",
        "Innovation",
    ),
    (
        ContentKind::CompanyNews,
        "A new partnership with local schools",
        "Un nouveau partenariat avec les écoles",
        "Careers",
    ),
    (
        ContentKind::Study,
        "Study: how households save in 2026",
        "Étude : comment épargnent les ménages en 2026",
        "Innovation",
    ),
    (
        ContentKind::Study,
        "Report: small business confidence",
        "Rapport : la confiance des petites entreprises",
        "Innovation",
    ),
    (
        ContentKind::Study,
        "Survey: young people and money",
        "Enquête : les jeunes et l'argent",
        "Careers",
    ),
    (
        ContentKind::Study,
        "Climate risk in our loan book",
        "Le risque climatique de nos crédits",
        "Sustainability",
    ),
    (
        ContentKind::Study,
        "Trades short of staff in our regions",
        "Les métiers en tension dans nos régions",
        "Trainings",
    ),
    (
        ContentKind::Study,
        "Digital habits of our customers",
        "Les usages numériques de nos clients",
        "Innovation",
    ),
    (
        ContentKind::Video,
        "A day with a branch adviser",
        "Une journée avec une conseillère",
        "Careers",
    ),
    (
        ContentKind::Video,
        "Behind the scenes of our data centre",
        "Les coulisses de notre data center",
        "Innovation",
    ),
    (
        ContentKind::Video,
        "Our volunteers in action",
        "Nos bénévoles en action",
        "Sustainability",
    ),
    (
        ContentKind::Video,
        "Three minutes on green loans",
        "Trois minutes sur les prêts verts",
        "Sustainability",
    ),
    (
        ContentKind::Video,
        "Meet the apprentices",
        "Rencontrez les alternants",
        "Careers",
    ),
    (
        ContentKind::Video,
        "The job fair in 90 seconds",
        "Le forum emploi en 90 secondes",
        "Events",
    ),
];

/// Groups some items are aimed at, by position; the rest reach everyone.
const TARGETS: &[&str] = &["Paris", "Lyon", "Sales", "Engineering"];

pub async fn seed(
    conn: &impl ConnectionTrait,
    tenant: Tenant,
    author: Uuid,
    topics: &HashMap<&str, Uuid>,
    groups: &HashMap<&str, Uuid>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (i, (kind, english, french, topic)) in ITEMS.iter().enumerate() {
        let i = i as i64;
        // Every third item is in French, every fifth in no particular language.
        let (title, language) = match i % 15 {
            n if n % 3 == 1 => (*french, Some("fr")),
            n if n % 5 == 0 => (*english, None),
            _ => (*english, Some("en")),
        };
        let created = now - Duration::hours(32 * (ITEMS.len() as i64 - i)) - Duration::days(1);
        let mut publish_at = Some(created + Duration::hours(2));
        let mut expires_at = None;
        let mut archived_at = None;
        match i {
            // The newest: scheduled for the day after tomorrow.
            41 => publish_at = Some(now + Duration::days(2)),
            // A job fair that is over.
            12 => expires_at = Some(now - Duration::days(5)),
            // Still being written.
            40 => publish_at = None,
            // Taken down.
            3 => archived_at = Some(now - Duration::days(10)),
            _ => {}
        }
        let target = (i % 4 == 2).then(|| TARGETS[(i as usize / 4) % TARGETS.len()]);
        let item = tenant
            .create(
                conn,
                contents::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    kind: Set(kind.as_str().to_owned()),
                    title: Set(title.to_owned()),
                    summary: Set(Some(format!("{title}: read more on our site."))),
                    body: Set(None),
                    url: Set(format!("https://demo-bank.example/news/{}", i + 1)),
                    image_url: Set((i % 2 == 0)
                        .then(|| format!("https://demo-bank.example/img/{}.jpg", i + 1))),
                    language: Set(language.map(str::to_owned)),
                    pinned: Set(matches!(i, 30 | 37)),
                    targeted: Set(target.is_some()),
                    publish_at: Set(publish_at),
                    expires_at: Set(expires_at),
                    archived_at: Set(archived_at),
                    created_by: Set(author),
                    created_at: Set(created),
                    updated_at: Set(created),
                    ..Default::default()
                },
            )
            .await?;
        if let Some(topic_id) = topics.get(topic) {
            tenant
                .insert(content_topics::ActiveModel {
                    content_id: Set(item.id),
                    topic_id: Set(*topic_id),
                    ..Default::default()
                })
                .exec(conn)
                .await?;
        }
        if let Some(group_id) = target.and_then(|g| groups.get(g)) {
            tenant
                .insert(content_groups::ActiveModel {
                    content_id: Set(item.id),
                    group_id: Set(*group_id),
                    ..Default::default()
                })
                .exec(conn)
                .await?;
        }
        let texts = [
            (
                SocialNetwork::Linkedin,
                format!("{title}. Proud to share this."),
            ),
            (SocialNetwork::X, format!("{title} #DemoBank")),
        ];
        tenant
            .insert_many(texts.into_iter().map(|(network, text)| {
                content_suggested_texts::ActiveModel {
                    content_id: Set(item.id),
                    network: Set(network.as_str().to_owned()),
                    text: Set(text),
                    ..Default::default()
                }
            }))
            .exec(conn)
            .await?;
    }
    super::catalogue::bump_version(conn, tenant, now).await?;
    Ok(())
}
