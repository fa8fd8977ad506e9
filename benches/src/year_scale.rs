//! A year of any size for the whole-path bench: the Hainan 2018 year directory repeated
//! `copies` times, every id, case, posting, claim and ID number made unique per copy.
//!
//! Each copy is the Hainan year itself, so the scaled year's figures are Hainan's times the
//! copies (the execution rate stays 96.33 %): the bench checks what it computes. 1,035 copies
//! are 1,017,405 filed households and about 10.4 million records.

use std::collections::BTreeMap;

use bangfu::core::Coded;
use bangfu::eligibility::{Household, IdNumber};
use bangfu::funding::{Budget, Posting};
use bangfu::hainan2018 as hn;
use bangfu::input::write_jsonl;
use bangfu::records::{ApplicantRecord, ClaimDetail, ClaimRecord, HouseholdRecord, SurveyRecord};

/// An id of copy `k`: `c<k>-<id>`.
fn tag(k: u32, id: &str) -> String {
    format!("c{k}-{id}")
}

fn parse<T: std::str::FromStr>(text: String) -> T
where
    T::Err: std::fmt::Debug,
{
    #[allow(clippy::expect_used)]
    text.parse().expect("a tagged id is valid")
}

/// The household of copy `k`: ids tagged, every ID number moved to region `k`.
fn household(k: u32, h: &Household) -> Household {
    let mut h = h.clone();
    h.id = parse(tag(k, h.id.as_str()));
    for d in &mut h.documents {
        if let Some(p) = &mut d.person {
            *p = parse(tag(k, p.as_str()));
        }
    }
    let persons =
        std::iter::once(&mut h.worker.person).chain(h.members.iter_mut().map(|m| &mut m.person));
    for p in persons {
        p.id = parse(tag(k, p.id.as_str()));
        let digits = p.id_number.expose();
        // Region 46xxxx (Hainan), one per copy: the persons of different copies differ.
        let first17 = format!("46{:04}{}", k, digits.get(6..17).unwrap_or_default());
        #[allow(clippy::expect_used)]
        {
            p.id_number = IdNumber::with_check_digit(&first17).expect("17 digits");
        }
    }
    h
}

fn posting(k: u32, p: &Posting) -> Posting {
    let mut p = p.clone();
    match &mut p {
        Posting::Income(i) => {
            i.id = parse(tag(k, i.id.as_str()));
            if let Some(h) = &mut i.household {
                *h = parse(tag(k, h.as_str()));
            }
            if let Some(r) = &mut i.reverses {
                *r = parse(tag(k, r.as_str()));
            }
        }
        Posting::Reversal(r) => {
            r.id = parse(tag(k, r.id.as_str()));
            r.reverses = parse(tag(k, r.reverses.as_str()));
        }
        Posting::Disbursement(d) => {
            d.id = parse(tag(k, d.id.as_str()));
            d.household = parse(tag(k, d.household.as_str()));
            if let Some(c) = &mut d.claim {
                *c = parse(tag(k, c.as_str()));
            }
            if let Some(o) = &mut d.order {
                // aid|case|category|kind|year|claim: the case and the claim are per copy.
                let parts: Vec<String> = o
                    .split('|')
                    .enumerate()
                    .map(|(i, s)| {
                        if i == 1 || i == 5 {
                            tag(k, s)
                        } else {
                            s.to_owned()
                        }
                    })
                    .collect();
                *o = parts.join("|");
            }
        }
    }
    p
}

fn claim(k: u32, c: &ClaimRecord) -> ClaimRecord {
    let mut c = c.clone();
    c.id = parse(tag(k, c.id.as_str()));
    c.case = parse(tag(k, c.case.as_str()));
    c.household = parse(tag(k, c.household.as_str()));
    match &mut c.detail {
        ClaimDetail::Medical { applicant, .. } => *applicant = parse(tag(k, applicant.as_str())),
        ClaimDetail::Education { student } => *student = parse(tag(k, student.as_str())),
        _ => {}
    }
    c
}

/// The budget of `copies` Hainan years: every line and approval times `copies`.
fn budget(copies: u32) -> Budget {
    #[allow(clippy::expect_used)]
    let mut b = hn::budget().expect("the embedded budget");
    let times = |m: bangfu::core::Money| {
        #[allow(clippy::expect_used)]
        m.fen()
            .checked_mul(i64::from(copies))
            .and_then(|f| bangfu::core::Money::from_fen(f).ok())
            .expect("no overflow")
    };
    for v in b.lines.values_mut() {
        *v = times(*v);
    }
    for a in &mut b.carryover_approvals {
        a.amount = times(a.amount);
    }
    b
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
        for r in &households {
            let mut r = r.clone();
            r.case = parse(tag(k, r.case.as_str()));
            r.household = household(k, &r.household);
            h_out.push(r);
        }
        for a in &applicants {
            let mut a = a.clone();
            a.case = parse(tag(k, a.case.as_str()));
            a.household = household(k, &a.household);
            a_out.push(a);
        }
        c_out.extend(claims.iter().map(|c| claim(k, c)));
        for v in &survey {
            let mut v = v.clone();
            v.household = parse(tag(k, v.household.as_str()));
            s_out.push(v);
        }
    }
    // Postings by date, every copy's postings of a day together.
    let mut p_out: Vec<Posting> = Vec::with_capacity(ledger.len() * copies as usize);
    let mut start = 0;
    while start < ledger.len() {
        let day = ledger.get(start).map(Posting::date);
        let end = ledger
            .iter()
            .skip(start)
            .position(|p| Some(p.date()) != day)
            .map_or(ledger.len(), |n| start + n);
        for k in 0..copies {
            p_out.extend(
                ledger
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| posting(k, p)),
            );
        }
        start = end;
    }
    let budget_toml = toml_budget(&budget(copies));
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

/// The budget as `budget.toml` writes it.
fn toml_budget(b: &Budget) -> String {
    let mut s = format!("year = {}\n\n[lines]\n", b.year.number());
    for (source, amount) in &b.lines {
        s.push_str(&format!("{} = \"{}\"\n", source.code(), amount));
    }
    for a in &b.carryover_approvals {
        s.push_str(&format!(
            "\n[[carryover_approvals]]\nsource = \"{}\"\namount = \"{}\"\nreference = \"{}\"\ndate = \"{}\"\n",
            a.source.code(),
            a.amount,
            a.reference,
            a.date
        ));
    }
    s
}
