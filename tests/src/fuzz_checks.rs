//! The checks of the fuzz targets (`fuzz/`), one public function per target taking the raw
//! input bytes. The same functions replay the committed corpus on stable Rust in
//! `tests/tests/fuzz_corpus.rs`, so whatever a fuzzing run finds stays a test.
//!
//! A check panics when the library breaks one of these rules:
//!
//! - **No panic** in the library, whatever the input.
//! - **No unmasked ID number** in any output: error messages (`Display` and `Debug`), error
//!   codes and labels, output lines of the JSON Lines interface (with and without the
//!   explanation), rendered statements and reports, and the `Debug` form of what was read.
//!   The ID numbers are the values under `id_number` keys, of whatever type, when the input
//!   reads as a JSON document, as JSON Lines (the lines that read) or as TOML: a string as
//!   it is, a number as JSON writes it, anything else as compact JSON. (The ID number
//!   target's input is one; the money and rate targets have none: their input is an
//!   amount, which an error may echo.) An output leaks one when it contains 11 consecutive
//!   characters of such a value (more than the 10 that the display mask shows, first 6 and
//!   last 4), compared case-insensitively, made of ID characters (digits and `X`) with at
//!   least 3 distinct ones, and found nowhere else in the input: in no other value or key,
//!   and not in the text once every copy of the ID numbers is taken out (the output may
//!   have echoed it from there; the text covers lines that do not read). The written-out
//!   records themselves (serde of a household) carry the full number by design and are not
//!   outputs here.
//! - **Type confusion**: a request line, and each line of a JSON Lines record file, is also
//!   checked with its strings of digits written as numbers (`"0"` → `0`), the mistake a
//!   caller's JSON writer makes most easily, which random mutation rarely finds (both quotes
//!   must go at once). Known bugs are skipped in these derived checks: their reproducers
//!   are the corpus's `known-*` files.
//! - **Round trip**: whatever parses is written out (JSON Lines by the library's own writer;
//!   TOML files as JSON, and as TOML when the `toml` writer accepts the value) and read back
//!   to an equal value.
//! - **Explanation on and off** give the same output line once the explanation is removed
//!   (the same decision, amount, reasons or error).
//! - Errors have a stable code (`a.b_c`) and labels, and a parse error names a line inside
//!   the file.
//! - Invariants a constructor enforces also hold for what is read (a period's start is not
//!   after its end).
//!
//! # Example
//! ```
//! // Every target accepts any bytes; a well-formed amount is checked through and back.
//! bangfu_tests::fuzz_checks::money(b"1600.00");
//! bangfu_tests::fuzz_checks::money(&[0xff, 0x00]);
//! assert!(bangfu_tests::fuzz_checks::TARGETS.iter().any(|(name, _)| *name == "policy"));
//! ```
// Test support: a failed check is a panic with the reason, on purpose.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use bangfu::aid::Explain;
use bangfu::core::{ArchiveStatus, Coded, Labelled, Lang, Money, NaiveDate, PersonId, Rate};
use bangfu::core::{Period, WorkingCalendar, Year};
use bangfu::eligibility::{
    Actor, CaseEvent, EligibilityError, FilingActors, IdMask, IdNumber, Registry, Role,
    file_through_procedure,
};
use bangfu::evaluation::{Evaluation, FrameworkChoice, JudgementsFile, ReportFile, StatedFile};
use bangfu::funding::Budget;
use bangfu::input::{self, InputError};
use bangfu::jsonl::{Decider, OutputLine, RequestLine};
use bangfu::records::{ApplicantRecord, ClaimRecord, HouseholdRecord, SurveyRecord};
use bangfu::scoring::Framework;
use bangfu::{Policy, YearRun};
use bangfu_datagen::GeneratorConfig;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A target's check: panics when the input breaks a rule.
pub type Check = fn(&[u8]);

/// Every target: its name (the fuzz target's and the corpus directory's) and its check.
pub const TARGETS: &[(&str, Check)] = &[
    ("policy", policy),
    ("budget", budget),
    ("ledger", ledger),
    ("households", households),
    ("year_dir", year_dir),
    ("applicants", applicants),
    ("claims", claims),
    ("survey", survey),
    ("stated", stated),
    ("judgements", judgements),
    ("report", report),
    ("generator", generator),
    ("framework", framework),
    ("request_line", request_line),
    ("request_eligibility", request_eligibility),
    ("request_medical", request_medical),
    ("request_living", request_living),
    ("request_sending_warmth", request_sending_warmth),
    ("request_education", request_education),
    (
        "request_remaining_entitlement",
        request_remaining_entitlement,
    ),
    ("request_temporary", request_temporary),
    ("money", money),
    ("rate", rate),
    ("id_number", id_number),
    ("dates", dates),
    ("operation", operation),
];

/// Bugs found by fuzzing whose fix is being made elsewhere: (id, what). The fuzz targets
/// skip these checks ([`skip_known_bugs`], so that fuzzing goes on past them); the corpus
/// replay does not, and lists their reproducers as known failures. Remove an entry (and its
/// guard) when its fix lands.
pub const KNOWN_BUGS: &[(&str, &str)] = &[];

static SKIP_KNOWN: AtomicBool = AtomicBool::new(false);

/// Makes the checks skip the known bugs of [`KNOWN_BUGS`] from now on (the fuzz targets
/// call it once at start).
///
/// # Example
/// ```
/// // Only in a fuzz target's `init`: the corpus replay checks the known bugs.
/// # if false {
/// bangfu_tests::fuzz_checks::skip_known_bugs();
/// # }
/// ```
pub fn skip_known_bugs() {
    SKIP_KNOWN.store(true, Ordering::Relaxed);
}

