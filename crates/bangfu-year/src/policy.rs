//! Policy files: one TOML file per jurisdiction, every value dated and cited.

use bangfu_aid::AidPolicy;
use bangfu_core::{CitationId, Citations, Coded, MinimumLivingStandard};
use bangfu_eligibility::EligibilityPolicy;
use bangfu_funding::FundingPolicy;
use bangfu_scoring::ScoringPolicy;

use crate::input::InputError;

/// What a policy file says about itself.
///
/// # Example
/// ```
/// let p = bangfu_data::hainan2018::policy()?;
/// assert_eq!(p.meta.jurisdiction, "CN-HI");
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    /// The jurisdiction's code, such as `CN-HI` for Hainan.
    pub jurisdiction: String,
    /// The policy's name in Chinese.
    pub name_zh: String,
    /// The policy's name in English.
    pub name_en: String,
    /// The file's own version.
    pub version: String,
}

/// A jurisdiction's policy (帮扶政策参数): the citation table and one section per crate.
///
/// # Example
/// ```
/// let p = bangfu_data::hainan2018::policy()?;
/// assert!(p.funding.sources.len() >= 4);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// About the file.
    pub meta: PolicyMeta,
    /// Every source a value cites, by id.
    pub citations: Citations,
    /// Fund sources, earmarks, channels, carry-over.
    pub funding: FundingPolicy,
    /// Categories and tiers, exclusions, documents, the procedure's durations, review rules.
    pub eligibility: EligibilityPolicy,
    /// Medical, living, sending-warmth and education aid.
    pub aid: AidPolicy,
    /// The local urban minimum living standard (城市居民最低生活保障标准) per city, dated and
    /// cited: the one table that the eligibility income line and the living-aid cap read
    /// (the loader hands it to both sections).
    pub minimum_living_standard: MinimumLivingStandard,
    /// Sampling, the survey interval, consistency tolerances.
    pub scoring: ScoringPolicy,
    /// The allocation plan's rules (分配方案: per-household standards, reserve, quorum), if
    /// the policy has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation: Option<crate::oversight::AllocationPolicy>,
    /// The payment checks' rules (发放核查: the call-back ratio), if the policy has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_checks: Option<crate::oversight::PaymentChecksPolicy>,
    /// The campaigns (专项活动: 两节送温暖, 女职工关爱行动, …), each with its window, eligible
    /// persons, amount, budget and sources ([`crate::campaign`]). None by default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<crate::campaign::Campaign>,
}

