//! The office's spreadsheets in (导入): payment rosters (发放花名册), households (困难职工
//! 家庭) and claims (救助申请) from `.xlsx` or CSV, into the year directory's records.
//!
//! A [`Mapping`] says which column is which field, as hledger's CSV rules do: the kind of
//! records, the sheet, the header row, the encoding of a CSV, the date formats, a column per
//! field (its header, or `%N` for the N-th column) and defaults for fields the file has no
//! column for. Without a mapping file the columns have their Chinese headers
//! ([`Mapping::default_for`], the headers of the exported roster). A CSV may be UTF-8, with
//! or without a byte order mark, or GBK/GB18030 (the default of Chinese Windows); a `.xlsx`
//! is recognised by its bytes. A code column takes the code (`central_fiscal`), the Chinese
//! label (`中央财政`) or the English one.
//!
//! Every bad cell of every row is reported, all in one run, as a [`Problem`] with its sheet,
//! row and column (letter and header) and a stable code chosen by the type of the error
//! ([`CellError`]); a file with any problem imports nothing.
//!
//! ```
//! use bangfu_office::import::{self, Mapping, RecordKind};
//! let csv = "编号,发放日期,资金来源,救助类别,户号,档案层级,发放方式,金额（元）\n\
//!            p-1,2018-01-15,中央财政,生活救助,HK-0001,全国级,工会会员服务卡,800.00\n";
//! let postings = import::roster("roster.csv", csv.as_bytes(), &Mapping::default_for(RecordKind::Roster))?;
//! assert_eq!(postings[0].amount().to_string(), "800.00");
//! # Ok::<(), bangfu_office::import::ImportError>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use bangfu_core::{
    AidCategory, AidKind, ArchiveTier, Coded, CoreError, Labelled, Money, NaiveDate, PaymentChannel,
};
use bangfu_eligibility::{
    AccidentClaim, Assets, Document, DocumentKind, EligibilityError, HardshipCategory,
    HardshipCause, HealthCondition, Household, IdNumber, Member, Person, Relation, SchoolFee,
    SchoolStage, Schooling, Sex, Worker,
};
use bangfu_funding::{Disbursement, FundSource, Posting};
use bangfu_year::records::{ClaimDetail, ClaimRecord, HouseholdRecord};
use calamine::{Data, Reader, Xlsx};

bangfu_core::coded_enum! {
    /// What a file holds (导入类型).
    ///
    /// ```
    /// use bangfu_office::import::RecordKind;
    /// assert_eq!(RecordKind::from_code("roster"), Some(RecordKind::Roster));
    /// assert_eq!(RecordKind::Claims.file_name(), "claims.jsonl");
    /// ```
    pub enum RecordKind {
        /// A payment roster: one disbursement a row (发放花名册).
        Roster = ("roster", "发放花名册", "payment roster"),
        /// Households: one person a row, the worker's row with the household's facts (困难职工家庭).
        Households = ("households", "困难职工家庭", "households"),
        /// Claims: one claim a row (救助申请).
        Claims = ("claims", "救助申请", "claims"),
    }
}

impl RecordKind {
    /// The year directory's file the records go to.
    pub const fn file_name(self) -> &'static str {
        match self {
            RecordKind::Roster => "ledger.jsonl",
            RecordKind::Households => "households.jsonl",
            RecordKind::Claims => "claims.jsonl",
        }
    }

    /// The fields of the kind: (field, default Chinese header, required).
    pub const fn fields(self) -> &'static [(&'static str, &'static str, bool)] {
        match self {
            RecordKind::Roster => ROSTER_FIELDS,
            RecordKind::Households => HOUSEHOLD_FIELDS,
            RecordKind::Claims => CLAIM_FIELDS,
        }
    }
}

const ROSTER_FIELDS: &[(&str, &str, bool)] = &[
    ("id", "编号", true),
    ("date", "发放日期", true),
    ("source", "资金来源", true),
    ("category", "救助类别", true),
    ("kind", "救助项目", false),
    ("household", "户号", true),
    ("tier", "档案层级", true),
    ("channel", "发放方式", true),
    ("amount", "金额（元）", true),
    ("unit", "建档单位", false),
    ("entered", "录入日期", false),
    ("claim", "申请编号", false),
    ("order", "支付指令", false),
    ("campaign", "专项活动", false),
];

const CLAIM_FIELDS: &[(&str, &str, bool)] = &[
    ("id", "申请编号", true),
    ("case", "档案编号", true),
    ("household", "户号", true),
    ("date", "申请日期", true),
    ("kind", "救助类型", true),
    ("applicant", "申请人", false),
    ("out_of_pocket", "自付医疗费用（元）", false),
    ("student", "学生", false),
    ("requested", "申请金额（元）", false),
];

const HOUSEHOLD_FIELDS: &[(&str, &str, bool)] = &[
    ("household", "户号", true),
    ("relation", "与职工关系", true),
    ("person", "人员编号", true),
    ("name", "姓名", true),
    ("id_number", "身份证号", true),
    ("birth_date", "出生日期", false),
    ("sex", "性别", false),
    ("health", "健康状况", false),
    ("school", "就学阶段", false),
    ("school_fee", "学校类型", false),
    ("employed", "就业", false),
    ("controlling_shareholder", "控股股东", false),
    ("runs_business", "经营活动", false),
    ("income", "个人年收入（元）", true),
    ("person_documents", "本人材料", false),
    // The household's facts, on the worker's row.
    ("case", "档案编号", false),
    ("applied", "申请日期", false),
    ("tier", "档案层级", false),
    ("category", "困难类别", false),
    ("household_income", "家庭年收入（元）", false),
    ("other_income", "其他收入（元）", false),
    ("rigid_expenditure", "刚性支出（元）", false),
    ("homes", "住房套数", false),
    ("causes", "致困原因", false),
    ("documents", "档案材料", false),
    ("union_member", "工会会员", false),
    ("employer", "工作单位", false),
    ("union_unit", "所属工会", false),
    ("migrant", "农民工", false),
    ("contract_months", "劳动合同期限（月）", false),
    ("accident_date", "意外事件日期", false),
    ("accident_cost", "意外困难支出（元）", false),
    ("high_consumption", "高消费", false),
    ("refused_verification", "拒不配合核查", false),
];

/// The household fields required on the worker's row.
const WORKER_REQUIRED: &[&str] = &[
    "case",
    "applied",
    "tier",
    "category",
    "household_income",
    "employer",
    "union_unit",
];