thread_local! {
    /// Inside the check of a derived input (type confusion), where known bugs are skipped
    /// always: their reproducers are the `known-*` files of the corpus.
    static DERIVED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` as the check of a derived input.
fn derived(f: impl FnOnce()) {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            DERIVED.with(|d| d.set(self.0));
        }
    }
    let _reset = Reset(DERIVED.with(|d| d.replace(true)));
    f();
}

/// Whether the check of known bug `id` is skipped (unused while [`KNOWN_BUGS`] is empty; the
/// guard of the next known bug calls it).
#[allow(dead_code)]
fn skipped(id: &str) -> bool {
    debug_assert!(
        KNOWN_BUGS.iter().any(|(k, _)| *k == id),
        "unknown bug id {id}"
    );
    SKIP_KNOWN.load(Ordering::Relaxed) || DERIVED.with(Cell::get)
}

/// A period read is one `Period::new` accepts.
fn check_period(p: Period) {
    assert!(
        Period::new(p.start(), p.end()).is_ok(),
        "a period read with its end before its start: {p:?}"
    );
}

/// Records past this many in one input are parsed and round-tripped but not evaluated one
/// by one (keeps an execution short).
const EVALUATED_RECORDS: usize = 16;

// ---------------------------------------------------------------------------------------
// Shared state: the embedded policy, budget and evaluation, read once.

/// The national working-day calendar, as the embedded data uses it.
static CALENDAR: LazyLock<WorkingCalendar> =
    LazyLock::new(|| WorkingCalendar::china().expect("the embedded holiday calendar reads"));

static POLICY: LazyLock<Policy> =
    LazyLock::new(|| bangfu::hainan2018::policy().expect("embedded policy"));
static BUDGET: LazyLock<Budget> =
    LazyLock::new(|| bangfu::hainan2018::budget().expect("embedded budget"));
static DECIDER: LazyLock<Decider<'static>> =
    LazyLock::new(|| Decider::new(&POLICY).expect("evaluator of the embedded policy"));
/// The Hubei policy (the one example with temporary aid) and its decider.
static HUBEI: LazyLock<Policy> =
    LazyLock::new(|| bangfu::hubei2023::policy().expect("embedded policy"));
static HUBEI_DECIDER: LazyLock<Decider<'static>> =
    LazyLock::new(|| Decider::new(&HUBEI).expect("evaluator of the embedded policy"));
static EVALUATION: LazyLock<Evaluation> = LazyLock::new(|| {
    bangfu::hainan2018::evaluation(FrameworkChoice::SelfEvaluation).expect("embedded evaluation")
});
static FRAMEWORKS: LazyLock<[(FrameworkChoice, Framework); 2]> = LazyLock::new(|| {
    [FrameworkChoice::SelfEvaluation, FrameworkChoice::Reference]
        .map(|c| (c, c.framework().expect("built-in framework")))
});
/// The request examples of `docs/json-interface.md`, one line each: a fuzzed policy
/// decides them.
static DOC_REQUESTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    doc_blocks("json request")
        .iter()
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .map(|v| v.to_string())
        .collect()
});

/// The bodies of the fenced blocks of `docs/json-interface.md` with this info string.
fn doc_blocks(info: &str) -> Vec<String> {
    const DOC: &str = include_str!("../../docs/json-interface.md");
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in DOC.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(i)) if i.trim() == info => current = Some(String::new()),
            (Some(body), Some("")) => {
                out.push(std::mem::take(body));
                current = None;
            }
            (Some(body), _) => {
                body.push_str(line);
                body.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The request examples of `docs/json-interface.md` as one line each (to seed the corpus).
///
/// # Example
/// ```
/// let lines = bangfu_tests::fuzz_checks::doc_request_lines();
/// assert!(lines.iter().any(|l| l.contains(r#""kind":"eligibility""#)));
/// ```
pub fn doc_request_lines() -> Vec<String> {
    DOC_REQUESTS.clone()
}

// ---------------------------------------------------------------------------------------
// ID numbers in the input, and the leak check.

/// Characters an ID number is made of (after ASCII upper-casing).
fn is_id_char(b: u8) -> bool {
    b.is_ascii_digit() || b == b'X'
}

/// The width of a leak: one more than the display mask shows (6 + 4).
pub const LEAK_WIDTH: usize = 11;

/// A run of [`LEAK_WIDTH`] ID characters.
type Gram = [u8; LEAK_WIDTH];

/// The window as a run of ID characters, if it is one.
fn gram(window: &[u8]) -> Option<Gram> {
    let g: Gram = window.try_into().ok()?;
    g.iter().all(|&b| is_id_char(b)).then_some(g)
}

/// What must not appear in an output: every run of [`LEAK_WIDTH`] ID characters of an
/// `id_number` value of the input that appears nowhere else in the input.
#[derive(Debug, Default)]
pub struct Secrets {
    grams: HashSet<Gram>,
}

impl Secrets {
    /// The secrets of an input text: the values of its `id_number` keys.
    ///
    /// # Example
    /// ```
    /// use bangfu_tests::fuzz_checks::Secrets;
    /// let s = Secrets::of(r#"{"id_number": 46010019750301001, "x": 1}"#);
    /// assert!(!s.is_empty());
    /// assert!(Secrets::of(r#"{"id": "46010019750301001X"}"#).is_empty());
    /// ```
    pub fn of(text: &str) -> Secrets {
        if !text.contains("id_number") {
            return Secrets::default();
        }
        let values = Values::of(text);
        // Elsewhere: the other values and keys, and the text itself less the ID numbers
        // (a line that does not read, a key that holds part of one, ...).
        let mut rest = text.to_ascii_uppercase();
        for id in values.ids.iter().filter(|id| id.len() >= LEAK_WIDTH) {
            rest = rest.replace(&id.to_ascii_uppercase(), " ");
        }
        let mut elsewhere = HashSet::new();
        for other in values.others.iter().chain([&rest]) {
            let upper = other.as_bytes().to_ascii_uppercase();
            elsewhere.extend(upper.windows(LEAK_WIDTH).filter_map(gram));
        }
        let mut secrets = Secrets::default();
        for value in &values.ids {
            secrets.add(value, &elsewhere);
        }
        secrets
    }

    /// The secrets of one value given as an ID number.
    ///
    /// # Example
    /// ```
    /// let s = bangfu_tests::fuzz_checks::Secrets::value("11010519491231002X");
    /// s.check("masked", "110105********002X");
    /// ```
    pub fn value(value: &str) -> Secrets {
        let mut secrets = Secrets::default();
        secrets.add(value, &HashSet::new());
        secrets
    }

    fn add(&mut self, value: &str, elsewhere: &HashSet<Gram>) {
        let upper = value.as_bytes().to_ascii_uppercase();
        for g in upper.windows(LEAK_WIDTH).filter_map(gram) {
            // Characters seen, one bit each (digits and X).
            let seen = g.iter().fold(0u16, |acc, &b| {
                acc | 1 << if b == b'X' { 10 } else { b - b'0' }
            });
            if seen.count_ones() >= 3 && !elsewhere.contains(&g) {
                self.grams.insert(g);
            }
        }
    }

    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }

    /// Panics when `output` (described by `what`) contains a secret.
    ///
    /// # Panics
    /// On a leak, naming the output.
    pub fn check(&self, what: &str, output: &str) {
        if self.grams.is_empty() {
            return;
        }
        let upper = output.as_bytes().to_ascii_uppercase();
        for w in upper.windows(LEAK_WIDTH) {
            if gram(w).is_some_and(|g| self.grams.contains(&g)) {
                panic!(
                    "{what} leaks an ID number of the input ({:?}): {output}",
                    String::from_utf8_lossy(w)
                );
            }
        }
    }

    /// Checks an error: its `Display`, `Debug`, code and labels.
    fn check_error<E: Coded + Labelled + Debug + std::fmt::Display>(&self, what: &str, e: &E) {
        check_code(e);
        self.check(what, &e.to_string());
        self.check(what, &format!("{e:?}"));
    }
}