impl Policy {
    /// Parses and validates a policy file.
    ///
    /// # Errors
    /// An [`InputError`] with the line for malformed TOML, a missing or unknown field or a bad
    /// value; a rule of a section broken, with the section's code and its line;
    /// `policy.unknown_citation` for a value citing an undefined id, at the line citing it;
    /// [`MINIMUM_STANDARD_MOVED`] for a file that writes the local minimum living standard
    /// under a section's old key (it is the one top-level `[minimum_living_standard]` table,
    /// handed to both the eligibility section and the aid section);
    /// `core.minimum_standard.unknown_city` when the table's own city is not listed.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// let err = bangfu_year::Policy::from_toml("[meta]\njurisdiction = \"x\"\n").unwrap_err();
    /// assert_eq!(err.code(), "read.missing_field");
    /// ```
    pub fn from_toml(text: &str) -> Result<Policy, InputError> {
        let parsed = crate::input::parse_toml::<Policy>(text);
        if let Some(key) = old_standard_key(text) {
            return Err(InputError::InvalidPolicy {
                line: section_line(text, key),
                code: MINIMUM_STANDARD_MOVED,
                message: format!(
                    "{key} is no longer a key: the local minimum living standard is written \
                     once, as the top-level [minimum_living_standard] table (city = the \
                     policy's own city; [[minimum_living_standard.cities.CITY]] with from, \
                     value and cite), which eligibility and the living-aid cap both read"
                ),
            });
        }
        let mut policy = parsed?;
        let invalid =
            |section: &str, code: &'static str, message: String| InputError::InvalidPolicy {
                line: section_line(text, section),
                code,
                message,
            };
        policy
            .eligibility
            .validate()
            .map_err(|e| invalid("eligibility", e.code(), e.to_string()))?;
        policy.aid.validate().map_err(|e| {
            let section = match &e {
                bangfu_aid::AidError::InvalidPolicy { parameter, .. } => parameter.as_str(),
                _ => "aid",
            };
            invalid(section, e.code(), e.to_string())
        })?;
        if let Some(a) = &policy.allocation {
            a.validate()
                .map_err(|e| invalid("allocation", e.code(), e.to_string()))?;
        }
        if let Some(c) = &policy.payment_checks {
            c.validate()
                .map_err(|e| invalid("payment_checks", e.code(), e.to_string()))?;
        }
        policy.minimum_living_standard.validate().map_err(|e| {
            invalid(
                "minimum_living_standard",
                bangfu_core::Coded::code(&e),
                e.to_string(),
            )
        })?;
        crate::campaign::validate(&policy.campaigns, &policy.funding)
            .map_err(|e| invalid("campaigns", e.code(), e.to_string()))?;
        // The one standard, handed to both readers.
        policy.eligibility.minimum_living_standard = Some(policy.minimum_living_standard.clone());
        policy.aid.minimum_living_standard = Some(policy.minimum_living_standard.clone());
        if let Some(missing) = policy
            .citation_ids()
            .into_iter()
            .find(|id| !policy.citations.contains(id))
        {
            let quoted = format!("\"{missing}\"");
            let line = text
                .lines()
                .position(|l| l.contains("cite") && l.contains(&quoted))
                .map_or(1, |i| i + 1);
            return Err(InputError::UnknownCitation {
                line,
                id: missing.to_string(),
            });
        }
        Ok(policy)
    }

    /// Every citation id the policy's values use.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut ids = self.funding.citation_ids();
        ids.extend(self.minimum_living_standard.citation_ids());
        ids.extend(self.eligibility.citation_ids());
        ids.extend(self.aid.citation_ids());
        ids.extend(self.scoring.citation_ids());
        if let Some(a) = &self.allocation {
            ids.extend(a.citation_ids());
        }
        if let Some(c) = &self.payment_checks {
            ids.extend(c.citation_ids());
        }
        ids.extend(self.campaigns.iter().map(|c| &c.cite));
        ids
    }
}

/// The code of a policy that writes the local minimum living standard (最低生活保障标准)
/// under a section's old key (`eligibility.minimum_living_standard` or
/// `aid.living.yearly_cap.minimum_living_standard`): the standard is one top-level
/// `[minimum_living_standard]` table that both read, so a file cannot write two values.
pub const MINIMUM_STANDARD_MOVED: &str = "policy.minimum_living_standard.moved";

/// The sections' former keys of the minimum living standard, as dotted paths.
const OLD_STANDARD_KEYS: [&str; 2] = [
    "eligibility.minimum_living_standard",
    "aid.living.yearly_cap.minimum_living_standard",
];

/// The first of the old keys the text writes, if any (the text is well-formed TOML: the
/// caller parses it first for its syntax errors).
fn old_standard_key(text: &str) -> Option<&'static str> {
    let table: toml::Table = toml::from_str(text).ok()?;
    OLD_STANDARD_KEYS.into_iter().find(|path| {
        let mut value: Option<&toml::Value> = None;
        let mut table = Some(&table);
        for key in path.split('.') {
            value = table.and_then(|t| t.get(key));
            table = value.and_then(toml::Value::as_table);
        }
        value.is_some()
    })
}

/// The code of a stored policy text written before the one `[minimum_living_standard]` table
/// (a store created before that change keeps its policy's text) whose two copies of the
/// local minimum living standard (最低生活保障标准), the eligibility income line's and the
/// living-aid cap's, disagree on a day both are in force: it cannot be read as one table.
pub const MINIMUM_STANDARD_CONFLICT: &str = "policy.minimum_living_standard.conflict";

