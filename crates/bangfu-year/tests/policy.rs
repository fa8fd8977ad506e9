//! The local minimum living standard (城市居民最低生活保障标准) is one dated, per-city, cited
//! table that both the eligibility income line and the living-aid cap read: a policy cannot
//! write two values, and a section's old key is refused with its code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bangfu_aid::{AmountClaim, Calculator, Explain, FileFacts, YearToDate};
use bangfu_core::{CityCode, Coded, Money, NaiveDate};
use bangfu_eligibility::{Household, assess};
use bangfu_year::{MINIMUM_STANDARD_MOVED, Policy};

const HAINAN: &str = bangfu_data::hainan2018::POLICY_TOML;

/// Hainan's one table: Haikou, 500 yuan from 2017-01-01.
const TABLE: &str = "[[minimum_living_standard.cities.460100]]\nfrom = \"2017-01-01\"\nvalue = \"500.00\"\ncite = \"mls.assumed.hn2018\"\n";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn file(json_city: &str) -> FileFacts {
    serde_json::from_str(&format!(
        r#"{{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence",
            "household_size":3,"status":"active"{json_city}}}"#
    ))
    .unwrap()
}

/// The yearly living cap of a 3-person subsistence household in 2018: asked far more than
/// the per-time maximum allows, with 17,000 paid earlier in the year.
fn living_left(policy: &Policy, f: &FileFacts) -> Result<Money, bangfu_aid::AidError> {
    let calc = Calculator::new(&policy.aid)?;
    let claim = AmountClaim {
        date: day(2018, 9, 1),
        requested: Some(Money::from_yuan(1_000).unwrap()),
    };
    let so_far = YearToDate {
        paid: Money::from_yuan(17_500).unwrap(),
        ..YearToDate::default()
    };
    Ok(calc.living(f, claim, so_far, Explain::Off)?.amount)
}

#[test]
fn the_one_table_is_read_by_both_eligibility_and_the_living_cap() {
    let p = Policy::from_toml(HAINAN).unwrap();
    assert!(HAINAN.contains(TABLE));
    let one = Some(p.minimum_living_standard.clone());
    assert_eq!(p.eligibility.minimum_living_standard, one);
    assert_eq!(p.aid.minimum_living_standard, one);
    // 12 × 500 × 3 = 18,000 a year; 17,500 paid: 500 left of the 1,000 asked.
    assert_eq!(
        living_left(&p, &file("")).unwrap(),
        Money::from_yuan(500).unwrap()
    );
    // Raise the one value to 550 from 2018: both readers move (the example household's
    // 500.00 per capita is now below L, and the cap is 12 × 550 × 3 = 19,800).
    let raised = HAINAN.replacen(
        TABLE,
        &format!("{TABLE}\n[[minimum_living_standard.cities.460100]]\nfrom = \"2018-01-01\"\nvalue = \"550.00\"\ncite = \"mls.assumed.hn2018\"\n"),
        1,
    );
    let r = Policy::from_toml(&raised).unwrap();
    assert_eq!(
        living_left(&r, &file("")).unwrap(),
        Money::from_yuan(1_000).unwrap()
    );
    let h = Household::example().unwrap();
    let before = assess(&p.eligibility, &h, day(2018, 3, 1)).unwrap();
    let after = assess(&r.eligibility, &h, day(2018, 3, 1)).unwrap();
    let l = |d: &bangfu_eligibility::Decision| {
        d.explanation
            .parameters
            .iter()
            .find(|u| u.name == "minimum_living_standard")
            .map(|u| u.value.clone())
    };
    assert_eq!(l(&before).as_deref(), Some("500.00"));
    assert_eq!(l(&after).as_deref(), Some("550.00"));
}

