//! Graphs over the API's named types, by number: each type is numbered by its place in
//! `api.types` (pointer order), so the passes that walk references compare and store numbers
//! rather than pointers, and number order is pointer order.

use std::collections::BTreeMap;

use crate::ir::{Api, Shape, TypeDef};
use crate::pointer::Pointer;

/// The numbering of the types of an `Api`.
pub(super) struct Numbering<'a> {
    numbers: BTreeMap<&'a Pointer, usize>,
}

impl<'a> Numbering<'a> {
    pub fn new(api: &'a Api) -> Self {
        Self::from_keys(api.types.keys())
    }

    /// The numbering of `api.types` given its keys in order (for a pass that holds the types
    /// mutably).
    pub fn from_keys(keys: impl Iterator<Item = &'a Pointer>) -> Self {
        Numbering {
            numbers: keys.enumerate().map(|(i, at)| (at, i)).collect(),
        }
    }

    /// The number of the type at `at`, if there is one.
    pub fn of(&self, at: &Pointer) -> Option<usize> {
        self.numbers.get(at).copied()
    }

    /// The numbers of the types `shape` mentions at any depth, in order, each time it does
    /// (references to types that do not exist are left out).
    pub fn refs_anywhere(&self, shape: &Shape, out: &mut Vec<usize>) {
        match shape {
            Shape::Ref(at) => out.extend(self.of(at)),
            other => {
                for child in other.children() {
                    self.refs_anywhere(child, out);
                }
            }
        }
    }

    /// Every type each type mentions, in any of its shapes; `types` are the numbered types,
    /// in order.
    pub fn references<'d>(&self, types: impl Iterator<Item = &'d TypeDef>) -> Vec<Vec<usize>> {
        types
            .map(|def| {
                let mut targets = Vec::new();
                for shape in def.kind.shapes() {
                    self.refs_anywhere(shape, &mut targets);
                }
                targets
            })
            .collect()
    }
}

/// Tarjan's strongly connected components of the graph whose node `i` has the edges
/// `edges[i]`, iteratively (specs can nest deeper than the stack allows for recursion). Every
/// component comes out after the components it has edges to; roots are taken in number order
/// and members are sorted, so the result depends on the graph only.
pub(super) fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and the position of the next edge to look at.
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        on_stack[root] = true;
        stack.push(root);
        next_index += 1;
        while let Some((node, edge)) = frames.last_mut() {
            let node = *node;
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    on_stack[next] = true;
                    stack.push(next);
                    next_index += 1;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if index[node] == low[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_small_graph() {
        // 0 <-> 1 -> 2 -> 2, and 3 alone.
        let edges = vec![vec![1], vec![0, 2], vec![2], vec![]];
        assert_eq!(
            strongly_connected(&edges),
            vec![vec![2], vec![0, 1], vec![3]],
            "a component comes after those it refers to"
        );
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let components = strongly_connected(&edges);
        assert_eq!(components.len(), n);
        assert_eq!(
            components[0],
            vec![n - 1],
            "the end of the chain comes first"
        );
    }

    #[test]
    fn a_large_cycle_is_one_component() {
        let n = 50_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        assert_eq!(strongly_connected(&edges), vec![(0..n).collect::<Vec<_>>()]);
    }
}
