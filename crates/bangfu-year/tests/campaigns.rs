//! Campaigns as data (专项活动): a campaign payment outside its window, to a household no
//! rule makes eligible, above its amount, beyond its budget or from another source is refused
//! through the path with its code and nothing changed, and is a finding in a union's recorded
//! history; a female-worker care payment is never living aid.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::{AidCategory, AidKind, Coded, Money, NaiveDate, PaymentChannel};
use bangfu_data::hainan2018 as hn;
use bangfu_eligibility::Sex;
use bangfu_funding::{Disbursement, FundSource, Income, IncomeKind, Posting};
use bangfu_year::records::{ClaimDetail, ClaimRecord, HouseholdRecord};
use bangfu_year::{DefectKind, Payment, Policy, ProgrammeYear};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

fn yuan(n: i64) -> Money {
    Money::from_yuan(n).unwrap()
}

/// The Hainan policy with two campaigns: sending warmth (January–February, any filed
/// household, at most 1,000.00 a payment, 1,500.00 in all, central fiscal money only) and
/// female-worker care (March, women workers and single-parent mothers, at most 500.00 a
/// payment and 600.00 a household, 800.00 in all, provincial union funds only).
fn policy() -> Policy {
    let text = format!(
        "{}\n{}",
        hn::POLICY_TOML,
        r#"
[[campaigns]]
kind = "sending_warmth"
name_zh = "两节送温暖"
name_en = "Two-festivals sending warmth"
from = "2018-01-01"
until = "2018-02-28"
eligible = ["filed_household"]
max_amount = "1000.00"
budget = "1500.00"
sources = ["central_fiscal"]
cite = "aid.seed.sending_warmth"

[[campaigns]]
kind = "female_worker_care"
name_zh = "女职工关爱行动"
name_en = "Female-worker care action"
from = "2018-03-01"
until = "2018-03-31"
eligible = ["female_worker", "single_parent_mother"]
max_amount = "500.00"
per_household = "600.00"
budget = "800.00"
sources = ["provincial_union_funds"]
cite = "aid.seed.sending_warmth"
"#
    );
    Policy::from_toml(&text).unwrap()
}

/// Two national-tier households, the first of a woman worker, the second of a man, filed, in
/// a year with money in every source.
fn year() -> (ProgrammeYear, HouseholdRecord, HouseholdRecord) {
    let mut year = ProgrammeYear::new(policy(), hn::budget().unwrap()).unwrap();
    let all = hn::households().unwrap();
    let pick = |sex: Sex| {
        all.iter()
            .find(|r| {
                r.household.worker.person.sex == sex
                    && r.tier == bangfu_core::ArchiveTier::National
                    && r.withdrawal.is_none()
            })
            .unwrap()
            .clone()
    };
    let (woman, man) = (pick(Sex::Female), pick(Sex::Male));
    year.file_household(woman.clone()).unwrap();
    year.file_household(man.clone()).unwrap();
    for (i, source) in [FundSource::CentralFiscal, FundSource::ProvincialUnionFunds]
        .into_iter()
        .enumerate()
    {
        let grant = Income::new(
            format!("in-{i}").parse().unwrap(),
            day(1, 2),
            source,
            IncomeKind::Allocation,
            yuan(100_000),
        );
        year.income(grant).unwrap();
    }
    (year, woman, man)
}

fn warmth(id: &str, r: &HouseholdRecord, date: NaiveDate) -> ClaimRecord {
    ClaimRecord {
        id: id.parse().unwrap(),
        case: r.case.clone(),
        household: r.id().clone(),
        date,
        detail: ClaimDetail::SendingWarmth { requested: None },
    }
}

fn payment(id: &str, claim: &str, date: NaiveDate, source: FundSource) -> Payment {
    Payment {
        id: id.parse().unwrap(),
        claim: claim.parse().unwrap(),
        date,
        source,
        channel: PaymentChannel::UnionMemberCard,
        unit: None,
        entered: Some(date),
    }
}

/// A female-worker care payment as a union's records hold it.
fn care(
    id: &str,
    r: &HouseholdRecord,
    date: NaiveDate,
    amount: Money,
    source: FundSource,
) -> Posting {
    Disbursement {
        id: id.parse().unwrap(),
        date,
        source,
        category: AidCategory::Living,
        kind: AidKind::FemaleWorkerCare,
        household: r.id().clone(),
        tier: r.tier,
        channel: PaymentChannel::UnionMemberCard,
        amount,
        unit: None,
        entered: Some(date),
        order: None,
        claim: None,
        campaign: None,
    }
    .into()
}

