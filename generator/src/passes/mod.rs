//! Passes over the IR, run in order after lowering: apply the user's configuration, break
//! cycles, bound how deep types nest,
//! decide what responses decode into, which operations stream their pages, what requests check
//! before they are sent, which required fields can hold one value only, which way each type
//! travels, which group each operation is in, then name everything, decide which Cargo
//! features compile each type, and record which operations send or receive each type whole
//! (for its docs). Each pass may add warnings; none fails.

mod customize;
mod cycles;
mod directions;
mod features;
mod fixed;
mod graph;
mod groups;
mod naming;
mod nesting;
mod pagination;
mod responses;
mod uses;
mod validation;

pub use naming::{HANDLE_METHODS, client_methods};

use crate::diagnostics::Diagnostics;
use crate::ir::Api;
use crate::settings::Customize;

/// Runs every pass, the user's `custom`isations first.
/// With a `pool`, work that is independent within a pass runs on its threads (the result does
/// not depend on it).
pub fn run(
    api: &mut Api,
    diags: &mut Diagnostics,
    pool: Option<&rayon::ThreadPool>,
    custom: &Customize,
) {
    customize::run(api, custom, diags);
    cycles::run(api, diags);
    nesting::run(api, diags);
    responses::run(api);
    pagination::run(api, diags);
    validation::run(api);
    fixed::run(api);
    directions::run(api);
    groups::run(api);
    naming::run(api, diags, pool);
    features::run(api);
    uses::run(api);
}
