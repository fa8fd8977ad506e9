//! National ID numbers (公民身份号码, GB 11643-1999) and their masking.

use chrono::NaiveDate;

use crate::EligibilityError;
use crate::household::Sex;

/// ISO 7064 MOD 11-2 weights of the first 17 characters.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder 0..=10.
const CHECK: [u8; 11] = *b"10X98765432";
/// The length of an ID number.
pub(crate) const ID_LEN: usize = 18;
/// The first (1-based) position of the digits a mask must hide: the year's last two digits,
/// month, day and sequence (9–17); the region (1–6) and century (7–8) are guessable.
const FREE_DIGITS_FROM: usize = 9;

bangfu_core::coded_enum! {
    /// Why an ID number is invalid (身份证号码错误类型).
    pub enum IdProblem {
        /// Not 18 characters (长度错误).
        Length = ("length", "长度错误", "not 18 characters"),
        /// A character other than digits and a final X (字符错误).
        Characters = ("characters", "含非法字符", "bad characters"),
        /// Characters 7–14 are not a real date (出生日期错误).
        BirthDate = ("birth_date", "出生日期无效", "embedded birth date is not a date"),
        /// The MOD 11-2 check character is wrong (校验码错误).
        CheckDigit = ("check_digit", "校验码错误", "check digit wrong"),
    }
}

/// How much of an ID number may be shown (脱敏规则): the first `keep_first` and the last
/// `keep_last` characters; the rest are `*`.
///
/// When the kept parts would cover the whole text, everything is masked.
///
/// A mask that would let a reader work the number out does not protect it
/// ([`IdMask::protects_id_numbers`]): a policy holding one is refused when it loads, and
/// [`IdNumber::masked`] shows nothing with it.
///
/// # Example
/// ```
/// use bangfu_eligibility::IdMask;
/// let mask = IdMask { keep_first: 6, keep_last: 4 };
/// assert_eq!(mask.mask_str("11010519491231002X"), "110105********002X");
/// assert_eq!(mask.mask_str("12345"), "*****");
/// assert!(mask.protects_id_numbers());
/// // 17 of 18 shown: the check character gives the hidden one back.
/// assert!(!IdMask { keep_first: 17, keep_last: 0 }.protects_id_numbers());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IdMask {
    /// Characters kept at the start.
    pub keep_first: usize,
    /// Characters kept at the end.
    pub keep_last: usize,
}

impl IdMask {
    /// The mask used by `Debug`, `Display` and error messages: the region code and the last
    /// four characters, the common display convention. A policy may set a stricter one for
    /// reports ([`EligibilityPolicy::id_mask`](crate::EligibilityPolicy::id_mask)).
    pub const DISPLAY: IdMask = IdMask {
        keep_first: 6,
        keep_last: 4,
    };

    /// The fewest digits of an ID number a mask must leave unknown
    /// ([`IdMask::unknown_digits`]) to protect it: 4, so that even the weakest mask allowed
    /// leaves about 300 numbers that fit what it shows (see `docs/eligibility.md`).
    pub const MIN_UNKNOWN_DIGITS: usize = 4;

    /// How many digits of an 18-character ID number (公民身份号码) stay unknown under this
    /// mask to a reader who knows the household's region (characters 1–6, its address), the
    /// century of the birth year (characters 7–8: 19 or 20) and the public check arithmetic:
    /// the hidden characters among 9–17 (the year's last two digits, month, day and the
    /// three-digit sequence), less one when the check character (18) is shown, since it
    /// gives back one hidden digit. A mask keeping 18 characters or more counts as showing
    /// the whole number: 0.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::IdMask;
    /// assert_eq!(IdMask::DISPLAY.unknown_digits(), 5); // 9–14 hidden, check shown
    /// assert_eq!(IdMask { keep_first: 10, keep_last: 4 }.unknown_digits(), 3); // month and day
    /// assert_eq!(IdMask { keep_first: 13, keep_last: 0 }.unknown_digits(), 4); // 14–18 hidden
    /// assert_eq!(IdMask { keep_first: 0, keep_last: 17 }.unknown_digits(), 0);
    /// ```
    pub fn unknown_digits(&self) -> usize {
        if self.keep_first.saturating_add(self.keep_last) >= ID_LEN {
            return 0;
        }
        // 1-based positions; here keep_last < ID_LEN.
        let shown = |p: usize| p <= self.keep_first || p > ID_LEN.saturating_sub(self.keep_last);
        let hidden = (FREE_DIGITS_FROM..ID_LEN).filter(|&p| !shown(p)).count();
        if shown(ID_LEN) {
            hidden.saturating_sub(1)
        } else {
            hidden
        }
    }

    /// Whether the mask keeps ID numbers secret: it leaves at least
    /// [`IdMask::MIN_UNKNOWN_DIGITS`] digits unknown. Never true of a mask showing 17 or 18
    /// characters.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::IdMask;
    /// assert!(IdMask { keep_first: 3, keep_last: 4 }.protects_id_numbers());
    /// assert!(!IdMask { keep_first: 16, keep_last: 1 }.protects_id_numbers());
    /// ```
    pub fn protects_id_numbers(&self) -> bool {
        self.unknown_digits() >= Self::MIN_UNKNOWN_DIGITS
    }

