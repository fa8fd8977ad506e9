//! A chart as inline SVG for the HTML report: columns, the value axis, the values above the
//! columns, the categories under them and a legend; the text in the page's fonts.

// Pixel positions only: the values are exact decimals until they become coordinates.
#![allow(clippy::float_arithmetic)]

use core::fmt::Write as _;

use crate::chart::geometry::{HEIGHT, PLOT, WIDTH, layout};
use crate::chart::{ChartData, colour};
use crate::html::escape;

/// The SVG element of `data`.
pub(crate) fn render(data: &ChartData) -> String {
    let l = layout(data);
    let (left, top, right, bottom) = PLOT;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-size="12">"#,
        escape(&data.title)
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="20" text-anchor="middle" font-size="15" font-weight="bold">{}</text>"#,
        WIDTH / 2.0,
        escape(&data.title)
    );
    let _ = write!(
        s,
        r##"<text x="{left}" y="{}" text-anchor="start" fill="#444">{}</text>"##,
        top - 8.0,
        escape(&data.unit)
    );
    for (y, label) in &l.ticks {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}" stroke="#d9d9d9"/><text x="{}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            left - 6.0,
            y + 4.0,
            escape(label)
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#595959"/>"##
    );
    for (g, name) in l.groups.iter().zip(&data.categories) {
        for seg in &g.segments {
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#{:06X}"/>"##,
                seg.x,
                seg.y,
                seg.w,
                seg.h,
                colour(seg.series)
            );
        }
        for (x, y, text) in &g.labels {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="11">{}</text>"#,
                escape(text)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            g.centre,
            bottom + 18.0,
            escape(name)
        );
    }
    if data.series.len() > 1 {
        let n = data.series.len();
        let slot = (right - left) / n as f64;
        for (i, series) in data.series.iter().enumerate() {
            let x = left + slot * i as f64;
            let y = HEIGHT - 22.0;
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="#{:06X}"/><text x="{:.1}" y="{y:.1}">{}</text>"##,
                y - 10.0,
                colour(i),
                x + 16.0,
                escape(&series.name)
            );
        }
    }
    s.push_str("</svg>");
    s
}