/// The city under which a stored policy written with the old keys reads its one standard
/// ([`Policy::from_stored_toml`]): such a policy had one standard for every household, and
/// its records name no city, so every record reads this, the policy's own city.
pub const LEGACY_CITY: &str = "legacy";

impl Policy {
    /// Reads a policy text that a store kept (`setup.policy_toml`), leniently: a text written
    /// before the local minimum living standard became one top-level table, with the old keys
    /// `eligibility.minimum_living_standard` and
    /// `aid.living.yearly_cap.minimum_living_standard`, is read as the equivalent one-table
    /// policy when the two copies agree on every day both are in force (city [`LEGACY_CITY`],
    /// the days of both timelines, each day's value the copy in force, the eligibility
    /// copy's citation where both are); any other text is [`Policy::from_toml`]. Only a
    /// store's open path calls it: a policy file given by a caller is read by
    /// [`Policy::from_toml`], which refuses the old keys (`policy.minimum_living_standard.moved`).
    /// The text itself is not rewritten: its stamp ([`PolicyStamp::of`]) is still the stored
    /// text's SHA-256.
    ///
    /// # Errors
    /// [`MINIMUM_STANDARD_CONFLICT`] at the cap's line when the two copies disagree on a day
    /// both are in force; an old key's value that does not read, with its line; otherwise
    /// [`Policy::from_toml`]'s errors (for an old-key text, their lines are those of the
    /// text rewritten into one table).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// let old = bangfu_data::hainan2018::POLICY_TOML
    ///     .replace("[minimum_living_standard]\ncity = \"460100\"\n", "")
    ///     .replace("[[minimum_living_standard.cities.460100]]", "[[eligibility.minimum_living_standard]]");
    /// assert_eq!(bangfu_year::Policy::from_toml(&old).unwrap_err().code(), "policy.minimum_living_standard.moved");
    /// let p = bangfu_year::Policy::from_stored_toml(&old)?;
    /// assert_eq!(p.minimum_living_standard.city.as_str(), bangfu_year::LEGACY_CITY);
    /// # Ok::<(), bangfu_year::input::InputError>(())
    /// ```
    pub fn from_stored_toml(text: &str) -> Result<Policy, InputError> {
        match one_table_of_old_keys(text)? {
            Some(rewritten) => Policy::from_toml(&rewritten),
            None => Policy::from_toml(text),
        }
    }
}

/// The old keys' values, as a text written before the one table had them (other keys are
/// ignored here: the rewritten text is read whole afterwards).
#[derive(serde::Deserialize)]
struct OldKeys {
    #[serde(default)]
    eligibility: Option<OldEligibility>,
    #[serde(default)]
    aid: Option<OldAid>,
}

#[derive(serde::Deserialize)]
struct OldEligibility {
    #[serde(default)]
    minimum_living_standard: Option<bangfu_core::Timeline<bangfu_core::Money>>,
}

#[derive(serde::Deserialize)]
struct OldAid {
    #[serde(default)]
    living: Option<OldLiving>,
}

#[derive(serde::Deserialize)]
struct OldLiving {
    #[serde(default)]
    yearly_cap: Option<OldCap>,
}

#[derive(serde::Deserialize)]
struct OldCap {
    #[serde(default)]
    minimum_living_standard: Option<bangfu_core::Timeline<bangfu_core::Money>>,
}