    /// Masks any text by this rule, counting characters (not bytes).
    pub fn mask_str(&self, text: &str) -> String {
        let n = text.chars().count();
        let shown = self.keep_first.saturating_add(self.keep_last);
        if shown >= n {
            return "*".repeat(n);
        }
        text.chars()
            .enumerate()
            .map(|(i, c)| {
                if i < self.keep_first || i >= n - self.keep_last {
                    c
                } else {
                    '*'
                }
            })
            .collect()
    }
}

/// A validated national ID number (公民身份号码): 18 characters, a real birth date in
/// characters 7–14, and the ISO 7064 MOD 11-2 check character last (a lowercase `x` is
/// stored as `X`).
///
/// `Debug` and `Display` show it masked by [`IdMask::DISPLAY`]; [`IdNumber::expose`] gives
/// the full number for storage. Serde writes the full number (files are internal records).
///
/// # Example
/// ```
/// use bangfu_eligibility::IdNumber;
/// let id = IdNumber::parse("11010519491231002X")?;
/// assert_eq!(id.to_string(), "110105********002X");
/// assert_eq!(format!("{id:?}"), "IdNumber(110105********002X)");
/// assert_eq!(id.birth_date().to_string(), "1949-12-31");
/// assert!(IdNumber::parse("110105194912310021").is_err()); // check digit
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

impl IdNumber {
    /// Validates an ID number.
    ///
    /// # Errors
    /// [`EligibilityError::InvalidIdNumber`] with the masked input and the problem.
    pub fn parse(text: &str) -> Result<IdNumber, EligibilityError> {
        let fail = |problem| EligibilityError::InvalidIdNumber {
            masked: IdMask::DISPLAY.mask_str(text),
            problem,
        };
        let upper = text.to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if upper.chars().count() != ID_LEN || bytes.len() != ID_LEN {
            return Err(fail(IdProblem::Length));
        }
        let (body, last) = bytes.split_at(ID_LEN - 1);
        if !body.iter().all(u8::is_ascii_digit)
            || !last.iter().all(|b| b.is_ascii_digit() || *b == b'X')
        {
            return Err(fail(IdProblem::Characters));
        }
        if embedded_birth(&upper).is_none() {
            return Err(fail(IdProblem::BirthDate));
        }
        if last.first().copied() != Some(check_char(body)) {
            return Err(fail(IdProblem::CheckDigit));
        }
        Ok(IdNumber(upper))
    }

    /// The birth date in characters 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        // Validated on construction; the fallback is never reached.
        embedded_birth(&self.0).unwrap_or(NaiveDate::MIN)
    }

    /// The sex coded by character 17 (odd: male).
    pub fn sex(&self) -> Sex {
        match self.0.as_bytes().get(16) {
            Some(b) if b.saturating_sub(b'0') % 2 == 1 => Sex::Male,
            _ => Sex::Female,
        }
    }

    /// The number masked by `mask`; every character masked when the mask does not protect
    /// ID numbers ([`IdMask::protects_id_numbers`]), so the masked form never gives the
    /// number away, whatever mask is passed.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::{IdMask, IdNumber};
    /// let id = IdNumber::parse("11010519491231002X")?;
    /// assert_eq!(id.masked(&IdMask { keep_first: 3, keep_last: 4 }), "110***********002X");
    /// assert_eq!(id.masked(&IdMask { keep_first: 17, keep_last: 0 }), "*".repeat(18));
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn masked(&self, mask: &IdMask) -> String {
        if mask.protects_id_numbers() {
            mask.mask_str(&self.0)
        } else {
            "*".repeat(ID_LEN)
        }
    }

    /// The full number, for storage and matching. Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Completes 17 digits with their check character: a test and data-generation helper.
    ///
    /// # Errors
    /// As [`IdNumber::parse`] when `first17` is not 17 digits with a real birth date.
    ///
    /// # Example
    /// ```
    /// let id = bangfu_eligibility::IdNumber::with_check_digit("46010019800101123")?;
    /// assert_eq!(id.expose().len(), 18);
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn with_check_digit(first17: &str) -> Result<IdNumber, EligibilityError> {
        if first17.len() != ID_LEN - 1 || !first17.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EligibilityError::InvalidIdNumber {
                masked: IdMask::DISPLAY.mask_str(first17),
                problem: IdProblem::Characters,
            });
        }
        let mut full = first17.to_owned();
        full.push(char::from(check_char(first17.as_bytes())));
        IdNumber::parse(&full)
    }
}

fn check_char(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.saturating_sub(b'0')) * w)
        .sum();
    CHECK.get((sum % 11) as usize).copied().unwrap_or(b'?')
}

fn embedded_birth(text: &str) -> Option<NaiveDate> {
    let y: i32 = text.get(6..10)?.parse().ok()?;
    let m: u32 = text.get(10..12)?.parse().ok()?;
    let d: u32 = text.get(12..14)?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

impl TryFrom<String> for IdNumber {
    type Error = EligibilityError;
    /// As [`IdNumber::parse`]; a refusal is noted for the typed readers of
    /// [`bangfu_core::read`] (code `eligibility.invalid_id_number`, the number masked).
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&s).map_err(|e| bangfu_core::read::noted(e, &s))
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> String {
        id.0
    }
}

impl core::fmt::Display for IdNumber {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.masked(&IdMask::DISPLAY))
    }
}

impl core::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "IdNumber({})", self.masked(&IdMask::DISPLAY))
    }
}
