//! The report's Markdown (`render_report`) read as events: split at its level-2 headings
//! for the HTML, and turned into blocks (headings, paragraphs, tables of runs) for Word.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The events of `md`, tables on.
pub(crate) fn parse(md: &str) -> Vec<Event<'_>> {
    Parser::new_ext(md, Options::ENABLE_TABLES).collect()
}

/// The positions of the level-2 headings (一、… 六、, 附件2).
pub(crate) fn h2_starts(events: &[Event<'_>]) -> Vec<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    ..
                })
            )
        })
        .map(|(i, _)| i)
        .collect()
}

/// The text of the first level-1 heading (the report's title).
pub(crate) fn title(events: &[Event<'_>]) -> String {
    let mut inside = false;
    let mut out = String::new();
    for e in events {
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => inside = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => break,
            Event::Text(t) | Event::Code(t) if inside => out.push_str(t),
            _ => {}
        }
    }
    out
}

/// A run of text, bold or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) text: String,
    pub(crate) bold: bool,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A heading of level 1 to 6.
    Heading(u8, Vec<Run>),
    /// A paragraph (a list item is one, with its bullet or number).
    Paragraph(Vec<Run>),
    /// A table: the header row, the rows, each cell's runs, and the columns' alignment.
    Table {
        header: Vec<Vec<Run>>,
        rows: Vec<Vec<Vec<Run>>>,
        numeric: Vec<bool>,
    },
}

/// Where the walker is.
#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    runs: Vec<Run>,
    bold: u32,
    /// Ordered list counters (None for a bullet list).
    lists: Vec<Option<u64>>,
    heading: Option<u8>,
    table: Option<TableBuild>,
}

#[derive(Default)]
struct TableBuild {
    header: Vec<Vec<Run>>,
    rows: Vec<Vec<Vec<Run>>>,
    row: Vec<Vec<Run>>,
    numeric: Vec<bool>,
    in_head: bool,
}

impl Walk {
    fn text(&mut self, s: &str) {
        let bold = self.bold > 0;
        match self.runs.last_mut() {
            Some(r) if r.bold == bold => r.text.push_str(s),
            _ => self.runs.push(Run {
                text: s.to_owned(),
                bold,
            }),
        }
    }

    fn flush_paragraph(&mut self) {
        let runs = core::mem::take(&mut self.runs);
        if !runs.iter().all(|r| r.text.trim().is_empty()) {
            self.blocks.push(Block::Paragraph(runs));
        }
    }

    fn event(&mut self, e: &Event<'_>) {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some(*level as u8);
                self.runs.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = self.heading.take().unwrap_or(1);
                let runs = core::mem::take(&mut self.runs);
                self.blocks.push(Block::Heading(level, runs));
            }
            Event::End(TagEnd::Paragraph) if self.lists.is_empty() => self.flush_paragraph(),
            Event::Start(Tag::List(start)) => self.lists.push(*start),
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.runs.clear();
                let prefix = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let p = format!("{n}. ");
                        *n = n.saturating_add(1);
                        p
                    }
                    _ => "• ".to_owned(),
                };
                self.text(&prefix);
            }
            Event::End(TagEnd::Item) => self.flush_paragraph(),
            Event::Start(Tag::Strong) => self.bold = self.bold.saturating_add(1),
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Table(align)) => {
                self.table = Some(TableBuild {
                    numeric: align.iter().map(|a| *a == Alignment::Right).collect(),
                    ..TableBuild::default()
                });
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut self.table {
                    t.header = core::mem::take(&mut t.row);
                    t.in_head = false;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut self.table {
                    let row = core::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            Event::Start(Tag::TableCell) => self.runs.clear(),
            Event::End(TagEnd::TableCell) => {
                let runs = core::mem::take(&mut self.runs);
                if let Some(t) = &mut self.table {
                    t.row.push(runs);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.blocks.push(Block::Table {
                        header: t.header,
                        rows: t.rows,
                        numeric: t.numeric,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => self.text(t),
            Event::InlineHtml(t) | Event::Html(t) => {
                // The report writes `&emsp;` to indent English indicator names.
                let t = t.replace("&emsp;", "\u{2003}");
                self.text(&t);
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            _ => {}
        }
    }
}

/// The blocks of `events`.
pub(crate) fn blocks(events: &[Event<'_>]) -> Vec<Block> {
    let mut w = Walk::default();
    for e in events {
        w.event(e);
    }
    w.flush_paragraph();
    w.blocks
}
