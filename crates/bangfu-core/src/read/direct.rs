//! Reading straight from JSON text, with no intermediate [`Value`](serde_json::Value), under
//! the rules of the value reader ([`super::json_value`] then [`super::from_json_value`]).
//!
//! [`Direct`] wraps a deserializer and hands every type the same visitor calls as the value
//! reader's `Node` would for the same text: every request for a type is answered as
//! `deserialize_any` (as `Node` does), except options, newtype structs and enums (answered
//! as `Node` answers them); a decimal number is refused whatever type asked; a key seen
//! twice in one object is refused, at every depth, ignored values included (the value
//! reader refuses it while it parses); keys are given to the type as text.
//!
//! What it accepts, the value reader accepts, into the same value. It refuses some texts
//! the value reader accepts (a decimal number in an ignored field): its caller reads those
//! again with the value reader, which also gives every typed error; so the direct reading
//! never changes a result, it only makes the accepted lines faster.

use core::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Visitor};

/// A deserializer read under the value reader's rules (see the module documentation).
pub(super) struct Direct<D>(pub(super) D);

/// A visitor given [`Direct`] deserializers and accesses for what it visits.
struct Wrap<V>(V);

/// A seed that deserializes through [`Direct`].
struct Seed<S>(S);

/// A list whose elements are read through [`Direct`].
struct Seq<A>(A);

/// An object whose values are read through [`Direct`], refusing a key seen twice.
struct Map<'de, A> {
    map: A,
    seen: Seen<'de>,
}

/// An enum whose content is read through [`Direct`].
struct Enum<A>(A);

/// A key of an object: borrowed from the text, or unescaped.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

/// The keys seen in one object, to refuse one seen twice: the first [`INLINE_KEYS`] keys
/// borrowed from the text are kept without allocating, the others in a vector.
struct Seen<'de> {
    inline: [&'de str; INLINE_KEYS],
    count: usize,
    others: Vec<Key<'de>>,
}

/// Keys of an object kept without allocating (a request's objects have fewer).
const INLINE_KEYS: usize = 12;

impl<'de> Seen<'de> {
    fn new() -> Self {
        Seen {
            inline: [""; INLINE_KEYS],
            count: 0,
            others: Vec::new(),
        }
    }

    /// Whether `key` was seen already.
    fn contains(&self, key: &str) -> bool {
        let inline = self.inline.get(..self.count).unwrap_or_default();
        inline.contains(&key) || self.others.iter().any(|k| k.as_str() == key)
    }

    /// Keeps `key` as seen.
    fn insert(&mut self, key: Key<'de>) {
        match (key, self.inline.get_mut(self.count)) {
            (Key::Borrowed(s), Some(slot)) => {
                *slot = s;
                self.count = self.count.saturating_add(1);
            }
            (key, _) => self.others.push(key),
        }
    }
}

/// Reads a key as text (a key is always text in JSON).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for Direct<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap(v))
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Wrap(v))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Wrap(v))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Wrap(v))
    }

    /// An ignored value is read all the same: a duplicate key in it is refused.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap(v))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.0.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.0.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.0.visit_u64(v)
    }
    /// No type of bangfu reads a decimal number: refused here whatever the type.
    fn visit_f64<E: de::Error>(self, _v: f64) -> Result<V::Value, E> {
        Err(E::invalid_type(
            de::Unexpected::Other("a decimal number"),
            &self,
        ))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.0.visit_str(v)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.0.visit_borrowed_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.0.visit_string(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Direct(d))
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Direct(d))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Seq(seq))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Map {
            map,
            seen: Seen::new(),
        })
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Enum(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Direct(d))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Seq<A> {
    type Error = A::Error;
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Map<'de, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key_seed(KeySeed)? else {
            return Ok(None);
        };
        if self.seen.contains(key.as_str()) {
            return Err(de::Error::custom("duplicate key"));
        }
        let value = match &key {
            Key::Borrowed(s) => seed.deserialize(BorrowedStrDeserializer::new(s)),
            Key::Owned(s) => seed.deserialize(StrDeserializer::new(s)),
        };
        self.seen.insert(key);
        value.map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Enum<A> {
    type Error = A::Error;
    type Variant = Enum<A::Variant>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Enum<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(seed)?;
        Ok((value, Enum(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Enum<A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(v))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Wrap(v))
    }
}
