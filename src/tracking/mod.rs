//! Tracking links: codes, the redirect target with UTM parameters, and
//! which visitors count as clicks.

use rand::{Rng, distr::Alphanumeric};
use uuid::Uuid;

use crate::domain::SocialNetwork;

/// Length of a tracking code: 62^12 ≈ 3·10^21 possibilities.
pub const CODE_LENGTH: usize = 12;

/// A new unguessable tracking code from the thread's cryptographic RNG.
pub fn new_code() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(CODE_LENGTH)
        .map(char::from)
        .collect()
}

/// Whether `code` could be one of ours, so garbage never reaches the database.
pub fn is_well_formed(code: &str) -> bool {
    (10..=64).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Link-preview robots fetch every posted link; their fetches are not clicks.
const ROBOTS: &[&str] = &[
    "linkedinbot",
    "twitterbot",
    "facebookexternalhit",
    "slackbot",
    "whatsapp",
    "telegrambot",
    "discordbot",
    "googlebot",
    "bingbot",
    "bot",
    "crawler",
    "spider",
];

pub fn is_robot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ROBOTS.iter().any(|r| ua.contains(r))
}

/// The content URL with `utm_source`, `utm_medium` and `utm_campaign` set:
/// other query parameters and the fragment are kept as they were written,
/// and any `utm_*` the URL already had is replaced.
pub fn redirect_target(content_url: &str, network: SocialNetwork, content_id: Uuid) -> String {
    // Parsing percent-encodes what HTTP headers cannot carry (a non-ASCII
    // path) and leaves existing escapes alone.
    let normalized = url::Url::parse(content_url)
        .map(String::from)
        .unwrap_or_else(|_| content_url.to_owned());
    let (before_fragment, fragment) = match normalized.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (normalized.as_str(), None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut params: Vec<String> = query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default();
            let key = percent_decode_lower(key);
            !key.starts_with("utm_")
        })
        .map(str::to_owned)
        .collect();
    params.push(format!(
        "utm_source={}",
        network.as_str().to_ascii_lowercase()
    ));
    params.push("utm_medium=employee_advocacy".to_owned());
    params.push(format!("utm_campaign={content_id}"));
    let mut target = format!("{base}?{}", params.join("&"));
    if let Some(fragment) = fragment {
        target.push('#');
        target.push_str(fragment);
    }
    target
}

fn percent_decode_lower(s: &str) -> String {
    url::form_urlencoded::parse(format!("{s}=").as_bytes())
        .next()
        .map(|(k, _)| k.to_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> Uuid {
        Uuid::parse_str("01936b2e-0000-7000-8000-000000000001").unwrap()
    }

    #[test]
    fn codes_are_long_alphanumeric_and_distinct() {
        let a = new_code();
        let b = new_code();
        assert_eq!(a.len(), CODE_LENGTH);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert!(is_well_formed(&a));
        assert!(!is_well_formed("short"));
        assert!(!is_well_formed("has-a-dash-in-it"));
    }

    #[test]
    fn robots_are_recognised_in_any_case() {
        for ua in [
            "LinkedInBot/1.0 (compatible; Mozilla/5.0)",
            "Twitterbot/1.0",
            "facebookexternalhit/1.1",
            "Slackbot-LinkExpanding 1.0",
            "WhatsApp/2.23.20.0",
            "TelegramBot (like TwitterBot)",
            "Mozilla/5.0 (compatible; Discordbot/2.0)",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
            "SomeCrawler/3",
            "my-SPIDER",
        ] {
            assert!(is_robot(ua), "{ua}");
        }
        assert!(!is_robot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
        ));
        assert!(!is_robot(""));
    }

    #[test]
    fn utm_parameters_are_added_and_the_rest_kept() {
        assert_eq!(
            redirect_target("https://ex.com/a", SocialNetwork::Linkedin, id()),
            format!(
                "https://ex.com/a?utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign={}",
                id()
            )
        );
        assert_eq!(
            redirect_target(
                "https://ex.com/a?x=1&utm_source=old&b=%20c&UTM_Medium=m#top",
                SocialNetwork::X,
                id()
            ),
            format!(
                "https://ex.com/a?x=1&b=%20c&utm_source=x&utm_medium=employee_advocacy&utm_campaign={}#top",
                id()
            )
        );
        assert_eq!(
            redirect_target("https://ex.com/caf%C3%A9?#", SocialNetwork::Other, id()),
            format!(
                "https://ex.com/caf%C3%A9?utm_source=other&utm_medium=employee_advocacy&utm_campaign={}#",
                id()
            )
        );
        assert_eq!(
            redirect_target(
                "https://ex.com/café/ünï?q=é#frag",
                SocialNetwork::Xing,
                id()
            ),
            format!(
                "https://ex.com/caf%C3%A9/%C3%BCn%C3%AF?q=%C3%A9&utm_source=xing&utm_medium=employee_advocacy&utm_campaign={}#frag",
                id()
            )
        );
    }

    #[test]
    fn a_non_ascii_url_without_fragment_is_percent_encoded_too() {
        assert_eq!(
            redirect_target("https://ex.com/café?q=é", SocialNetwork::Facebook, id()),
            format!(
                "https://ex.com/caf%C3%A9?q=%C3%A9&utm_source=facebook&utm_medium=employee_advocacy&utm_campaign={}",
                id()
            )
        );
    }
}
