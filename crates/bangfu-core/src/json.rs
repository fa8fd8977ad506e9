//! A hand-written JSON writer (JSON 输出): objects, arrays and strings written straight into
//! a caller's reused byte buffer, escaped exactly as `serde_json` escapes them, with no
//! intermediate value or string per field.
//!
//! The writers of the decision lines of `bangfu eval` are built on it; a property test of
//! each compares them with `serde_json`'s serialisation of the same types, so the two can
//! never drift. A leaf (an id, an amount, a date, a code) is written by its own `Serialize`
//! implementation through [`leaf`], so its text is the text serde writes.
//!
//! ```
//! use bangfu_core::json::Object;
//! use bangfu_core::Money;
//! let mut out = Vec::new();
//! let mut o = Object::open(&mut out);
//! o.str("name", "say \"hi\"\n");
//! o.leaf("amount", &Money::from_yuan(12)?);
//! o.opt_leaf::<Money>("none", None);
//! assert!(o.close());
//! assert_eq!(out, br#"{"name":"say \"hi\"\n","amount":"12.00"}"#);
//! # Ok::<(), bangfu_core::CoreError>(())
//! ```

use core::fmt::{self, Display};

use serde::Serialize;
use serde::ser::{self, Impossible};

/// What `serde_json` writes for a byte of a string: 0 for the byte itself, else the letter
/// after the backslash (`u` for `\u00XX`).
const fn escape_of(b: u8) -> u8 {
    match b {
        0x08 => b'b',
        0x09 => b't',
        0x0a => b'n',
        0x0c => b'f',
        0x0d => b'r',
        0x00..=0x1f => b'u',
        b'"' => b'"',
        b'\\' => b'\\',
        _ => 0,
    }
}

/// Whether any byte of `bytes` needs an escape (a control character, `"` or `\\`).
fn needs_escape(bytes: &[u8]) -> bool {
    first_escape(bytes).is_some()
}

/// The position of the first byte of `bytes` that needs an escape (a control character, `"`
/// or `\\`): eight bytes at a time, the first such byte of a word found from its bits; the
/// last few bytes one by one. Also where a JSON string being read ends (or has an escape or
/// a control character): the direct reading's string scan.
pub(crate) fn first_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0usize;
    while let Some(eight) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*eight);
        // A byte below 0x20, or equal to `"` or `\\` (each a zero byte after the xor): the
        // tests of "a byte below n" and "a zero byte". A borrow only runs upwards from a
        // byte that is found, so the lowest byte found is the first (little-endian order).
        let below = w.wrapping_sub(ONES.wrapping_mul(0x20)) & !w;
        let q = w ^ ONES.wrapping_mul(u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let b = w ^ ONES.wrapping_mul(u64::from(b'\\'));
        let backslash = b.wrapping_sub(ONES) & !b;
        let found = (below | quote | backslash) & HIGH;
        if found != 0 {
            // At most 7: the byte's index in the word.
            let index = usize::try_from(found.trailing_zeros() / 8).unwrap_or(0);
            return Some(at.saturating_add(index));
        }
        at = at.saturating_add(8);
    }
    let rest = bytes.get(at..)?;
    let found = rest
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')?;
    Some(at.saturating_add(found))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the contents of a JSON string for `text` (without the quotes), escaped as
/// `serde_json` escapes it: `"` and `\`, the control characters (`\b \t \n \f \r`, the others
/// as `\u00xx`); everything else, non-ASCII included, as it is.
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// bangfu_core::json::escape_into(&mut out, "a\"b\\c\u{1}é");
/// assert_eq!(out, "a\\\"b\\\\c\\u0001é".as_bytes());
/// ```
pub fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let esc = escape_of(b);
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        start = i.saturating_add(1);
        if esc == b'u' {
            let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
        } else {
            out.extend_from_slice(&[b'\\', esc]);
        }
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// Appends `text` as a JSON string (quoted and escaped, see [`escape_into`]).
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// bangfu_core::json::string(&mut out, "医疗\t1");
/// assert_eq!(out, "\"医疗\\t1\"".as_bytes());
/// ```
#[inline]
pub fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escape_into(out, text);
    out.push(b'"');
}

