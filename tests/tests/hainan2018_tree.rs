//! The Hainan 2018 year with its union organisation tree (`units.toml`): the center's own
//! part (every unit but the reclamation group's) and the reclamation group's part, each
//! computed from the records, add up to the whole to the fen and to the person-time, and to
//! the year's statement; the seed's 966 files = 680 + 286 are the files active (payable) at
//! the end of 2018.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::core::{AidCategory, Coded, Money, UnitId};
use bangfu::hainan2018;
use bangfu::year::dir::YearDir;
use bangfu::year::rollup::{PartStatement, Rollup, Scope, figures_of, records, whole};
use bangfu::year::tree::UnitTree;

fn unit(s: &str) -> UnitId {
    s.parse().unwrap()
}

fn center_own() -> Scope {
    Scope {
        unit: unit("center"),
        except: vec![unit("hainan-reclamation")],
    }
}

fn group() -> Scope {
    Scope {
        unit: unit("hainan-reclamation"),
        except: vec![],
    }
}

#[test]
fn the_center_and_the_reclamation_group_add_up_to_the_whole() {
    let built = YearDir::read(&hainan2018::files())
        .unwrap()
        .build()
        .unwrap();
    let tree = built
        .units
        .as_ref()
        .expect("the embedded year has units.toml");
    let year = &built.year;
    let records = records(year);
    let own = figures_of(tree, &records, &center_own()).unwrap();
    let grp = figures_of(tree, &records, &group()).unwrap();
    let all = whole(&records).unwrap();
    assert_eq!(own.checked_add(&grp).unwrap(), all);

    // The whole is the statement's, to the fen and to the person-time.
    let (_, statement) = year.closed_statement().unwrap();
    assert_eq!(all.spent, statement.totals.spent);
    assert_eq!(all.person_times, statement.totals.person_times);
    for c in [
        AidCategory::Living,
        AidCategory::Medical,
        AidCategory::Education,
    ] {
        let line = statement.totals.category(c);
        let (o, g) = (own.category(c).unwrap(), grp.category(c).unwrap());
        assert_eq!(o.0.checked_add(g.0).unwrap(), line.amount, "{c:?}");
        assert_eq!(o.1 + g.1, line.person_times, "{c:?}");
    }
    for s in &statement.sources {
        let part = |f: &bangfu::year::rollup::UnitFigures| {
            Money::sum(
                f.spending
                    .iter()
                    .filter(|l| l.source == s.source)
                    .map(|l| l.amount),
            )
            .unwrap()
        };
        assert_eq!(
            part(&own).checked_add(part(&grp)).unwrap(),
            s.spent,
            "{:?}",
            s.source
        );
    }
    // The seed's figures: 2018 total 10,837,841.39 yuan and 8,236 person-times.
    assert_eq!(all.spent, Money::parse_yuan("10837841.39").unwrap());
    assert_eq!(all.person_times, 8_236);
    assert_eq!(
        (grp.spent, grp.person_times),
        (Money::parse_yuan("7466179.39").unwrap(), 5_801)
    );
    assert_eq!(
        (own.spent, own.person_times),
        (Money::parse_yuan("3371662.00").unwrap(), 2_435)
    );
    // The 17 recoveries are of the withdrawn households, all of the center's own units.
    assert_eq!((own.recoveries, grp.recoveries), (17, 0));
    assert_eq!(own.recovered, Money::parse_yuan("54098.00").unwrap());

    // The roll-up over the tree: the center's total is the whole, nothing is outside it.
    let rollup = Rollup::new(tree, &records).unwrap();
    assert_eq!(rollup.node(&unit("center")).unwrap().total, all);
    assert_eq!(rollup.outside, Default::default());
}

/// The seed (一(一)): 966 files at 2018-12, 680 of the reclamation group and 286 of the
/// center. The records file 983 households, 303 outside the reclamation group: the 17 more
/// are the households withdrawn (退档) in 2018, all of the finance, trade, tourism and
/// tobacco union, whose aid was recovered. The seed's figure counts the files active at the
/// end of the year.
#[test]
fn the_seeds_680_and_286_are_the_files_active_at_the_end_of_2018() {
    let built = YearDir::read(&hainan2018::files())
        .unwrap()
        .build()
        .unwrap();
    let tree = built.units.as_ref().unwrap();
    let records = records(&built.year);
    let own = figures_of(tree, &records, &center_own()).unwrap();
    let grp = figures_of(tree, &records, &group()).unwrap();
    assert_eq!((grp.files, grp.active), (680, 680));
    assert_eq!((own.files, own.active), (303, 286));
    assert_eq!(own.active + grp.active, 966);
    let withdrawn = figures_of(
        tree,
        &records,
        &Scope {
            unit: unit("finance-trade-tourism-tobacco"),
            except: vec![],
        },
    )
    .unwrap();
    assert_eq!(withdrawn.files - withdrawn.active, 17);
    assert_eq!(own.recoveries, 17);
}

