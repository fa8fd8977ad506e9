//! The national year's generator: a small national year (three copies of Hainan 2018 from two
//! variants) written to a directory reads back through the one path, and its figures are
//! Hainan's times the copies, computed from the records.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::collections::{BTreeMap, BTreeSet};

use bangfu_datagen::national::{self, Base, NationalConfig};
use bangfu_year::dir::YearDir;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bangfu-national-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn files(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_small_national_year_is_the_base_times_its_copies() {
    let (config, policy, budget, units) = national::hainan().unwrap();
    let base = Base {
        config: &config,
        policy: &policy,
        policy_toml: bangfu_data::hainan2018::POLICY_TOML,
        budget: Some(&budget),
        units: &units,
        texts: national::hainan_texts(),
    };
    let national = NationalConfig {
        seed: 7,
        households: 2_000,
        variants: 2,
    };
    let variants = national::variants(&national, &config, &policy).unwrap();
    // Two seeds, two different years meeting the same targets.
    assert_ne!(
        variants[0].households_jsonl(),
        variants[1].households_jsonl()
    );
    let dir = scratch("small");
    let mut told = 0;
    let written = national::write(&national, &base, &variants, &dir, &mut |n| told += n).unwrap();
    assert_eq!(written.copies, 3); // 966 households a copy: 3 copies for 2,000
    assert_eq!(written.households, 3 * 983); // 966 active and 17 withdrawn each
    assert_eq!(told, written.records);

    let files = files(&dir);
    // Same configuration, same bytes.
    let again = scratch("again");
    national::write(&national, &base, &variants, &again, &mut |_| {}).unwrap();
    assert!(self::files(&again) == files);

    let year = YearDir::read(&files).unwrap();
    // Every person is in one copy only: no ID number twice.
    let ids: BTreeSet<String> = year
        .households
        .iter()
        .flat_map(|r| {
            let h = &r.record.household;
            std::iter::once(&h.worker.person).chain(h.members.iter().map(|m| &m.person))
        })
        .map(|p| p.id_number.expose().to_owned())
        .collect();
    let persons: usize = year
        .households
        .iter()
        .map(|r| 1 + r.record.household.members.len())
        .sum();
    assert_eq!(ids.len(), persons);
    // The tree: the national federation, 31 provinces, each copy's 8 units.
    let tree = year.units.clone().unwrap();
    assert_eq!(tree.units().len(), 1 + 31 + 3 * 8);

    let built = year.build().unwrap();
    let (_, statement) = built.year.closed_statement().unwrap();
    let (_, hainan) = bangfu_data::hainan2018::programme_year()
        .unwrap()
        .closed_statement()
        .unwrap();
    let times3 = |m: bangfu_core::Money| m.checked_mul_int(3).unwrap();
    assert_eq!(statement.totals.spent, times3(hainan.totals.spent));
    assert_eq!(statement.totals.income, times3(hainan.totals.income));
    assert_eq!(
        statement.totals.person_times,
        3 * hainan.totals.person_times
    );
    assert_eq!(
        statement.totals.execution_rate.map(|r| r.percent),
        hainan.totals.execution_rate.map(|r| r.percent)
    );
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&again).ok();
}

#[test]
fn no_variant_of_the_default_national_year_gives_one_id_number_to_two_persons() {
    // Before the generator skipped used serials, seed 2020's variants gave the same ID number
    // to two persons of one year (the serial counter wraps at 500 per sex).
    let (config, policy, _, _) = national::hainan().unwrap();
    let variants = national::variants(&NationalConfig::new(2020, 1), &config, &policy).unwrap();
    for (v, d) in variants.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for r in &d.households {
            let h = &r.household;
            for p in std::iter::once(&h.worker.person).chain(h.members.iter().map(|m| &m.person)) {
                assert!(
                    seen.insert(p.id_number.expose().to_owned()),
                    "variant {v}: {} twice",
                    p.id
                );
            }
        }
    }
}
