//! Cycles: boxes struct fields that would give a type infinite size, and replaces aliases that
//! refer to themselves (which Rust rejects) with untyped JSON.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Shape, TypeKind};
use crate::pointer::Pointer;

pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    break_alias_cycles(api, diags);
    box_recursive_fields(api);
}

/// `type A = Vec<A>;` and `type A = B; type B = A;` do not compile: such aliases become
/// `serde_json::Value`.
fn break_alias_cycles(api: &mut Api, diags: &mut Diagnostics) {
    let mut graph: BTreeMap<Pointer, Vec<Pointer>> = BTreeMap::new();
    for (at, def) in &api.types {
        if let TypeKind::Alias(shape) = &def.kind {
            let mut targets = Vec::new();
            refs_anywhere(shape, &mut targets);
            targets
                .retain(|t| matches!(api.types.get(t).map(|d| &d.kind), Some(TypeKind::Alias(_))));
            graph.insert(at.clone(), targets);
        }
    }
    for component in strongly_connected(&graph) {
        let cyclic = component.len() > 1 || graph[&component[0]].contains(&component[0]);
        if !cyclic {
            continue;
        }
        for at in component {
            diags.warning(&at, "this schema refers to itself only through aliases, which Rust cannot express; generated as untyped JSON (`serde_json::Value`)");
            if let Some(def) = api.types.get_mut(&at) {
                def.kind = TypeKind::Alias(Shape::Any);
                api.stats.untyped += 1;
            }
        }
    }
}

/// A struct field (or union variant) whose type contains its own type by value (directly or
/// through other types and aliases) is boxed. Only edges that are not already behind an
/// indirection (`Vec`, map, `Box`) count.
fn box_recursive_fields(api: &mut Api) {
    let mut graph: BTreeMap<Pointer, Vec<Pointer>> = BTreeMap::new();
    for (at, def) in &api.types {
        let mut targets = Vec::new();
        for shape in by_value_shapes(&def.kind) {
            direct_ref(shape, &mut targets);
        }
        graph.insert(at.clone(), targets);
    }
    let mut component_of: BTreeMap<Pointer, usize> = BTreeMap::new();
    for (i, component) in strongly_connected(&graph).into_iter().enumerate() {
        for at in component {
            component_of.insert(at, i);
        }
    }
    for (at, def) in api.types.iter_mut() {
        let shapes: Vec<&mut Shape> = match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.shape).collect(),
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.shape).collect(),
            TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
        };
        for shape in shapes {
            let mut targets = Vec::new();
            direct_ref(shape, &mut targets);
            if targets
                .iter()
                .any(|t| component_of.get(t) == component_of.get(at))
            {
                box_shape(shape);
            }
        }
    }
}

/// Every type each type mentions, in any of its shapes.
pub(super) fn reference_graph(api: &Api) -> BTreeMap<Pointer, Vec<Pointer>> {
    let mut graph = BTreeMap::new();
    for (at, def) in &api.types {
        let mut targets = Vec::new();
        for shape in def.kind.shapes() {
            refs_anywhere(shape, &mut targets);
        }
        graph.insert(at.clone(), targets);
    }
    graph
}

/// The shapes a type holds by value: struct fields, union variants, an alias's target.
fn by_value_shapes(kind: &TypeKind) -> Vec<&Shape> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.shape).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
        TypeKind::Alias(shape) => vec![shape],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The type a shape holds by value, seen through `Option`.
fn direct_ref(shape: &Shape, out: &mut Vec<Pointer>) {
    match shape {
        Shape::Ref(p) => out.push(p.clone()),
        Shape::Nullable(inner) => direct_ref(inner, out),
        // A tuple holds its items by value.
        Shape::Tuple(items) => items.iter().for_each(|item| direct_ref(item, out)),
        _ => {}
    }
}

/// Every type a shape mentions, at any depth.
fn refs_anywhere(shape: &Shape, out: &mut Vec<Pointer>) {
    match shape {
        Shape::Ref(p) => out.push(p.clone()),
        other => {
            for child in other.children() {
                refs_anywhere(child, out);
            }
        }
    }
}

/// Wraps the by-value reference in a `Box`, inside any `Option`.
fn box_shape(shape: &mut Shape) {
    match shape {
        Shape::Nullable(inner) => box_shape(inner),
        Shape::Ref(_) => *shape = Shape::Boxed(Box::new(shape.clone())),
        Shape::Tuple(items) => items.iter_mut().for_each(box_shape),
        _ => {}
    }
}

/// Tarjan's strongly connected components, iteratively (specs can nest deeper than the stack
/// allows for recursion). Components and their members come out in a deterministic order.
pub(super) fn strongly_connected(graph: &BTreeMap<Pointer, Vec<Pointer>>) -> Vec<Vec<Pointer>> {
    struct NodeState {
        index: usize,
        low: usize,
        on_stack: bool,
    }
    let mut state: BTreeMap<&Pointer, NodeState> = BTreeMap::new();
    let mut stack: Vec<&Pointer> = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;
    for root in graph.keys() {
        if state.contains_key(root) {
            continue;
        }
        // Each frame: a node and the position of the next edge to look at.
        let mut frames: Vec<(&Pointer, usize)> = vec![(root, 0)];
        state.insert(
            root,
            NodeState {
                index: next_index,
                low: next_index,
                on_stack: true,
            },
        );
        stack.push(root);
        next_index += 1;
        while let Some((node, edge)) = frames.last_mut() {
            let node: &Pointer = node;
            let edges = graph.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(next) = edges.get(*edge) {
                *edge += 1;
                let Some((next, _)) = graph.get_key_value(next) else {
                    continue;
                };
                match state.get(next) {
                    None => {
                        state.insert(
                            next,
                            NodeState {
                                index: next_index,
                                low: next_index,
                                on_stack: true,
                            },
                        );
                        stack.push(next);
                        next_index += 1;
                        frames.push((next, 0));
                    }
                    Some(s) if s.on_stack => {
                        let index = s.index;
                        let low = &mut state.get_mut(node).expect("visited").low;
                        *low = (*low).min(index);
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            let (index, low) = {
                let s = &state[node];
                (s.index, s.low)
            };
            if let Some((parent, _)) = frames.last() {
                let parent_low = &mut state.get_mut(*parent).expect("visited").low;
                *parent_low = (*parent_low).min(low);
            }
            if index == low {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    state.get_mut(member).expect("visited").on_stack = false;
                    component.push(member.clone());
                    if member == node {
                        break;
                    }
                }
                component.sort();
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> Pointer {
        Pointer::root().push(name)
    }

    #[test]
    fn components_of_a_small_graph() {
        let mut graph = BTreeMap::new();
        graph.insert(p("a"), vec![p("b")]);
        graph.insert(p("b"), vec![p("a"), p("c")]);
        graph.insert(p("c"), vec![p("c")]);
        graph.insert(p("d"), vec![p("missing")]);
        let mut components = strongly_connected(&graph);
        components.sort();
        assert_eq!(
            components,
            vec![vec![p("a"), p("b")], vec![p("c")], vec![p("d")]]
        );
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let mut graph = BTreeMap::new();
        for i in 0..200_000 {
            graph.insert(p(&format!("n{i:06}")), vec![p(&format!("n{:06}", i + 1))]);
        }
        assert_eq!(strongly_connected(&graph).len(), 200_000);
    }
}