#[test]
fn the_part_statements_name_their_units_and_split_the_whole() {
    let year = hainan2018::programme_year().unwrap();
    let tree = UnitTree::from_toml(hainan2018::UNITS_TOML).unwrap();
    let own = PartStatement::new(&year, &tree, &center_own()).unwrap();
    let grp = PartStatement::new(&year, &tree, &group()).unwrap();
    assert_eq!(own.units.len(), 6);
    assert!(grp.units.is_empty());
    let sum_units = own
        .units
        .iter()
        .try_fold(own.own.clone(), |acc, u| acc.checked_add(&u.figures))
        .unwrap();
    assert_eq!(sum_units, own.figures);
    assert_eq!(own.figures.checked_add(&grp.figures).unwrap(), own.whole);
    let zh = own.render_text(bangfu::core::Lang::Zh);
    assert!(zh.contains("海南省职工服务（帮扶）中心（不含海南省农垦投资控股集团有限公司工会）"));
    assert!(zh.contains("3371662.00"));
    let unknown = Scope {
        unit: unit("farm-7"),
        except: vec![],
    };
    assert_eq!(
        PartStatement::new(&year, &tree, &unknown)
            .unwrap_err()
            .code(),
        "tree.unknown_unit"
    );
}

/// The report's units' names are the tree's, the one definition; the embedded report file's
/// own names agree with it.
#[test]
fn the_report_names_the_units_of_the_tree() {
    let tree = UnitTree::from_toml(hainan2018::UNITS_TOML).unwrap();
    let report = bangfu::evaluation::ReportFile::from_toml(hainan2018::REPORT_TOML).unwrap();
    for u in &report.units {
        let t = tree
            .get(&u.id)
            .expect("every unit of report.toml is in the tree");
        assert_eq!(
            (t.zh.as_deref(), t.en.as_deref()),
            (Some(u.zh.as_str()), Some(u.en.as_str()))
        );
    }
}

/// A household of a unit the tree does not have is refused with its code, file and line;
/// so is a bad tree, with the line of its unit.
#[test]
fn records_outside_the_tree_and_bad_trees_are_refused_with_file_and_line() {
    let mut files = hainan2018::files();
    let text = hainan2018::HOUSEHOLDS_JSONL.replacen(
        "\"union_unit\":\"hainan-reclamation\"",
        "\"union_unit\":\"farm-7\"",
        1,
    );
    let line = text.lines().position(|l| l.contains("farm-7")).unwrap() + 1;
    files.insert("households.jsonl".into(), text.into_bytes());
    let problems = YearDir::read(&files).unwrap_err();
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    assert_eq!(
        (p.file.as_str(), p.line, p.code.as_str()),
        ("households.jsonl", line, "tree.unknown_unit")
    );

    let mut files = hainan2018::files();
    let two_roots = format!("{}\n[[unit]]\nid = \"other\"\n", hainan2018::UNITS_TOML);
    let root_line = two_roots.lines().count() - 1;
    files.insert("units.toml".into(), two_roots.into_bytes());
    let problems = YearDir::read(&files).unwrap_err();
    assert_eq!(problems.len(), 1);
    let p = &problems[0];
    assert_eq!(
        (p.file.as_str(), p.line, p.code.as_str()),
        ("units.toml", root_line, "tree.two_roots")
    );
}

/// A finding (a recorded payment in cash) counts in the part of the payment's household, and
/// a part's statement lists it; the other part has none.
#[test]
fn a_finding_counts_in_the_part_of_its_household() {
    let mut files = hainan2018::files();
    let ledger = hainan2018::LEDGER_JSONL.replacen(
        "\"id\":\"HN2018-P-00001\",\"date\":\"2018-01-15\",\"source\":\"central_fiscal\",\"category\":\"living\",\"kind\":\"sending_warmth\",\"household\":\"HK-0073\",\"tier\":\"national\",\"channel\":\"union_member_card\"",
        "\"id\":\"HN2018-P-00001\",\"date\":\"2018-01-15\",\"source\":\"central_fiscal\",\"category\":\"living\",\"kind\":\"sending_warmth\",\"household\":\"HK-0073\",\"tier\":\"national\",\"channel\":\"cash\"",
        1,
    );
    assert_ne!(ledger, hainan2018::LEDGER_JSONL);
    files.insert("ledger.jsonl".into(), ledger.into_bytes());
    let built = YearDir::read(&files).unwrap().build().unwrap();
    let tree = built.units.as_ref().unwrap();
    let records = records(&built.year);
    let grp = figures_of(tree, &records, &group()).unwrap();
    let own = figures_of(tree, &records, &center_own()).unwrap();
    assert_eq!((grp.findings, own.findings), (1, 0));
    let part = PartStatement::new(&built.year, tree, &group()).unwrap();
    assert_eq!(part.findings.len(), 1);
    assert_eq!(part.findings[0].posting, "HN2018-P-00001");
    let rollup = Rollup::new(tree, &records).unwrap();
    assert_eq!(rollup.node(&unit("center")).unwrap().total.findings, 1);
    assert_eq!(rollup.node(&unit("center")).unwrap().own.findings, 0);
}
