//! Households (困难职工家庭), the worker, members, assets and documents.

use std::collections::{BTreeSet, HashSet};

use bangfu_core::{HouseholdId, Money, PersonId, UnitId};
use chrono::{Datelike, NaiveDate};

use crate::EligibilityError;
use crate::id_number::IdNumber;
use crate::serde_codes;

bangfu_core::coded_enum! {
    /// Sex (性别).
    pub enum Sex {
        /// Male (男).
        Male = ("male", "男", "male"),
        /// Female (女).
        Female = ("female", "女", "female"),
    }
}

bangfu_core::coded_enum! {
    /// A member's relation to the worker (与职工关系).
    pub enum Relation {
        /// Spouse (配偶).
        Spouse = ("spouse", "配偶", "spouse"),
        /// Child (子女).
        Child = ("child", "子女", "child"),
        /// Parent (父母).
        Parent = ("parent", "父母", "parent"),
        /// Parent-in-law (岳父母/公婆).
        ParentInLaw = ("parent_in_law", "岳父母/公婆", "parent-in-law"),
        /// Grandparent (祖父母/外祖父母).
        Grandparent = ("grandparent", "祖父母/外祖父母", "grandparent"),
        /// Grandchild (孙子女/外孙子女).
        Grandchild = ("grandchild", "孙子女/外孙子女", "grandchild"),
        /// Sibling (兄弟姐妹).
        Sibling = ("sibling", "兄弟姐妹", "sibling"),
        /// Other co-resident relative (其他).
        Other = ("other", "其他", "other"),
    }
}

/// The school stage (就学阶段), shared with the other crates through `bangfu-core`.
pub use bangfu_core::SchoolStage;

bangfu_core::coded_enum! {
    /// What kind of school and fee (学校类型).
    pub enum SchoolFee {
        /// A public school or ordinary fees (公办/普通收费).
        Ordinary = ("ordinary", "普通收费", "ordinary fees"),
        /// A high-fee private school (高收费私立学校).
        HighFeePrivate = ("high_fee_private", "高收费私立学校", "high-fee private school"),
        /// Studying abroad at own expense (自费出国留学).
        SelfFundedAbroad = ("self_funded_abroad", "自费出国留学", "self-funded study abroad"),
    }
}

bangfu_core::coded_enum! {
    /// A health condition (健康状况) that the aid rules single out.
    pub enum HealthCondition {
        /// Mental illness (精神疾病).
        MentalIllness = ("mental_illness", "精神疾病", "mental illness"),
        /// Physical disability (肢体残疾).
        PhysicalDisability = ("physical_disability", "肢体残疾", "physical disability"),
        /// Major illness (重大疾病).
        MajorIllness = ("major_illness", "重大疾病", "major illness"),
    }
}

bangfu_core::coded_enum! {
    /// A vehicle kind (车辆类型).
    pub enum VehicleKind {
        /// Passenger car (小汽车).
        Car = ("car", "小汽车", "car"),
        /// Goods vehicle (货车).
        Truck = ("truck", "货车", "truck"),
        /// Motorcycle (摩托车).
        Motorcycle = ("motorcycle", "摩托车", "motorcycle"),
        /// A disabled person's functional compensation vehicle (残疾人功能性补偿代步机动车).
        DisabledFunctional = ("disabled_functional", "残疾人功能性补偿代步机动车", "disabled person's functional vehicle"),
        /// Farm vehicle (农用车).
        Farm = ("farm", "农用车", "farm vehicle"),
    }
}

bangfu_core::coded_enum! {
    /// A hardship cause (致困原因), as on the national archive form.
    pub enum HardshipCause {
        /// No work capacity (无劳动能力).
        NoWorkCapacity = ("no_work_capacity", "无劳动能力", "no work capacity"),
        /// Able to work but not employed (有劳动能力而未就业).
        AbleButUnemployed = ("able_but_unemployed", "有劳动能力而未就业", "able but not employed"),
        /// Laid off or unemployed (下岗失业).
        LaidOff = ("laid_off", "下岗失业", "laid off"),
        /// No social insurance (未参加社会保险).
        NoSocialInsurance = ("no_social_insurance", "未参加社会保险", "no social insurance"),
        /// Insurance benefits not delivered (社会保险待遇落实不到位).
        InsuranceNotDelivered = ("insurance_not_delivered", "社会保险待遇落实不到位", "insurance benefits not delivered"),
        /// Serious illness (患重特大疾病).
        SeriousIllness = ("serious_illness", "患重特大疾病", "serious illness"),
        /// Natural disaster (遭受自然灾害).
        NaturalDisaster = ("natural_disaster", "遭受自然灾害", "natural disaster"),
        /// Accident (遭受意外事故).
        Accident = ("accident", "遭受意外事故", "accident"),
        /// Children's schooling (子女上学).
        ChildSchooling = ("child_schooling", "子女上学", "children's schooling"),
        /// Other (其他).
        Other = ("other", "其他", "other"),
    }
}

