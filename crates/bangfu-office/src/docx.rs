//! The composed report as a Word document: the OOXML parts written here and zipped by the
//! `zip` crate (the one `rust_xlsxwriter` already brings). Headings use Word's built-in
//! heading styles (the navigation pane lists 一 … 六), tables are real Word tables with a
//! repeated header row, the charts are PNG pictures ([`crate::pixels`]) each followed by a
//! Word table of its names and figures. Fonts: 宋体 for the text, 黑体 for the headings, as
//! a federation's documents use them; Word or LibreOffice substitutes what is installed.

use core::fmt::Write as _;
use std::io::Write as _;

use zip::write::SimpleFileOptions;

use crate::chart::{ChartData, colour};
use crate::html::escape;
use crate::markdown::{self, Block, Run};
use crate::report::{Composed, Part};
use crate::table::{ColumnKind, Table};
use crate::{OfficeError, pixels};

/// The text width of an A4 page with the margins below, in twentieths of a point.
const TEXT_WIDTH: u32 = 11906 - 2 * 1247;
/// The width a chart picture is shown at, in EMU (16 cm).
const PICTURE_CX: u64 = 5_760_000;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:jc w:val="left"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="80"/><w:jc w:val="left"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体"/><w:b/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>"#;

/// A cell of a Word table: its runs, right-aligned or not, its shading.
struct WordCell {
    runs: Vec<Run>,
    right: bool,
    fill: Option<String>,
    white: bool,
}

impl WordCell {
    fn text(s: String, right: bool, bold: bool) -> WordCell {
        WordCell {
            runs: vec![Run { text: s, bold }],
            right,
            fill: None,
            white: false,
        }
    }
}

/// The document body as it is written.
struct Body {
    xml: String,
    pictures: Vec<Vec<u8>>,
}

impl Body {
    fn runs(&mut self, runs: &[Run], white: bool) {
        for r in runs {
            self.xml.push_str("<w:r>");
            if r.bold || white {
                self.xml.push_str("<w:rPr>");
                if r.bold {
                    self.xml.push_str("<w:b/>");
                }
                if white {
                    self.xml.push_str("<w:color w:val=\"FFFFFF\"/>");
                }
                self.xml.push_str("</w:rPr>");
            }
            for (i, line) in r.text.split('\n').enumerate() {
                if i > 0 {
                    self.xml.push_str("<w:br/>");
                }
                let _ = write!(
                    self.xml,
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    escape(line)
                );
            }
            self.xml.push_str("</w:r>");
        }
    }

    fn paragraph(&mut self, style: Option<&str>, centre: bool, runs: &[Run]) {
        self.xml.push_str("<w:p>");
        if style.is_some() || centre {
            self.xml.push_str("<w:pPr>");
            if let Some(s) = style {
                let _ = write!(self.xml, "<w:pStyle w:val=\"{s}\"/>");
            }
            if centre {
                self.xml.push_str("<w:jc w:val=\"center\"/>");
            }
            self.xml.push_str("</w:pPr>");
        }
        self.runs(runs, false);
        self.xml.push_str("</w:p>\n");
    }

    fn plain(&mut self, style: Option<&str>, text: &str) {
        self.paragraph(
            style,
            false,
            &[Run {
                text: text.to_owned(),
                bold: false,
            }],
        );
    }

    /// A Word table: the header row repeats on each page; column widths follow the content.
    fn table(&mut self, header: Vec<WordCell>, rows: Vec<Vec<WordCell>>) {
        let columns = header.len().max(1);
        // Figures never wrap: a column is as wide as its longest figure (digits, at most
        // 24), with room for the cell's margins; words take at most 12 characters' width and
        // wrap.
        let mut weights = vec![3usize; columns];
        for row in std::iter::once(&header).chain(rows.iter()) {
            for (w, cell) in weights.iter_mut().zip(row) {
                let text: String = cell.runs.iter().map(|r| r.text.as_str()).collect();
                let prose = !text.is_ascii();
                let len: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                let cap = if prose { 12 } else { 24 };
                *w = (*w).max(len.min(cap).saturating_add(2));
            }
        }
        let total: usize = weights.iter().sum::<usize>().max(1);
        let width = usize::try_from(TEXT_WIDTH).unwrap_or(9412);
        let grid: Vec<usize> = weights
            .iter()
            .map(|w| w.saturating_mul(width) / total)
            .collect();
        self.xml.push_str(
            "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>\
             <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
             </w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        );
        for g in &grid {
            let _ = write!(self.xml, "<w:gridCol w:w=\"{g}\"/>");
        }
        self.xml.push_str("</w:tblGrid>\n");
        let head = header.into_iter().map(|mut c| {
            if c.fill.is_none() {
                c.fill = Some("E8EEF7".to_owned());
            }
            for r in &mut c.runs {
                r.bold = true;
            }
            c
        });
        self.row(head.collect(), &grid, true);
        for row in rows {
            self.row(row, &grid, false);
        }
        self.xml.push_str("</w:tbl>\n");
        self.plain(None, "");
    }

