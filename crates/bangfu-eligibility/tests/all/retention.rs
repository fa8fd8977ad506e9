//! Archive retention: a closed file is kept 10 years after it closes (ARCH-2016 art. 15),
//! nothing is purged before, and the listing shows what may go, at the boundary day.

use bangfu_core::{ArchiveStatus, Coded};
use bangfu_eligibility::*;

use crate::common::*;

/// A registry with H1/1 filed and exited (effective 1 July 2018, recorded 2 July: it closed
/// on 2 July) and H2/1 filed and still active.
fn registry() -> (Registry, EligibilityPolicy) {
    let p = hainan();
    let c = cal();
    let s = staff();
    let fa = FilingActors {
        applicant: s.applicant,
        grassroots: s.grassroots,
        industrial: s.industrial,
        aid_center: s.center.clone(),
    };
    let mut reg = Registry::default();
    for (case, n) in [("H1/1", 1), ("H2/1", 2)] {
        file_through_procedure(&mut reg, &p, &c, case_id(case), poor(n), d(2018, 3, 5), &fa)
            .unwrap();
    }
    let exit = CaseEvent::Exit {
        by: s.center,
        date: d(2018, 7, 2),
        effective: d(2018, 7, 1),
        reason: ExitReason::Reemployed,
        note: None,
    };
    reg.apply(&case_id("H1/1"), exit, &p, &c).unwrap();
    (reg, p)
}

#[test]
fn a_closed_file_is_kept_ten_years_and_listed_from_the_day_after() {
    let (mut reg, p) = registry();
    let r = reg.get(&case_id("H1/1")).unwrap().retention(&p).unwrap();
    assert_eq!(r.status, ArchiveStatus::ExitedHardship);
    assert_eq!(
        r.closed,
        d(2018, 7, 2),
        "the later of effective and recorded"
    );
    assert_eq!(r.years, 10);
    assert_eq!(r.cite.as_str(), "elig.arch2016.art15");
    assert_eq!(r.kept_until, d(2028, 7, 2));
    // The last day of the period: not listed, and a purge is refused with nothing changed.
    assert!(reg.retention_listing(&p, d(2028, 7, 2)).unwrap().is_empty());
    let before = reg.clone();
    let err = reg.purge(&case_id("H1/1"), &p, d(2028, 7, 2)).unwrap_err();
    assert_eq!(err.code(), "eligibility.retention.not_over");
    assert!(err.to_string().contains("2028-07-02"), "{err}");
    assert_eq!(reg, before);
    // Long before, the same.
    assert!(reg.retention_listing(&p, d(2019, 1, 1)).unwrap().is_empty());
    assert_eq!(
        reg.purge(&case_id("H1/1"), &p, d(2018, 7, 3))
            .unwrap_err()
            .code(),
        "eligibility.retention.not_over"
    );
    // The next day: listed, and only it (H2/1 is open).
    let listed = reg.retention_listing(&p, d(2028, 7, 3)).unwrap();
    assert_eq!(listed, vec![r.clone()]);
    // An open file is never purged, even decades on.
    let err = reg.purge(&case_id("H2/1"), &p, d(2090, 1, 1)).unwrap_err();
    assert_eq!(err.code(), "eligibility.retention.file_not_closed");
    assert_eq!(reg, before);
    assert_eq!(
        reg.purge(&case_id("H9/1"), &p, d(2090, 1, 1))
            .unwrap_err()
            .code(),
        "eligibility.registry.unknown_case"
    );
    // The purge on the day after removes the file and returns it with its retention.
    let (file, why) = reg.purge(&case_id("H1/1"), &p, d(2028, 7, 3)).unwrap();
    assert_eq!(file.id().as_str(), "H1/1");
    assert_eq!(why, r);
    assert!(reg.get(&case_id("H1/1")).is_none());
    assert_eq!(reg.len(), 1);
    assert!(reg.retention_listing(&p, d(2090, 1, 1)).unwrap().is_empty());
    // The household's index forgot it too: it has no episode left.
    assert!(reg.episodes_of(&"H1".parse().unwrap()).is_empty());
}

#[test]
fn the_period_is_policy_data() {
    let (reg, mut p) = registry();
    // A 30-year period from 2018 in the policy: kept through 2 July 2048.
    let t = p.retention_years.as_ref().unwrap().entries()[0].clone();
    p.retention_years = Some(bangfu_core::Timeline::single(t.from, 30, t.cite));
    p.validate().unwrap();
    assert!(reg.retention_listing(&p, d(2048, 7, 2)).unwrap().is_empty());
    assert_eq!(reg.retention_listing(&p, d(2048, 7, 3)).unwrap().len(), 1);
    // Zero years is refused on load.
    let t = p.retention_years.as_ref().unwrap().entries()[0].clone();
    p.retention_years = Some(bangfu_core::Timeline::single(t.from, 0, t.cite));
    assert_eq!(
        p.validate().unwrap_err().code(),
        "eligibility.policy.invalid"
    );
    // Without a period nothing can be listed or purged: never by guess.
    p.retention_years = None;
    let err = reg.retention_listing(&p, d(2090, 1, 1)).unwrap_err();
    assert_eq!(err.code(), "eligibility.retention.no_period");
}

#[test]
fn the_period_is_counted_as_the_civil_code_counts_years() {
    // 民法典 arts. 201–202: from the day after, to the corresponding day; the month's last
    // day when there is none.
    assert_eq!(kept_until(d(2018, 3, 15), 10), d(2028, 3, 15));
    assert_eq!(kept_until(d(2020, 2, 29), 10), d(2030, 2, 28));
    assert_eq!(kept_until(d(2020, 2, 29), 12), d(2032, 2, 29));
    assert_eq!(kept_until(d(2018, 12, 31), 10), d(2028, 12, 31));
}