/// The scalar values of a document, split into those under an `id_number` key (of any
/// type: a string as it is, anything else as compact JSON) and all the others.
#[derive(Default)]
struct Values {
    ids: Vec<String>,
    others: Vec<String>,
}

impl Values {
    fn json(&mut self, v: &Value, under_id: bool) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    self.others.push(k.clone());
                    self.json(v, under_id || k == "id_number");
                }
            }
            Value::Array(a) => a.iter().for_each(|v| self.json(v, under_id)),
            Value::String(s) => self.push(s.clone(), under_id),
            other => self.push(other.to_string(), under_id),
        }
    }

    fn toml(&mut self, v: &toml::Value, under_id: bool) {
        match v {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    self.others.push(k.clone());
                    self.toml(v, under_id || k == "id_number");
                }
            }
            toml::Value::Array(a) => a.iter().for_each(|v| self.toml(v, under_id)),
            toml::Value::String(s) => self.push(s.clone(), under_id),
            other => self.push(other.to_string(), under_id),
        }
    }

    fn push(&mut self, text: String, under_id: bool) {
        if under_id {
            self.ids.push(text);
        } else {
            self.others.push(text);
        }
    }

    /// The values of `text` read as one JSON document, else as JSON Lines (the lines that
    /// read), else as TOML.
    fn of(text: &str) -> Values {
        let mut values = Values::default();
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            values.json(&v, false);
        } else if let Ok(t) = toml::from_str::<toml::Table>(text) {
            values.toml(&toml::Value::Table(t), false);
        } else {
            for line in text.lines() {
                if let Ok(v) = serde_json::from_str::<Value>(line) {
                    values.json(&v, false);
                }
            }
        }
        values
    }
}

/// A stable code: dotted lower-case words; labels not empty.
fn check_code<E: Coded + Labelled + Debug>(e: &E) {
    let code = e.code();
    assert!(
        !code.is_empty()
            && code.contains('.')
            && !code.starts_with('.')
            && !code.ends_with('.')
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._".contains(&b)),
        "error code {code:?} is not a stable code: {e:?}"
    );
    assert!(
        !e.zh().is_empty() && !e.en().is_empty(),
        "error {code} has an empty label"
    );
}

/// A parse error names a line of the file (or none).
fn check_line(text: &str, line: Option<usize>) {
    if let Some(line) = line {
        let last = text.matches('\n').count() + 1;
        assert!(
            (1..=last).contains(&line),
            "error at line {line} of a text of {last} lines"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Round trips

/// Written as JSON and read back from it: equal.
fn json_round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) {
    let json = serde_json::to_value(v).expect("a value read must be writable as JSON");
    let back: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("written as JSON, not read back: {e}: {json}"));
    assert_eq!(
        &back, v,
        "written as JSON and read back, not the same: {json}"
    );
}

/// Written as TOML (when the `toml` writer accepts the value) and read back by `parse`:
/// equal.
fn toml_round_trip<T, E>(v: &T, parse: impl Fn(&str) -> Result<T, E>)
where
    T: Serialize + PartialEq + Debug,
    E: std::fmt::Display,
{
    let Ok(text) = toml::to_string(v) else {
        return;
    };
    match parse(&text) {
        Ok(back) => assert_eq!(
            &back, v,
            "written as TOML and read back, not the same:\n{text}"
        ),
        Err(e) => panic!("written as TOML, not read back: {e}\n{text}"),
    }
}

/// Reads JSON Lines records; checks the error or the round trip through
/// [`input::write_jsonl`]; hands what was read to `then`.
fn jsonl_file<T>(data: &[u8], then: impl FnOnce(&[T], &Secrets))
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    jsonl_text(text, then);
    let mut changed = false;
    let variant: String = text
        .lines()
        .map(|line| match digits_as_numbers(line) {
            Some(v) => {
                changed = true;
                v + "\n"
            }
            None => format!("{line}\n"),
        })
        .collect();
    if changed {
        derived(|| jsonl_text::<T>(&variant, |_, _| {}));
    }
}

fn jsonl_text<T>(text: &str, then: impl FnOnce(&[T], &Secrets))
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let secrets = Secrets::of(text);
    match input::parse_jsonl::<T>(text) {
        Err(e) => {
            check_line(text, e.line());
            secrets.check_error("the file's error", &e);
        }
        Ok(records) => {
            let written = input::write_jsonl(&records);
            let back = input::parse_jsonl::<T>(&written)
                .unwrap_or_else(|e| panic!("written records not read back: {e}\n{written}"));
            assert_eq!(back, records, "records written and read back differ");
            secrets.check("the records' Debug", &format!("{records:?}"));
            then(&records, &secrets);
        }
    }
}

/// Type confusion: a JSON document with its strings of digits (up to 19) written as numbers,
/// when it has any.
fn digits_as_numbers(text: &str) -> Option<String> {
    fn walk(v: &mut Value, changed: &mut bool) {
        match v {
            Value::Object(m) => m.values_mut().for_each(|v| walk(v, changed)),
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, changed)),
            Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(n) = s.parse::<u64>() {
                    *v = Value::from(n);
                    *changed = true;
                }
            }
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(text).ok()?;
    let mut changed = false;
    walk(&mut v, &mut changed);
    changed.then(|| v.to_string())
}

