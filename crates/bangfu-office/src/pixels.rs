//! A chart as a PNG picture for the Word report, drawn here into a pixel buffer: the
//! columns, the value axis with its ticks, the values above the columns and the number of
//! each category under it. The words of the chart (its title, the category and series
//! names) are Word text beside the picture, so that the picture needs only digits, drawn
//! from a 5×7 bitmap font kept here: no font file is read, and any script shows in Word.

// Pixel positions only: the values are exact decimals until they become coordinates.
#![allow(clippy::float_arithmetic)]

use crate::OfficeError;
use crate::chart::geometry::{HEIGHT, PLOT, WIDTH, layout};
use crate::chart::{ChartData, colour};

/// Pixels per logical pixel.
const SCALE: f64 = 2.0;

/// An RGB pixel buffer.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Canvas {
        Canvas {
            width,
            height,
            pixels: vec![0xFF; width.saturating_mul(height).saturating_mul(3)],
        }
    }

    /// Fills the rectangle of logical coordinates, clipped to the canvas.
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, rgb: u32) {
        let clip = |v: f64, max: usize| -> usize {
            let v = (v * SCALE).round();
            if v <= 0.0 { 0 } else { (v as usize).min(max) }
        };
        let (x0, x1) = (clip(x, self.width), clip(x + w, self.width));
        let (y0, y1) = (clip(y, self.height), clip(y + h, self.height));
        let [_, r, g, b] = rgb.to_be_bytes();
        for row in y0..y1 {
            let start = row
                .saturating_mul(self.width)
                .saturating_add(x0)
                .saturating_mul(3);
            let end = row
                .saturating_mul(self.width)
                .saturating_add(x1)
                .saturating_mul(3);
            if let Some(line) = self.pixels.get_mut(start..end) {
                for px in line.chunks_exact_mut(3) {
                    px.copy_from_slice(&[r, g, b]);
                }
            }
        }
    }

    /// Draws `text` (digits, `.`, `-`, `%`, `,`) centred on x or ending at x, its baseline
    /// at y, in logical coordinates; other characters are skipped.
    fn text(&mut self, x: f64, y: f64, text: &str, anchor: Anchor, rgb: u32) {
        const DOT: f64 = 1.0; // one font pixel, in logical pixels
        let glyphs: Vec<&[u8; 7]> = text.chars().filter_map(glyph).collect();
        let advance = 6.0 * DOT;
        let total = glyphs.len() as f64 * advance - DOT;
        let start = match anchor {
            Anchor::Middle => x - total / 2.0,
            Anchor::End => x - total,
        };
        for (i, g) in glyphs.iter().enumerate() {
            let gx = start + i as f64 * advance;
            for (row, bits) in g.iter().enumerate() {
                for col in 0..5u8 {
                    if bits & (0x10 >> col) != 0 {
                        let px = gx + f64::from(col) * DOT;
                        let py = y - 7.0 * DOT + row as f64 * DOT;
                        self.rect(px, py, DOT, DOT, rgb);
                    }
                }
            }
        }
    }

    fn png(&self) -> Result<Vec<u8>, OfficeError> {
        let mut out = Vec::new();
        {
            let w = u32::try_from(self.width).unwrap_or(u32::MAX);
            let h = u32::try_from(self.height).unwrap_or(u32::MAX);
            let mut encoder = png::Encoder::new(&mut out, w, h);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            // 144 dpi: the picture is drawn at twice the size it is shown.
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: 5669,
                yppu: 5669,
                unit: png::Unit::Meter,
            }));
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&self.pixels)?;
            writer.finish()?;
        }
        Ok(out)
    }
}

#[derive(Clone, Copy)]
enum Anchor {
    Middle,
    End,
}

/// The 5×7 glyph of a character (rows top down, five bits each, the leftmost the highest).
fn glyph(c: char) -> Option<&'static [u8; 7]> {
    const DIGITS: [[u8; 7]; 10] = [
        [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
    ];
    const DOT: [u8; 7] = [0, 0, 0, 0, 0, 0x0C, 0x0C];
    const MINUS: [u8; 7] = [0, 0, 0, 0x1F, 0, 0, 0];
    const PERCENT: [u8; 7] = [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03];
    const COMMA: [u8; 7] = [0, 0, 0, 0, 0x0C, 0x04, 0x08];
    match c {
        '0'..='9' => c
            .to_digit(10)
            .and_then(|d| DIGITS.get(usize::try_from(d).ok()?)),
        '.' => Some(&DOT),
        '-' => Some(&MINUS),
        '%' => Some(&PERCENT),
        ',' => Some(&COMMA),
        _ => None,
    }
}

/// The size of a chart picture in pixels.
pub(crate) fn size() -> (u32, u32) {
    ((WIDTH * SCALE) as u32, (HEIGHT * SCALE) as u32)
}

/// The PNG picture of `data`: columns, axis and digits; the category under each column is
/// its number (1, 2, …) in the chart's table of names.
pub(crate) fn render(data: &ChartData) -> Result<Vec<u8>, OfficeError> {
    let l = layout(data);
    let (left, _top, right, bottom) = PLOT;
    let (w, h) = size();
    let mut c = Canvas::new(
        usize::try_from(w).unwrap_or(0),
        usize::try_from(h).unwrap_or(0),
    );
    for (y, label) in &l.ticks {
        c.rect(left, *y, right - left, 0.5, 0xD9D9D9);
        c.text(left - 6.0, y + 3.5, label, Anchor::End, 0x404040);
    }
    c.rect(left, bottom, right - left, 1.0, 0x595959);
    for (i, g) in l.groups.iter().enumerate() {
        for seg in &g.segments {
            c.rect(seg.x, seg.y, seg.w, seg.h, colour(seg.series));
        }
        for (x, y, text) in &g.labels {
            c.text(*x, *y, text, Anchor::Middle, 0x000000);
        }
        let n = i.saturating_add(1).to_string();
        c.text(g.centre, bottom + 16.0, &n, Anchor::Middle, 0x000000);
    }
    c.png()
}
