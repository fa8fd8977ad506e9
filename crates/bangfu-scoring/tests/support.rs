//! Shared test data: the seed's 2018 figures as Facts, and small frameworks.

use bangfu_core::{AidCategory, Money, UnitId};
use bangfu_scoring::*;

pub(crate) fn wan(s: &str) -> Money {
    Money::parse_wan(s).unwrap()
}

fn cat(category: AidCategory, amount: &str, person_times: u64) -> CategoryFigures {
    CategoryFigures {
        category,
        amount: wan(amount),
        person_times,
    }
}

fn source(
    code: &str,
    zh: &str,
    en: &str,
    budget: &str,
    received: &str,
    spent: &str,
    cats: [(&str, u64); 3],
) -> SourceFigures {
    let [l, m, e] = cats;
    SourceFigures {
        code: code.to_owned(),
        name: Name::new(zh, en),
        budget: wan(budget),
        received: wan(received),
        spent: wan(spent),
        income: Vec::new(),
        categories: vec![
            cat(AidCategory::Living, l.0, l.1),
            cat(AidCategory::Medical, m.0, m.1),
            cat(AidCategory::Education, e.0, e.1),
        ],
        campaigns: Vec::new(),
        records: Vec::new(),
    }
}

/// Facts built from the seed's figures (Hainan 2018). Figures the seed does not give are
/// marked TEST ASSUMPTION.
pub(crate) fn seed_facts() -> Facts {
    let mut union = source(
        "provincial_union",
        "省级工会经费",
        "provincial union funds",
        "600",
        "591.530464",
        "550.239739",
        [("331.211039", 3677), ("61.0287", 88), ("158", 469)],
    );
    union.income = [
        (
            "省总2018年度下拨",
            "allocated by the federation in 2018",
            "576.2913",
        ),
        (
            "培训资金转为帮扶资金",
            "training funds converted",
            "3.50884",
        ),
        ("追缴帮扶资金", "recovered aid", "5.4098"),
        ("利息", "interest", "1.482551"),
        ("年初结余", "opening balance", "4.837973"),
    ]
    .into_iter()
    .map(|(zh, en, a)| NamedAmount {
        name: Name::new(zh, en),
        amount: wan(a),
        records: Vec::new(),
    })
    .collect();
    let sources = vec![
        source(
            "central_fiscal",
            "中央财政资金",
            "central fiscal funds",
            "270",
            "271.1267",
            "271.1267",
            [("207.4784", 2165), ("62.4483", 63), ("1.2", 6)],
        ),
        source(
            "acftu",
            "全国总工会经费",
            "ACFTU funds",
            "0",
            "32",
            "32",
            [("4.8721", 33), ("17.5279", 27), ("9.6", 36)],
        ),
        source(
            "provincial_fiscal",
            "省财政资金",
            "provincial fiscal funds",
            "230",
            "230.4177",
            "230.4177",
            [("168.0265", 1581), ("51.4912", 59), ("10.9", 32)],
        ),
        union,
    ];
    Facts {
        budget: wan("1100"),
        received: wan("1125.074864"),
        spent: wan("1083.784139"),
        sources,
        person_times: Tally::count(8236),
        // TEST ASSUMPTION: the plan is the seed's stated minimum, two aids per filed household.
        planned_person_times: 2 * 966,
        households_active: Tally::count(966),
        dependants: Some(3100),
        // TEST ASSUMPTION: the seed states every household was helped at least twice.
        households_helped_twice: Tally::count(966),
        units: vec![
            UnitFigures {
                unit: UnitId::new("hainan-reclamation").unwrap(),
                name: Name::new(
                    "海南省农垦投资控股集团有限公司工会",
                    "Hainan Reclamation group union",
                ),
                households: Tally::count(680),
            },
            UnitFigures {
                unit: UnitId::new("center").unwrap(),
                name: Name::new("中心", "the center"),
                households: Tally::count(286),
            },
        ],
        payments: Tally::count(8236),
        // TEST ASSUMPTION: the seed says records were entered within one month.
        payments_entered_within_month: Tally::count(8236),
        // TEST ASSUMPTION: notices, files, exits are not counted in the seed.
        notices: Tally::count(120),
        notices_respected: Tally::count(120),
        compliance: Compliance::default(),
        files: Tally::count(966),
        files_with_quality_flags: Tally::count(12),
        exits_and_cancellations: Tally::count(40),
        exits_and_cancellations_on_time: Tally::count(35),
        survey: SurveyFigures {
            visited: Tally::count(82),
            surveyed: Tally::count(82),
            satisfied: Tally::count(80),
        },
        recoveries: Recoveries {
            households: Tally::count(17),
            amount: wan("5.4098"),
        },
        // The seed has no temporary aid (临时救助).
        temporary_aid: TemporaryAidFacts::default(),
    }
}