bangfu_core::coded_enum! {
    /// A document in the file (档案材料).
    pub enum DocumentKind {
        /// Signed commitment letter (承诺书).
        CommitmentLetter = ("commitment_letter", "承诺书", "signed commitment letter"),
        /// Signed authorisation for income and property checks (授权书).
        AuthorisationLetter = ("authorisation_letter", "授权书", "signed authorisation letter"),
        /// Hospital diagnosis (诊断证明).
        Diagnosis = ("diagnosis", "诊断证明", "diagnosis"),
        /// Disability certificate (残疾证).
        DisabilityCertificate = ("disability_certificate", "残疾证", "disability certificate"),
        /// Proof of an accident or disaster (事故/灾害证明).
        AccidentProof = ("accident_proof", "事故/灾害证明", "accident proof"),
        /// Proof of enrolment or tuition (入学/学费证明).
        EnrolmentProof = ("enrolment_proof", "入学/学费证明", "enrolment proof"),
        /// Labour contract (劳动合同).
        LabourContract = ("labour_contract", "劳动合同", "labour contract"),
        /// Proof of unemployment (失业证明).
        UnemploymentProof = ("unemployment_proof", "失业证明", "unemployment proof"),
    }
}

/// A child's or student's schooling (就学情况).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Schooling {
    /// The stage (就学阶段).
    #[cfg_attr(feature = "schema", schemars(with = "SchoolStage"))]
    #[serde(with = "serde_codes::school_stage")]
    pub stage: SchoolStage,
    /// The kind of school and fee (学校类型).
    #[serde(default = "ordinary_fee")]
    pub fee: SchoolFee,
}

fn ordinary_fee() -> SchoolFee {
    SchoolFee::Ordinary
}

/// A person in the household (家庭成员或职工本人).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The person's id inside bangfu.
    pub id: PersonId,
    /// Name (姓名).
    pub name: String,
    /// National ID number (身份证号码), masked when shown.
    pub id_number: IdNumber,
    /// Birth date (出生日期); must agree with the ID number.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub birth_date: NaiveDate,
    /// Sex (性别).
    pub sex: Sex,
    /// Health conditions (健康状况): none means healthy.
    #[serde(default)]
    pub health: BTreeSet<HealthCondition>,
    /// Schooling, when in school (就学).
    #[serde(default)]
    pub school: Option<Schooling>,
    /// Whether employed (就业).
    #[serde(default)]
    pub employed: bool,
    /// Controlling shareholder or actual controller of a company (控股股东或实际控制人).
    #[serde(default)]
    pub controlling_shareholder: bool,
    /// Runs a business of their own (从事经营活动), such as an individual business (个体经营).
    #[serde(default)]
    pub runs_business: bool,
    /// Annual income (年收入), yuan.
    #[cfg_attr(feature = "schema", schemars(with = "Money"))]
    #[serde(with = "serde_codes::amount")]
    pub annual_income: Money,
}

impl Person {
    /// Full years of age on `date` (周岁); zero before birth.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// assert_eq!(bangfu_eligibility::age_on(d(2000, 3, 1), d(2018, 2, 28)), 17);
    /// assert_eq!(bangfu_eligibility::age_on(d(2000, 3, 1), d(2018, 3, 1)), 18);
    /// ```
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        age_on(self.birth_date, date)
    }
}

/// A yuan amount from a signed decimal, for callers whose input may be negative (a form,
/// a spreadsheet): negative values are refused with the field's name.
///
/// # Errors
/// [`EligibilityError::NegativeIncome`] below zero; [`EligibilityError::Core`] with more
/// than two decimals or too large.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use rust_decimal::Decimal;
/// let ok = bangfu_eligibility::amount_from_yuan("annual_income", Decimal::new(600_050, 2))?;
/// assert_eq!(ok.to_string(), "6000.50");
/// let err = bangfu_eligibility::amount_from_yuan("annual_income", Decimal::new(-1, 0)).unwrap_err();
/// assert_eq!(err.code(), "eligibility.negative_income");
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
pub fn amount_from_yuan(
    field: &str,
    value: rust_decimal::Decimal,
) -> Result<Money, EligibilityError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(EligibilityError::NegativeIncome {
            field: field.to_owned(),
            value: value.to_string(),
        });
    }
    Ok(Money::from_decimal_yuan(value)?)
}

