//! Progress of long runs on standard error (进度): a bar with the count, the rate and the time
//! left, drawn only when standard error is a terminal (indicatif's own test), so pipes, files
//! and CI see nothing and the output on standard output is the same either way.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` units named `what` (records, bytes), or a counter with its rate when the
/// length is unknown.
pub(crate) fn bar(len: Option<u64>, what: &str) -> ProgressBar {
    let (bar, template) = match len {
        Some(n) => (
            ProgressBar::new(n),
            format!(
                "{{elapsed_precise}} [{{bar:40}}] {{human_pos}}/{{human_len}} {what} {{per_sec}} eta {{eta}}"
            ),
        ),
        None => (
            ProgressBar::no_length(),
            format!("{{elapsed_precise}} {{human_pos}} {what} {{per_sec}}"),
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
