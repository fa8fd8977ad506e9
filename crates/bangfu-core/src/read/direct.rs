//! Reading straight from JSON text, with no intermediate [`Value`](serde_json::Value), under
//! the rules of the value reader ([`super::json_value`] then [`super::from_json_value`]).
//!
//! [`Text`] is a small JSON deserializer of its own that hands every type the same visitor
//! calls as the value reader's `Node` would for the same text: every request for a type is
//! answered as `deserialize_any` (as `Node` does), except options, newtype structs and enums
//! (answered as `Node` answers them); strings are borrowed from the text; keys are given to
//! the type as text; a key seen twice in one object is refused, at every depth, ignored
//! values included (the value reader refuses it while it parses).
//!
//! It accepts a subset of what `serde_json` accepts, into the same visits, and refuses the
//! rest: a string with an escape (`\n`, `\"`, `\u…`), a decimal number or one with an
//! exponent, `-0`, an integer beyond 64 bits, nesting deeper than [`MAX_DEPTH`], and anything
//! `serde_json` refuses (a control character in a string, a leading zero, a trailing comma,
//! a missing or extra bracket, trailing text). What it accepts, the value reader accepts,
//! into the same value; what it refuses, its caller reads again with the value reader,
//! which also gives every typed error; so the direct reading never changes a result, it
//! only makes the accepted lines faster. The property test
//! `direct_reading_agrees_with_the_value_reader` compares the two on generated texts.

use core::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};

/// Nesting deeper than this is refused (`serde_json` refuses from 128 on).
pub(super) const MAX_DEPTH: usize = 100;

/// The refusal of the direct reading: the text is read again by the value reader, which
/// says what is wrong; nothing is kept here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("refused by the direct reading")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Refused
    }
}

/// JSON text being read (see the module documentation).
pub(super) struct Text<'de> {
    text: &'de str,
    pos: usize,
    depth: usize,
}

impl<'de> Text<'de> {
    pub(super) fn new(text: &'de str) -> Self {
        Text {
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// The byte at the reading position.
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Skips JSON whitespace and gives the next byte.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b) = self.byte() {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.pos = self.pos.saturating_add(1);
        }
        None
    }

    /// Skips whitespace and takes `want`.
    fn expect(&mut self, want: u8) -> Result<(), Refused> {
        if self.peek() == Some(want) {
            self.pos = self.pos.saturating_add(1);
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// The whole text was read: only whitespace is left.
    pub(super) fn end(&mut self) -> Result<(), Refused> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(Refused),
        }
    }

    /// A string at the reading position (its opening quote next), borrowed from the text;
    /// a string with an escape or a control character is refused.
    fn string(&mut self) -> Result<&'de str, Refused> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = self.text.as_bytes().get(start..).ok_or(Refused)?;
        // The first quote, backslash or control character ends the string or refuses it
        // (the bytes the JSON writer escapes: eight at a time).
        let len = crate::json::first_escape(rest).ok_or(Refused)?;
        if rest.get(len) != Some(&b'"') {
            return Err(Refused);
        }
        let at = start.saturating_add(len);
        self.pos = at.saturating_add(1);
        // Both ends are at a quote (ASCII), so the slice is whole characters.
        self.text.get(start..at).ok_or(Refused)
    }

    /// A literal (`true`, `false`, `null`) at the reading position.
    fn literal(&mut self, word: &str) -> Result<(), Refused> {
        let end = self.pos.saturating_add(word.len());
        if self.text.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// An integer at the reading position, visited as the value reader visits it: `u64`
    /// when not negative, else `i64`.
    fn number<V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, Refused> {
        let negative = self.byte() == Some(b'-');
        if negative {
            self.pos = self.pos.saturating_add(1);
        }
        let start = self.pos;
        let mut n = 0u64;
        while let Some(b) = self.byte().filter(u8::is_ascii_digit) {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(b - b'0')))
                .ok_or(Refused)?;
            self.pos = self.pos.saturating_add(1);
        }
        let digits = self.pos.saturating_sub(start);
        let leading_zero = digits > 1 && self.text.as_bytes().get(start) == Some(&b'0');
        // A decimal number or an exponent: refused (no type of bangfu reads one).
        let more = matches!(self.byte(), Some(b'.' | b'e' | b'E'));
        if digits == 0 || leading_zero || more {
            return Err(Refused);
        }
        if !negative {
            return v.visit_u64(n);
        }
        // `-0` is a float to serde_json; below `i64::MIN` too.
        match n {
            0 => Err(Refused),
            n if n == i64::MIN.unsigned_abs() => v.visit_i64(i64::MIN),
            n => v.visit_i64(i64::try_from(n).map_err(|_| Refused)?.saturating_neg()),
        }
    }

    /// Reads a list or an object with `read`, from its opening bracket (next) to `close`.
    fn nested<T>(
        &mut self,
        close: u8,
        read: impl FnOnce(&mut Self) -> Result<T, Refused>,
    ) -> Result<T, Refused> {
        self.depth = self.depth.saturating_add(1);
        if self.depth > MAX_DEPTH {
            return Err(Refused);
        }
        self.pos = self.pos.saturating_add(1);
        let value = read(self)?;
        self.expect(close)?;
        self.depth = self.depth.saturating_sub(1);
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut Text<'de> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'{') => self.nested(b'}', |text| {
                v.visit_map(Entries {
                    text,
                    first: true,
                    seen: Seen::new(),
                })
            }),
            Some(b'[') => self.nested(b']', |text| v.visit_seq(Items { text, first: true })),
            Some(b'"') => v.visit_borrowed_str(self.string()?),
            Some(b'-' | b'0'..=b'9') => self.number(v),
            Some(b't') => {
                self.literal("true")?;
                v.visit_bool(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                v.visit_bool(false)
            }
            Some(b'n') => {
                self.literal("null")?;
                v.visit_unit()
            }
            _ => Err(Refused),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Refused> {
        v.visit_newtype_struct(self)
    }

    /// A unit variant as its code, or `{"variant": value}` with exactly one entry.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Refused> {
        match self.peek() {
            Some(b'"') => v.visit_enum(BorrowedStrDeserializer::new(self.string()?)),
            Some(b'{') => self.nested(b'}', |text| v.visit_enum(Variant(text))),
            _ => Err(Refused),
        }
    }

    /// An ignored value is read all the same: a duplicate key in it is refused.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        self.deserialize_any(v)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The items of a list.
