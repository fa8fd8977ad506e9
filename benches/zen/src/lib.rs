//! bangfu's aid calculators side by side with zen-engine (GoRules' JDM engine) on the same
//! rules: the OpenFisca peer's medical and living aid (`crates/bangfu-aid/data/
//! openfisca-peer.toml` for bangfu, `data/medical.json` and `data/living.json` for zen).
//! The bench is `benches/zen.rs`; this package is outside the root workspace.

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// The peer's aid section and its citations.
pub const PEER_AID_TOML: &str = include_str!("../../../crates/bangfu-aid/data/openfisca-peer.toml");
/// The medical rule as a JDM decision.
pub const MEDICAL_JDM: &str = include_str!("../data/medical.json");
/// The living-aid rule as a JDM decision.
pub const LIVING_JDM: &str = include_str!("../data/living.json");

/// The aid section of a policy file and its citations.
#[derive(Debug, serde::Deserialize)]
pub struct AidFile {
    /// The section.
    pub aid: bangfu_aid::AidPolicy,
    /// The citations.
    pub citations: bangfu_core::Citations,
}

/// Runs a future that never waits on I/O (zen's evaluation of expression nodes) to its end
/// on this thread, polling with a no-op waker: no async runtime is needed.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}