/// The encoding of a CSV file (文件编码).
///
/// ```
/// use bangfu_office::import::Encoding;
/// assert_eq!(Encoding::default(), Encoding::Auto);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 with or without a BOM, else GB18030 (which reads GBK).
    #[default]
    Auto,
    /// UTF-8 (a BOM is dropped).
    #[serde(rename = "utf-8")]
    Utf8,
    /// GBK (read as GB18030, its superset).
    Gbk,
    /// GB18030.
    Gb18030,
}

/// Which column is which field, and how to read the file (导入规则), as a TOML file:
///
/// ```toml
/// kind = "roster"            # roster | households | claims
/// sheet = "发放花名册"        # .xlsx: the sheet (default: the first)
/// header_row = 1             # the row of the headers; rows above it are skipped
/// encoding = "auto"          # CSV: auto | utf-8 | gbk | gb18030
/// delimiter = ","            # CSV
/// date_formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d"]
///
/// [columns]                  # field = header, or "%N" for the N-th column
/// amount = "实发金额"
/// date = "%2"
///
/// [defaults]                 # field = value, for a field the file has no column for
/// channel = "union_member_card"
/// ```
///
/// The columns not named keep their default headers ([`Mapping::default_for`]).
///
/// # Example
/// ```
/// use bangfu_office::import::Mapping;
/// let m = Mapping::from_toml("kind = \"roster\"\n[columns]\namount = \"实发金额\"\n")?;
/// assert_eq!(m.columns["amount"], "实发金额");
/// assert_eq!(m.columns["date"], "发放日期");
/// # Ok::<(), bangfu_office::import::ImportError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// What the file holds.
    pub kind: RecordKind,
    /// The sheet of a workbook (the first when none).
    pub sheet: Option<String>,
    /// The row of the headers, from 1.
    pub header_row: u32,
    /// The encoding of a CSV.
    pub encoding: Encoding,
    /// The separator of a CSV.
    pub delimiter: u8,
    /// The date formats tried, in order (chrono's syntax).
    pub date_formats: Vec<String>,
    /// Field → column header, or `%N`.
    pub columns: BTreeMap<String, String>,
    /// Field → value for every row where the file has no column (or an empty cell).
    pub defaults: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    kind: String,
    #[serde(default)]
    sheet: Option<String>,
    #[serde(default)]
    header_row: Option<u32>,
    #[serde(default)]
    encoding: Option<Encoding>,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    date_formats: Option<Vec<String>>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    defaults: BTreeMap<String, String>,
}

impl Mapping {
    /// The default mapping of a kind: Chinese headers, header on row 1, the first sheet.
    pub fn default_for(kind: RecordKind) -> Mapping {
        Mapping {
            kind,
            sheet: None,
            header_row: 1,
            encoding: Encoding::Auto,
            delimiter: b',',
            date_formats: ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]
                .map(str::to_owned)
                .to_vec(),
            columns: kind
                .fields()
                .iter()
                .map(|(f, h, _)| ((*f).to_owned(), (*h).to_owned()))
                .collect(),
            defaults: BTreeMap::new(),
        }
    }

    /// Reads a mapping file (TOML); the columns it does not name keep their defaults.
    ///
    /// # Errors
    /// [`ImportError::Mapping`]: malformed TOML (`read.*`, with the line), an unknown kind or
    /// field (`import.mapping`).
    pub fn from_toml(text: &str) -> Result<Mapping, ImportError> {
        let file: MappingFile =
            bangfu_core::read::from_toml_str(text).map_err(|e| ImportError::Mapping {
                code: e.code(),
                message: e.to_string(),
            })?;
        let bad = |message: String| ImportError::Mapping {
            code: "import.mapping",
            message,
        };
        let kind = RecordKind::from_code(&file.kind)
            .ok_or_else(|| bad(format!("unknown kind {:?}", file.kind)))?;
        let mut m = Mapping::default_for(kind);
        let known = |f: &str| kind.fields().iter().any(|(name, _, _)| *name == f);
        for f in file.columns.keys().chain(file.defaults.keys()) {
            if !known(f) {
                return Err(bad(format!("{} has no field {f:?}", kind.code())));
            }
        }
        m.sheet = file.sheet;
        m.header_row = file.header_row.unwrap_or(1).max(1);
        m.encoding = file.encoding.unwrap_or_default();
        if let Some(d) = file.delimiter {
            m.delimiter = match d.as_bytes() {
                [b] => *b,
                _ if d == "\\t" || d == "tab" => b'\t',
                _ => return Err(bad(format!("delimiter {d:?} is not one ASCII character"))),
            };
        }
        if let Some(formats) = file.date_formats {
            m.date_formats = formats;
        }
        m.columns.extend(file.columns);
        m.defaults = file.defaults;
        Ok(m)
    }
}

/// A column of the file: its index from 0, its letter and its header.
///
/// ```
/// let c = bangfu_office::import::ColumnRef::new(27, "金额");
/// assert_eq!(c.letter, "AB");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    /// From 0.
    pub index: usize,
    /// As a spreadsheet names it (`A`, `B`, … `AA`).
    pub letter: String,
    /// The header in the file.
    pub header: String,
}

impl ColumnRef {
    /// The column `index` (from 0) with its header.
    pub fn new(index: usize, header: impl Into<String>) -> ColumnRef {
        let mut letter = String::new();
        let mut n = index.saturating_add(1);
        while n > 0 {
            let rem = (n - 1) % 26;
            letter.insert(
                0,
                char::from(b'A'.saturating_add(u8::try_from(rem).unwrap_or(0))),
            );
            n = (n - 1) / 26;
        }
        ColumnRef {
            index,
            letter,
            header: header.into(),
        }
    }
}