/// A `fmt::Write` that escapes what is written into a JSON string's contents: text formatted
/// with `write!` goes straight into the buffer, escaped, with no string of its own.
///
/// # Example
/// ```
/// use core::fmt::Write;
/// let mut out = Vec::new();
/// write!(bangfu_core::json::Escaped(&mut out), "{} \"{}\"", 1, "a")?;
/// assert_eq!(out, br#"1 \"a\""#);
/// # Ok::<(), core::fmt::Error>(())
/// ```
#[derive(Debug)]
pub struct Escaped<'a>(pub &'a mut Vec<u8>);

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_into(self.0, s);
        Ok(())
    }
}

/// Appends what `value` displays as a JSON string (what `serde`'s `collect_str` writes).
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// bangfu_core::json::display(&mut out, format_args!("{}+{}", 1, 2));
/// assert_eq!(out, br#""1+2""#);
/// ```
pub fn display(out: &mut Vec<u8>, value: impl Display) {
    use fmt::Write;
    // A formatted text comes in many small pieces (each literal, each number): escaping
    // each piece on its own cost more than the formatting.
    pieces(out, |raw| {
        // Writing to a vector never fails; a `Display` that fails leaves what it wrote.
        let _written = write!(Raw(raw), "{value}");
    });
}

/// Appends as a JSON string the text that `fill` appends to the buffer as it is (whole
/// `str` pieces): the text is checked for an escape once as a whole, and escaped after in
/// the rare case it needs one.
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// bangfu_core::json::pieces(&mut out, |raw| {
///     raw.extend_from_slice(b"aid|");
///     raw.extend_from_slice("a\"b".as_bytes());
/// });
/// assert_eq!(out, br#""aid|a\"b""#);
/// ```
pub fn pieces(out: &mut Vec<u8>, fill: impl FnOnce(&mut Vec<u8>)) {
    out.push(b'"');
    let start = out.len();
    fill(out);
    if needs_escape(out.get(start..).unwrap_or_default()) {
        let raw = out.split_off(start);
        // Whole `str` pieces were appended, so the bytes are UTF-8.
        escape_into(out, &String::from_utf8_lossy(&raw));
    }
    out.push(b'"');
}

/// A `fmt::Write` that appends what is written as it is (no escape), for [`display`].
struct Raw<'a>(&'a mut Vec<u8>);

impl fmt::Write for Raw<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Appends an unsigned integer as JSON.
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// bangfu_core::json::unsigned(&mut out, 1_024);
/// assert_eq!(out, b"1024");
/// ```
pub fn unsigned(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    out.extend_from_slice(digits(n, &mut buf).as_bytes());
}

/// The decimal digits of `n` (what `Display` writes), in the end of `buf`.
///
/// # Example
/// ```
/// let mut buf = [0u8; 20];
/// assert_eq!(bangfu_core::json::digits(2018, &mut buf), "2018");
/// assert_eq!(bangfu_core::json::digits(u64::MAX, &mut buf), u64::MAX.to_string());
/// ```
pub fn digits(n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    let mut n = n;
    loop {
        at = at.saturating_sub(1);
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    // Digits only: ASCII.
    core::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or_default()
}

/// A value that is not a leaf for [`leaf`] (a list, a map, a struct, a float, bytes): the
/// caller writes it another way.
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// assert!(bangfu_core::json::leaf(&mut out, &vec![1]).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotALeaf;

impl Display for NotALeaf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a JSON leaf")
    }
}

impl std::error::Error for NotALeaf {}

impl ser::Error for NotALeaf {
    fn custom<T: Display>(_msg: T) -> Self {
        NotALeaf
    }
}

/// Appends `value` as `serde_json` writes it, for a value that serializes as a string, an
/// integer, a boolean, a unit variant, `null` or an option of these (ids, amounts, dates,
/// codes): its own `Serialize` writes straight into the buffer.
///
/// # Errors
/// [`NotALeaf`] for any other value (what was written of it is left in `out`).
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, Money, NaiveDate, json};
/// let mut out = Vec::new();
/// json::leaf(&mut out, &AidCategory::Medical)?;
/// json::leaf(&mut out, &Some(Money::from_yuan(3)?))?;
/// json::leaf(&mut out, &true)?;
/// assert_eq!(out, br#""medical""3.00"true"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn leaf<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), NotALeaf> {
    value.serialize(Leaf(out))
}

