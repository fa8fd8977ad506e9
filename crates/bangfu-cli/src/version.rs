//! `bangfu --version [--policy FILE]`: the version of bangfu, and the policy file's stamp
//! (its id `jurisdiction@version` and the SHA-256 of its text): the embedded Hainan 2018
//! policy's, or FILE's.

use bangfu::PolicyStamp;
use bangfu::core::Lang;

use crate::cli::tr;
use crate::failure::Failure;
use crate::io::{in_file, read};

/// The version lines.
pub(crate) fn run(policy: Option<&str>, lang: Lang) -> Result<String, Failure> {
    let (stamp, source) = match policy {
        Some(path) => {
            let text = read(path)?;
            let policy = bangfu::Policy::from_toml(&text).map_err(in_file(path))?;
            (PolicyStamp::of(&policy, &text), path.to_owned())
        }
        None => (
            PolicyStamp::of(
                &bangfu::hainan2018::policy()?,
                bangfu::hainan2018::POLICY_TOML,
            ),
            tr(lang, "内置：海南省2018年度", "embedded: Hainan 2018").to_owned(),
        ),
    };
    Ok(format!(
        "bangfu {}\n{} {} ({source})\nsha256 {}\n",
        env!("CARGO_PKG_VERSION"),
        tr(lang, "政策", "policy"),
        stamp.id,
        stamp.sha256
    ))
}