#[test]
fn a_sections_old_key_is_refused_with_its_code_at_its_line() {
    let elig = "[[eligibility.minimum_living_standard]]\nfrom = \"2017-01-01\"\nvalue = \"500.00\"\ncite = \"mls.assumed.hn2018\"\n";
    let aid = "[[aid.living.yearly_cap.minimum_living_standard]]\nfrom = \"2018-01-01\"\nvalue = \"900.00\"\ncite = \"mls.assumed.hn2018\"\n";
    for (old, key) in [
        (elig, "eligibility.minimum_living_standard"),
        (aid, "aid.living.yearly_cap.minimum_living_standard"),
    ] {
        // Even a copy that agrees with the table is refused: one value, one place.
        let text = format!("{HAINAN}\n{old}");
        let err = Policy::from_toml(&text).unwrap_err();
        assert_eq!(err.code(), MINIMUM_STANDARD_MOVED, "{err}");
        assert_eq!(err.code(), "policy.minimum_living_standard.moved");
        assert!(err.to_string().contains(key), "{err}");
        assert!(
            err.to_string().contains("[minimum_living_standard]"),
            "{err}"
        );
        let line = text.lines().position(|l| l.contains(key)).unwrap() + 1;
        assert_eq!(err.line(), Some(line), "{err}");
    }
    // Without the table the file does not read.
    let start = HAINAN.find("[minimum_living_standard]").unwrap();
    let end = HAINAN.find("[citations.\"mls.assumed.hn2018\"]").unwrap();
    let mut without = HAINAN.to_owned();
    without.replace_range(start..end, "");
    let err = Policy::from_toml(&without).unwrap_err();
    assert_eq!(err.code(), "read.missing_field", "{err}");
}

#[test]
fn a_household_reads_its_own_citys_standard_and_an_unlisted_city_is_refused() {
    // Sanya (460200) at 450 from 2017 beside Haikou's 500.
    let text = HAINAN.replacen(
        TABLE,
        &format!("{TABLE}\n[[minimum_living_standard.cities.460200]]\nfrom = \"2017-01-01\"\nvalue = \"450.00\"\ncite = \"mls.assumed.hn2018\"\n"),
        1,
    );
    let p = Policy::from_toml(&text).unwrap();
    // The yearly cap of a Sanya household: 12 × 450 × 3 = 16,200 < 17,500 paid: nothing left.
    let sanya = file(r#","city":"460200""#);
    assert_eq!(living_left(&p, &sanya).unwrap(), Money::ZERO);
    // Naming the own city is the same as naming none.
    let haikou = file(r#","city":"460100""#);
    assert_eq!(
        living_left(&p, &haikou).unwrap(),
        living_left(&p, &file("")).unwrap()
    );
    // A city the table does not list.
    let err = living_left(&p, &file(r#","city":"469001""#)).unwrap_err();
    assert_eq!(err.code(), "core.minimum_standard.unknown_city");
    let mut h = Household::example().unwrap();
    h.city = Some(CityCode::new("460200").unwrap());
    // The example household lives in Sanya: its line reads Sanya's 450.
    let d = assess(&p.eligibility, &h, day(2018, 3, 1)).unwrap();
    let l = d
        .explanation
        .parameters
        .iter()
        .find(|u| u.name == "minimum_living_standard")
        .unwrap();
    assert_eq!(l.value, "450.00");
    h.city = Some(CityCode::new("469001").unwrap());
    let err = assess(&p.eligibility, &h, day(2018, 3, 1)).unwrap_err();
    assert_eq!(err.code(), "core.minimum_standard.unknown_city");
    // The table's own city must be listed.
    let bad = HAINAN.replacen("city = \"460100\"", "city = \"460200\"", 1);
    let err = Policy::from_toml(&bad).unwrap_err();
    assert_eq!(err.code(), "core.minimum_standard.unknown_city", "{err}");
    let line = bad
        .lines()
        .position(|l| l == "[minimum_living_standard]")
        .unwrap()
        + 1;
    assert_eq!(err.line(), Some(line), "{err}");
}

#[test]
fn every_shipped_policy_reads_one_standard() {
    for text in [
        HAINAN,
        bangfu_data::example2020::POLICY_TOML,
        bangfu_data::guinan2019::POLICY_TOML,
        bangfu_data::hubei2023::POLICY_TOML,
    ] {
        let p = Policy::from_toml(text).unwrap();
        let tables = text.lines().filter(|l| *l == "[minimum_living_standard]");
        assert_eq!(tables.count(), 1);
        assert_eq!(
            p.eligibility.minimum_living_standard.as_ref(),
            Some(&p.minimum_living_standard)
        );
        assert_eq!(
            p.aid.minimum_living_standard.as_ref(),
            Some(&p.minimum_living_standard)
        );
    }
}
