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
/// let caller = bangfu_serve::authenticate(&Default::default())?;
/// assert_eq!(caller, bangfu_serve::Caller::Open);
/// # Ok::<(), bangfu_serve::ApiError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Caller {
    /// A store without accounts: anyone on the listening address, acting as the `actor` its
    /// operation lines name.
    Open,
}

/// Authenticates a request from its headers (身份认证): the one place that decides who calls.
///
/// # Errors
/// None today (a store without accounts is open); with accounts, a refusal with its code
/// (HTTP 401/403).
///
/// # Example
/// See [`Caller`].
pub fn authenticate(headers: &HeaderMap) -> Result<Caller, ApiError> {
    let _ = headers;
    Ok(Caller::Open)
}

/// Masks what `caller` may not see in a response body (脱敏), in place: the one function
/// every body goes through. Today every ID number (公民身份号码: a string of 17 digits and
/// a digit or `X`) is masked by [`IdMask::DISPLAY`], whoever asks.
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
    fn masks_only_id_numbers() {
        let mut v = serde_json::json!({"a": "11010519491231002X", "b": ["110105194912310021"], "c": "1101051949123100", "d": 5});
        mask_for(&Caller::Open, &mut v);
        assert_eq!(v["a"], "110105********002X");
        assert_eq!(v["b"][0], "110105********0021");
        assert_eq!(v["c"], "1101051949123100");
    }
}
