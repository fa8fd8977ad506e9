//! One policy file from the sections the library crates ship.
//!
//! Each crate exports its section of a jurisdiction's policy file as a `&str` constant
//! (`bangfu_funding::HAINAN_2018_POLICY_TOML`, …), so that a packaged crate embeds only its
//! own files. `concat!` joins literals only, so [`join_sections!`] joins the constants in a
//! `const fn`, which the compiler evaluates: the result is one `&'static str`, as if written
//! out.

/// A year directory's files by name, from (name, text) pairs.
pub(crate) fn files(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, Vec<u8>> {
    pairs
        .iter()
        .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
        .collect()
}

/// The length of `parts` joined with a newline between each two.
pub(crate) const fn joined_len(parts: &[&str]) -> usize {
    let mut len = 0;
    let mut rest = parts;
    while let [part, tail @ ..] = rest {
        len += part.len();
        if !tail.is_empty() {
            len += 1;
        }
        rest = tail;
    }
    len
}

/// `parts` joined with a newline between each two, as bytes; `N` is [`joined_len`].
///
/// Only ever evaluated by the compiler (in a `const` item): a wrong `N` is a build error.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn join<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut rest = parts;
    while let [part, tail @ ..] = rest {
        let mut bytes = part.as_bytes();
        while let [byte, more @ ..] = bytes {
            out[at] = *byte;
            at += 1;
            bytes = more;
        }
        if !tail.is_empty() {
            out[at] = b'\n';
            at += 1;
        }
        rest = tail;
    }
    out
}

/// `join_sections!(a, b, …)`: the `&'static str` constants `a`, `b`, … joined with a newline
/// between each two, computed at compile time (what `concat!(a, "\n", b, …)` would give if
/// `concat!` took constants).
macro_rules! join_sections {
    ($($part:expr),+ $(,)?) => {{
        const PARTS: &[&str] = &[$($part),+];
        const BYTES: [u8; $crate::embed::joined_len(PARTS)] = $crate::embed::join(PARTS);
        match ::core::str::from_utf8(&BYTES) {
            Ok(text) => text,
            // Joining whole `str`s with '\n' cannot split a character; were it ever to, this
            // is evaluated by the compiler, so it would fail the build, never a caller.
            #[allow(clippy::panic)]
            Err(_) => panic!("joined sections are not UTF-8"),
        }
    }};
}
pub(crate) use join_sections;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    #[test]
    fn joins_like_concat() {
        const JOINED: &str = join_sections!("a", "", "bc", "猫");
        assert_eq!(JOINED, concat!("a", "\n", "", "\n", "bc", "\n", "猫"));
        const ONE: &str = join_sections!("only");
        assert_eq!(ONE, "only");
    }

    #[test]
    fn policy_files_are_their_sections_joined() {
        let parts = [
            include_str!("../data/hainan-2018/meta.toml"),
            bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML,
            bangfu_funding::HAINAN_2018_POLICY_TOML,
            bangfu_eligibility::HAINAN_2018_POLICY_TOML,
            bangfu_aid::HAINAN_2018_POLICY_TOML,
            bangfu_scoring::POLICY,
        ];
        assert_eq!(crate::hainan2018::POLICY_TOML, parts.join("\n"));
    }
}