/// Pays `p` and expects the refusal `code`, with the ledger and the statement as before.
fn refused(y: &mut ProgrammeYear, p: Payment, code: &str) {
    let before = (y.ledger().postings().len(), y.statement().unwrap());
    assert_eq!(y.pay(p).unwrap_err().code(), code);
    assert_eq!(
        (y.ledger().postings().len(), y.statement().unwrap()),
        before
    );
}

#[test]
fn a_sending_warmth_payment_is_refused_outside_its_campaign_with_nothing_changed() {
    let (mut y, woman, man) = year();
    let decided = y.claim(warmth("w-1", &woman, day(1, 20))).unwrap().amount;
    assert!(decided <= yuan(1000));
    y.claim(warmth("w-2", &man, day(1, 21))).unwrap();
    // From a source the campaign may not draw on.
    refused(
        &mut y,
        payment("p-1", "w-1", day(2, 1), FundSource::ProvincialUnionFunds),
        "campaign.source_refused",
    );
    // The window's last day is in; the day after is out (a claim decided in January may be
    // paid later, but not outside the campaign).
    refused(
        &mut y,
        payment("p-1", "w-1", day(3, 1), FundSource::CentralFiscal),
        "campaign.outside_window",
    );
    y.pay(payment("p-1", "w-1", day(2, 28), FundSource::CentralFiscal))
        .unwrap();
    // The budget (1,500.00) holds one payment of 800.00 to 1,000.00, not two.
    refused(
        &mut y,
        payment("p-2", "w-2", day(2, 28), FundSource::CentralFiscal),
        "campaign.over_budget",
    );
    let s = y.statement().unwrap();
    let line = &s.totals.campaigns[0];
    assert_eq!((line.kind, line.person_times), (AidKind::SendingWarmth, 1));
    assert_eq!(line.counted_in, Some(AidCategory::Living));
}

#[test]
fn female_worker_care_breaches_in_the_history_are_findings_and_never_living_aid() {
    let (mut y, woman, man) = year();
    let pu = FundSource::ProvincialUnionFunds;
    let money = |s: &str| Money::parse_yuan(s).unwrap();
    // At the boundaries: 500.00 on the window's first day is lawful.
    assert!(
        y.record(care("c-1", &woman, day(3, 1), money("500.00"), pu))
            .unwrap()
            .is_empty()
    );
    let codes = |defects: Vec<bangfu_year::Defect>| -> Vec<String> {
        defects
            .into_iter()
            .map(|d| {
                assert_eq!(d.kind, DefectKind::Campaign);
                d.code
            })
            .collect()
    };
    // 500.01 is above the amount; with 500.00 before, beyond the household's 600.00 and the
    // budget of 800.00.
    assert_eq!(
        codes(
            y.record(care("c-2", &woman, day(3, 2), money("500.01"), pu))
                .unwrap()
        ),
        [
            "campaign.over_amount",
            "campaign.over_household",
            "campaign.over_budget"
        ]
    );
    assert_eq!(
        codes(
            y.record(care("c-3", &man, day(3, 3), money("1.00"), pu))
                .unwrap()
        ),
        ["campaign.not_eligible", "campaign.over_budget"]
    );
    assert_eq!(
        codes(
            y.record(care(
                "c-4",
                &woman,
                day(3, 31),
                money("1.00"),
                FundSource::CentralFiscal
            ))
            .unwrap()
        ),
        [
            "campaign.over_household",
            "campaign.over_budget",
            "campaign.source_refused"
        ]
    );
    assert_eq!(
        codes(
            y.record(care("c-5", &woman, day(4, 1), money("1.00"), pu))
                .unwrap()
        ),
        ["campaign.outside_window"]
    );
    let figures = y.payments();
    assert_eq!(figures.payments.count, 5);
    assert_eq!(figures.defects.len(), 9);
    // Never living aid: not in the living line, not in the living year-to-date.
    let s = y.statement().unwrap();
    assert_eq!(s.totals.category(AidCategory::Living).amount, Money::ZERO);
    let care_line = &s.totals.campaigns[0];
    assert_eq!(
        (
            care_line.kind,
            care_line.counted_in,
            care_line.amount,
            care_line.person_times
        ),
        (AidKind::FemaleWorkerCare, None, money("1003.01"), 5)
    );
    assert_eq!(s.totals.spent, money("1003.01"));
}