/// What is wrong with a cell or a row (导入错误), with a stable code chosen by the type.
///
/// ```
/// use bangfu_core::Coded;
/// let e = bangfu_office::import::CellError::Date { text: "2018-13-01".into() };
/// assert_eq!(e.code(), "import.date");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CellError {
    /// A required value is empty.
    #[error("{field}: no value")]
    Missing {
        /// The field.
        field: String,
    },
    /// The file has no column for a required field (reported on the header row).
    #[error("no column for {field} (header {header:?})")]
    NoColumn {
        /// The field.
        field: String,
        /// The header looked for.
        header: String,
    },
    /// Not a date in any of the mapping's formats.
    #[error("{text:?} is not a date")]
    Date {
        /// The text.
        text: String,
    },
    /// Not a whole number.
    #[error("{text:?} is not a whole number")]
    Number {
        /// The text.
        text: String,
    },
    /// Not yes or no.
    #[error("{text:?} is not yes (是) or no (否)")]
    Bool {
        /// The text.
        text: String,
    },
    /// Not a code or label of the field's kind.
    #[error("{field}: unknown {text:?}")]
    UnknownCode {
        /// The field.
        field: String,
        /// The text.
        text: String,
    },
    /// The bytes of the row are not in the file's encoding.
    #[error("not {encoding}")]
    Encoding {
        /// The encoding expected.
        encoding: &'static str,
    },
    /// The row cannot be read at all (CSV quoting).
    #[error("{message}")]
    Syntax {
        /// What is wrong.
        message: String,
    },
    /// An id seen on an earlier row.
    #[error("{id} already on row {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// The first row.
        first: u32,
    },
    /// A household without one worker row, or a member row without the household's.
    #[error("{message}")]
    Household {
        /// What is wrong.
        message: String,
    },
    /// A value refused by its type (money, an id).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A household fact refused by the eligibility crate (an ID number, a birth date).
    #[error(transparent)]
    Eligibility(#[from] EligibilityError),
}

impl Coded for CellError {
    fn code(&self) -> &'static str {
        match self {
            CellError::Missing { .. } => "import.missing_value",
            CellError::NoColumn { .. } => "import.missing_column",
            CellError::Date { .. } => "import.date",
            CellError::Number { .. } => "import.number",
            CellError::Bool { .. } => "import.bool",
            CellError::UnknownCode { .. } => "import.unknown_code",
            CellError::Encoding { .. } => "import.encoding",
            CellError::Syntax { .. } => "import.syntax",
            CellError::DuplicateId { .. } => "import.duplicate_id",
            CellError::Household { .. } => "import.household",
            CellError::Core(e) => e.code(),
            CellError::Eligibility(e) => e.code(),
        }
    }
}

impl Labelled for CellError {
    fn zh(&self) -> &'static str {
        match self {
            CellError::Missing { .. } => "缺少必填内容",
            CellError::NoColumn { .. } => "缺少必需的列",
            CellError::Date { .. } => "日期格式错误",
            CellError::Number { .. } => "不是整数",
            CellError::Bool { .. } => "应为“是”或“否”",
            CellError::UnknownCode { .. } => "无法识别的取值",
            CellError::Encoding { .. } => "文件编码错误",
            CellError::Syntax { .. } => "格式错误",
            CellError::DuplicateId { .. } => "编号重复",
            CellError::Household { .. } => "家庭成员行不完整",
            CellError::Core(e) => e.zh(),
            CellError::Eligibility(e) => e.zh(),
        }
    }

    fn en(&self) -> &'static str {
        match self {
            CellError::Missing { .. } => "value missing",
            CellError::NoColumn { .. } => "column missing",
            CellError::Date { .. } => "not a date",
            CellError::Number { .. } => "not a whole number",
            CellError::Bool { .. } => "not yes or no",
            CellError::UnknownCode { .. } => "unknown value",
            CellError::Encoding { .. } => "wrong encoding",
            CellError::Syntax { .. } => "malformed",
            CellError::DuplicateId { .. } => "duplicate id",
            CellError::Household { .. } => "household rows incomplete",
            CellError::Core(e) => e.en(),
            CellError::Eligibility(e) => e.en(),
        }
    }
}

/// One problem of a file: where (sheet, row from 1 as the spreadsheet shows it, column)
/// and what.
///
/// ```
/// use bangfu_core::Coded;
/// use bangfu_office::import::{CellError, ColumnRef, Problem};
/// let p = Problem { sheet: "发放花名册".into(), row: 3, column: Some(ColumnRef::new(1, "发放日期")),
///     error: CellError::Date { text: "2018-02-30".into() } };
/// assert_eq!(p.to_string(), "发放花名册!B3 (发放日期): \"2018-02-30\" is not a date [import.date]");
/// assert_eq!(p.error.code(), "import.date");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The sheet (for a CSV, the file's name).
    pub sheet: String,
    /// The row, from 1.
    pub row: u32,
    /// The column, when the problem is one cell's.
    pub column: Option<ColumnRef>,
    /// What is wrong.
    pub error: CellError,
}

impl core::fmt::Display for Problem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}!{}{} ({})", self.sheet, c.letter, self.row, c.header)?,
            None => write!(f, "{}!{}", self.sheet, self.row)?,
        }
        write!(f, ": {} [{}]", self.error, self.error.code())
    }
}

/// Why a file imported nothing (导入失败).
///
/// ```
/// use bangfu_core::Coded;
/// use bangfu_office::import::{self, Mapping, RecordKind};
/// let err = import::roster("r.csv", "编号\np-1\n".as_bytes(), &Mapping::default_for(RecordKind::Roster)).unwrap_err();
/// assert_eq!(err.code(), "import.rows");
/// assert!(err.problems().iter().all(|p| p.error.code() == "import.missing_column"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The mapping file cannot be used.
    #[error("mapping: {message}")]
    Mapping {
        /// The code (`read.*` for malformed TOML, `import.mapping`).
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The file cannot be opened: not a workbook, no such sheet.
    #[error("{name}: {message}")]
    File {
        /// The file's name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// Rows with problems: every one of them; nothing was imported.
    #[error("{} problems, nothing imported; first: {}", .problems.len(), .problems.first().map(ToString::to_string).unwrap_or_default())]
    Rows {
        /// The problems, in row order.
        problems: Vec<Problem>,
    },
}

impl ImportError {
    /// The problems of the rows (none for the other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ImportError::Rows { problems } => problems,
            _ => &[],
        }
    }
}

impl Coded for ImportError {
    fn code(&self) -> &'static str {
        match self {
            ImportError::Mapping { code, .. } => code,
            ImportError::File { .. } => "import.file",
            ImportError::Rows { .. } => "import.rows",
        }
    }
}

impl Labelled for ImportError {
    fn zh(&self) -> &'static str {
        match self {
            ImportError::Mapping { .. } => "导入规则有误",
            ImportError::File { .. } => "无法打开文件",
            ImportError::Rows { .. } => "有错误行，未导入",
        }
    }

    fn en(&self) -> &'static str {
        match self {
            ImportError::Mapping { .. } => "bad mapping",
            ImportError::File { .. } => "file cannot be opened",
            ImportError::Rows { .. } => "bad rows, nothing imported",
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading the file into a grid

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date serial.
    Date(f64),
    Error(String),
}