/// `text` with the old keys moved into one top-level `[minimum_living_standard]` table, or
/// `None` when it is not such a text (no old key, or the new table already there: then
/// [`Policy::from_toml`] says what is wrong with it, if anything).
fn one_table_of_old_keys(text: &str) -> Result<Option<String>, InputError> {
    let Ok(mut table) = toml::from_str::<toml::Table>(bangfu_core::read::strip_bom(text)) else {
        return Ok(None);
    };
    if old_standard_key(text).is_none() || table.contains_key("minimum_living_standard") {
        return Ok(None);
    }
    let old: OldKeys = crate::input::parse_toml(text)?;
    let eligibility = old.eligibility.and_then(|e| e.minimum_living_standard);
    let cap = old
        .aid
        .and_then(|a| a.living)
        .and_then(|l| l.yearly_cap)
        .and_then(|c| c.minimum_living_standard);
    let [e_key, a_key] = OLD_STANDARD_KEYS;
    let one = match (&eligibility, &cap) {
        (Some(e), Some(a)) => {
            merged_standard(e, a).map_err(|message| InputError::InvalidPolicy {
                line: section_line(text, a_key),
                code: MINIMUM_STANDARD_CONFLICT,
                message,
            })?
        }
        (Some(only), None) | (None, Some(only)) => only.clone(),
        (None, None) => return Ok(None),
    };
    if let Some(t) = table
        .get_mut("eligibility")
        .and_then(toml::Value::as_table_mut)
    {
        t.remove(last_key(e_key));
    }
    if let Some(t) = table
        .get_mut("aid")
        .and_then(toml::Value::as_table_mut)
        .and_then(|t| t.get_mut("living"))
        .and_then(toml::Value::as_table_mut)
        .and_then(|t| t.get_mut("yearly_cap"))
        .and_then(toml::Value::as_table_mut)
    {
        t.remove(last_key(a_key));
    }
    let city = bangfu_core::CityCode::new(LEGACY_CITY).map_err(|e| invalid_old(text, &e))?;
    let standard = MinimumLivingStandard {
        city: city.clone(),
        cities: std::collections::BTreeMap::from([(city, one)]),
    };
    let value = toml::Value::try_from(&standard).map_err(|e| invalid_old(text, &e))?;
    table.insert("minimum_living_standard".to_owned(), value);
    toml::to_string(&table)
        .map(Some)
        .map_err(|e| invalid_old(text, &e))
}

/// A stored text's old keys that cannot be written as one table (not expected of a text the
/// loader read: every value it holds was read from TOML).
fn invalid_old(text: &str, e: &dyn std::fmt::Display) -> InputError {
    InputError::InvalidPolicy {
        line: section_line(text, "eligibility.minimum_living_standard"),
        code: MINIMUM_STANDARD_MOVED,
        message: format!(
            "the old minimum living standard keys could not be read as one table: {e}"
        ),
    }
}

/// The last key of a dotted path.
fn last_key(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The eligibility line's and the living-aid cap's copies as one timeline: the days either
/// changes (both are step functions of the date, so checking those days is enough), each
/// day's value the copy in force (the eligibility copy's entry where both are), refused with
/// a message naming both values and the day when they disagree on a day both are in force.
fn merged_standard(
    eligibility: &bangfu_core::Timeline<bangfu_core::Money>,
    cap: &bangfu_core::Timeline<bangfu_core::Money>,
) -> Result<bangfu_core::Timeline<bangfu_core::Money>, String> {
    let [e_key, a_key] = OLD_STANDARD_KEYS;
    let mut days: Vec<chrono::NaiveDate> = eligibility
        .entries()
        .iter()
        .chain(cap.entries())
        .map(|e| e.from)
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut entries = Vec::with_capacity(days.len());
    for day in days {
        let entry = match (eligibility.at(e_key, day), cap.at(a_key, day)) {
            (Ok(e), Ok(a)) if e.value != a.value => {
                return Err(format!(
                    "the local minimum living standard is {} in {e_key} and {} in {a_key} on \
                     {day}: a stored policy with the old keys is read as one table only when \
                     both read the same standard",
                    e.value, a.value
                ));
            }
            (Ok(e), _) | (Err(_), Ok(e)) => e,
            (Err(_), Err(_)) => continue,
        };
        entries.push(bangfu_core::Dated::new(
            day,
            entry.value,
            entry.cite.clone(),
        ));
    }
    bangfu_core::Timeline::new(entries).map_err(|e| e.to_string())
}

/// A policy file's stamp (政策版本戳): its id (`jurisdiction@version`, from `[meta]`) and
/// the SHA-256 of the file's text, in lowercase hex. Every output of a stored year carries
/// it, so that a reader can tell which file of rules produced a figure.
///
/// # Example
/// ```
/// use bangfu_data::hainan2018 as hn;
/// let stamp = bangfu_year::PolicyStamp::of(&hn::policy()?, hn::POLICY_TOML);
/// assert_eq!(stamp.id, "CN-HI@2018.1");
/// assert_eq!(stamp.sha256.len(), 64);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyStamp {
    /// `jurisdiction@version`, as the file's `[meta]` says.
    pub id: String,
    /// The SHA-256 of the file's text (after a byte-order mark), lowercase hex.
    pub sha256: String,
}