    fn row(&mut self, cells: Vec<WordCell>, grid: &[usize], header: bool) {
        self.xml.push_str("<w:tr>");
        if header {
            self.xml
                .push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        } else {
            self.xml.push_str("<w:trPr><w:cantSplit/></w:trPr>");
        }
        for (cell, w) in cells.iter().zip(grid) {
            let _ = write!(
                self.xml,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
            );
            if let Some(fill) = &cell.fill {
                let _ = write!(
                    self.xml,
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>"
                );
            }
            self.xml
                .push_str("</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>");
            if cell.right {
                self.xml.push_str("<w:jc w:val=\"right\"/>");
            }
            self.xml.push_str("</w:pPr>");
            self.runs(&cell.runs, cell.white);
            self.xml.push_str("</w:p></w:tc>");
        }
        self.xml.push_str("</w:tr>\n");
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(level, runs) => {
                let style = format!("Heading{}", (*level).clamp(1, 3));
                self.paragraph(Some(&style), false, runs);
            }
            Block::Paragraph(runs) => self.paragraph(None, false, runs),
            Block::Table {
                header,
                rows,
                numeric,
            } => {
                let cell = |runs: &Vec<Run>, i: usize| WordCell {
                    runs: runs.clone(),
                    right: numeric.get(i).copied().unwrap_or(false),
                    fill: None,
                    white: false,
                };
                let head = header.iter().enumerate().map(|(i, r)| cell(r, i)).collect();
                let body = rows
                    .iter()
                    .map(|row| row.iter().enumerate().map(|(i, r)| cell(r, i)).collect())
                    .collect();
                self.table(head, body);
            }
        }
    }

    fn added_table(&mut self, table: &Table) {
        let table = table.for_documents();
        let numeric = |k: ColumnKind| !matches!(k, ColumnKind::Text | ColumnKind::Date);
        let head = table
            .columns
            .iter()
            .map(|c| WordCell::text(c.header.clone(), numeric(c.kind), true))
            .collect();
        let rows = table
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, cell)| {
                        WordCell::text(cell.display(c.kind), numeric(c.kind), i >= table.body)
                    })
                    .collect()
            })
            .collect();
        self.table(head, rows);
    }

    /// A chart: its caption, its picture, and its names and figures as a Word table whose
    /// series headers carry the series' colours.
    fn chart(&mut self, n: usize, chart: &ChartData) -> Result<(), OfficeError> {
        let caption = format!("图{n}  {}（{}）", chart.title, chart.unit);
        self.paragraph(
            Some("Caption"),
            true,
            &[Run {
                text: caption,
                bold: true,
            }],
        );
        self.pictures.push(pixels::render(chart)?);
        let id = self.pictures.len();
        let (w, h) = pixels::size();
        let cy = PICTURE_CX.saturating_mul(u64::from(h)) / u64::from(w.max(1));
        let _ = writeln!(
            self.xml,
            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>\
             <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
             <wp:extent cx=\"{PICTURE_CX}\" cy=\"{cy}\"/><wp:docPr id=\"{id}\" name=\"chart{id}\" descr=\"{}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
             <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"chart{id}.png\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"rIdImg{id}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{PICTURE_CX}\" cy=\"{cy}\"/></a:xfrm>\
             <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
             </a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
            escape(&chart.title)
        );
        let stacked = chart.series.len() > 1;
        let mut head = vec![
            WordCell::text("#".to_owned(), true, true),
            WordCell::text(String::new(), false, true),
        ];
        for (i, s) in chart.series.iter().enumerate() {
            head.push(WordCell {
                runs: vec![Run {
                    text: s.name.clone(),
                    bold: true,
                }],
                right: true,
                fill: Some(format!("{:06X}", colour(i))),
                white: true,
            });
        }
        let totals = chart.totals();
        if stacked {
            head.push(WordCell::text("Σ".to_owned(), true, true));
        }
        let rows = chart
            .categories
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mut row = vec![
                    WordCell::text(i.saturating_add(1).to_string(), true, false),
                    WordCell::text(name.clone(), false, false),
                ];
                for s in &chart.series {
                    let v = s.values.get(i).copied().unwrap_or_default();
                    row.push(WordCell::text(v.normalize().to_string(), true, false));
                }
                if stacked {
                    let v = totals.get(i).copied().unwrap_or_default();
                    row.push(WordCell::text(v.normalize().to_string(), true, true));
                }
                row
            })
            .collect();
        self.table(head, rows);
        Ok(())
    }
}

/// The `.docx` bytes of the composed report.
pub(crate) fn render(doc: &Composed<'_>) -> Result<Vec<u8>, OfficeError> {
    let mut body = Body {
        xml: String::new(),
        pictures: Vec::new(),
    };
    let mut charts = 0usize;
    for part in &doc.parts {
        match part {
            Part::Markdown(events) => {
                for b in markdown::blocks(events) {
                    body.block(&b);
                }
            }
            Part::Heading(h) => body.plain(Some("Heading3"), h),
            Part::Paragraph(p) => body.plain(None, p),
            Part::Table(t) => body.added_table(t),
            Part::Charts(list) => {
                for c in list {
                    charts = charts.saturating_add(1);
                    body.chart(charts, c)?;
                }
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>\n{}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1247\" \
         w:bottom=\"1440\" w:left=\"1247\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>\
         </w:body></w:document>",
        body.xml
    );
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
    );
    for i in 1..=body.pictures.len() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rIdImg{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart{i}.png\"/>"
        );
    }
    rels.push_str("</Relationships>");
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>bangfu</dc:creator></cp:coreProperties>",
        escape(&doc.title)
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options)?;
        zip.write_all(bytes)?;
    }
    zip.start_file("word/document.xml", options)?;
    zip.write_all(document.as_bytes())?;
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, png) in body.pictures.iter().enumerate() {
        zip.start_file(
            format!("word/media/chart{}.png", i.saturating_add(1)),
            stored,
        )?;
        zip.write_all(png)?;
    }
    Ok(zip.finish()?.into_inner())
}
