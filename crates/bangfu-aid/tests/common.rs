//! Shared helpers: the policy files and households.

use bangfu_aid::{AidPolicy, FileFacts, SevereFlags, Student};
use bangfu_core::{ArchiveStatus, ArchiveTier, CaseId, Citations, HouseholdId, Money, NaiveDate};

/// A policy file as the lead will concatenate it: the aid section and the citations.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
    pub(crate) aid: AidPolicy,
    pub(crate) citations: Citations,
    /// The policy's one minimum living standard table (bangfu-core ships Hainan's and the
    /// example's), handed to the section as the facade's loader does.
    #[serde(default)]
    pub(crate) minimum_living_standard: Option<bangfu_core::MinimumLivingStandard>,
}

pub(crate) const HAINAN: &str = include_str!("../data/hainan-2018.toml");
pub(crate) const EXAMPLE: &str = include_str!("../data/example-2020.toml");
pub(crate) const OPENFISCA: &str = include_str!("../data/openfisca-peer.toml");

/// A section's text with the minimum standard table of its whole policy file: the
/// example's for the example section, Hainan's otherwise (a text with its own table keeps it).
pub(crate) fn load(text: &str) -> PolicyFile {
    let table = if text.lines().any(|l| l == "[minimum_living_standard]") {
        ""
    } else if text.contains("2020+ example") || text == EXAMPLE {
        bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML
    } else {
        bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML
    };
    let mut f: PolicyFile = toml::from_str(&format!("{text}\n{table}")).unwrap();
    f.aid.minimum_living_standard = f.minimum_living_standard.clone();
    f.aid.validate().unwrap();
    f.aid.check_citations(&f.citations).unwrap();
    f
}

pub(crate) fn hainan() -> PolicyFile {
    load(HAINAN)
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn yuan(s: &str) -> Money {
    Money::parse_yuan(s).unwrap()
}

pub(crate) fn file(degree: &str, size: u32) -> FileFacts {
    FileFacts {
        case: CaseId::new("HK-0001/1").unwrap(),
        household: HouseholdId::new("HK-0001").unwrap(),
        tier: ArchiveTier::National,
        degree: bangfu_aid::DegreeCode::new(degree).unwrap(),
        severe: SevereFlags::default(),
        household_size: size,
        status: Some(ArchiveStatus::Active),
        status_events: vec![],
        students: vec![],
        city: None,
    }
}

pub(crate) fn severe(mut f: FileFacts) -> FileFacts {
    f.severe.major_illness = true;
    f
}

pub(crate) fn with_student(
    mut f: FileFacts,
    person: &str,
    stage: bangfu_aid::SchoolStage,
) -> FileFacts {
    f.students.push(Student {
        person: bangfu_core::PersonId::new(person).unwrap(),
        stage,
    });
    f
}
