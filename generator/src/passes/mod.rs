//! Passes over the IR, run in order after lowering: break cycles, decide how responses and
//! parameters are encoded, then name everything. Each pass may add warnings; none fails.

mod cycles;
mod naming;
mod params;
mod responses;

use crate::diagnostics::Diagnostics;
use crate::ir::Api;

/// Runs every pass.
pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    cycles::run(api, diags);
    responses::run(api, diags);
    params::run(api, diags);
    naming::run(api, diags);
}