#[test]
fn a_household_may_receive_up_to_its_campaign_amount_and_not_a_fen_more() {
    let (mut y, woman, _) = year();
    let pu = FundSource::ProvincialUnionFunds;
    let money = |s: &str| Money::parse_yuan(s).unwrap();
    assert!(
        y.record(care("c-1", &woman, day(3, 1), money("400.00"), pu))
            .unwrap()
            .is_empty()
    );
    assert!(
        y.record(care("c-2", &woman, day(3, 2), money("200.00"), pu))
            .unwrap()
            .is_empty()
    );
    let found = y
        .record(care("c-3", &woman, day(3, 3), money("0.01"), pu))
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "campaign.over_household");
}

/// The codes of what recording `posting` finds.
fn codes(y: &mut ProgrammeYear, posting: Posting) -> Vec<String> {
    y.record(posting)
        .unwrap()
        .into_iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn a_reversed_campaign_payment_gives_its_amount_back_to_the_household_and_the_budget() {
    let (mut y, woman, _) = year();
    let pu = FundSource::ProvincialUnionFunds;
    let money = |s: &str| Money::parse_yuan(s).unwrap();
    let first = care("c-1", &woman, day(3, 1), money("500.00"), pu);
    assert!(codes(&mut y, first.clone()).is_empty());
    // 500.00 + 200.00 is beyond the 600.00 a household: a finding.
    let second = care("c-2", &woman, day(3, 2), money("200.00"), pu);
    assert_eq!(codes(&mut y, second), ["campaign.over_household"]);
    // The first is reversed: the second alone stands (200.00), 400.00 more is within.
    y.reverse(bangfu_funding::Reversal {
        id: "r-1".parse().unwrap(),
        date: day(3, 3),
        reverses: first.id().clone(),
        source: pu,
        amount: first.amount(),
        reason: "entered in error".into(),
    })
    .unwrap();
    let third = care("c-3", &woman, day(3, 4), money("400.00"), pu);
    assert!(codes(&mut y, third.clone()).is_empty());
    // The same payment recorded again is checked without counting itself.
    assert!(codes(&mut y, third).is_empty());
    let fourth = care("c-4", &woman, day(3, 5), money("0.01"), pu);
    assert_eq!(codes(&mut y, fourth), ["campaign.over_household"]);
}

#[test]
fn a_policy_whose_campaigns_do_not_hold_together_is_refused() {
    let with = |campaign: &str| {
        Policy::from_toml(&format!("{}\n[[campaigns]]\n{campaign}", hn::POLICY_TOML)).unwrap_err()
    };
    let base = "name_zh = \"x\"\nname_en = \"x\"\neligible = [\"female_worker\"]\nsources = [\"central_fiscal\"]\ncite = \"aid.seed.sending_warmth\"\n";
    for (fields, code) in [
        (
            "kind = \"regular\"\nfrom = \"2018-01-01\"\nuntil = \"2018-01-31\"\n",
            "campaign.invalid",
        ),
        (
            "kind = \"sending_warmth\"\nfrom = \"2018-02-01\"\nuntil = \"2018-01-31\"\n",
            "campaign.invalid",
        ),
        (
            "kind = \"sending_warmth\"\nfrom = \"2018-01-01\"\nuntil = \"2018-01-31\"\nbudget = \"-1.00\"\n",
            "core.money.negative",
        ),
    ] {
        assert_eq!(with(&format!("{fields}{base}")).code(), code, "{fields}");
    }
    let unknown_cite = format!(
        "kind = \"sending_warmth\"\nfrom = \"2018-01-01\"\nuntil = \"2018-01-31\"\n{}",
        base.replace("aid.seed.sending_warmth", "no.such.citation")
    );
    assert_eq!(with(&unknown_cite).code(), "policy.unknown_citation");
    let twice = format!(
        "kind = \"sending_warmth\"\nfrom = \"2018-01-01\"\nuntil = \"2018-01-31\"\n{base}\n[[campaigns]]\nkind = \"sending_warmth\"\nfrom = \"2018-01-31\"\nuntil = \"2018-02-28\"\n{base}"
    );
    assert_eq!(with(&twice).code(), "campaign.invalid");
}

/// The Hainan policy with a campaign of its own: 金秋助学 (golden-autumn education aid),
/// named by its id, August–September, any filed household, at most 2,000.00 a payment and
/// 3,000.00 in all, from provincial union funds.
fn golden_autumn_policy() -> Policy {
    Policy::from_toml(&golden_autumn_text()).unwrap()
}

/// The text of [`golden_autumn_policy`].
fn golden_autumn_text() -> String {
    format!(
        "{}\n{}",
        hn::POLICY_TOML,
        r#"
[[campaigns]]
id = "golden-autumn"
name_zh = "金秋助学"
name_en = "Golden-autumn education aid"
from = "2018-08-01"
until = "2018-09-30"
eligible = ["filed_household"]
max_amount = "2000.00"
budget = "3000.00"
sources = ["provincial_union_funds"]
cite = "aid.seed.sending_warmth"
"#
    )
}

/// An education payment of the golden-autumn campaign (or of `campaign`), as a union's
/// records hold it.
fn autumn(
    id: &str,
    r: &HouseholdRecord,
    date: NaiveDate,
    amount: Money,
    campaign: &str,
) -> Posting {
    let Posting::Disbursement(mut d) = care(id, r, date, amount, FundSource::ProvincialUnionFunds)
    else {
        unreachable!()
    };
    d.kind = AidKind::Regular;
    d.category = AidCategory::Education;
    d.campaign = Some(campaign.parse().unwrap());
    d.into()
}

#[test]
fn a_campaign_the_policy_adds_is_checked_has_its_own_line_and_is_named_in_the_report() {
    let mut y = ProgrammeYear::new(golden_autumn_policy(), hn::budget().unwrap()).unwrap();
    let (woman, man) = {
        let (_, w, m) = year();
        (w, m)
    };
    y.file_household(woman.clone()).unwrap();
    y.file_household(man.clone()).unwrap();
    let grant = Income::new(
        "in-1".parse().unwrap(),
        day(1, 2),
        FundSource::ProvincialUnionFunds,
        IncomeKind::Allocation,
        yuan(100_000),
    );
    y.income(grant).unwrap();
    assert!(
        codes(
            &mut y,
            autumn("g-1", &woman, day(8, 20), yuan(1500), "golden-autumn")
        )
        .is_empty()
    );
    // Above its 2,000.00 a payment, and beyond its budget with the first standing.
    assert_eq!(
        codes(
            &mut y,
            autumn("g-2", &man, day(8, 21), yuan(2500), "golden-autumn")
        ),
        ["campaign.over_amount", "campaign.over_budget"]
    );
    assert_eq!(
        codes(
            &mut y,
            autumn("g-3", &man, day(10, 8), yuan(100), "golden-autumn")
        ),
        ["campaign.outside_window"]
    );
    // A campaign the policy does not have: refused, nothing changed.
    let before = (y.ledger().postings().len(), y.statement().unwrap());
    let err = y
        .record(autumn(
            "g-4",
            &man,
            day(10, 9),
            yuan(100),
            "no-such-campaign",
        ))
        .unwrap_err();
    assert_eq!(err.code(), "campaign.unknown");
    assert_eq!(
        (y.ledger().postings().len(), y.statement().unwrap()),
        before
    );
    // Its own line, by id, named from the policy, counted in no category (issue 14: never
    // inside another line).
    let s = y.statement().unwrap();
    let line = &s.totals.campaigns[0];
    assert_eq!(
        line.campaign.as_ref().map(|c| c.as_str()),
        Some("golden-autumn")
    );
    assert_eq!(line.name(bangfu_core::Lang::Zh), "金秋助学");
    assert_eq!(
        line.name(bangfu_core::Lang::En),
        "Golden-autumn education aid"
    );
    assert_eq!((line.counted_in, line.person_times), (None, 3));
    assert_eq!(line.amount, yuan(4100));
    assert_eq!(
        s.totals.category(AidCategory::Education).amount,
        Money::ZERO
    );
    assert_eq!(s.totals.spent, yuan(4100));
    // Its payments are its campaign's: no education standard, nothing not checked.
    assert!(y.payments().not_checked.is_empty());
    let report = bangfu_year::campaign::report_section(&y, bangfu_core::Lang::Zh).unwrap();
    let row = report.lines().find(|l| l.contains("金秋助学")).unwrap();
    assert!(row.contains("2018-08-01 – 2018-09-30"), "{row}");
    assert!(row.ends_with("| 4100.00 | 3 | 单列 | 3 |"), "{row}");
    let text = s.render_text(bangfu_core::Lang::En);
    assert!(text.contains("Golden-autumn education aid"), "{text}");
}

#[test]
fn a_campaign_the_policy_adds_needs_an_id_and_its_windows_may_not_overlap() {
    let with = |campaign: &str| {
        Policy::from_toml(&format!("{}\n[[campaigns]]\n{campaign}", hn::POLICY_TOML))
    };
    let base = "name_zh = \"x\"\nname_en = \"x\"\neligible = [\"filed_household\"]\nsources = [\"central_fiscal\"]\ncite = \"aid.seed.sending_warmth\"\n";
    let window = |from: &str, until: &str| format!("from = \"{from}\"\nuntil = \"{until}\"\n");
    assert!(
        with(&format!(
            "id = \"migrant-care\"\n{}{base}",
            window("2018-01-01", "2018-01-31")
        ))
        .is_ok()
    );
    assert_eq!(
        with(&format!("{}{base}", window("2018-01-01", "2018-01-31")))
            .unwrap_err()
            .code(),
        "campaign.invalid"
    );
    let twice = format!(
        "id = \"migrant-care\"\n{}{base}\n[[campaigns]]\nid = \"migrant-care\"\n{}{base}",
        window("2018-01-01", "2018-01-31"),
        window("2018-01-31", "2018-02-28")
    );
    assert_eq!(with(&twice).unwrap_err().code(), "campaign.invalid");
}

#[test]
fn the_policy_by_section_lists_its_campaigns_in_zh_and_en() {
    let text = golden_autumn_text();
    let zh = bangfu_year::in_force::sections(&text, bangfu_core::Lang::Zh).unwrap();
    assert!(zh.contains("## 专项活动\n"), "{zh}");
    assert!(
        zh.contains("| 金秋助学 | golden-autumn | 2018-08-01 – 2018-09-30 | 在档困难职工家庭 | 2000.00 | — | 3000.00 | 省级工会经费 |"),
        "{zh}"
    );
    let en = bangfu_year::in_force::sections(&text, bangfu_core::Lang::En).unwrap();
    assert!(en.contains("## Campaigns\n"), "{en}");
    assert!(
        en.contains("| Golden-autumn education aid | golden-autumn |"),
        "{en}"
    );
}

/// A campaign the policy adds, paid as living aid (issue 14): its payments are on a line of
/// their own named by the campaign in the statement, the report's campaign section, the part
/// reports and the evaluation's facts, never inside living aid; a female-worker care payment
/// likewise in the part reports. A living-aid payment of no campaign stays living aid.
#[test]
fn a_campaign_the_policy_adds_paid_as_living_aid_is_on_its_own_line_everywhere() {
    use bangfu_year::evaluation::{Records, ReportFile, StatedFile, compute_facts};
    use bangfu_year::rollup::{PartStatement, Scope};
    let text = format!(
        "{}\n{}",
        hn::POLICY_TOML,
        r#"
[[campaigns]]
id = "migrant-care"
name_zh = "关爱农民工"
name_en = "Migrant-worker care"
from = "2018-03-01"
until = "2018-06-30"
eligible = ["filed_household"]
max_amount = "1000.00"
sources = ["provincial_union_funds"]
cite = "aid.seed.sending_warmth"
"#
    );
    let mut y = ProgrammeYear::new(
        Policy::from_toml(&text).unwrap(),
        bangfu_year::input::parse_budget_toml(
            "year = 2018\n[lines]\nprovincial_union_funds = \"100000.00\"\n",
        )
        .unwrap(),
    )
    .unwrap();
    let (_, woman, man) = year();
    y.file_household(woman.clone()).unwrap();
    y.file_household(man.clone()).unwrap();
    y.income(Income::new(
        "in-1".parse().unwrap(),
        day(1, 2),
        FundSource::ProvincialUnionFunds,
        IncomeKind::Allocation,
        yuan(100_000),
    ))
    .unwrap();
    // Two payments of the campaign, as living aid of kind regular; one plain living aid; one
    // female-worker care (no such campaign in this policy: kept, its own line).
    let campaign = |id: &str, r: &HouseholdRecord, amount: i64| {
        let Posting::Disbursement(mut d) = care(
            id,
            r,
            day(4, 2),
            yuan(amount),
            FundSource::ProvincialUnionFunds,
        ) else {
            unreachable!()
        };
        d.kind = AidKind::Regular;
        d.campaign = Some("migrant-care".parse().unwrap());
        Posting::from(d)
    };
    let plain = {
        let Posting::Disbursement(mut d) = care(
            "l-1",
            &man,
            day(4, 3),
            yuan(300),
            FundSource::ProvincialUnionFunds,
        ) else {
            unreachable!()
        };
        d.kind = AidKind::Regular;
        Posting::from(d)
    };
    for p in [
        campaign("c-1", &woman, 800),
        campaign("c-2", &man, 600),
        plain,
        care(
            "f-1",
            &woman,
            day(4, 4),
            yuan(200),
            FundSource::ProvincialUnionFunds,
        ),
    ] {
        y.record(p).unwrap();
    }
    // The statement: its own line by name, living aid only the plain payment.
    let s = y.statement().unwrap();
    let line = s
        .totals
        .campaigns
        .iter()
        .find(|l| l.campaign.is_some())
        .unwrap();
    assert_eq!(line.name(bangfu_core::Lang::Zh), "关爱农民工");
    assert_eq!(
        (line.counted_in, line.amount, line.person_times),
        (None, yuan(1400), 2)
    );
    assert_eq!(s.totals.category(AidCategory::Living).amount, yuan(300));
    assert_eq!(s.totals.category(AidCategory::Living).person_times, 1);
    assert_eq!(s.totals.spent, yuan(1900));
    let zh = s.render_text(bangfu_core::Lang::Zh);
    assert!(zh.contains("关爱农民工"), "{zh}");
    // The report's campaign section names it, on a line of its own.
    let report = bangfu_year::campaign::report_section(&y, bangfu_core::Lang::Zh).unwrap();
    let row = report.lines().find(|l| l.contains("关爱农民工")).unwrap();
    assert!(row.contains("| 1400.00 | 2 | 单列 |"), "{row}");
    // The part reports: the campaign and female-worker care each on a line of their own,
    // living aid only the plain payment; the parts add up to the whole.
    let tree = bangfu_year::tree::UnitTree::from_toml(hn::UNITS_TOML).unwrap();
    let whole = PartStatement::new(
        &y,
        &tree,
        &Scope {
            unit: "center".parse().unwrap(),
            except: vec![],
        },
    )
    .unwrap();
    let f = &whole.figures;
    assert_eq!(f.category(AidCategory::Living).unwrap(), (yuan(300), 1));
    let lines: Vec<(&str, Money, u64)> = f
        .campaigns
        .iter()
        .map(|c| (c.campaign.zh.as_str(), c.amount, c.person_times))
        .collect();
    assert_eq!(
        lines,
        [
            ("关爱农民工", yuan(1400), 2),
            ("女职工关爱行动", yuan(200), 1)
        ]
    );
    assert_eq!((f.spent, f.person_times), (yuan(1900), 4));
    let text = whole.render_text(bangfu_core::Lang::Zh);
    assert!(
        text.contains("| 关爱农民工（单列） | 1400.00 | 2 |"),
        "{text}"
    );
    let unit = woman.household.worker.union_unit.clone();
    let part = PartStatement::new(
        &y,
        &tree,
        &Scope {
            unit: unit.clone(),
            except: vec![],
        },
    )
    .unwrap();
    let rest = PartStatement::new(
        &y,
        &tree,
        &Scope {
            unit: "center".parse().unwrap(),
            except: vec![unit],
        },
    )
    .unwrap();
    assert_eq!(
        part.figures.checked_add(&rest.figures).unwrap(),
        whole.figures
    );
    // The evaluation's facts: living aid without either campaign, each campaign a line of its
    // own of its source, and the facts hold together.
    let stated = StatedFile::from_toml(hn::STATED_TOML).unwrap();
    let report = ReportFile::from_toml(hn::REPORT_TOML).unwrap();
    let (facts, _) = compute_facts(&Records {
        year: &y,
        plan: &stated.plan,
        report: &report,
    })
    .unwrap();
    assert_eq!(facts.spent_on(AidCategory::Living).unwrap(), yuan(300));
    let union = facts
        .sources
        .iter()
        .find(|s| s.code == "provincial_union_funds")
        .unwrap();
    let names: Vec<(&str, Money)> = union
        .campaigns
        .iter()
        .map(|c| (c.name.zh.as_str(), c.amount))
        .collect();
    assert_eq!(
        names,
        [("关爱农民工", yuan(1400)), ("女职工关爱行动", yuan(200))]
    );
    assert_eq!(union.person_times(), 4);
    assert_eq!(facts.person_times.count, 4);
}