/// Full years between `birth` and `date` (周岁); zero when `date` is before `birth`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    if date < birth {
        return 0;
    }
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The worker under whom the household is filed (职工本人).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Worker {
    /// The worker as a person.
    pub person: Person,
    /// Union member (工会会员).
    pub union_member: bool,
    /// Employer (工作单位).
    pub employer: UnitId,
    /// The grassroots union unit the worker belongs to (所属工会).
    pub union_unit: UnitId,
    /// Rural migrant worker (农民工).
    #[serde(default)]
    pub migrant: bool,
    /// Months of the current labour contract (劳动合同期限, months).
    #[serde(default)]
    pub contract_months: u32,
}

/// A household member other than the worker (家庭成员).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member as a person.
    pub person: Person,
    /// Relation to the worker (与职工关系).
    #[cfg_attr(feature = "schema", schemars(with = "Relation"))]
    #[serde(with = "serde_codes::relation")]
    pub relation: Relation,
}

/// A vehicle the household has (车辆).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    /// Kind (类型).
    #[cfg_attr(feature = "schema", schemars(with = "VehicleKind"))]
    #[serde(with = "serde_codes::vehicle_kind")]
    pub kind: VehicleKind,
    /// Regularly used (经常使用).
    pub regular_use: bool,
    /// Used as someone's employee (受雇佣使用), e.g. a hired driver.
    #[serde(default)]
    pub as_employee: bool,
}

/// Assets (家庭财产).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Assets {
    /// Homes owned (住房套数).
    #[serde(default)]
    pub homes: u32,
    /// Commercial shops owned (商业店铺).
    #[serde(default)]
    pub shops: u32,
    /// Persons employed in the household's business (雇工人数).
    #[serde(default)]
    pub employees: u32,
    /// Vehicles (车辆).
    #[serde(default)]
    pub vehicles: Vec<Vehicle>,
}

/// A document in the file, about a person or the whole household (档案材料).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Kind.
    pub kind: DocumentKind,
    /// The person it is about; none for household documents such as the letters.
    #[serde(default)]
    pub person: Option<PersonId>,
}

/// A sudden event and its hardship cost in the year (意外事件及其困难支出).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccidentClaim {
    /// When it happened.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The year's hardship cost it caused (困难支出), yuan.
    #[cfg_attr(feature = "schema", schemars(with = "Money"))]
    #[serde(with = "serde_codes::amount")]
    pub cost: Money,
}

/// A household as declared and verified (困难职工家庭), the unit of a file (一户一档).
///
/// The household size is the worker plus the members.
///
/// # Example
/// ```
/// use bangfu_eligibility::Household;
/// let h: Household = Household::example()?;
/// assert_eq!(h.size(), 3);
/// assert!(h.validate(chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap()).is_ok());
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// The household id.
    pub id: HouseholdId,
    /// The worker.
    pub worker: Worker,
    /// The other co-resident members.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Declared annual household income (家庭年收入), yuan.
    #[cfg_attr(feature = "schema", schemars(with = "Money"))]
    #[serde(with = "serde_codes::amount")]
    pub annual_income: Money,
    /// Non-wage income not attributed to a person (其他非工资收入), yuan per year.
    #[cfg_attr(feature = "schema", schemars(with = "Money"))]
    #[serde(default, with = "serde_codes::amount")]
    pub other_income: Money,
    /// Rigid expenditure in the year (刚性支出): medical, disability, schooling, necessary job
    /// costs, yuan.
    #[cfg_attr(feature = "schema", schemars(with = "Money"))]
    #[serde(default, with = "serde_codes::amount")]
    pub rigid_expenditure: Money,
    /// Assets.
    #[serde(default)]
    pub assets: Assets,
    /// Claimed hardship causes, main cause first (致困原因).
    #[serde(default)]
    pub causes: Vec<HardshipCause>,
    /// A sudden event, if one is claimed (意外事件).
    #[serde(default)]
    pub accident: Option<AccidentClaim>,
    /// High-consumption behaviour as defined by county-level or higher government (高消费).
    #[serde(default)]
    pub high_consumption: bool,
    /// Refused to cooperate with verification (拒不配合核查).
    #[serde(default)]
    pub refused_verification: bool,
    /// Documents in the file.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The city the household lives in (所在城市), whose minimum living standard its income
    /// line reads; absent means the policy's own city (records written before households
    /// had a city read as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<bangfu_core::CityCode>,
}

impl Household {
    /// The worker and the members, worker first.
    pub fn persons(&self) -> impl Iterator<Item = &Person> {
        std::iter::once(&self.worker.person).chain(self.members.iter().map(|m| &m.person))
    }

    /// The household size (家庭人口): the worker plus the members.
    pub fn size(&self) -> u32 {
        u32::try_from(self.members.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1)
    }

