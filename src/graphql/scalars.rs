//! The contract's custom scalars, and parsing of ids at the edge.

use async_graphql::{ID, InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// RFC 3339 timestamp, always returned in UTC, e.g. 2026-11-26T08:30:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// RFC 3339 timestamp, always returned in UTC, e.g. 2026-11-26T08:30:00Z.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| DateTime(crate::clock::truncate(t.with_timezone(&Utc))))
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "{s:?} is not an RFC 3339 timestamp such as 2026-11-26T08:30:00Z"
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(t: chrono::DateTime<Utc>) -> Self {
        DateTime(t)
    }
}

/// Calendar day in UTC, YYYY-MM-DD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// Calendar day in UTC, YYYY-MM-DD.
#[Scalar(
    name = "Date",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .filter(|_| s.len() == 10)
                .map(Date)
                .ok_or_else(|| {
                    InputValueError::custom(format!("{s:?} is not a date such as 2026-11-26"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// 64-bit integer sent as a JSON number (values stay below 2^53). Used for audience sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Long(pub i64);

/// Largest integer a JSON number carries exactly.
const MAX_SAFE: i64 = (1 << 53) - 1;

/// 64-bit integer sent as a JSON number (values stay below 2^53). Used for audience sizes.
#[Scalar(name = "Long", specified_by_url = "/docs/scalars#long")]
impl ScalarType for Long {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => n
                .as_i64()
                .filter(|v| v.abs() <= MAX_SAFE)
                .map(Long)
                .ok_or_else(|| {
                    InputValueError::custom("expected a whole number below 2^53 in magnitude")
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}

/// Parses an `ID` argument: a malformed one is BAD_USER_INPUT.
pub fn parse_id(id: &ID, what: &str) -> AppResult<Uuid> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| AppError::bad_input(format!("{what} {:?} is not a valid id", id.as_str())))
}

pub fn parse_ids(ids: &[ID], what: &str) -> AppResult<Vec<Uuid>> {
    ids.iter().map(|id| parse_id(id, what)).collect()
}

pub fn to_id(id: Uuid) -> ID {
    ID(id.to_string())
}
