//! A table as CSV: UTF-8 with a byte order mark (so that Excel and WPS open the Chinese
//! text right), a header line, `\n` line ends, RFC 4180 quoting; numbers exact, money in the
//! column's unit, percentages as the number of percent.

use crate::OfficeError;
use crate::table::Table;

/// The byte order mark written first.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// The CSV text of `table`.
pub(crate) fn write(table: &Table) -> Result<Vec<u8>, OfficeError> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(BOM.to_vec());
    out.write_record(table.columns.iter().map(|c| c.header.as_str()))?;
    for row in &table.rows {
        out.write_record(table.columns.iter().enumerate().map(|(i, c)| {
            row.get(i)
                .map_or_else(String::new, |cell| cell.text(c.kind))
        }))?;
    }
    out.into_inner()
        .map_err(|e| OfficeError::Io(std::io::Error::other(e.to_string())))
}