/// The rows of a sheet with their numbers (from 1, as the spreadsheet shows them); a row's
/// problem when it could not be read.
struct Grid {
    sheet: String,
    rows: Vec<(u32, Result<Vec<Raw>, CellError>)>,
}

/// Decodes one line of a CSV.
fn decode_line(line: &[u8], encoding: Encoding) -> Option<String> {
    let utf8 = |b: &[u8]| std::str::from_utf8(b).ok().map(str::to_owned);
    let gb = |b: &[u8]| {
        let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(b);
        (!bad).then(|| text.into_owned())
    };
    match encoding {
        Encoding::Utf8 => utf8(line),
        Encoding::Gbk | Encoding::Gb18030 => gb(line),
        Encoding::Auto => utf8(line).or_else(|| gb(line)),
    }
}

/// Decodes a CSV's bytes: the text, with each line that is not in the encoding blanked (a
/// lone delimiter), and those lines' numbers. `Auto` is UTF-8 when the file has a BOM or is
/// UTF-8 throughout, else GB18030 (which reads GBK).
fn decode(bytes: &[u8], encoding: Encoding, delimiter: u8) -> (String, Vec<u32>, &'static str) {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom {
        bytes.get(3..).unwrap_or_default()
    } else {
        bytes
    };
    let encoding = match encoding {
        Encoding::Auto if bom || std::str::from_utf8(body).is_ok() => Encoding::Utf8,
        Encoding::Auto => Encoding::Gb18030,
        e => e,
    };
    let name = if encoding == Encoding::Utf8 {
        "UTF-8"
    } else {
        "GB18030"
    };
    if let Some(text) = decode_line(body, encoding) {
        return (text, Vec::new(), name);
    }
    let mut text = String::new();
    let mut bad = Vec::new();
    for (i, line) in body.split(|c| *c == b'\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        match decode_line(line, encoding) {
            Some(l) => text.push_str(&l),
            None => {
                bad.push(u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1));
                text.push(char::from(delimiter));
            }
        }
    }
    (text, bad, name)
}

fn csv_grid(name: &str, bytes: &[u8], mapping: &Mapping) -> Grid {
    let (text, bad, encoding) = decode(bytes, mapping.encoding, mapping.delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(mapping.delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                let row = u32::try_from(line).unwrap_or(u32::MAX);
                if bad.contains(&row) {
                    rows.push((row, Err(CellError::Encoding { encoding })));
                    continue;
                }
                let cells = record
                    .iter()
                    .map(|s| {
                        if s.trim().is_empty() {
                            Raw::Empty
                        } else {
                            Raw::Text(s.to_owned())
                        }
                    })
                    .collect();
                rows.push((row, Ok(cells)));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let row = u32::try_from(line).unwrap_or(u32::MAX);
                rows.push((
                    row,
                    Err(CellError::Syntax {
                        message: e.to_string(),
                    }),
                ));
                break;
            }
        }
    }
    Grid {
        sheet: name.to_owned(),
        rows,
    }
}

fn xlsx_grid(name: &str, bytes: &[u8], mapping: &Mapping) -> Result<Grid, ImportError> {
    let file = |message: String| ImportError::File {
        name: name.to_owned(),
        message,
    };
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| file(e.to_string()))?;
    let sheet = match &mapping.sheet {
        Some(s) => s.clone(),
        None => book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| file("the workbook has no sheet".to_owned()))?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| file(format!("sheet {sheet:?}: {e}")))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let left = usize::try_from(left).unwrap_or(0);
    let mut rows = Vec::new();
    for (n, row) in (top.saturating_add(1)..).zip(range.rows()) {
        let mut cells = vec![Raw::Empty; left];
        cells.extend(row.iter().map(|c| match c.clone() {
            Data::Empty => Raw::Empty,
            Data::String(s) if s.trim().is_empty() => Raw::Empty,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Raw::Text(s),
            Data::Int(i) => Raw::Text(i.to_string()),
            Data::Float(f) => Raw::Number(f),
            Data::Bool(b) => Raw::Bool(b),
            Data::DateTime(d) => Raw::Date(d.as_f64()),
            Data::Error(e) => Raw::Error(e.to_string()),
        }));
        rows.push((n, Ok(cells)));
    }
    Ok(Grid { sheet, rows })
}

/// The grid of a file: a workbook when its bytes are a zip package, else CSV.
fn grid(name: &str, bytes: &[u8], mapping: &Mapping) -> Result<Grid, ImportError> {
    if bytes.starts_with(b"PK\x03\x04") {
        xlsx_grid(name, bytes, mapping)
    } else {
        Ok(csv_grid(name, bytes, mapping))
    }
}

// ---------------------------------------------------------------------------------------
// Reading cells

/// A number as text: a whole number without a decimal point, else the shortest decimal that
/// reads back as the same double (what the spreadsheet shows).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// The date of an Excel serial (1900 date system; the days only).
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let days = serial.floor();
    if !(1.0..=2_958_465.0).contains(&days) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(days as u64))
}

/// Reads the cells of one row, keeping its problems.
struct RowReader<'a> {
    sheet: &'a str,
    row: u32,
    cells: &'a [Raw],
    columns: &'a HashMap<&'a str, ColumnRef>,
    mapping: &'a Mapping,
    problems: Vec<Problem>,
    /// What groups the row (a household's id), as written, for the checks across rows.
    key: Option<String>,
}