struct Items<'a, 'de> {
    text: &'a mut Text<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Refused;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Refused> {
        if self.text.peek() == Some(b']') {
            return Ok(None);
        }
        if !std::mem::replace(&mut self.first, false) {
            self.text.expect(b',')?;
            // A trailing comma.
            if self.text.peek() == Some(b']') {
                return Err(Refused);
            }
        }
        seed.deserialize(&mut *self.text).map(Some)
    }
}

/// The entries of an object, refusing a key seen twice.
struct Entries<'a, 'de> {
    text: &'a mut Text<'de>,
    first: bool,
    seen: Seen<'de>,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        if self.text.peek() == Some(b'}') {
            return Ok(None);
        }
        if !std::mem::replace(&mut self.first, false) {
            self.text.expect(b',')?;
        }
        // After a comma, a key must come (no trailing comma).
        let key = self.text.string()?;
        if !self.seen.insert(key) {
            return Err(Refused);
        }
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        self.text.expect(b':')?;
        seed.deserialize(&mut *self.text)
    }
}

/// An enum written as `{"variant": value}`.
struct Variant<'a, 'de>(&'a mut Text<'de>);

impl<'a, 'de> de::EnumAccess<'de> for Variant<'a, 'de> {
    type Error = Refused;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Refused> {
        let name = self.0.string()?;
        let value = seed.deserialize(BorrowedStrDeserializer::<Refused>::new(name))?;
        self.0.expect(b':')?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Refused;

    /// As the value reader: the value of a unit variant written as an object is `null`.
    fn unit_variant(self) -> Result<(), Refused> {
        self.0.literal_after_space("null")
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Refused> {
        seed.deserialize(&mut *self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Refused> {
        de::Deserializer::deserialize_any(&mut *self.0, v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Refused> {
        de::Deserializer::deserialize_any(&mut *self.0, v)
    }
}

impl Text<'_> {
    /// Skips whitespace and takes the literal `word`.
    fn literal_after_space(&mut self, word: &str) -> Result<(), Refused> {
        self.peek();
        self.literal(word)
    }
}

/// The keys seen in one object, to refuse one seen twice: the first [`INLINE_KEYS`] keys
/// are kept without allocating, the others in a vector. A bit of `filter` is set for each
/// key kept (by its length and first and last bytes), so a key whose bit is clear is new
/// without comparing it to any key (the usual case).
struct Seen<'de> {
    inline: [&'de str; INLINE_KEYS],
    count: usize,
    others: Vec<&'de str>,
    filter: u64,
}

/// Keys of an object kept without allocating (a request's objects have fewer).
const INLINE_KEYS: usize = 12;

/// The bit of `key` in [`Seen::filter`]: equal keys have the same bit.
fn filter_bit(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let first = bytes.first().copied().map_or(0, u32::from);
    let last = bytes.last().copied().map_or(0, u32::from);
    // Only the low bits of the length matter: a wrap is one more shared bit.
    let len = u32::from(bytes.len().to_le_bytes().first().copied().unwrap_or(0));
    let h = first.wrapping_mul(7) ^ last.wrapping_mul(3) ^ len.wrapping_mul(13);
    1u64 << (h & 63)
}

impl<'de> Seen<'de> {
    fn new() -> Self {
        Seen {
            inline: [""; INLINE_KEYS],
            count: 0,
            others: Vec::new(),
            filter: 0,
        }
    }

    /// Keeps `key` as seen: whether it is new (`false` for a key seen already, not kept
    /// again).
    fn insert(&mut self, key: &'de str) -> bool {
        let bit = filter_bit(key);
        if self.filter & bit != 0 {
            let inline = self.inline.get(..self.count).unwrap_or_default();
            if inline.contains(&key) || self.others.contains(&key) {
                return false;
            }
        }
        self.filter |= bit;
        match self.inline.get_mut(self.count) {
            Some(slot) => {
                *slot = key;
                self.count = self.count.saturating_add(1);
            }
            None => self.others.push(key),
        }
        true
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_key_seen_twice_is_found_whatever_its_bit() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        let mut seen = Seen::new();
        for k in &keys {
            assert!(seen.insert(k), "{k}");
        }
        for k in &keys {
            assert!(!seen.insert(k), "{k}");
        }
        assert!(seen.insert("k40"));
        assert!(seen.insert("other"));
        assert!(!seen.insert("k40"));
    }
}