/// The serializer of [`leaf`].
struct Leaf<'a>(&'a mut Vec<u8>);

impl Leaf<'_> {
    fn signed(self, v: i64) -> Result<(), NotALeaf> {
        if v < 0 {
            self.0.push(b'-');
        }
        unsigned(self.0, v.unsigned_abs());
        Ok(())
    }
}

impl<'a> ser::Serializer for Leaf<'a> {
    type Ok = ();
    type Error = NotALeaf;
    type SerializeSeq = Impossible<(), NotALeaf>;
    type SerializeTuple = Impossible<(), NotALeaf>;
    type SerializeTupleStruct = Impossible<(), NotALeaf>;
    type SerializeTupleVariant = Impossible<(), NotALeaf>;
    type SerializeMap = Impossible<(), NotALeaf>;
    type SerializeStruct = Impossible<(), NotALeaf>;
    type SerializeStructVariant = Impossible<(), NotALeaf>;

    fn serialize_bool(self, v: bool) -> Result<(), NotALeaf> {
        self.0
            .extend_from_slice(if v { b"true".as_slice() } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), NotALeaf> {
        self.signed(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), NotALeaf> {
        self.signed(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), NotALeaf> {
        self.signed(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), NotALeaf> {
        self.signed(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), NotALeaf> {
        unsigned(self.0, u64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), NotALeaf> {
        unsigned(self.0, u64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), NotALeaf> {
        unsigned(self.0, u64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), NotALeaf> {
        unsigned(self.0, v);
        Ok(())
    }
    fn serialize_f32(self, _v: f32) -> Result<(), NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_f64(self, _v: f64) -> Result<(), NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_char(self, v: char) -> Result<(), NotALeaf> {
        let mut buf = [0u8; 4];
        string(self.0, v.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), NotALeaf> {
        string(self.0, v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_none(self) -> Result<(), NotALeaf> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NotALeaf> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NotALeaf> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), NotALeaf> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), NotALeaf> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), NotALeaf> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, NotALeaf> {
        Err(NotALeaf)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, NotALeaf> {
        Err(NotALeaf)
    }
    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), NotALeaf> {
        display(self.0, value);
        Ok(())
    }
}

/// A JSON object being written: each field writes its comma and key, then its value. It
/// remembers whether every value could be written (see [`Object::close`]).
///
/// # Example
/// See the [module](self) example.
#[derive(Debug)]
pub struct Object<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
    ok: bool,
}

impl<'a> Object<'a> {
    /// Opens an object (writes `{`).
    pub fn open(out: &'a mut Vec<u8>) -> Object<'a> {
        out.push(b'{');
        Object {
            out,
            empty: true,
            ok: true,
        }
    }

    /// Goes on writing an object whose `{` and first fields are already in `out` (a
    /// flattened object written by parts).
    ///
    /// # Example
    /// ```
    /// let mut out = br#"{"line":1"#.to_vec();
    /// let mut o = bangfu_core::json::Object::resume(&mut out);
    /// o.str("kind", "medical");
    /// assert!(o.close());
    /// assert_eq!(out, br#"{"line":1,"kind":"medical"}"#);
    /// ```
    pub fn resume(out: &'a mut Vec<u8>) -> Object<'a> {
        Object {
            out,
            empty: false,
            ok: true,
        }
    }

    /// Writes the comma and `"name":` of a field, giving the buffer for its value. Names
    /// are the types' own field names (plain ASCII), written as they are.
    #[inline]
    pub fn key(&mut self, name: &str) -> &mut Vec<u8> {
        self.out.reserve(name.len().saturating_add(4));
        self.out
            .extend_from_slice(if self.empty { b"\"" } else { b",\"" });
        self.empty = false;
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// A string field.
    #[inline]
    pub fn str(&mut self, name: &str, value: &str) {
        string(self.key(name), value);
    }

    /// A field with the text `value` displays, as a string.
    pub fn display(&mut self, name: &str, value: impl Display) {
        display(self.key(name), value);
    }

    /// An unsigned integer field.
    #[inline]
    pub fn unsigned(&mut self, name: &str, value: u64) {
        unsigned(self.key(name), value);
    }

    /// A leaf field (see [`leaf`]); a value that is not a leaf marks the object failed.
    pub fn leaf<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if leaf(self.key(name), value).is_err() {
            self.ok = false;
        }
    }

    /// A code field (an enum of [`coded_enum!`](crate::coded_enum)): its code as a string,
    /// what its `Serialize` writes (the code is the serde name), without the serializer.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{AidCategory, json::Object};
    /// let mut out = Vec::new();
    /// let mut o = Object::open(&mut out);
    /// o.code("category", &AidCategory::Medical);
    /// assert!(o.close());
    /// assert_eq!(out, serde_json::to_vec(&serde_json::json!({"category": AidCategory::Medical}))?);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[inline]
    pub fn code(&mut self, name: &str, value: &impl crate::Coded) {
        string(self.key(name), value.code());
    }

    /// A leaf field written only when there is a value (serde's
    /// `skip_serializing_if = "Option::is_none"`).
    pub fn opt_leaf<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(v) = value {
            self.leaf(name, v);
        }
    }

    /// A field written by `value` (an object or a list written with [`Object`] or
    /// [`Array`]); `value` says whether it could write it.
    pub fn with(&mut self, name: &str, value: impl FnOnce(&mut Vec<u8>) -> bool) {
        if !value(self.key(name)) {
            self.ok = false;
        }
    }

    /// The fields of `value`, a struct, as `serde_json` writes them, flattened into this
    /// object (for the types that have no writer of their own).
    ///
    /// # Example
    /// ```
    /// let mut out = Vec::new();
    /// let mut o = bangfu_core::json::Object::open(&mut out);
    /// o.str("kind", "x");
    /// o.serde_fields(&bangfu_core::Citation::new("doc"));
    /// assert!(o.close());
    /// assert_eq!(out, br#"{"kind":"x","document":"doc"}"#);
    /// ```
    pub fn serde_fields<T: Serialize + ?Sized>(&mut self, value: &T) {
        let at = self.out.len();
        if serde_json::to_writer(&mut *self.out, value).is_err()
            || self.out.get(at) != Some(&b'{')
            || self.out.pop() != Some(b'}')
        {
            self.ok = false;
            return;
        }
        if self.out.len() == at.saturating_add(1) {
            // `{}`: no field.
            self.out.truncate(at);
        } else if self.empty {
            self.out.remove(at);
            self.empty = false;
        } else if let Some(b) = self.out.get_mut(at) {
            *b = b',';
        }
    }

    /// Marks the object failed (a value could not be written).
    pub fn fail(&mut self) {
        self.ok = false;
    }

    /// Closes the object (writes `}`): whether every value could be written.
    pub fn close(self) -> bool {
        self.out.push(b'}');
        self.ok
    }
}

/// A JSON list being written: each item writes its comma. See [`Object`].
///
/// # Example
/// ```
/// use bangfu_core::json::Array;
/// let mut out = Vec::new();
/// let mut a = Array::open(&mut out);
/// a.leaf(&1u32);
/// a.leaf("two");
/// assert!(a.close());
/// assert_eq!(out, br#"[1,"two"]"#);
/// ```
#[derive(Debug)]
pub struct Array<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
    ok: bool,
}

impl<'a> Array<'a> {
    /// Opens a list (writes `[`).
    pub fn open(out: &'a mut Vec<u8>) -> Array<'a> {
        out.push(b'[');
        Array {
            out,
            empty: true,
            ok: true,
        }
    }

    /// Writes the comma before an item, giving the buffer for it.
    #[inline]
    pub fn item(&mut self) -> &mut Vec<u8> {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.out
    }

    /// A leaf item (see [`leaf`]).
    pub fn leaf<T: Serialize + ?Sized>(&mut self, value: &T) {
        if leaf(self.item(), value).is_err() {
            self.ok = false;
        }
    }

    /// A code item (see [`Object::code`]).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{AidKind, json::Array};
    /// let mut out = Vec::new();
    /// let mut a = Array::open(&mut out);
    /// a.code(&AidKind::Regular);
    /// assert!(a.close());
    /// assert_eq!(out, serde_json::to_vec(&[AidKind::Regular])?);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[inline]
    pub fn code(&mut self, value: &impl crate::Coded) {
        string(self.item(), value.code());
    }

    /// An item written by `value`, which says whether it could write it.
    pub fn with(&mut self, value: impl FnOnce(&mut Vec<u8>) -> bool) {
        if !value(self.item()) {
            self.ok = false;
        }
    }

    /// Closes the list (writes `]`): whether every item could be written.
    pub fn close(self) -> bool {
        self.out.push(b']');
        self.ok
    }
}

/// Appends a citation as `serde_json` writes a [`Citation`](crate::Citation).
///
/// # Example
/// ```
/// let c = bangfu_core::Citation::new("doc").section("六(一)3");
/// let mut out = Vec::new();
/// bangfu_core::json::citation(&mut out, &c);
/// assert_eq!(out, serde_json::to_vec(&c)?);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn citation(out: &mut Vec<u8>, c: &crate::Citation) {
    let mut o = Object::open(out);
    o.str("document", &c.document);
    if let Some(s) = &c.section {
        o.str("section", s);
    }
    if let Some(n) = &c.note {
        o.str("note", n);
    }
    if c.assumed {
        o.key("assumed").extend_from_slice(b"true");
    }
    o.close();
}

/// Appends one parameter use as `serde_json` writes a
/// [`ParameterUse`](crate::ParameterUse), from its parts (borrowed, or displayed); the
/// citation as given or as its table wrote it (see [`crate::CitationRef`]).
///
/// # Example
/// ```
/// use bangfu_core::{CitationId, NaiveDate, ParameterUse};
/// let p = ParameterUse { name: "aid.medical.rate".into(), value: "0.5".into(),
///     from: NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(), cite: CitationId::new("x")?, citation: None };
/// let mut out = Vec::new();
/// bangfu_core::json::parameter(&mut out, &p.name, &p.value, p.from, &p.cite, None);
/// assert_eq!(out, serde_json::to_vec(&p)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parameter(
    out: &mut Vec<u8>,
    name: impl Display,
    value: impl Display,
    from: chrono::NaiveDate,
    cite: &crate::CitationId,
    citation: Option<crate::CitationRef<'_>>,
) -> bool {
    let mut o = Object::open(out);
    o.display("name", name);
    o.display("value", value);
    o.leaf("from", &Date(from));
    o.str("cite", cite.as_str());
    if let Some(c) = citation {
        c.write_json(o.key("citation"));
    }
    o.close()
}

/// Appends one step as `serde_json` writes a [`Step`](crate::Step), from its parts: the
/// texts as they display, the result, and the rule it cites (id, date, citation).
///
/// # Example
/// ```
/// use bangfu_core::Step;
/// let s = Step::new("封顶 1.00", "capped at 1.00", "1.00");
/// let mut out = Vec::new();
/// bangfu_core::json::step(&mut out, &s.zh, &s.en, &s.result, None, None, None);
/// assert_eq!(out, serde_json::to_vec(&s)?);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn step(
    out: &mut Vec<u8>,
    zh: impl Display,
    en: impl Display,
    result: impl Display,
    cite: Option<&crate::CitationId>,
    from: Option<chrono::NaiveDate>,
    citation: Option<crate::CitationRef<'_>>,
) -> bool {
    let mut o = Object::open(out);
    o.display("zh", zh);
    o.display("en", en);
    o.display("result", result);
    if let Some(cite) = cite {
        o.str("cite", cite.as_str());
    }
    if let Some(from) = from {
        o.leaf("from", &Date(from));
    }
    if let Some(c) = citation {
        c.write_json(o.key("citation"));
    }
    o.close()
}

/// A date that serializes as `YYYY-MM-DD` ([`iso_date`](crate::iso_date)).
struct Date(chrono::NaiveDate);

impl Serialize for Date {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::iso_date::serialize(&self.0, s)
    }
}

/// Appends `date` as `serde_json` writes it with [`iso_date`](crate::iso_date).
///
/// # Example
/// ```
/// let mut out = Vec::new();
/// bangfu_core::json::date(&mut out, bangfu_core::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap());
/// assert_eq!(out, br#""2018-03-01""#);
/// ```
pub fn date(out: &mut Vec<u8>, date: chrono::NaiveDate) {
    // Digit by digit into the buffer (dates are on every decision line), as `iso_date`
    // writes them; a year it does not write so is written through it.
    match crate::iso_date::digits(&date) {
        Some(text) => {
            out.push(b'"');
            out.extend_from_slice(&text);
            out.push(b'"');
        }
        // A date is always a leaf.
        None => {
            let _leaf = leaf(out, &Date(date));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use proptest::prelude::*;

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2_000)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        /// Any string is escaped as serde_json escapes it.
        #[test]
        fn strings_as_serde_json(
            text in any::<String>(),
            control in "[\u{0}-\u{1f}\"\\\\a-zé]{0,40}",
            one in "[a-zA-Z0-9/|.é-]{0,30}[\u{0}-\u{1f}\"\\\\\u{7f}]?[a-z0-9~]{0,30}",
        ) {
            for t in [&text, &control, &one] {
                let mut out = Vec::new();
                super::string(&mut out, t);
                prop_assert_eq!(out, serde_json::to_vec(t).unwrap());
            }
        }

        /// The first byte to escape, found eight bytes at a time, is the first found one by
        /// one (any bytes; specials close together, so that one word holds several).
        #[test]
        fn first_escape_is_the_first_byte_to_escape(
            bytes in prop::collection::vec(any::<u8>(), 0..40),
            near in prop::collection::vec(prop::sample::select(vec![0u8, 0x1f, 0x20, b'"', b'\\', b'!', b'[', b']', 0x7f, 0x80, 0xa2, 0xff, b'a']), 0..40),
        ) {
            for b in [&bytes, &near] {
                let one_by_one = b.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\');
                prop_assert_eq!(super::first_escape(b), one_by_one);
            }
        }

        /// A text formatted in pieces is escaped as serde_json escapes the whole text (the
        /// pieces are checked once, together, and escaped when one needs it).
        #[test]
        fn displayed_text_as_serde_json(
            text in any::<String>(),
            control in "[\u{0}-\u{1f}\"\\\\a-zé]{0,40}",
            plain in "[a-zA-Z0-9/|.é 年-]{0,30}",
            n in any::<u32>(),
        ) {
            for (a, b) in [(&plain, &text), (&control, &plain), (&plain, &plain), (&text, &control)] {
                let mut out = b"x".to_vec();
                super::display(&mut out, format_args!("{a} = {n}{b}"));
                let mut expected = b"x".to_vec();
                expected.extend(serde_json::to_vec(&format!("{a} = {n}{b}")).unwrap());
                prop_assert_eq!(out, expected);
            }
        }

        /// Any date as serde_json writes it with `iso_date` (years past 9999 and before 0 too).
        #[test]
        fn dates_as_serde_json(days in -4_000_000i32..4_000_000) {
            let date = chrono::NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            let mut out = Vec::new();
            super::date(&mut out, date);
            let mut ser = serde_json::Serializer::new(Vec::new());
            crate::iso_date::serialize(&date, &mut ser).unwrap();
            prop_assert_eq!(out, ser.into_inner());
        }

        /// Integers and options as serde_json writes them.
        #[test]
        fn numbers_as_serde_json(n in any::<u64>(), i in any::<i64>(), o in any::<Option<i32>>()) {
            let mut out = Vec::new();
            super::leaf(&mut out, &n).unwrap();
            prop_assert_eq!(&out, &serde_json::to_vec(&n).unwrap());
            out.clear();
            super::leaf(&mut out, &i).unwrap();
            prop_assert_eq!(&out, &serde_json::to_vec(&i).unwrap());
            out.clear();
            super::leaf(&mut out, &o).unwrap();
            prop_assert_eq!(&out, &serde_json::to_vec(&o).unwrap());
        }
    }
}