    /// Whether anyone in the household has `condition` (the seed's heavy-hardship test:
    /// mental illness, physical disability or major illness of the worker or a member).
    pub fn anyone_has(&self, condition: HealthCondition) -> bool {
        self.persons().any(|p| p.health.contains(&condition))
    }

    /// The persons in school and their stages, worker first.
    pub fn students(&self) -> impl Iterator<Item = (&PersonId, SchoolStage)> {
        self.persons()
            .filter_map(|p| p.school.as_ref().map(|s| (&p.id, s.stage)))
    }

    /// Whether the file holds a document of `kind`, about `person` when given.
    pub fn has_document(&self, kind: DocumentKind, person: Option<&PersonId>) -> bool {
        self.documents
            .iter()
            .any(|d| d.kind == kind && (person.is_none() || d.person.as_ref() == person))
    }

    /// Checks the household's facts against the application date.
    ///
    /// # Errors
    /// [`EligibilityError::BirthAfterApplication`], [`EligibilityError::IdBirthMismatch`],
    /// [`EligibilityError::DuplicatePerson`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// let h = bangfu_eligibility::Household::example()?;
    /// let too_early = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
    /// assert_eq!(h.validate(too_early).unwrap_err().code(), "eligibility.birth_after_application");
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn validate(&self, application: NaiveDate) -> Result<(), EligibilityError> {
        let mut seen = HashSet::new();
        for p in self.persons() {
            if p.birth_date > application {
                return Err(EligibilityError::BirthAfterApplication {
                    person: p.id.clone(),
                    birth: p.birth_date,
                    application,
                });
            }
            if p.id_number.birth_date() != p.birth_date {
                return Err(EligibilityError::IdBirthMismatch {
                    person: p.id.clone(),
                    recorded: p.birth_date,
                    embedded: p.id_number.birth_date(),
                });
            }
            if !seen.insert(p.id_number.expose()) {
                return Err(EligibilityError::DuplicatePerson {
                    household: self.id.clone(),
                });
            }
        }
        Ok(())
    }

    /// A small worked household for examples and tests: a worker with a major illness, a
    /// spouse and a child in senior secondary school, 18,000 yuan a year, both letters and
    /// the diagnosis on file.
    ///
    /// # Errors
    /// None in practice: the literals are valid.
    pub fn example() -> Result<Household, EligibilityError> {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN);
        let person = |p: &str,
                      name: &str,
                      num: &str,
                      birth,
                      sex,
                      income: i64|
         -> Result<Person, EligibilityError> {
            Ok(Person {
                id: PersonId::new(p)?,
                name: name.to_owned(),
                id_number: IdNumber::with_check_digit(num)?,
                birth_date: birth,
                sex,
                health: BTreeSet::new(),
                school: None,
                employed: true,
                controlling_shareholder: false,
                runs_business: false,
                annual_income: Money::from_yuan(income)?,
            })
        };
        let mut worker = person(
            "HK-0001-w",
            "王某",
            "46010019750301001",
            d(1975, 3, 1),
            Sex::Male,
            12_000,
        )?;
        worker.health.insert(HealthCondition::MajorIllness);
        let spouse = person(
            "HK-0001-s",
            "李某",
            "46010019770615002",
            d(1977, 6, 15),
            Sex::Female,
            6_000,
        )?;
        let mut child = person(
            "HK-0001-c",
            "王小某",
            "46010020020910003",
            d(2002, 9, 10),
            Sex::Male,
            0,
        )?;
        child.employed = false;
        child.school = Some(Schooling {
            stage: SchoolStage::SeniorSecondary,
            fee: SchoolFee::Ordinary,
        });
        let worker_id = worker.id.clone();
        Ok(Household {
            id: HouseholdId::new("HK-0001")?,
            worker: Worker {
                person: worker,
                union_member: true,
                employer: UnitId::new("hainan-reclamation-farm-1")?,
                union_unit: UnitId::new("hainan-reclamation-union")?,
                migrant: false,
                contract_months: 0,
            },
            members: vec![
                Member {
                    person: spouse,
                    relation: Relation::Spouse,
                },
                Member {
                    person: child,
                    relation: Relation::Child,
                },
            ],
            annual_income: Money::from_yuan(18_000)?,
            other_income: Money::ZERO,
            rigid_expenditure: Money::ZERO,
            assets: Assets {
                homes: 1,
                ..Assets::default()
            },
            causes: vec![HardshipCause::SeriousIllness],
            accident: None,
            high_consumption: false,
            refused_verification: false,
            documents: vec![
                Document {
                    kind: DocumentKind::CommitmentLetter,
                    person: None,
                },
                Document {
                    kind: DocumentKind::AuthorisationLetter,
                    person: None,
                },
                Document {
                    kind: DocumentKind::Diagnosis,
                    person: Some(worker_id),
                },
            ],
            city: None,
        })
    }
}
