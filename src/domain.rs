//! Enumerations and validated values shared by every area. Values are parsed
//! once at the edge; inside, the types say they are valid.

use unicode_normalization::UnicodeNormalization;
use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

use crate::error::{AppError, AppResult};

/// A social network an ambassador shares on.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SocialNetwork {
    Linkedin,
    X,
    Facebook,
    Instagram,
    Xing,
    Tiktok,
    Other,
}

impl SocialNetwork {
    pub const ALL: [SocialNetwork; 7] = [
        SocialNetwork::Linkedin,
        SocialNetwork::X,
        SocialNetwork::Facebook,
        SocialNetwork::Instagram,
        SocialNetwork::Xing,
        SocialNetwork::Tiktok,
        SocialNetwork::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SocialNetwork::Linkedin => "LINKEDIN",
            SocialNetwork::X => "X",
            SocialNetwork::Facebook => "FACEBOOK",
            SocialNetwork::Instagram => "INSTAGRAM",
            SocialNetwork::Xing => "XING",
            SocialNetwork::Tiktok => "TIKTOK",
            SocialNetwork::Other => "OTHER",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// Where an employee stands in the volunteer ambassador programme.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AmbassadorStatus {
    /// Never invited, never enrolled.
    None,
    /// Invited by HR; no answer yet.
    Invited,
    /// Enrolled volunteer: receives the feed and records shares.
    Active,
    /// Enrolled but taking a break: keeps history, receives no feed.
    Paused,
    /// Declined an invitation: HR cannot invite again for 90 days.
    Declined,
    /// Left the programme: no longer named in any ranking; cannot be invited again for 90 days.
    Withdrawn,
}

impl AmbassadorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AmbassadorStatus::None => "NONE",
            AmbassadorStatus::Invited => "INVITED",
            AmbassadorStatus::Active => "ACTIVE",
            AmbassadorStatus::Paused => "PAUSED",
            AmbassadorStatus::Declined => "DECLINED",
            AmbassadorStatus::Withdrawn => "WITHDRAWN",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "INVITED" => AmbassadorStatus::Invited,
            "ACTIVE" => AmbassadorStatus::Active,
            "PAUSED" => AmbassadorStatus::Paused,
            "DECLINED" => AmbassadorStatus::Declined,
            "WITHDRAWN" => AmbassadorStatus::Withdrawn,
            _ => AmbassadorStatus::None,
        }
    }
}

/// Trims `value` and checks it has 1..=max characters.
pub fn required_text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(AppError::bad_input(format!("{field} must not be empty")));
    }
    max_chars(field, trimmed, max)?;
    Ok(trimmed.to_owned())
}

/// Checks that `value` has at most `max` characters (Unicode scalar values).
pub fn max_chars(field: &str, value: &str, max: usize) -> AppResult<()> {
    if value.chars().count() > max {
        return Err(AppError::bad_input(format!(
            "{field} must be at most {max} characters"
        )));
    }
    Ok(())
}

/// A syntactically valid email address, lower-cased and in Unicode NFC,
/// with no invisible character and no part that mixes scripts the way
/// look-alikes do (`bоb` with a Cyrillic `о`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// The one spelling of an address: trimmed, lower-cased, NFC. Sign-in
    /// looks addresses up in this form too.
    pub fn normalize(value: &str) -> String {
        value.trim().to_lowercase().nfc().collect()
    }

    pub fn parse(value: &str) -> AppResult<Self> {
        let value = Self::normalize(value);
        if value.chars().count() > 254 || !email_address::EmailAddress::is_valid(&value) {
            return Err(AppError::bad_input(format!(
                "email {value:?} is not a valid address"
            )));
        }
        // An address without a dot in its domain cannot receive mail from outside.
        let domain = value.rsplit('@').next().unwrap_or_default();
        if !domain.contains('.') || domain.starts_with('[') {
            return Err(AppError::bad_input(format!(
                "email {value:?} is not a valid address"
            )));
        }
        let local = value.rsplit_once('@').map_or("", |(l, _)| l);
        if !plain_part(local) || !domain.split('.').all(plain_part) {
            return Err(AppError::bad_input(format!(
                "email {value:?} holds an invisible character or mixes scripts"
            )));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Whether a part of an address (the local part, a domain label) reads as
/// what it is: no invisible or joining character, and letters of one
/// script, or of the combinations a language writes with (UTS #39 "highly
/// restrictive", e.g. Han with Hiragana, or Latin with either).
fn plain_part(part: &str) -> bool {
    if part.is_ascii() {
        return true;
    }
    let visible = part.chars().all(|c| {
        c.is_ascii()
            || (GeneralSecurityProfile::identifier_allowed(c)
                && !matches!(c, '\u{200c}' | '\u{200d}'))
    });
    let letters: String = part.chars().filter(|c| c.is_alphanumeric()).collect();
    visible && letters.as_str().detect_restriction_level() <= RestrictionLevel::HighlyRestrictive
}

/// A well-formed BCP 47 language tag, in its canonical case (`fr`, `en-GB`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(value: &str) -> AppResult<Self> {
        let value = value.trim();
        let tag = language_tags::LanguageTag::parse(value)
            .ok()
            .filter(|t| t.validate().is_ok() && value.len() <= 35)
            .ok_or_else(|| {
                AppError::bad_input(format!(
                    "language {value:?} is not a BCP 47 tag such as \"fr\" or \"en-GB\""
                ))
            })?;
        Ok(Self(canonical_case(tag.as_str())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// BCP 47 case conventions: language lower, script title, region upper.
fn canonical_case(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_lowercase()
            } else if part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                part.to_uppercase()
            } else if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                let lower = part.to_lowercase();
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            } else {
                part.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_validated_and_canonicalised() {
        assert_eq!(LanguageTag::parse("FR").unwrap().as_str(), "fr");
        assert_eq!(LanguageTag::parse("en-gb").unwrap().as_str(), "en-GB");
        assert_eq!(
            LanguageTag::parse("zh-hant-tw").unwrap().as_str(),
            "zh-Hant-TW"
        );
        assert!(LanguageTag::parse("not a tag").is_err());
        assert!(LanguageTag::parse("").is_err());
        assert!(LanguageTag::parse("english").is_err());
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@localhost",
            "a b@example.com",
            "b\u{43e}b@example.com",
            "bo\u{200b}b@example.com",
            "bo\u{200c}b@example.com",
            "bo\u{2060}b@example.com",
            "bo\u{3164}b@example.com",
            "bo\u{fe0f}b@example.com",
            "bob@exa\u{43c}ple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        for good in [
            "\u{431}\u{43e}\u{440}\u{438}\u{441}@example.com",
            "jos\u{e9}.garc\u{ed}a+news@example.com",
            "\u{5c71}\u{7530}\u{305f}\u{308d}\u{3046}@example.jp",
            "user@b\u{fc}cher.example",
        ] {
            assert!(Email::parse(good).is_ok(), "{good:?} refused");
        }
        // NFD and NFC spellings are one address.
        assert_eq!(
            Email::parse("Zoe\u{308}@example.com").unwrap().as_str(),
            "zo\u{eb}@example.com"
        );
    }
}