/// Reads a TOML file by `parse`; checks the error, or both round trips; hands what was read
/// to `then`.
fn toml_file<T, E>(
    data: &[u8],
    parse: impl Fn(&str) -> Result<T, E>,
    line: impl Fn(&E) -> Option<usize>,
    then: impl FnOnce(&T, &Secrets),
) where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
    E: Coded + Labelled + Debug + std::fmt::Display,
{
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let secrets = Secrets::of(text);
    match parse(text) {
        Err(e) => {
            check_line(text, line(&e));
            secrets.check_error("the file's error", &e);
        }
        Ok(v) => {
            json_round_trip(&v);
            toml_round_trip(&v, &parse);
            then(&v, &secrets);
        }
    }
}

/// The line of an evaluation error, when it is an input error.
fn evaluation_line(e: &bangfu::evaluation::EvaluationError) -> Option<usize> {
    match e {
        bangfu::evaluation::EvaluationError::Input(i) => i.line(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Request lines

/// An output line with every `"explanation"` removed.
fn without_explanation(line: &OutputLine) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("explanation");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(line).expect("an output line is JSON");
    strip(&mut v);
    v
}

/// Decides one request line (bytes, as read from a file) under `eval`, with the explanation
/// off and on, and checks both output lines.
fn check_request_bytes(eval: &Decider<'_>, bytes: &[u8], secrets: &Secrets) {
    let (off, on) = match (
        eval.decide_bytes(7, bytes, Explain::Off),
        eval.decide_bytes(7, bytes, Explain::On),
    ) {
        (Some(off), Some(on)) => (off, on),
        (None, None) => return,
        _ => panic!("a line blank with the explanation on or off only"),
    };
    for (what, out) in [("output line", &off), ("explained output line", &on)] {
        let json = out.to_json();
        secrets.check(what, &json);
        assert_eq!(out.line(), 7, "{what} with the wrong line number: {json}");
        let back = OutputLine::from_json(&json)
            .unwrap_or_else(|e| panic!("{what} not read back: {e}: {json}"));
        assert_eq!(&back, out, "{what} read back differs: {json}");
        if let OutputLine::Error(e) = out {
            assert!(
                e.error.contains('.') && !e.zh.is_empty() && !e.en.is_empty(),
                "error line without a code or labels: {json}"
            );
        }
    }
    assert_eq!(
        without_explanation(&off),
        without_explanation(&on),
        "the explanation changed the decision"
    );
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match RequestLine::from_json(text) {
        Err(e) => {
            secrets.check_error("the request's error", &e);
            let OutputLine::Error(line) = &off else {
                panic!("a line that does not read was decided: {}", off.to_json());
            };
            assert_eq!(line.error, e.code(), "decide_line and from_json disagree");
        }
        Ok(request) => {
            let json = request.to_json();
            let back = RequestLine::from_json(&json)
                .unwrap_or_else(|e| panic!("request written, not read back: {e}: {json}"));
            assert_eq!(
                back, request,
                "request written and read back differs: {json}"
            );
            secrets.check("the request's Debug", &format!("{request:?}"));
            match eval.decide(&request.request, Explain::Off) {
                Ok(_) => assert!(matches!(off, OutputLine::Decision(_))),
                Err(e) => {
                    secrets.check_error("the decision's error", &e);
                    assert!(matches!(&off, OutputLine::Error(l) if l.error == e.code()));
                }
            }
        }
    }
}

/// Any line of the JSON Lines interface (`bangfu eval`), as bytes: decided under the
/// embedded Hainan 2018 policy.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_line(br#"{"kind":"lottery"}"#);
/// ```
pub fn request_line(data: &[u8]) {
    let secrets = Secrets::of(&String::from_utf8_lossy(data));
    check_request_bytes(&DECIDER, data, &secrets);
    if let Some(variant) = std::str::from_utf8(data).ok().and_then(digits_as_numbers) {
        derived(|| check_request_bytes(&DECIDER, variant.as_bytes(), &Secrets::of(&variant)));
    }
}

/// A request of one kind: `data` is the rest of the object after `{"kind":"<kind>",`.
fn request_of_kind(kind: &str, data: &[u8]) {
    let mut line = format!(r#"{{"kind":"{kind}","#).into_bytes();
    line.extend_from_slice(data);
    // One line: a newline would make it two lines of a file.
    if line.contains(&b'\n') {
        return;
    }
    request_line(&line);
}

/// An `eligibility` request: `data` is the rest of the object after
/// `{"kind":"eligibility",`.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_eligibility(br#""date":"2018-03-01"}"#);
/// ```
pub fn request_eligibility(data: &[u8]) {
    request_of_kind("eligibility", data);
}

/// A `medical` request: `data` is the rest of the object after `{"kind":"medical",`.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_medical(b"}");
/// ```
pub fn request_medical(data: &[u8]) {
    request_of_kind("medical", data);
}

/// A `living` request: `data` is the rest of the object after `{"kind":"living",`.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_living(b"}");
/// ```
pub fn request_living(data: &[u8]) {
    request_of_kind("living", data);
}

/// A `sending_warmth` request: `data` is the rest of the object after
/// `{"kind":"sending_warmth",`.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_sending_warmth(b"}");
/// ```
pub fn request_sending_warmth(data: &[u8]) {
    request_of_kind("sending_warmth", data);
}

/// An `education` request: `data` is the rest of the object after `{"kind":"education",`.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_education(b"}");
/// ```
pub fn request_education(data: &[u8]) {
    request_of_kind("education", data);
}

/// A `remaining_entitlement` request: `data` is the rest of the object after
/// `{"kind":"remaining_entitlement",`.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_remaining_entitlement(b"}");
/// ```
pub fn request_remaining_entitlement(data: &[u8]) {
    request_of_kind("remaining_entitlement", data);
}

/// A `temporary` request (临时救助): `data` is the rest of the object after
/// `{"kind":"temporary",`, decided under the Hubei policy (3,000 a person a year). Beyond
/// the checks of every request line: the amount is never more than asked, nor more than the
/// cap leaves after what the request says was paid earlier in the year.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::request_temporary(br#""worker":{"key":"w"},"claim":{"id":"t","date":"2023-06-01","event":"accident","relation":"worker","requested":"5000.00"}}"#);
/// ```
pub fn request_temporary(data: &[u8]) {
    let mut line = br#"{"kind":"temporary","#.to_vec();
    line.extend_from_slice(data);
    if line.contains(&b'\n') {
        return;
    }
    let secrets = Secrets::of(&String::from_utf8_lossy(&line));
    check_request_bytes(&HUBEI_DECIDER, &line, &secrets);
    let Some(OutputLine::Decision(d)) = HUBEI_DECIDER.decide_bytes(1, &line, Explain::Off) else {
        return;
    };
    let bangfu::jsonl::Answer::Aid(a) = &d.decision else {
        panic!("a temporary request decided as another kind");
    };
    let bangfu::aid::Decision::Temporary(o) = a.as_ref() else {
        panic!("a temporary request decided as another kind");
    };
    let request = RequestLine::from_json(std::str::from_utf8(&line).expect("decided, so UTF-8"))
        .expect("decided, so it reads");
    let bangfu::jsonl::DecisionRequest::Aid(r) = request.request else {
        panic!("a temporary request read as another kind");
    };
    let bangfu::aid::Request::Temporary(r) = *r else {
        panic!("a temporary request read as another kind");
    };
    assert!(o.amount <= r.claim.requested, "more than asked: {o:?}");
    let cap = Money::from_yuan(3_000).expect("3,000 yuan");
    if !o.amount.is_zero() {
        let total = o
            .amount
            .checked_add(o.paid_this_year)
            .expect("within the cap");
        assert!(total <= cap, "above the yearly cap per person: {o:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Policy and budget

/// A policy file ([`Policy::from_toml`], and `bangfu policy check`'s
/// [`bangfu::in_force::in_force`]); a policy that reads decides the doc's example requests.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::policy(b"[meta]\njurisdiction = \"x\"\n");
/// ```
pub fn policy(data: &[u8]) {
    toml_file(data, Policy::from_toml, InputError::line, |p, secrets| {
        let text = std::str::from_utf8(data).unwrap_or_default();
        for on in [None, NaiveDate::from_ymd_opt(2018, 6, 1)] {
            match bangfu::in_force::in_force(text, on) {
                Ok(table) => secrets.check("the in-force table", &table.render_text()),
                Err(e) => panic!("a policy that reads has no in-force table: {e}"),
            }
        }
        match Decider::new(p) {
            Err(e) => secrets.check_error("the evaluator's error", &e),
            Ok(eval) => {
                for line in DOC_REQUESTS.iter() {
                    check_request_bytes(&eval, line.as_bytes(), secrets);
                }
            }
        }
    });
}

/// A budget file ([`input::parse_budget_toml`]); a budget that reads closes an empty year
/// under the embedded policy.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::budget(b"year = 2018\n[lines]\ncentral_fiscal = \"1.00\"\n");
/// ```
pub fn budget(data: &[u8]) {
    toml_file(
        data,
        input::parse_budget_toml,
        InputError::line,
        |b, secrets| {
            let _total = b.total();
            year_run(b, Vec::new(), secrets);
        },
    );
}

/// Runs a year and renders its statement.
fn year_run(budget: &Budget, postings: Vec<bangfu::funding::Posting>, secrets: &Secrets) {
    match YearRun::new(&POLICY, budget, postings) {
        Err(e) => secrets.check_error("the year's error", &e),
        Ok(run) => {
            for lang in [Lang::Zh, Lang::En] {
                secrets.check("the statement", &run.statement.render_text(lang));
            }
            let json = serde_json::to_string(&run.statement).expect("a statement is JSON");
            secrets.check("the statement's JSON", &json);
        }
    }
}

/// A ledger file ([`input::parse_ledger_jsonl`], written back by
/// [`input::write_ledger_jsonl`]); the postings are run as the 2018 year.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::ledger(b"{}\n");
/// ```
pub fn ledger(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let secrets = Secrets::of(text);
    match input::parse_ledger_jsonl(text) {
        Err(e) => {
            check_line(text, e.line());
            secrets.check_error("the ledger's error", &e);
        }
        Ok(postings) => {
            let written = input::write_ledger_jsonl(&postings);
            let back = input::parse_ledger_jsonl(&written)
                .unwrap_or_else(|e| panic!("written ledger not read back: {e}\n{written}"));
            assert_eq!(back, postings, "ledger written and read back differs");
            year_run(&BUDGET, postings, &secrets);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Record files

/// An eligibility request line for a household record, decided like any request.
fn decide_household(household: &bangfu::eligibility::Household, date: NaiveDate, s: &Secrets) {
    let request = bangfu::jsonl::EligibilityRequest {
        household: household.clone(),
        date,
    };
    let mut line = serde_json::to_value(&request).expect("a request is JSON");
    if let Value::Object(m) = &mut line {
        m.insert("kind".into(), Value::from("eligibility"));
    }
    check_request_bytes(&DECIDER, line.to_string().as_bytes(), s);
}

/// The actors who move a file (as the embedded data's registry has them).
fn actors(applicant: PersonId, unit: &str) -> Option<FilingActors> {
    let who = |p: String, role| PersonId::new(p).ok().map(|p| Actor::new(p, role));
    Some(FilingActors {
        applicant: Actor::new(applicant, Role::Applicant),
        grassroots: who(format!("{unit}-officer"), Role::GrassrootsUnion)?,
        industrial: who(format!("{unit}-union"), Role::IndustrialUnion)?,
        aid_center: who("aid-center-officer".to_owned(), Role::AidCenter)?,
    })
}

/// The small year the `year_dir` target changes one file of: the Hainan policy and budget,
/// its first 20 households and its ledger's income.
static YEAR_FILES: LazyLock<std::collections::BTreeMap<String, Vec<u8>>> = LazyLock::new(|| {
    use bangfu::hainan2018 as hn;
    let households: String = hn::HOUSEHOLDS_JSONL
        .lines()
        .take(20)
        .map(|l| format!("{l}\n"))
        .collect();
    let income: String = hn::LEDGER_JSONL
        .lines()
        .filter(|l| l.contains("\"type\":\"income\"") && !l.contains("recovery"))
        .map(|l| format!("{l}\n"))
        .collect();
    [
        ("policy.toml", hn::POLICY_TOML.to_owned()),
        ("budget.toml", hn::BUDGET_TOML.to_owned()),
        ("households.jsonl", households),
        ("ledger.jsonl", income),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_owned(), t.into_bytes()))
    .collect()
});

/// A year directory (`bangfu check DIR`): the first byte picks the record file that the rest
/// of the input replaces in a small year; the directory is read and built.
/// Every problem names a file of the directory and, in the fuzzed file, a line inside it,
/// and leaks no ID number of the input; a year that builds counts every payment once; the
/// directory read line by line (`YearDir::stream`) gives the same year or the same problems.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::year_dir(b"\x03{\"id\":\"c\"}\n");
/// ```
pub fn year_dir(data: &[u8]) {
    use bangfu::year::dir::{FILE_NAMES, Problem, YearDir};
    const FUZZED: [&str; 7] = [
        "households.jsonl",
        "applicants.jsonl",
        "case-events.jsonl",
        "claims.jsonl",
        "ledger.jsonl",
        "payments.jsonl",
        "survey.jsonl",
    ];
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Some(name) = FUZZED.get(usize::from(pick) % FUZZED.len()) else {
        return;
    };
    let mut files = YEAR_FILES.clone();
    files.insert((*name).to_owned(), rest.to_vec());
    let secrets = Secrets::of(&String::from_utf8_lossy(rest));
    let lines = rest.split(|b| *b == b'\n').count();
    let check = |problems: &[Problem]| {
        assert!(!problems.is_empty(), "a refusal without a problem");
        for p in problems {
            assert!(FILE_NAMES.contains(&p.file.as_str()), "{p}");
            if p.file == *name {
                assert!(p.line <= lines, "{p} is past the file's {lines} lines");
            }
            secrets.check("a year directory's problem", &p.to_string());
        }
    };
    let whole = YearDir::read(&files).and_then(YearDir::build);
    // Read line by line, the same year or the same problems in the same order.
    let streamed = YearDir::stream(&files, &mut |_| {});
    match (&whole, &streamed) {
        (Err(a), Err(b)) => assert_eq!(a, b, "the streamed reading's problems"),
        (Ok(a), Ok(b)) => {
            assert_eq!(a.year.ledger().postings(), b.year.ledger().postings());
            assert_eq!(a.year.payments(), b.year.payments());
        }
        _ => panic!("one reading builds and the other does not"),
    }
    match whole {
        Err(problems) => check(&problems),
        Ok(built) => {
            let pay = built.year.payments();
            assert_eq!(pay.per_household.values().sum::<u64>(), pay.payments.count);
            if let Ok((_, st)) = built.year.closed_statement() {
                assert_eq!(st.totals.person_times, pay.payments.count);
            }
        }
    }
}

/// A households file (`households.jsonl`, [`HouseholdRecord`]): each of the first records
/// decided as an eligibility request, its aid facts made, and the records filed through
/// the procedure into one registry (with their withdrawals).
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::households(b"{}\n");
/// ```
pub fn households(data: &[u8]) {
    jsonl_file::<HouseholdRecord>(data, |records, secrets| {
        let policy = &POLICY.eligibility;
        let calendar = &*CALENDAR;
        let mut registry = Registry::default();
        for r in records.iter().take(EVALUATED_RECORDS) {
            decide_household(&r.household, r.applied, secrets);
            if let Err(e) = r.file_facts(Some(ArchiveStatus::Active), Vec::new()) {
                secrets.check_error("the file facts' error", &e);
            }
            let Some(actors) = actors(r.household.worker.person.id.clone(), r.unit().as_str())
            else {
                continue;
            };
            let filed = file_through_procedure(
                &mut registry,
                policy,
                calendar,
                r.case.clone(),
                r.household.clone(),
                r.applied,
                &actors,
            );
            let result = filed.and_then(|_| match &r.withdrawal {
                None => Ok(()),
                Some(w) => registry
                    .apply(
                        &r.case,
                        w.event(actors.aid_center.clone()),
                        policy,
                        calendar,
                    )
                    .map(drop),
            });
            if let Err(e) = result {
                secrets.check_error("the registry's error", &e);
            }
        }
        secrets.check("the registry's Debug", &format!("{registry:?}"));
    });
}

/// An applicants file (`applicants.jsonl`, [`ApplicantRecord`]): each of the first records
/// decided as an eligibility request, opened and rejected at review.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::applicants(b"{}\n");
/// ```
pub fn applicants(data: &[u8]) {
    jsonl_file::<ApplicantRecord>(data, |records, secrets| {
        let mut registry = Registry::default();
        let calendar = &*CALENDAR;
        for a in records.iter().take(EVALUATED_RECORDS) {
            decide_household(&a.household, a.applied, secrets);
            let worker = &a.household.worker;
            let Some(actors) = actors(worker.person.id.clone(), worker.union_unit.as_str()) else {
                continue;
            };
            let opened = registry.open(
                a.case.clone(),
                a.household.clone(),
                a.applied,
                actors.applicant.clone(),
            );
            let result = opened
                .and_then(|_| {
                    calendar
                        .add_working_days(a.applied, 1)
                        .map_err(EligibilityError::from)
                })
                .and_then(|day| {
                    registry.apply(
                        &a.case,
                        CaseEvent::RejectAtReview {
                            by: actors.grassroots.clone(),
                            date: day,
                            note: format!("exclusion.{}", a.exclusion),
                        },
                        &POLICY.eligibility,
                        calendar,
                    )
                });
            if let Err(e) = result {
                secrets.check_error("the registry's error", &e);
            }
        }
        secrets.check("the registry's Debug", &format!("{registry:?}"));
    });
}

/// A claims file (`claims.jsonl`, [`ClaimRecord`]).
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::claims(b"{}\n");
/// ```
pub fn claims(data: &[u8]) {
    jsonl_file::<ClaimRecord>(data, |_, _| {});
}

/// A survey file (`survey.jsonl`, [`SurveyRecord`]): its figures over 2018.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::survey(b"{}\n");
/// ```
pub fn survey(data: &[u8]) {
    jsonl_file::<SurveyRecord>(data, |visits, secrets| {
        let period = bangfu::hainan2018::year().period();
        match bangfu::evaluation::survey_figures(visits, period) {
            Ok(f) => secrets.check("the survey figures", &format!("{f:?}")),
            Err(e) => secrets.check_error("the survey's error", &e),
        }
    });
}

/// A stated-figures file (`stated.toml`, [`StatedFile`]): checked against the 2018 facts.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::stated(b"plan = 1\n");
/// ```
pub fn stated(data: &[u8]) {
    toml_file(
        data,
        StatedFile::from_toml,
        evaluation_line,
        |file, secrets| {
            let end = bangfu::hainan2018::year().period().end();
            let Ok(tolerances) = bangfu::scoring::Tolerances::from_policy(&POLICY.scoring, end)
            else {
                return;
            };
            match bangfu::scoring::check_consistency(
                &EVALUATION.facts,
                &file.figures(),
                &tolerances,
            ) {
                Ok(findings) => secrets.check("the findings", &format!("{findings:?}")),
                Err(e) => secrets.check_error("the findings' error", &e),
            }
        },
    );
}

/// A judgements file (`judgements.toml`, [`JudgementsFile`]): the 2018 facts scored with it
/// under both built-in frameworks.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::judgements(b"[self]\n");
/// ```
pub fn judgements(data: &[u8]) {
    toml_file(
        data,
        JudgementsFile::from_toml,
        evaluation_line,
        |file, secrets| {
            for (choice, framework) in FRAMEWORKS.iter() {
                let judgements = file.for_framework(*choice);
                match bangfu::scoring::score(framework, &EVALUATION.facts, &judgements) {
                    Ok(card) => secrets.check("the scorecard", &format!("{card:?}")),
                    Err(e) => secrets.check_error("the score's error", &e),
                }
            }
        },
    );
}

/// A report file (`report.toml`, [`ReportFile`]): the 2018 report rendered with it, in both
/// languages.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::report(b"[meta]\n");
/// ```
pub fn report(data: &[u8]) {
    toml_file(
        data,
        ReportFile::from_toml,
        evaluation_line,
        |file, secrets| {
            check_period(file.meta.period);
            let e = &*EVALUATION;
            let input = bangfu::scoring::ReportInput {
                meta: &file.meta,
                facts: &e.facts,
                scorecard: &e.scorecard,
                satisfaction: e.satisfaction.as_ref(),
                findings: &e.findings,
                stated_total: e.stated.stated.total_score.as_ref().map(|s| s.value),
                visits: Some(&e.visits),
                issues: &[],
            };
            for lang in [Lang::Zh, Lang::En] {
                match bangfu::scoring::render_report(&input, lang) {
                    Ok(text) => secrets.check("the report", &text),
                    Err(e) => secrets.check_error("the report's error", &e),
                }
            }
        },
    );
}

/// The generator's configuration (`generator.toml`, [`GeneratorConfig`]).
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::generator(b"seed = 1\n");
/// ```
pub fn generator(data: &[u8]) {
    // The configuration is only read (it has no writer): no round trip.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let secrets = Secrets::of(text);
    match GeneratorConfig::from_toml(text) {
        Ok(config) => secrets.check("the configuration's Debug", &format!("{config:?}")),
        Err(e) => {
            check_line(text, e.line());
            secrets.check_error("the configuration's error", &e);
        }
    }
}

/// A scoring framework ([`Framework::from_toml`], the form of the built-in ones).
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::framework(b"[framework]\n");
/// ```
pub fn framework(data: &[u8]) {
    toml_file(data, Framework::from_toml, |_| None, |_, _| {});
}

// ---------------------------------------------------------------------------------------
// Values

/// Money ([`Money::parse_yuan`], [`Money::parse_wan`], `FromStr`, serde): what parses is
/// written and read back to the same amount, in yuan and in 万元.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::money(b"1125.074864");
/// ```
pub fn money(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let yuan = Money::parse_yuan(text);
    assert_eq!(text.parse::<Money>(), yuan, "FromStr is parse_yuan");
    let serde = serde_json::from_value::<Money>(Value::from(text));
    assert_eq!(
        serde.is_ok(),
        yuan.is_ok(),
        "serde reads what parse_yuan reads"
    );
    match &yuan {
        Ok(m) => {
            let m = *m;
            assert_eq!(serde.ok(), Some(m));
            assert_eq!(
                Money::parse_yuan(&m.to_string()),
                Ok(m),
                "yuan written and read"
            );
            assert_eq!(Money::from_fen(m.fen()), Ok(m));
            json_round_trip(&m);
        }
        Err(e) => check_code(e),
    }
    match Money::parse_wan(text) {
        Ok(m) => {
            for written in [m.wan().to_string(), format!("{:.6}", m.wan())] {
                assert_eq!(
                    Money::parse_wan(&written),
                    Ok(m),
                    "万元 written as {written}"
                );
            }
            if let Ok(y) = yuan {
                assert_eq!(
                    Some(m.fen()),
                    y.fen().checked_mul(10_000),
                    "the same text in yuan and in 万元 disagree"
                );
            }
        }
        Err(e) => check_code(&e),
    }
}

/// Rates ([`Rate::parse`], `FromStr`, serde): what parses is written and read back.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::rate(b"0.5");
/// ```
pub fn rate(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Rate::parse(text);
    assert_eq!(text.parse::<Rate>(), parsed, "FromStr is parse");
    match parsed {
        Ok(r) => {
            let written = r.to_string();
            assert_eq!(Rate::parse(&written), Ok(r), "rate written as {written}");
            json_round_trip(&r);
            let _ = (r.percent(), r.percent_display(2).to_string());
        }
        Err(e) => check_code(&e),
    }
}

/// ID numbers ([`IdNumber::parse`], serde from a string): a valid number is read back
/// from its full form; its masked forms and any error never show more than the mask.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::id_number(b"11010519491231002X");
/// ```
pub fn id_number(data: &[u8]) {
    // Past 64 bytes an input only tries the length check again: keep executions short.
    let data = data.get(..64).unwrap_or(data);
    let text = String::from_utf8_lossy(data);
    let secrets = Secrets::value(&text);
    let parsed = IdNumber::parse(&text);
    let serde = serde_json::from_value::<IdNumber>(Value::from(text.as_ref()));
    assert_eq!(
        serde.is_ok(),
        parsed.is_ok(),
        "serde reads what parse reads"
    );
    match parsed {
        Ok(id) => {
            assert_eq!(IdNumber::parse(id.expose()).as_ref(), Ok(&id));
            assert_eq!(id.expose(), text.to_ascii_uppercase());
            let first17 = text.get(..17).expect("18 ASCII characters");
            assert_eq!(IdNumber::with_check_digit(first17).as_ref(), Ok(&id));
            let _ = (id.birth_date(), id.sex());
            secrets.check("Display", &id.to_string());
            secrets.check("Debug", &format!("{id:?}"));
            json_round_trip(&id);
        }
        Err(e) => {
            secrets.check_error("the ID number's error", &e);
            let message = serde.err().map(|e| e.to_string()).unwrap_or_default();
            secrets.check("the ID number's serde error", &message);
        }
    }
    // Any mask keeps the count of characters and shows no more than it keeps.
    let keep = |i: usize| usize::from(data.get(i).copied().unwrap_or(6) % 24);
    let mask = IdMask {
        keep_first: keep(0),
        keep_last: keep(1),
    };
    let masked = mask.mask_str(&text);
    assert_eq!(masked.chars().count(), text.chars().count());
    let shown = masked.chars().filter(|&c| c != '*').count();
    assert!(shown <= mask.keep_first.saturating_add(mask.keep_last));
}

/// Dates: a working calendar, a date, a count of working days and a period, read as JSON
/// (`{"calendar":{"holidays":[..],"make_up_days":[..]},"from":"2018-09-28","n":5,
/// "period":{"start":..,"end":..},"year":2018}`). Adding working days lands on a working day
/// that many working days later; a period read has its start before its end; a year read is
/// in range.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::dates(br#"{"calendar":{},"from":"2018-09-28","n":5}"#);
/// ```
pub fn dates(data: &[u8]) {
    /// A calendar as the fuzzer writes it: its holidays, make-up days and covered years.
    #[derive(serde::Deserialize, Default)]
    struct CalendarInput {
        #[serde(default)]
        holidays: Vec<NaiveDate>,
        #[serde(default)]
        make_up_days: Vec<NaiveDate>,
        #[serde(default)]
        years: Vec<i32>,
    }
    #[derive(serde::Deserialize)]
    struct Input {
        #[serde(default)]
        calendar: CalendarInput,
        from: NaiveDate,
        #[serde(default)]
        n: u16,
        #[serde(default)]
        period: Option<Period>,
        #[serde(default)]
        year: Option<Year>,
    }
    let Ok(input) = serde_json::from_slice::<Input>(data) else {
        return;
    };
    let c = input.calendar;
    let cal = WorkingCalendar::new(c.holidays, c.make_up_days).covering(c.years);
    match cal.add_working_days(input.from, u32::from(input.n)) {
        Ok(to) => {
            assert!(to >= input.from);
            if input.n > 0 {
                assert_eq!(
                    cal.is_working_day(to),
                    Ok(true),
                    "{to} is not a working day"
                );
            }
            assert_eq!(
                cal.working_days_between(input.from, to),
                Ok(u32::from(input.n)),
                "working days between {} and {to}",
                input.from
            );
        }
        Err(e) => check_code(&e),
    }
    if let Some(p) = input.period {
        check_period(p);
        json_round_trip(&p);
    }
    if let Some(y) = input.year {
        assert_eq!(Year::new(y.number()), Ok(y));
        assert!(y.contains(y.period().start()) && y.contains(y.period().end()));
    }
}

/// The store's setup under the embedded Hainan 2018 policy and budget.
static SETUP: LazyLock<bangfu_journal::Setup> = LazyLock::new(|| {
    bangfu_journal::Setup::new(
        bangfu::hainan2018::POLICY_TOML,
        bangfu::hainan2018::BUDGET_TOML,
    )
    .expect("the embedded setup reads")
});

/// What the store holds before the fuzzed line: an income `in-1` of 1,000.00 central funds
/// (2018-01-05) and a recorded living payment `p-1` of 100.00 from it (2018-02-01), so that a
/// reversal (or a recovery) can name postings of the ledger.
const BEFORE: [&str; 2] = [
    r#"{"v":1,"id":"op-in-1","actor":"finance-1","date":"2018-01-05","op":"income","body":{"id":"in-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"1000.00"}}"#,
    r#"{"v":1,"id":"op-p-1","actor":"finance-1","date":"2018-02-01","op":"record","body":{"type":"disbursement","id":"p-1","date":"2018-02-01","source":"central_fiscal","category":"living","kind":"regular","household":"HK-0001","tier":"national","channel":"union_member_card","amount":"100.00"}}"#,
];

/// An operation line of the store (`bangfu apply`), as bytes: read, written back and read
/// again to the same line, and applied to a store of the Hainan 2018 setup holding
/// `BEFORE`. A line
/// that does not read, or that the journal refuses, gets a code and writes nothing but the
/// log of refusals; no message repeats an ID number of the input; an accepted line is
/// journalled once and the store verifies.
///
/// # Example
/// ```
/// bangfu_tests::fuzz_checks::operation(br#"{"v":1,"id":"o","actor":"a","date":"2018-01-02","op":"close"}"#);
/// ```
pub fn operation(data: &[u8]) {
    use bangfu_journal::{Journal, MemoryStorage, OpLine, Outcome, Storage};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let secrets = Secrets::of(text);
    let line = OpLine::from_json(text);
    match &line {
        Ok(l) => {
            let again = OpLine::from_json(&l.to_json()).expect("a line written reads back");
            assert_eq!(&again, l, "a line written back reads as itself");
        }
        Err(e) => {
            assert!(!bangfu::core::Coded::code(e).is_empty());
            secrets.check("the line's error", &e.to_string());
        }
    }
    let mut journal =
        Journal::create(MemoryStorage::default(), SETUP.clone()).expect("an empty store");
    let before: Vec<_> = BEFORE.iter().map(|l| OpLine::from_json(l)).collect();
    let set = journal
        .apply_batch(before)
        .expect("memory storage does not fail");
    assert!(set.iter().all(Outcome::is_applied), "{set:?}");
    let (position, state) = (
        journal.position(),
        journal.storage_mut().projection().expect("state"),
    );
    let out = journal
        .apply_batch(vec![line])
        .expect("memory storage does not fail");
    let outcome = out.first().expect("one outcome a line");
    secrets.check("the result line", &outcome.to_line(Some(1)));
    match outcome {
        Outcome::Refused { code, .. } => {
            assert!(!code.is_empty());
            assert_eq!(
                journal.position(),
                position,
                "a refused line writes nothing"
            );
            let after = journal.storage_mut().projection().expect("state");
            assert_eq!(after, state);
        }
        Outcome::Duplicate { .. } => assert_eq!(journal.position(), position),
        _ => {
            assert_eq!(journal.position(), position + 1);
            let v = journal.verify().expect("verify");
            assert!(v.differences.is_empty(), "{:?}", v.differences);
        }
    }
}