impl PolicyStamp {
    /// The stamp of `policy`, read from the file `text`.
    pub fn of(policy: &Policy, text: &str) -> PolicyStamp {
        PolicyStamp {
            id: format!("{}@{}", policy.meta.jurisdiction, policy.meta.version),
            sha256: sha256_hex(bangfu_core::read::strip_bom(text).as_bytes()),
        }
    }
}

/// The SHA-256 of `bytes` in lowercase hex.
///
/// # Example
/// ```
/// assert_eq!(
///     bangfu_year::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The line (from 1) of a dotted policy path in a TOML text: the last table header that is a
/// prefix of the path (`[aid.medical]` for `aid.medical.rate`), then the path's last key
/// below it where the path names one; line 1 when nothing matches.
fn section_line(text: &str, path: &str) -> usize {
    let header_of = |l: &str| -> Option<String> {
        let t = l.trim();
        let inner = t.strip_prefix("[[").or_else(|| t.strip_prefix('['))?;
        let name = inner.split(']').next()?.trim();
        Some(name.to_owned())
    };
    // The parameter's own table (`[[aid.sending_warmth.range.default]]` for
    // `aid.sending_warmth.range`), where it has one.
    let own = text.lines().position(|l| {
        header_of(l).is_some_and(|h| h == path || h.starts_with(&format!("{path}.")))
    });
    if let Some(i) = own {
        return i + 1;
    }
    let mut best: Option<(usize, usize)> = None; // (length of the header, line index)
    for (i, l) in text.lines().enumerate() {
        if let Some(h) = header_of(l) {
            let matches = path == h || path.starts_with(&format!("{h}."));
            if matches && best.is_none_or(|(len, _)| h.len() > len) {
                best = Some((h.len(), i));
            }
        }
    }
    let Some((len, start)) = best else { return 1 };
    let key = path.get(len..).unwrap_or_default().trim_start_matches('.');
    let key = key.split('.').next().unwrap_or_default();
    if !key.is_empty() {
        let found = text.lines().enumerate().skip(start + 1).find(|(_, l)| {
            let t = l.trim_start();
            t.starts_with('[')
                || t.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
        });
        if let Some((i, l)) = found
            && !l.trim_start().starts_with('[')
        {
            return i + 1;
        }
    }
    start + 1
}

#[cfg(test)]
mod line_tests {
    use super::section_line;

    #[test]
    fn section_line_finds_the_table_and_the_key() {
        let text =
            "[meta]\nx = 1\n[aid]\n[aid.medical]\nrate = 1\ncap = 2\n[aid.living]\ncap = 3\n";
        assert_eq!(section_line(text, "aid"), 3);
        assert_eq!(section_line(text, "aid.medical"), 4);
        assert_eq!(section_line(text, "aid.medical.cap"), 6);
        assert_eq!(section_line(text, "aid.living.cap"), 8);
        assert_eq!(section_line(text, "eligibility"), 1);
        let own = "[aid]\nx = 1\n[[aid.warmth.range.default]]\nvalue = 1\n";
        assert_eq!(section_line(own, "aid.warmth.range"), 3);
    }
}
