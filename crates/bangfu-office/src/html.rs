//! The composed report as one self-contained HTML page: the report's Markdown rendered by
//! pulldown-cmark, the added tables, the charts as inline SVG, the styles inline with an A4
//! print stylesheet. Nothing is fetched: no script, no font, no image from elsewhere.

use core::fmt::Write as _;

use pulldown_cmark::Event;

use crate::report::{Composed, Part};
use crate::table::{ColumnKind, Table};

/// Escapes text for HTML.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's styles: on screen, and on A4 paper.
const STYLE: &str = r#"
:root { color-scheme: light; }
body { margin: 0; background: #f3f3f3; color: #111;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, "Noto Serif", serif;
  font-size: 15px; line-height: 1.7; }
main { max-width: 210mm; margin: 24px auto; padding: 20mm 18mm; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.15); box-sizing: border-box; }
h1 { font-size: 1.6em; text-align: center; line-height: 1.4; margin: 0 0 1em; }
h2 { font-size: 1.25em; margin: 1.6em 0 .6em;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", SimHei, sans-serif; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
p { margin: .4em 0; text-align: justify; }
ul, ol { padding-left: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: .8em; line-height: 1.4; }
th, td { border: 1px solid #777; padding: 3px 5px; vertical-align: top; overflow-wrap: anywhere; }
table.figures td:first-child, table.figures th:first-child { width: 9em; }
th { background: #e8eef7; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; background: #f6f6f6; }
figure { margin: 1em 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85em; color: #444; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// An added table as HTML: numbers right-aligned, the rows after the data bold.
fn table(t: &Table) -> String {
    let t = &t.for_documents();
    let numeric = |k: ColumnKind| !matches!(k, ColumnKind::Text | ColumnKind::Date);
    let mut s = if t.columns.iter().any(|c| c.kind == ColumnKind::Figures) {
        String::from("<table class=\"figures\">\n<thead><tr>")
    } else {
        String::from("<table>\n<thead><tr>")
    };
    for c in &t.columns {
        let class = if numeric(c.kind) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(s, "<th{class}>{}</th>", escape(&c.header));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in t.rows.iter().enumerate() {
        s.push_str(if i < t.body {
            "<tr>"
        } else {
            "<tr class=\"total\">"
        });
        for (c, cell) in t.columns.iter().zip(row) {
            let class = if numeric(c.kind) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(s, "<td{class}>{}</td>", escape(&cell.display(c.kind)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// The page.
pub(crate) fn render(doc: &Composed<'_>) -> String {
    let lang = match doc.lang {
        bangfu_core::Lang::Zh => "zh-CN",
        bangfu_core::Lang::En => "en",
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&doc.title)
    );
    for part in &doc.parts {
        match part {
            Part::Markdown(events) => {
                // Raw HTML in the report's text (a narrative from a data file) is shown as
                // text, never passed through: the page loads nothing and runs nothing.
                let safe = events.iter().cloned().map(|e| match e {
                    Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
                    other => other,
                });
                pulldown_cmark::html::push_html(&mut s, safe);
            }
            Part::Heading(h) => {
                let _ = writeln!(s, "<h3>{}</h3>", escape(h));
            }
            Part::Paragraph(p) => {
                let _ = writeln!(s, "<p>{}</p>", escape(p));
            }
            Part::Table(t) => s.push_str(&table(t)),
            Part::Charts(charts) => {
                for c in charts {
                    let _ = writeln!(
                        s,
                        "<figure>{}<figcaption>{}（{}）</figcaption></figure>",
                        crate::svg::render(c),
                        escape(&c.title),
                        escape(&c.unit)
                    );
                }
            }
        }
    }
    s.push_str("</main>\n</body>\n</html>\n");
    s
}
