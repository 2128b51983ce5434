//! Relay-style keyset pagination: `first` within 1..=100 and opaque cursors
//! that encode the position of the last row seen.

use base64::Engine;
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{AppError, AppResult};

pub const MAX_PAGE: i32 = 100;

/// A validated page size.
#[derive(Clone, Copy, Debug)]
pub struct First(u64);

impl First {
    /// `first` as given, or `default` when absent or null.
    pub fn parse(first: Option<i32>, default: i32) -> AppResult<Self> {
        let first = first.unwrap_or(default);
        if !(1..=MAX_PAGE).contains(&first) {
            return Err(AppError::bad_input(format!(
                "first must be between 1 and {MAX_PAGE}, got {first}"
            )));
        }
        Ok(Self(first as u64))
    }

    pub fn get(self) -> u64 {
        self.0
    }

    /// One more than the page, to learn whether another page follows.
    pub fn probe(self) -> u64 {
        self.0 + 1
    }
}

pub fn encode_cursor<T: Serialize>(position: &T) -> String {
    let json = serde_json::to_vec(position).expect("cursor positions serialize");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor<T: DeserializeOwned>(cursor: &str) -> AppResult<T> {
    let invalid = || AppError::bad_input("cursor is not one this API returned");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

/// A page of rows: `rows` holds at most `first` items.
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_next: bool,
    pub total: Option<u64>,
    pub had_cursor: bool,
}

impl<T> Page<T> {
    /// Splits the probe row off a `first + 1` fetch.
    pub fn from_probe(mut rows: Vec<T>, first: First, had_cursor: bool) -> Self {
        let has_next = rows.len() as u64 > first.get();
        rows.truncate(first.get() as usize);
        Self {
            rows,
            has_next,
            total: None,
            had_cursor,
        }
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `\` as the escape.
pub fn like_contains(needle: &str) -> String {
    let mut escaped = String::with_capacity(needle.len() + 2);
    escaped.push('%');
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_tampering() {
        let c = encode_cursor(&("Ann", 3));
        assert_eq!(decode_cursor::<(String, i32)>(&c).unwrap(), ("Ann".into(), 3));
        assert!(decode_cursor::<(String, i32)>("%%%").is_err());
        assert!(decode_cursor::<(String, i32)>(&encode_cursor(&"x")).is_err());
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
