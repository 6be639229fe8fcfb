//! Nesting: rustc checks a type (its drop check, its derives) by recursing through every type
//! it contains, one level per named type and per wrapper (`Option`, `Vec`, `Box`, maps), and
//! stops at the crate's recursion limit (128 unless raised). This pass measures the deepest
//! chain of types; a crate whose types nest deeper than the default allows gets a higher limit,
//! and a chain deeper than rustc can take at all (it overflows its own stack) is cut: the field
//! that goes too deep becomes untyped JSON, with a warning.

use super::graph::{Numbering, strongly_connected};
use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Shape, TypeKind};

/// The cost of each level, in half levels of rustc's recursion (measured with rustc 1.95: a
/// chain of structs holding the next by value through `Option` needs about 2.1 levels of limit
/// per struct, through a `BTreeMap` about 2, through `Option<Box<Vec<Option<..>>>>` about 4).
const NAMED: u32 = 2;
const OPTION: u32 = 3;
const WRAPPER: u32 = 2;
const MAP: u32 = 3;

/// The deepest cost the default limit of 128 takes, with a margin.
const DEFAULT_BUDGET: u32 = 200;

/// The deepest cost allowed at all: its limit (4096) still leaves rustc within its stack.
const MAX_COST: u32 = 4000;

pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    let mut types: Vec<_> = api.types.iter_mut().collect();
    let numbers = Numbering::from_keys(types.iter().map(|(at, _)| *at));
    // Components come out after every component they refer to: costs are known in that order.
    let components = strongly_connected(&numbers.references(types.iter().map(|(_, def)| &**def)));
    let mut cost = vec![0; types.len()];
    let mut deepest = 0;
    for members in components {
        for &member in &members {
            let (at, def) = &mut types[member];
            let mut own = 0;
            for (wire, optional, shape) in shapes_mut(&mut def.kind) {
                let wrapper = if optional { OPTION } else { 0 };
                let level = Level {
                    numbers: &numbers,
                    known: &cost,
                    cycle: &members,
                };
                let shape_cost = wrapper + level.cost_of(shape);
                if shape_cost > MAX_COST {
                    *shape = Shape::Any;
                    api.stats.untyped += 1;
                    let at = match wire {
                        Some(name) => at.push("properties").push(name),
                        None => (*at).clone(),
                    };
                    diags.warning(&at, "the types here nest deeper than the Rust compiler can check; this value is untyped JSON (`serde_json::Value`)");
                } else {
                    own = own.max(shape_cost);
                }
            }
            deepest = deepest.max(own);
            cost[member] = own;
        }
        // rustc walks a cycle once, but from any member it reaches what every member reaches.
        if members.len() > 1 {
            let cycle_cost = members.iter().map(|&m| cost[m]).max().unwrap_or(0);
            for &member in &members {
                cost[member] = cycle_cost;
            }
        }
    }
    if deepest > DEFAULT_BUDGET {
        api.recursion_limit = Some(deepest.next_power_of_two().max(256));
    }
}

/// The shapes a type holds, with the property name of each struct field and whether the
/// field is optional (an `Option` around its shape).
fn shapes_mut(kind: &mut TypeKind) -> Vec<(Option<&str>, bool, &mut Shape)> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter_mut()
            .map(|f| (Some(f.wire.as_str()), !f.required, &mut f.shape))
            .chain(s.additional.as_mut().map(|shape| (None, false, shape)))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter_mut()
            .map(|v| (None, false, &mut v.shape))
            .collect(),
        TypeKind::Alias(shape) => vec![(None, false, shape)],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// What the cost of a shape depends on: the costs known so far (by type number) and the
/// members of the cycle being measured (sorted).
struct Level<'a> {
    numbers: &'a Numbering<'a>,
    known: &'a [u32],
    cycle: &'a [usize],
}

impl Level<'_> {
    /// How deep rustc recurses into a shape; references within the same cycle count as one
    /// level (rustc notices cycles).
    fn cost_of(&self, shape: &Shape) -> u32 {
        match shape {
            Shape::Ref(target) => match self.numbers.of(target) {
                Some(t) if self.cycle.binary_search(&t).is_ok() => NAMED,
                Some(t) => NAMED + self.known[t],
                None => NAMED,
            },
            Shape::Nullable(inner) => OPTION + self.cost_of(inner),
            Shape::Map(inner) => MAP + self.cost_of(inner),
            Shape::Array(inner) | Shape::Boxed(inner) => WRAPPER + self.cost_of(inner),
            Shape::Tuple(items) => {
                WRAPPER + items.iter().map(|i| self.cost_of(i)).max().unwrap_or(0)
            }
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec whose `S0` holds `S1` and so on, each field written by `wrap`, lowered and run
    /// through the cycles pass and this one.
    fn chain(
        length: usize,
        wrap: fn(serde_json::Value) -> serde_json::Value,
    ) -> (Api, Vec<String>) {
        let mut schemas = serde_json::Map::new();
        for i in 0..length {
            let next = serde_json::json!({ "$ref": format!("#/components/schemas/S{}", i + 1) });
            let schema =
                serde_json::json!({ "type": "object", "properties": { "next": wrap(next) } });
            schemas.insert(format!("S{i}"), schema);
        }
        schemas.insert(
            format!("S{length}"),
            serde_json::json!({ "type": "string" }),
        );
        let doc = serde_json::json!({
            "openapi": "3.0.3", "info": { "title": "T", "version": "1" }, "paths": {},
            "components": { "schemas": schemas },
        });
        let (mut api, _) = crate::lower::lower(&doc, None);
        let mut diags = Diagnostics::default();
        super::super::cycles::run(&mut api, &mut diags);
        run(&mut api, &mut diags);
        let warnings = diags
            .into_sorted()
            .into_iter()
            .map(|d| d.to_string())
            .collect();
        (api, warnings)
    }

    #[test]
    fn shallow_types_keep_the_default_limit() {
        let (api, warnings) = chain(30, |next| next);
        assert_eq!(api.recursion_limit, None);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn deep_chains_raise_the_limit() {
        // Optional fields: 5 half-levels per struct, 2,000 in all.
        let (api, warnings) = chain(400, |next| next);
        assert_eq!(api.recursion_limit, Some(2048));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn chains_deeper_than_rustc_can_take_are_cut_with_a_warning() {
        let (api, warnings) = chain(
            1000,
            |next| serde_json::json!({ "type": "array", "items": next }),
        );
        assert_eq!(api.recursion_limit, Some(4096));
        assert!(!warnings.is_empty());
        assert!(
            warnings[0].contains("/properties/next") && warnings[0].contains("nest deeper"),
            "{warnings:?}"
        );
        assert_eq!(api.stats.untyped, warnings.len());
    }
}