impl RowReader<'_> {
    fn problem(&mut self, field: &str, error: CellError) {
        let column = self.columns.get(field).cloned();
        self.problems.push(Problem {
            sheet: self.sheet.to_owned(),
            row: self.row,
            column,
            error,
        });
    }

    /// The cell of `field`, or its default.
    fn raw(&self, field: &str) -> Raw {
        let cell = self
            .columns
            .get(field)
            .and_then(|c| self.cells.get(c.index))
            .cloned()
            .unwrap_or(Raw::Empty);
        match (&cell, self.mapping.defaults.get(field)) {
            (Raw::Empty, Some(d)) => Raw::Text(d.clone()),
            _ => cell,
        }
    }

    /// The text of `field` (trimmed), if any.
    fn text(&mut self, field: &str) -> Option<String> {
        match self.raw(field) {
            Raw::Empty => None,
            Raw::Text(s) => Some(s.trim().to_owned()),
            Raw::Number(f) => Some(number_text(f)),
            Raw::Bool(b) => Some(if b { "是" } else { "否" }.to_owned()),
            Raw::Date(d) => excel_date(d).map(|d| d.to_string()),
            Raw::Error(e) => {
                self.problem(field, CellError::Syntax { message: e });
                None
            }
        }
    }

    fn required(&mut self, field: &str) -> Option<String> {
        let t = self.text(field);
        // A field without a column was reported once, on the header row.
        let has_column =
            self.columns.contains_key(field) || self.mapping.defaults.contains_key(field);
        if t.is_none() && has_column {
            self.problem(
                field,
                CellError::Missing {
                    field: field.to_owned(),
                },
            );
        }
        t
    }

    fn date(&mut self, field: &str, required: bool) -> Option<NaiveDate> {
        if let Raw::Date(d) | Raw::Number(d) = self.raw(field) {
            return excel_date(d).or_else(|| {
                self.problem(
                    field,
                    CellError::Date {
                        text: number_text(d),
                    },
                );
                None
            });
        }
        let text = if required {
            self.required(field)?
        } else {
            self.text(field)?
        };
        let found = self
            .mapping
            .date_formats
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(&text, f).ok());
        if found.is_none() {
            self.problem(field, CellError::Date { text });
        }
        found
    }

    fn money(&mut self, field: &str, required: bool) -> Option<Money> {
        let text = if required {
            self.required(field)?
        } else {
            self.text(field)?
        };
        let cleaned: String = text
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('元')
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        match Money::parse_yuan(&cleaned) {
            Ok(m) => Some(m),
            Err(e) => {
                self.problem(field, CellError::Core(e));
                None
            }
        }
    }

    fn count(&mut self, field: &str) -> Option<u32> {
        let text = self.text(field)?;
        match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.problem(field, CellError::Number { text });
                None
            }
        }
    }

    fn flag(&mut self, field: &str) -> Option<bool> {
        let text = self.text(field)?;
        match text.to_lowercase().as_str() {
            "是" | "y" | "yes" | "true" | "1" | "有" => Some(true),
            "否" | "n" | "no" | "false" | "0" | "无" => Some(false),
            _ => {
                self.problem(field, CellError::Bool { text });
                None
            }
        }
    }

    /// A value of a coded enum, by its code or either label.
    fn coded<T: Copy + Coded + Labelled>(
        &mut self,
        field: &str,
        all: &[T],
        required: bool,
    ) -> Option<T> {
        let text = if required {
            self.required(field)?
        } else {
            self.text(field)?
        };
        let found = lookup(all, &text);
        if found.is_none() {
            self.problem(
                field,
                CellError::UnknownCode {
                    field: field.to_owned(),
                    text,
                },
            );
        }
        found
    }

    /// A list of coded values separated by 、，,;； or spaces.
    fn coded_list<T: Copy + Coded + Labelled>(&mut self, field: &str, all: &[T]) -> Vec<T> {
        let Some(text) = self.text(field) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for part in text
            .split(['、', '，', ',', ';', '；', ' '])
            .filter(|p| !p.trim().is_empty())
        {
            match lookup(all, part.trim()) {
                Some(v) => out.push(v),
                None => self.problem(
                    field,
                    CellError::UnknownCode {
                        field: field.to_owned(),
                        text: part.to_owned(),
                    },
                ),
            }
        }
        out
    }

    /// An id of a `bangfu-core` id type.
    fn id<T: core::str::FromStr<Err = CoreError>>(
        &mut self,
        field: &str,
        required: bool,
    ) -> Option<T> {
        let text = if required {
            self.required(field)?
        } else {
            self.text(field)?
        };
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(field, CellError::Core(e));
                None
            }
        }
    }
}

/// The value of `all` whose code or label is `text` (codes and English case-insensitively).
fn lookup<T: Copy + Coded + Labelled>(all: &[T], text: &str) -> Option<T> {
    let text = text.trim();
    all.iter().copied().find(|v| {
        v.code().eq_ignore_ascii_case(text) || v.zh() == text || v.en().eq_ignore_ascii_case(text)
    })
}

// ---------------------------------------------------------------------------------------
// Rows to records

