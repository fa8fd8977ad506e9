//! A year of any size for the whole-path bench: the Hainan 2018 year directory repeated
//! `copies` times, every id, case, posting, claim and ID number made unique per copy.
//!
//! Each copy is the Hainan year itself, so the scaled year's figures are Hainan's times the
//! copies (the execution rate stays 96.33 %): the bench checks what it computes. 1,035 copies
//! are 1,017,405 filed households and about 10.4 million records.

use std::collections::BTreeMap;

use bangfu::funding::Posting;
use bangfu::hainan2018 as hn;
use bangfu::input::write_jsonl;
use bangfu::records::{ApplicantRecord, ClaimRecord, HouseholdRecord, SurveyRecord};
use bangfu_datagen::national::{budget_times, budget_toml};
use bangfu_datagen::tile::{Tag, by_day};

/// The tag of copy `k`: ids `c<k>-<id>`, ID numbers in region `46<k:04>` (Hainan, one
/// region per copy: the persons of different copies differ).
#[allow(clippy::expect_used)]
fn tag(k: u32) -> Tag {
    Tag::new(&format!("c{k}-"), &format!("46{k:04}")).expect("six digits")
}

/// The files of the scaled year directory, by name (as `bangfu::year::dir::YearDir::read`
/// takes them). Postings are in date order, copy by copy within a day.
///
/// # Panics
/// Only if the embedded Hainan data were broken.
#[allow(clippy::expect_used)]
pub fn files(copies: u32) -> BTreeMap<String, Vec<u8>> {
    let households = hn::households().expect("households");
    let applicants = hn::applicants().expect("applicants");
    let claims = hn::claims().expect("claims");
    let ledger = hn::ledger_records().expect("ledger");
    let survey = hn::survey().expect("survey");
    let mut h_out: Vec<HouseholdRecord> = Vec::new();
    let mut a_out: Vec<ApplicantRecord> = Vec::new();
    let mut c_out: Vec<ClaimRecord> = Vec::new();
    let mut s_out: Vec<SurveyRecord> = Vec::new();
    for k in 0..copies {
        let t = tag(k);
        h_out.extend(
            households
                .iter()
                .map(|r| t.household_record(r).expect("tags")),
        );
        a_out.extend(applicants.iter().map(|a| t.applicant(a).expect("tags")));
        c_out.extend(claims.iter().map(|c| t.claim(c).expect("tags")));
        s_out.extend(survey.iter().map(|v| t.visit(v).expect("tags")));
    }
    // Postings by date, every copy's postings of a day together.
    let mut p_out: Vec<Posting> = Vec::with_capacity(ledger.len() * copies as usize);
    for day in by_day(&ledger, Posting::date).values() {
        for k in 0..copies {
            let t = tag(k);
            p_out.extend(day.iter().map(|p| t.posting(p).expect("tags")));
        }
    }
    let budget = hn::budget().expect("the embedded budget");
    let budget_toml = budget_toml(&budget_times(&budget, copies).expect("no overflow"));
    let mut out = BTreeMap::new();
    out.insert(
        "policy.toml".to_owned(),
        hn::POLICY_TOML.as_bytes().to_vec(),
    );
    out.insert("budget.toml".to_owned(), budget_toml.into_bytes());
    out.insert(
        "households.jsonl".to_owned(),
        write_jsonl(&h_out).into_bytes(),
    );
    out.insert(
        "applicants.jsonl".to_owned(),
        write_jsonl(&a_out).into_bytes(),
    );
    out.insert("claims.jsonl".to_owned(), write_jsonl(&c_out).into_bytes());
    out.insert("ledger.jsonl".to_owned(), write_jsonl(&p_out).into_bytes());
    out.insert("survey.jsonl".to_owned(), write_jsonl(&s_out).into_bytes());
    out.insert(
        "stated.toml".to_owned(),
        hn::STATED_TOML.as_bytes().to_vec(),
    );
    out.insert(
        "judgements.toml".to_owned(),
        hn::JUDGEMENTS_TOML.as_bytes().to_vec(),
    );
    out.insert(
        "report.toml".to_owned(),
        hn::REPORT_TOML.as_bytes().to_vec(),
    );
    out
}
