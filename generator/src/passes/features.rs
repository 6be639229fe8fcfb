//! Features: which Cargo features compile each type, so that a crate compiles only the parts
//! of a large API its user enables.
//!
//! Every group is a feature, and so are the webhooks' payloads (`webhooks`) and the schemas
//! nothing uses (`unused-schemas`). A type is compiled when an enabled feature reaches it
//! through the reference graph: the types a group's operations mention, and everything those
//! hold. A type every group reaches needs no gate, and neither does any type of an API without
//! operations. `default` enables everything for an API of at most `DEFAULT_ALL_LIMIT`
//! operations and nothing for a larger one, whose user picks the groups they call.

use super::graph::Numbering;
use crate::ir::{Api, TypeDef, UNUSED, WEBHOOKS};

/// The most operations an API may have for `default` to enable every group. Above it, a user
/// enables the groups they call (an API of 1,223 operations took minutes to check whole,
/// `generator/PERFORMANCE.md`).
pub const DEFAULT_ALL_LIMIT: usize = 300;

pub fn run(api: &mut Api) {
    let group_count = api.groups.len();
    let reach = reach(api);
    let has_operations = !api.operations.is_empty();
    let mut webhooks_used = false;
    let mut unused_used = false;
    // The features of each group, by index: a type reached through a group's operations needs
    // that group's own feature.
    let features: Vec<String> = api.groups.iter().map(|g| g.feature.clone()).collect();
    // Groups that have operations of their own: the features a type must be reached by all of
    // to need no gate.
    let mut with_operations = vec![false; group_count];
    for op in api.operations.values() {
        if let Some(flag) = with_operations.get_mut(op.group) {
            *flag = true;
        }
    }
    let needed = with_operations.iter().filter(|f| **f).count();
    for (def, reached) in api.types.values_mut().zip(reach) {
        let groups = reached
            .groups
            .iter()
            .filter(|&&g| with_operations[g])
            .count();
        def.features = if !has_operations || (needed > 0 && groups == needed) {
            Vec::new()
        } else {
            let mut gate: Vec<String> = reached
                .groups
                .iter()
                .map(|&g| features[g].clone())
                .collect();
            if reached.webhooks {
                webhooks_used = true;
                gate.push(WEBHOOKS.to_owned());
            }
            if reached.unused {
                unused_used = true;
                gate.push(UNUSED.to_owned());
            }
            gate.sort();
            gate
        };
    }
    api.features.webhooks = webhooks_used.then(|| WEBHOOKS.to_owned());
    api.features.unused = unused_used.then(|| UNUSED.to_owned());
    api.features.default = if api.operations.len() <= DEFAULT_ALL_LIMIT {
        api.api_features()
    } else {
        Vec::new()
    };
}

/// What reaches one type: groups (by index, ascending), the webhooks, and the schemas nothing
/// else reaches.
#[derive(Default)]
struct Reached {
    groups: Vec<usize>,
    webhooks: bool,
    unused: bool,
}

/// For each type (in `api.types` order), the groups whose operations reach it, and whether a
/// webhook's payload does.
fn reach(api: &Api) -> Vec<Reached> {
    let numbers = Numbering::new(api);
    let types: Vec<&TypeDef> = api.types.values().collect();
    let edges = numbers.references(types.iter().copied());
    let mut roots: Vec<Vec<usize>> = vec![Vec::new(); api.groups.len()];
    for op in api.operations.values() {
        if let Some(group_roots) = roots.get_mut(op.group) {
            for shape in op.shapes() {
                numbers.refs_anywhere(shape, group_roots);
            }
        }
    }
    let mut reached: Vec<Reached> = (0..types.len()).map(|_| Reached::default()).collect();
    let mut seen = vec![usize::MAX; types.len()];
    for (group, group_roots) in roots.into_iter().enumerate() {
        walk(&edges, group_roots, &mut seen, group, &mut |t| {
            reached[t].groups.push(group)
        });
    }
    let mut webhook_roots = Vec::new();
    for shape in &api.webhooks {
        numbers.refs_anywhere(shape, &mut webhook_roots);
    }
    let marker = api.groups.len();
    walk(&edges, webhook_roots, &mut seen, marker, &mut |t| {
        reached[t].webhooks = true
    });
    // The schemas nothing reaches are compiled by `unused-schemas`, and so is what they hold.
    let unused_roots: Vec<usize> = (0..types.len())
        .filter(|&t| reached[t].groups.is_empty() && !reached[t].webhooks)
        .collect();
    walk(&edges, unused_roots, &mut seen, marker + 1, &mut |t| {
        reached[t].unused = true
    });
    reached
}

/// Visits every type reachable from `stack` once for this `mark` (`seen` holds the last mark
/// that visited each type).
fn walk(
    edges: &[Vec<usize>],
    mut stack: Vec<usize>,
    seen: &mut [usize],
    mark: usize,
    visit: &mut impl FnMut(usize),
) {
    while let Some(t) = stack.pop() {
        if seen[t] == mark {
            continue;
        }
        seen[t] = mark;
        visit(t);
        stack.extend(edges[t].iter().copied().filter(|&n| seen[n] != mark));
    }
}
