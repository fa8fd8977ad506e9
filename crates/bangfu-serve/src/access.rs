//! Who calls and what they may see (访问控制): the one function every request goes through
//! ([`authenticate`]) and the one every response body goes through ([`mask_for`]).
//!
//! Today a store has no accounts: every caller is [`Caller::Open`], the `actor` of an
//! operation line is taken as the caller's own, and ID numbers are masked in every body.
//! Accounts, tokens, roles and scopes (issue 11, item 4) go here and nowhere else.

use axum::http::HeaderMap;
use bangfu_eligibility::IdMask;
use serde_json::Value;

use crate::error::ApiError;

/// The caller of a request (调用方), as [`authenticate`] found it.
///
/// # Example
/// ```
/// use bangfu_journal::JournalError;
/// // A store without accounts is open.
/// let caller = bangfu_serve::authenticate(&Default::default(), false, |_| Err(JournalError::Unauthenticated))?;
/// assert_eq!(caller, bangfu_serve::Caller::Open);
/// // A store with accounts wants a token.
/// let refused = bangfu_serve::authenticate(&Default::default(), true, |_| Err(JournalError::Unauthenticated));
/// assert!(refused.is_err());
/// # Ok::<(), bangfu_serve::ApiError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Caller {
    /// A store without accounts: anyone on the listening address, acting as the `actor` its
    /// operation lines name.
    Open,
    /// An account, by its token (`Authorization: Bearer TOKEN`).
    Account(bangfu_journal::Account),
}

/// Authenticates a request from its headers (身份认证): the one place that decides who calls.
/// A store without accounts is open; a store with accounts needs `Authorization: Bearer
/// TOKEN` of one of them (`lookup` finds the account of a token).
///
/// # Errors
/// `journal.unauthenticated` (HTTP 401) for a store with accounts and no token, or a token
/// that is no account's.
///
/// # Example
/// See [`Caller`].
pub fn authenticate(
    headers: &HeaderMap,
    has_accounts: bool,
    lookup: impl FnOnce(&str) -> Result<bangfu_journal::Account, bangfu_journal::JournalError>,
) -> Result<Caller, ApiError> {
    if !has_accounts {
        return Ok(Caller::Open);
    }
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| ApiError::of(&bangfu_journal::JournalError::Unauthenticated))?;
    lookup(token)
        .map(Caller::Account)
        .map_err(|e| ApiError::of(&e))
}

/// Masks what `caller` may not see in a response body (脱敏), in place: the one function
/// every body goes through. Every ID number (公民身份号码: a string of 17 digits and a digit
/// or `X`) is masked by [`IdMask::DISPLAY`], and for an account every person's `name` but its
/// first character, unless the account's role may see them (the aid center, auditors). A
/// store without accounts shows names and masks ID numbers.
///
/// # Example
/// ```
/// use bangfu_serve::{Caller, mask_for};
/// let mut v = serde_json::json!({"persons": [{"id_number": "11010519491231002X"}]});
/// mask_for(&Caller::Open, &mut v);
/// assert_eq!(v["persons"][0]["id_number"], "110105********002X");
/// ```
pub fn mask_for(caller: &Caller, body: &mut Value) {
    match caller {
        Caller::Open => mask_id_numbers(body),
        Caller::Account(a) if a.sees_personal_data() => {}
        Caller::Account(_) => {
            mask_id_numbers(body);
            mask_names(body);
        }
    }
}

/// Masks every `name` value but its first character (张某某 → 张**).
fn mask_names(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, value) in map.iter_mut() {
                match value {
                    Value::String(s) if k == "name" => {
                        let first: String = s.chars().take(1).collect();
                        let rest = s.chars().count().saturating_sub(1);
                        *s = format!("{first}{}", "*".repeat(rest));
                    }
                    other => mask_names(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_names),
        _ => {}
    }
}

/// Whether `text` has the shape of an ID number.
fn looks_like_id_number(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 18
        && b.iter()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 17 && matches!(c, b'X' | b'x')))
}

/// Masks every string that has the shape of an ID number, in keys' values and lists.
fn mask_id_numbers(v: &mut Value) {
    match v {
        Value::String(s) if looks_like_id_number(s) => *s = IdMask::DISPLAY.mask_str(s),
        Value::Array(items) => items.iter_mut().for_each(mask_id_numbers),
        Value::Object(map) => map.values_mut().for_each(mask_id_numbers),
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn masks_by_role() {
        let body =
            serde_json::json!({"person": {"name": "张三丰", "id_number": "11010519491231002X"}});
        let account = |role| {
            Caller::Account(bangfu_journal::Account {
                id: "a".parse().unwrap(),
                roles: vec![role],
                unit: "center".parse().unwrap(),
            })
        };
        let mut finance = body.clone();
        mask_for(&account(bangfu_journal::AccountRole::Finance), &mut finance);
        assert_eq!(finance["person"]["name"], "张**");
        assert_eq!(finance["person"]["id_number"], "110105********002X");
        for role in [
            bangfu_journal::AccountRole::AidCenter,
            bangfu_journal::AccountRole::Auditor,
        ] {
            let mut seen = body.clone();
            mask_for(&account(role), &mut seen);
            assert_eq!(seen, body);
        }
        let mut open = body.clone();
        mask_for(&Caller::Open, &mut open);
        assert_eq!(open["person"]["name"], "张三丰");
        assert_eq!(open["person"]["id_number"], "110105********002X");
    }

    #[test]
    fn masks_only_id_numbers() {
        let mut v = serde_json::json!({"a": "11010519491231002X", "b": ["110105194912310021"], "c": "1101051949123100", "d": 5});
        mask_for(&Caller::Open, &mut v);
        assert_eq!(v["a"], "110105********002X");
        assert_eq!(v["b"][0], "110105********0021");
        assert_eq!(v["c"], "1101051949123100");
    }
}
