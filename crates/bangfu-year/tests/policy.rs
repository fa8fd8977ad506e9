//! A policy whose eligibility line and living-aid cap read different local minimum living
//! standards (最低生活保障标准) cannot be written: the loader refuses it with its code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bangfu_core::Coded;
use bangfu_year::{MINIMUM_STANDARD_CONFLICT, Policy};

const HAINAN: &str = bangfu_data::hainan2018::POLICY_TOML;

/// The aid section's copy of the standard: Hainan 2018, 500 yuan from 2018-01-01.
const AID_COPY: &str =
    "[[aid.living.yearly_cap.minimum_living_standard]]\nfrom = \"2018-01-01\"\nvalue = \"500.00\"";

#[test]
fn the_two_standards_must_agree_on_every_day_both_are_in_force() {
    // Hainan: 500 from 2017 in eligibility and 500 from 2018 in the cap: they agree.
    assert!(HAINAN.contains(AID_COPY));
    Policy::from_toml(HAINAN).unwrap();
    // The cap reads 600: refused, at the cap's line, naming both values and the day.
    let text = HAINAN.replacen(AID_COPY, &AID_COPY.replace("500.00", "600.00"), 1);
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.code(), MINIMUM_STANDARD_CONFLICT);
    assert_eq!(err.code(), "policy.minimum_living_standard.conflict");
    let msg = err.to_string();
    assert!(
        msg.contains("500.00") && msg.contains("600.00") && msg.contains("2018-01-01"),
        "{msg}"
    );
    let line = text
        .lines()
        .position(|l| l.contains("[[aid.living.yearly_cap.minimum_living_standard]]"))
        .unwrap()
        + 1;
    assert_eq!(err.line(), Some(line), "{msg}");
    // A later change in one copy only: eligibility raises L to 550 from 2019.
    let elig = "[[eligibility.minimum_living_standard]]\nfrom = \"2017-01-01\"\nvalue = \"500.00\"\ncite = \"elig.assumed.hn2018.minimum_living_standard\"\n";
    assert!(HAINAN.contains(elig));
    let raised = format!(
        "{elig}\n[[eligibility.minimum_living_standard]]\nfrom = \"2019-01-01\"\nvalue = \"550.00\"\ncite = \"elig.assumed.hn2018.minimum_living_standard\"\n"
    );
    let text = HAINAN.replacen(elig, &raised, 1);
    let err = Policy::from_toml(&text).unwrap_err();
    assert_eq!(err.code(), MINIMUM_STANDARD_CONFLICT, "{err}");
    assert!(err.to_string().contains("2019-01-01"), "{err}");
    // The same change in both copies is accepted.
    let aid = format!("{AID_COPY}\ncite = \"aid.assumed.minimum_living_standard\"\n");
    assert!(text.contains(&aid));
    let both = text.replacen(
        &aid,
        &format!("{aid}\n[[aid.living.yearly_cap.minimum_living_standard]]\nfrom = \"2019-01-01\"\nvalue = \"550.00\"\ncite = \"aid.assumed.minimum_living_standard\"\n"),
        1,
    );
    Policy::from_toml(&both).unwrap();
}

#[test]
fn every_shipped_policy_reads_one_standard() {
    Policy::from_toml(bangfu_data::example2020::POLICY_TOML).unwrap();
    Policy::from_toml(bangfu_data::guinan2019::POLICY_TOML).unwrap();
}