pub(crate) fn judgement(band: Band, score: &str) -> Judgement {
    Judgement::new(
        band,
        score,
        "困难得到缓解，社会反响好",
        "hardship relieved, good response",
    )
    .unwrap()
}

pub(crate) fn self_judgements() -> Judgements {
    let mut j = Judgements::new();
    j.insert("benefits.social", judgement(Band::Achieved, "14"));
    j.insert("benefits.sustainability", judgement(Band::Achieved, "14"));
    j
}

pub(crate) fn reference_judgements() -> Judgements {
    let mut j = Judgements::new();
    for (id, s) in [
        ("decision.establishment", "4.5"),
        ("decision.targets", "4"),
        ("decision.allocation", "4.5"),
        ("process.organisation.rules", "4.5"),
        ("benefit.effect.social", "4.5"),
        ("benefit.effect.sustainability", "4.5"),
    ] {
        j.insert(id, judgement(Band::Achieved, s));
    }
    j
}

/// A small framework file with the MOF grade and qualitative bands around `indicators`.
pub(crate) fn mini(total: &str, rounding: &str, indicators: &str) -> String {
    // Grade bands at 90 / 80 / 60 % of the total.
    let t: rust_decimal::Decimal = total.parse().unwrap();
    let at = |p: i64| (t * rust_decimal::Decimal::new(p, 2)).normalize();
    let (g90, g80, g60) = (at(90), at(80), at(60));
    format!(
        r#"id = "test"
name = {{ zh = "测试", en = "test" }}
effective_from = "2020-01-01"
cite = "score.t"
total = "{total}"
rounding = {{ strategy = "{rounding}", places = 2 }}
grades = [
  {{ grade = "excellent", min = "{g90}", cite = "score.t" }},
  {{ grade = "good", min = "{g80}", cite = "score.t" }},
  {{ grade = "fair", min = "{g60}", cite = "score.t" }},
  {{ grade = "poor", min = "0", cite = "score.t" }},
]

[qualitative]
achieved = {{ min = "0.8", max = "1" }}
partly = {{ min = "0.6", max = "0.8" }}
not_achieved = {{ min = "0", max = "0.6" }}
cite = "score.t"

{indicators}

[citations."score.t"]
document = "test"
"#
    )
}

/// One root leaf of weight `weight` reading `fact` by `method` (inline TOML), target optional.
pub(crate) fn leaf(weight: &str, fact: &str, target: Option<&str>, method: &str) -> String {
    let target = target.map_or_else(String::new, |t| format!("target = \"{t}\"\n"));
    format!(
        "[[indicators]]\nid = \"x\"\nname = {{ zh = \"指标\", en = \"indicator\" }}\nweight = \"{weight}\"\n{target}fact = \"{fact}\"\nmethod = {method}\ncite = \"score.t\"\n"
    )
}

pub(crate) fn one_leaf(weight: &str, fact: &str, target: Option<&str>, method: &str) -> Framework {
    Framework::from_toml(&mini(
        weight,
        "half_up",
        &leaf(weight, fact, target, method),
    ))
    .unwrap()
}