/// The columns of the mapped fields in the header row, and the problems of the header.
fn columns<'m>(grid: &Grid, mapping: &'m Mapping) -> (HashMap<&'m str, ColumnRef>, Vec<Problem>) {
    let header: Vec<String> = match grid.rows.iter().find(|(n, _)| *n == mapping.header_row) {
        Some((_, Ok(cells))) => cells
            .iter()
            .map(|c| match c {
                Raw::Text(s) => s.trim().trim_start_matches('\u{feff}').to_owned(),
                Raw::Number(f) => number_text(*f),
                _ => String::new(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut found = HashMap::new();
    let mut problems = Vec::new();
    for (field, default_header, required) in mapping.kind.fields() {
        let Some(spec) = mapping.columns.get(*field) else {
            continue;
        };
        let spec = if spec.is_empty() {
            *default_header
        } else {
            spec
        };
        let index = match spec.strip_prefix('%').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n > 0 => Some(n - 1),
            _ => header.iter().position(|h| h == spec),
        };
        match index {
            Some(i) => {
                let h = header.get(i).cloned().unwrap_or_default();
                found.insert(*field, ColumnRef::new(i, h));
            }
            None if *required && !mapping.defaults.contains_key(*field) => {
                problems.push(Problem {
                    sheet: grid.sheet.clone(),
                    row: mapping.header_row,
                    column: None,
                    error: CellError::NoColumn {
                        field: (*field).to_owned(),
                        header: spec.to_owned(),
                    },
                });
            }
            None => {}
        }
    }
    (found, problems)
}

/// The rows read: the good ones with their records, every problem, and the keys of the bad
/// rows (so that a check across rows does not report again what a row's problem explains).
struct Rows<T> {
    good: Vec<(u32, T)>,
    problems: Vec<Problem>,
    bad_keys: std::collections::HashSet<String>,
    sheet: String,
    columns: HashMap<String, ColumnRef>,
}

impl<T> Rows<T> {
    /// The records when there is no problem, with `more` problems found across rows.
    fn finish(mut self, mut more: Vec<Problem>) -> Result<Vec<T>, ImportError> {
        self.problems.append(&mut more);
        if self.problems.is_empty() {
            Ok(self.good.into_iter().map(|(_, r)| r).collect())
        } else {
            self.problems.sort_by_key(|p| p.row);
            Err(ImportError::Rows {
                problems: self.problems,
            })
        }
    }
}

/// Runs `each` over the data rows (after the header, not empty), collecting every problem.
fn rows<T>(
    name: &str,
    bytes: &[u8],
    mapping: &Mapping,
    mut each: impl FnMut(&mut RowReader<'_>) -> Option<T>,
) -> Result<Rows<T>, ImportError> {
    let grid = grid(name, bytes, mapping)?;
    let (cols, mut problems) = columns(&grid, mapping);
    let mut good = Vec::new();
    let mut bad_keys = std::collections::HashSet::new();
    for (number, row) in grid.rows.iter().filter(|(n, _)| *n > mapping.header_row) {
        let number = *number;
        let cells = match row {
            Ok(cells) => cells,
            Err(e) => {
                problems.push(Problem {
                    sheet: grid.sheet.clone(),
                    row: number,
                    column: None,
                    error: e.clone(),
                });
                continue;
            }
        };
        if cells.iter().all(|c| *c == Raw::Empty) {
            continue;
        }
        let mut reader = RowReader {
            sheet: &grid.sheet,
            row: number,
            cells,
            columns: &cols,
            mapping,
            problems: Vec::new(),
            key: None,
        };
        let record = each(&mut reader);
        if reader.problems.is_empty() {
            if let Some(r) = record {
                good.push((number, r));
            }
        } else {
            bad_keys.extend(reader.key.take());
            problems.append(&mut reader.problems);
        }
    }
    Ok(Rows {
        good,
        problems,
        bad_keys,
        sheet: grid.sheet.clone(),
        columns: cols.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    })
}

/// Reports ids seen on an earlier row.
fn duplicates<T>(
    sheet: &str,
    column: Option<ColumnRef>,
    records: &[(u32, T)],
    id: impl Fn(&T) -> String,
) -> Vec<Problem> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for (row, r) in records {
        let key = id(r);
        if let Some(first) = seen.get(&key) {
            out.push(Problem {
                sheet: sheet.to_owned(),
                row: *row,
                column: column.clone(),
                error: CellError::DuplicateId {
                    id: key,
                    first: *first,
                },
            });
        } else {
            seen.insert(key, *row);
        }
    }
    out
}

/// Imports a payment roster: one [`Disbursement`] a row, as ledger postings.
///
/// # Errors
/// [`ImportError`]: the file cannot be opened, or every problem of every row (nothing is
/// imported then), a posting id used twice included.
///
/// # Example
/// See the [module](self) example.
pub fn roster(name: &str, bytes: &[u8], mapping: &Mapping) -> Result<Vec<Posting>, ImportError> {
    let records = rows(name, bytes, mapping, |r| {
        let id = r.id("id", true);
        let date = r.date("date", true);
        let source = r.coded("source", FundSource::ALL, true);
        let category = r.coded("category", AidCategory::ALL, true);
        let kind = r.coded("kind", AidKind::ALL, false);
        let household = r.id("household", true);
        let tier = r.coded("tier", ArchiveTier::ALL, true);
        let channel = r.coded("channel", PaymentChannel::ALL, true);
        let amount = r.money("amount", true);
        let unit = r.id("unit", false);
        let entered = r.date("entered", false);
        let claim = r.id("claim", false);
        let order = r.text("order");
        let campaign = r.id("campaign", false);
        Some(Disbursement {
            id: id?,
            date: date?,
            source: source?,
            category: category?,
            kind: kind.unwrap_or(AidKind::Regular),
            household: household?,
            tier: tier?,
            channel: channel?,
            amount: amount?,
            unit,
            entered,
            order,
            claim,
            campaign,
        })
    })?;
    let twice = duplicates(
        &records.sheet,
        records.columns.get("id").cloned(),
        &records.good,
        |d| d.id.to_string(),
    );
    Ok(records
        .finish(twice)?
        .into_iter()
        .map(Posting::Disbursement)
        .collect())
}

/// Imports claims: one [`ClaimRecord`] a row. The kind (救助类型) is `medical` (医疗救助,
/// with the applicant and the out-of-pocket cost), `education` (助学, with the student),
/// `living` (生活救助) or `sending_warmth` (送温暖), each with an optional amount asked.
///
/// # Errors
/// As [`roster`].
///
/// # Example
/// ```
/// use bangfu_office::import::{self, Mapping, RecordKind};
/// let csv = "申请编号,档案编号,户号,申请日期,救助类型,申请人,自付医疗费用（元）\n\
///            m-1,HK-0001/1,HK-0001,2018-03-04,医疗救助,HK-0001-w,17114.00\n";
/// let claims = import::claims("claims.csv", csv.as_bytes(), &Mapping::default_for(RecordKind::Claims))?;
/// assert_eq!(claims[0].detail.category(), bangfu_core::AidCategory::Medical);
/// # Ok::<(), bangfu_office::import::ImportError>(())
/// ```
pub fn claims(
    name: &str,
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<Vec<ClaimRecord>, ImportError> {
    let records = rows(name, bytes, mapping, |r| {
        let id = r.id("id", true);
        let case = r.id("case", true);
        let household = r.id("household", true);
        let date = r.date("date", true);
        let kind = r.required("kind");
        let detail = match kind.as_deref() {
            Some("medical" | "医疗" | "医疗救助") => Some(ClaimDetail::Medical {
                applicant: r.id("applicant", true)?,
                out_of_pocket: r.money("out_of_pocket", true)?,
            }),
            Some("education" | "助学" | "助学救助") => Some(ClaimDetail::Education {
                student: r.id("student", true)?,
            }),
            Some("living" | "生活救助") => Some(ClaimDetail::Living {
                requested: r.money("requested", false),
            }),
            Some("sending_warmth" | "送温暖" | "两节送温暖") => {
                Some(ClaimDetail::SendingWarmth {
                    requested: r.money("requested", false),
                })
            }
            Some(other) => {
                let text = other.to_owned();
                r.problem(
                    "kind",
                    CellError::UnknownCode {
                        field: "kind".to_owned(),
                        text,
                    },
                );
                None
            }
            None => None,
        };
        Some(ClaimRecord {
            id: id?,
            case: case?,
            household: household?,
            date: date?,
            detail: detail?,
        })
    })?;
    let twice = duplicates(
        &records.sheet,
        records.columns.get("id").cloned(),
        &records.good,
        |c| c.id.to_string(),
    );
    records.finish(twice)
}

/// One person's row of a households file.
struct PersonRow {
    row: u32,
    household: bangfu_core::HouseholdId,
    /// None for the worker.
    relation: Option<Relation>,
    person: Person,
    documents: Vec<DocumentKind>,
    /// The household's facts, on the worker's row.
    facts: Option<HouseholdFacts>,
}

struct HouseholdFacts {
    case: bangfu_core::CaseId,
    applied: NaiveDate,
    tier: ArchiveTier,
    category: HardshipCategory,
    income: Money,
    other_income: Money,
    rigid: Money,
    homes: u32,
    causes: Vec<HardshipCause>,
    documents: Vec<DocumentKind>,
    union_member: bool,
    employer: bangfu_core::UnitId,
    union_unit: bangfu_core::UnitId,
    migrant: bool,
    contract_months: u32,
    accident: Option<AccidentClaim>,
    high_consumption: bool,
    refused_verification: bool,
}

const WORKER_WORDS: &[&str] = &["本人", "职工", "职工本人", "worker", "self"];

fn person_row(r: &mut RowReader<'_>) -> Option<PersonRow> {
    r.key = r.text("household");
    let household = r.id("household", true);
    let relation_text = r.required("relation");
    let worker = relation_text
        .as_deref()
        .is_some_and(|t| WORKER_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)));
    let relation = if worker {
        None
    } else {
        r.coded("relation", Relation::ALL, true)
    };
    let id = r.id("person", true);
    let name = r.required("name");
    let id_number = r
        .required("id_number")
        .and_then(|t| match IdNumber::parse(&t) {
            Ok(n) => Some(n),
            Err(e) => {
                r.problem("id_number", CellError::Eligibility(e));
                None
            }
        });
    let birth = r.date("birth_date", false);
    let sex = r.coded("sex", Sex::ALL, false);
    let health = r.coded_list("health", HealthCondition::ALL);
    let stage = r.coded("school", SchoolStage::ALL, false);
    let fee = r.coded("school_fee", SchoolFee::ALL, false);
    let employed = r.flag("employed");
    let controlling = r.flag("controlling_shareholder");
    let business = r.flag("runs_business");
    let income = r.money("income", true);
    let documents = r.coded_list("person_documents", DocumentKind::ALL);
    let facts = if worker {
        for f in WORKER_REQUIRED {
            if r.text(f).is_none() {
                r.problem(
                    f,
                    CellError::Missing {
                        field: (*f).to_owned(),
                    },
                );
            }
        }
        household_facts(r)
    } else {
        None
    };
    let id_number = id_number?;
    let person = Person {
        id: id?,
        name: name?,
        birth_date: birth.unwrap_or_else(|| id_number.birth_date()),
        sex: sex.unwrap_or_else(|| id_number.sex()),
        id_number,
        health: health.into_iter().collect(),
        school: stage.map(|stage| Schooling {
            stage,
            fee: fee.unwrap_or(SchoolFee::Ordinary),
        }),
        employed: employed.unwrap_or(false),
        controlling_shareholder: controlling.unwrap_or(false),
        runs_business: business.unwrap_or(false),
        annual_income: income?,
    };
    if worker && facts.is_none() {
        return None;
    }
    Some(PersonRow {
        row: r.row,
        household: household?,
        relation: if worker { None } else { Some(relation?) },
        person,
        documents,
        facts,
    })
}

fn household_facts(r: &mut RowReader<'_>) -> Option<HouseholdFacts> {
    let case = r.id("case", false);
    let applied = r.date("applied", false);
    let tier = r.coded("tier", ArchiveTier::ALL, false);
    let category = r.coded("category", HardshipCategory::ALL, false);
    let income = r.money("household_income", false);
    let other_income = r.money("other_income", false);
    let rigid = r.money("rigid_expenditure", false);
    let homes = r.count("homes");
    let causes = r.coded_list("causes", HardshipCause::ALL);
    let documents = r.coded_list("documents", DocumentKind::ALL);
    let union_member = r.flag("union_member");
    let employer = r.id("employer", false);
    let union_unit = r.id("union_unit", false);
    let migrant = r.flag("migrant");
    let contract_months = r.count("contract_months");
    let accident_date = r.date("accident_date", false);
    let accident_cost = r.money("accident_cost", false);
    let high_consumption = r.flag("high_consumption");
    let refused_verification = r.flag("refused_verification");
    Some(HouseholdFacts {
        case: case?,
        applied: applied?,
        tier: tier?,
        category: category?,
        income: income?,
        other_income: other_income.unwrap_or(Money::ZERO),
        rigid: rigid.unwrap_or(Money::ZERO),
        homes: homes.unwrap_or(0),
        causes,
        documents,
        union_member: union_member.unwrap_or(true),
        employer: employer?,
        union_unit: union_unit?,
        migrant: migrant.unwrap_or(false),
        contract_months: contract_months.unwrap_or(0),
        accident: match (accident_date, accident_cost) {
            (Some(date), Some(cost)) => Some(AccidentClaim { date, cost }),
            _ => None,
        },
        high_consumption: high_consumption.unwrap_or(false),
        refused_verification: refused_verification.unwrap_or(false),
    })
}

/// Imports households: one person a row, grouped by the household id (户号) in the order
/// the households first appear. The worker's row (与职工关系 `本人`) carries the household's
/// facts: the case, the application date, the tier and category filed in, the incomes, the
/// homes, the causes, the household's documents (档案材料), the employer and union unit; a
/// member's row its relation. A person's documents (本人材料) are about that person. The
/// birth date and sex default to those of the ID number. Vehicles, shops, employees and
/// withdrawals are not read from a spreadsheet (none: edit the JSON Lines for them).
///
/// # Errors
/// As [`roster`]; a household without exactly one worker row (`import.household`); the
/// household's facts refused by [`Household::validate`] on its application date.
///
/// # Example
/// ```
/// use bangfu_office::import::{self, Mapping, RecordKind};
/// let id = bangfu_eligibility::IdNumber::with_check_digit("46010019750301001")?;
/// let csv = format!("户号,与职工关系,人员编号,姓名,身份证号,个人年收入（元）,档案编号,申请日期,档案层级,困难类别,家庭年收入（元）,工作单位,所属工会,档案材料\n\
///            HK-0001,本人,HK-0001-w,王某,{},12000,HK-0001/1,2018-03-01,全国级,subsistence,12000,farm-1,union-1,承诺书、授权书\n", id.expose());
/// let households = import::households("h.csv", csv.as_bytes(), &Mapping::default_for(RecordKind::Households))?;
/// assert_eq!(households[0].household.size(), 1);
/// assert_eq!(households[0].household.worker.person.birth_date.to_string(), "1975-03-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn households(
    name: &str,
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<Vec<HouseholdRecord>, ImportError> {
    let mut rows = rows(name, bytes, mapping, person_row)?;
    let sheet = rows.sheet.clone();
    let relation_col = rows.columns.get("relation").cloned();
    let mut order: Vec<bangfu_core::HouseholdId> = Vec::new();
    let mut groups: HashMap<bangfu_core::HouseholdId, Vec<PersonRow>> = HashMap::new();
    for (_, p) in core::mem::take(&mut rows.good) {
        if rows.bad_keys.contains(p.household.as_str()) {
            continue;
        }
        if !groups.contains_key(&p.household) {
            order.push(p.household.clone());
        }
        groups.entry(p.household.clone()).or_default().push(p);
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for id in order {
        let Some(people) = groups.remove(&id) else {
            continue;
        };
        let first_row = people.first().map_or(0, |p| p.row);
        let workers = people.iter().filter(|p| p.relation.is_none()).count();
        if workers != 1 {
            problems.push(Problem {
                sheet: sheet.clone(),
                row: first_row,
                column: relation_col.clone(),
                error: CellError::Household {
                    message: format!("household {id} has {workers} worker rows (本人), not 1"),
                },
            });
            continue;
        }
        let mut worker = None;
        let mut members = Vec::new();
        let mut documents = Vec::new();
        let mut rows_of = Vec::new();
        for p in people {
            rows_of.push((p.person.id.clone(), p.row));
            for kind in p.documents {
                documents.push(Document {
                    kind,
                    person: Some(p.person.id.clone()),
                });
            }
            match (p.relation, p.facts) {
                (None, Some(f)) => worker = Some((p.person, f, p.row)),
                (Some(relation), _) => members.push(Member {
                    person: p.person,
                    relation,
                }),
                (None, None) => {}
            }
        }
        let Some((person, f, worker_row)) = worker else {
            continue;
        };
        let mut all_documents: Vec<Document> = f
            .documents
            .iter()
            .map(|kind| Document {
                kind: *kind,
                person: None,
            })
            .collect();
        all_documents.append(&mut documents);
        let household = Household {
            id: id.clone(),
            worker: Worker {
                person,
                union_member: f.union_member,
                employer: f.employer,
                union_unit: f.union_unit,
                migrant: f.migrant,
                contract_months: f.contract_months,
            },
            members,
            annual_income: f.income,
            other_income: f.other_income,
            rigid_expenditure: f.rigid,
            assets: Assets {
                homes: f.homes,
                ..Assets::default()
            },
            causes: f.causes,
            accident: f.accident,
            high_consumption: f.high_consumption,
            refused_verification: f.refused_verification,
            documents: all_documents,
            // A roster has no city column: the policy's own city.
            city: None,
        };
        if let Err(e) = household.validate(f.applied) {
            let person = match &e {
                EligibilityError::BirthAfterApplication { person, .. }
                | EligibilityError::IdBirthMismatch { person, .. } => Some(person.clone()),
                _ => None,
            };
            let row = person
                .and_then(|p| rows_of.iter().find(|(id, _)| *id == p).map(|(_, r)| *r))
                .unwrap_or(worker_row);
            problems.push(Problem {
                sheet: sheet.clone(),
                row,
                column: None,
                error: CellError::Eligibility(e),
            });
            continue;
        }
        out.push(HouseholdRecord {
            case: f.case,
            applied: f.applied,
            tier: f.tier,
            category: f.category,
            household,
            withdrawal: None,
            procedure: Default::default(),
        });
    }
    rows.finish(problems)?;
    Ok(out)
}

/// Imported records, of the kind the mapping names.
///
/// ```
/// use bangfu_office::import::{self, Imported, Mapping, RecordKind};
/// let csv = "编号,发放日期,资金来源,救助类别,户号,档案层级,发放方式,金额（元）\n\
///            p-1,2018-01-15,central_fiscal,living,HK-0001,national,union_member_card,800\n";
/// let got = import::import("r.csv", csv.as_bytes(), &Mapping::default_for(RecordKind::Roster))?;
/// assert_eq!(got.file_name(), "ledger.jsonl");
/// assert!(got.to_jsonl().starts_with(r#"{"type":"disbursement","id":"p-1""#));
/// # Ok::<(), bangfu_office::import::ImportError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Imported {
    /// Ledger postings.
    Roster(Vec<Posting>),
    /// Households.
    Households(Vec<HouseholdRecord>),
    /// Claims.
    Claims(Vec<ClaimRecord>),
}

impl Imported {
    /// The year directory's file the records go to.
    pub fn file_name(&self) -> &'static str {
        match self {
            Imported::Roster(_) => RecordKind::Roster.file_name(),
            Imported::Households(_) => RecordKind::Households.file_name(),
            Imported::Claims(_) => RecordKind::Claims.file_name(),
        }
    }

    /// How many records.
    pub fn len(&self) -> usize {
        match self {
            Imported::Roster(v) => v.len(),
            Imported::Households(v) => v.len(),
            Imported::Claims(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records as the year directory's JSON Lines ([`bangfu_year::input::write_jsonl`]).
    pub fn to_jsonl(&self) -> String {
        match self {
            Imported::Roster(v) => bangfu_year::input::write_jsonl(v),
            Imported::Households(v) => bangfu_year::input::write_jsonl(v),
            Imported::Claims(v) => bangfu_year::input::write_jsonl(v),
        }
    }
}

/// Imports a file of the kind its mapping names.
///
/// # Errors
/// As [`roster`], [`households`] and [`claims`].
///
/// # Example
/// See [`Imported`].
pub fn import(name: &str, bytes: &[u8], mapping: &Mapping) -> Result<Imported, ImportError> {
    Ok(match mapping.kind {
        RecordKind::Roster => Imported::Roster(roster(name, bytes, mapping)?),
        RecordKind::Households => Imported::Households(households(name, bytes, mapping)?),
        RecordKind::Claims => Imported::Claims(claims(name, bytes, mapping)?),
    })
}
