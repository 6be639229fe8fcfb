//! The user's configuration applied to the IR, before every other pass: tags moved into the
//! groups it names, operations selected, schemas, properties and formats mapped to the user's
//! own Rust types, and the names, derives and attributes it asks for recorded for the naming
//! pass and codegen. The types only removed operations or mapped schemas reached are pruned.
//! Whatever the configuration names that the spec does not have is an error at the setting.

use std::collections::BTreeSet;

use super::graph::Numbering;
use crate::diagnostics::Diagnostics;
use crate::ir::{Api, NameHint, Operation, Shape, TypeKind};
use crate::pointer::Pointer;
use crate::settings::{Customize, FORMATS, Setting};

pub fn run(api: &mut Api, custom: &Customize, diags: &mut Diagnostics) {
    let reached_before = reached(api, &BTreeSet::new(), &BTreeSet::new());
    move_tags(api, custom, diags);
    let removed_operations = select(api, custom, diags);
    let mapped = map_types(api, custom, diags);
    map_formats(api, custom);
    rename(api, custom, diags);
    decorate(api, custom, diags);
    prune(api, &reached_before, &removed_operations, &mapped);
}

/// The types reachable from the operations (less `removed`) and webhooks, not through the
/// `mapped` ones (which are no longer generated).
fn reached(
    api: &Api,
    removed: &BTreeSet<Pointer>,
    mapped: &BTreeSet<Pointer>,
) -> BTreeSet<Pointer> {
    let numbers = Numbering::new(api);
    let mut roots = Vec::new();
    for (at, op) in &api.operations {
        if !removed.contains(at) {
            for shape in op.shapes() {
                numbers.refs_anywhere(shape, &mut roots);
            }
        }
    }
    for shape in &api.webhooks {
        numbers.refs_anywhere(shape, &mut roots);
    }
    closure(api, &numbers, roots, mapped)
}

/// The types reachable from the types `roots`, not through `mapped` ones.
fn reached_from(
    api: &Api,
    roots: &BTreeSet<Pointer>,
    mapped: &BTreeSet<Pointer>,
) -> BTreeSet<Pointer> {
    let numbers = Numbering::new(api);
    let roots = roots.iter().filter_map(|at| numbers.of(at)).collect();
    closure(api, &numbers, roots, mapped)
}

/// `roots` and every type they reach, by pointer.
fn closure(
    api: &Api,
    numbers: &Numbering<'_>,
    mut stack: Vec<usize>,
    mapped: &BTreeSet<Pointer>,
) -> BTreeSet<Pointer> {
    let keys: Vec<&Pointer> = api.types.keys().collect();
    let edges = numbers.references(api.types.values());
    let mut seen = vec![false; keys.len()];
    while let Some(t) = stack.pop() {
        if !std::mem::replace(&mut seen[t], true) && !mapped.contains(keys[t]) {
            stack.extend(edges[t].iter().copied());
        }
    }
    keys.into_iter()
        .zip(seen)
        .filter(|(_, seen)| *seen)
        .map(|(at, _)| at.clone())
        .collect()
}

/// `[groups]`: each tag named is replaced by its group's name, in operations and in the list
/// of tags (two tags given one name merge).
fn move_tags(api: &mut Api, custom: &Customize, diags: &mut Diagnostics) {
    for (tag, group) in &custom.groups {
        let used = api
            .operations
            .values()
            .any(|op| op.tags.contains(&tag.value))
            || api.tags.iter().any(|t| t.name == tag.value);
        if !used {
            diags.push(tag.error(format!("the spec has no tag `{}`", tag.value)));
            continue;
        }
        for op in api.operations.values_mut() {
            for t in &mut op.tags {
                if *t == tag.value {
                    t.clone_from(&group.value);
                }
            }
            let mut seen = BTreeSet::new();
            op.tags.retain(|t| seen.insert(t.clone()));
        }
        for t in &mut api.tags {
            if t.name == tag.value {
                t.name.clone_from(&group.value);
            }
        }
        let mut seen = BTreeSet::new();
        api.tags.retain(|t| seen.insert(t.name.clone()));
    }
}

/// `[include]` and `[exclude]`: the operations left out, which are removed.
fn select(api: &mut Api, custom: &Customize, diags: &mut Diagnostics) -> BTreeSet<Pointer> {
    let mut matching = |operations: &[Setting], groups: &[Setting]| -> BTreeSet<Pointer> {
        let mut found = BTreeSet::new();
        for setting in operations {
            match find_operation(api, &setting.value) {
                Some(at) => {
                    found.insert(at);
                }
                None => diags.push(setting.error(no_operation(&setting.value))),
            }
        }
        for setting in groups {
            let members: Vec<Pointer> = api
                .operations
                .iter()
                .filter(|(_, op)| op.tags.first() == Some(&setting.value))
                .map(|(at, _)| at.clone())
                .collect();
            let known = !members.is_empty() || api.tags.iter().any(|t| t.name == setting.value);
            found.extend(members);
            if !known {
                let message = format!("no operation is in a group (first tag) `{}`", setting.value);
                diags.push(setting.error(message));
            }
        }
        found
    };
    let included = matching(&custom.include_operations, &custom.include_groups);
    let excluded = matching(&custom.exclude_operations, &custom.exclude_groups);
    let include_all = custom.include_operations.is_empty() && custom.include_groups.is_empty();
    let removed: BTreeSet<Pointer> = api
        .operations
        .keys()
        .filter(|at| (!include_all && !included.contains(*at)) || excluded.contains(*at))
        .cloned()
        .collect();
    api.operations.retain(|at, _| !removed.contains(at));
    removed
}

fn no_operation(key: &str) -> String {
    if key.starts_with("#/") {
        format!("the spec has no operation at `{key}`")
    } else {
        format!(
            "no operation has the operationId `{key}` (a pointer such as `#/paths/~1pets/get` names one without)"
        )
    }
}

/// An operation by its operationId or the pointer of its definition.
fn find_operation(api: &Api, key: &str) -> Option<Pointer> {
    match key.strip_prefix('#') {
        Some(pointer) => {
            let at = Pointer::from_escaped(pointer);
            api.operations.contains_key(&at).then_some(at)
        }
        None => api
            .operations
            .iter()
            .find(|(_, op): &(&Pointer, &Operation)| op.operation_id.as_deref() == Some(key))
            .map(|(at, _)| at.clone()),
    }
}

/// A named type by its pointer or its schema name (a component's key).
fn find_type(api: &Api, key: &str) -> Result<Pointer, String> {
    if let Some(pointer) = key.strip_prefix('#') {
        let at = Pointer::from_escaped(pointer);
        return match api.types.contains_key(&at) {
            true => Ok(at),
            false => Err(format!(
                "the spec has no schema at `{key}` that is generated as a type"
            )),
        };
    }
    for place in ["components/schemas", "definitions"] {
        let at = Pointer::from_escaped(&format!("/{place}")).push(key);
        if api.types.contains_key(&at) {
            return Ok(at);
        }
    }
    let named: Vec<&Pointer> = api
        .types
        .iter()
        .filter(|(_, def)| matches!(&def.hint, NameHint::Component(name) if name == key))
        .map(|(at, _)| at)
        .collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!("the spec has no schema named `{key}`")),
        many => Err(format!(
            "{} schemas are named `{key}`; name one by its pointer, such as `{}`",
            many.len(),
            many[0]
        )),
    }
}

/// A property by `Schema.property` or the pointer of its definition: its struct and index.
fn find_field(api: &Api, key: &str) -> Result<(Pointer, usize), String> {
    let (owner, wire) = match key.strip_prefix('#') {
        Some(_) => match key.rsplit_once("/properties/") {
            Some((owner, wire)) => (owner.to_owned(), unescape(wire)),
            None => return Err(format!("`{key}` does not point at a property")),
        },
        // The property is after the last dot: schema names may have dots of their own.
        None => match key.rsplit_once('.') {
            Some((owner, wire)) => (owner.to_owned(), wire.to_owned()),
            None => {
                return Err(format!(
                    "`{key}` names no property: write `Schema.property`"
                ));
            }
        },
    };
    let at = find_type(api, &owner)?;
    let index = match &api.types[&at].kind {
        TypeKind::Struct(s) => s.fields.iter().position(|f| f.wire == wire),
        _ => None,
    };
    index
        .map(|i| (at, i))
        .ok_or_else(|| format!("the schema `{owner}` has no property `{wire}`"))
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `[types]`: schemas mapped to a Rust type (every reference to them becomes it), and
/// properties (the field holds it). The schemas mapped, which are no longer generated.
fn map_types(api: &mut Api, custom: &Customize, diags: &mut Diagnostics) -> BTreeSet<Pointer> {
    let mut mapped = BTreeSet::new();
    // A dotted key is a property unless a schema has that name (`io.k8s.api.Quantity`).
    let is_property = |api: &Api, key: &str| {
        key.contains("/properties/")
            || (!key.starts_with('#') && key.contains('.') && find_type(api, key).is_err())
    };
    for (key, rust) in &custom.types {
        if is_property(api, &key.value) {
            match find_field(api, &key.value) {
                Ok((at, i)) => {
                    if let Some(TypeKind::Struct(s)) = api.types.get_mut(&at).map(|d| &mut d.kind) {
                        let field = &mut s.fields[i];
                        let external = Shape::External(rust.value.clone());
                        field.shape = match field.shape {
                            Shape::Nullable(_) => Shape::Nullable(Box::new(external)),
                            _ => external,
                        };
                        field.constraints = Default::default();
                    }
                }
                Err(message) => diags.push(key.error(message)),
            }
            continue;
        }
        match find_type(api, &key.value) {
            Ok(at) => {
                replace_shapes(api, &mut |shape| {
                    if matches!(shape, Shape::Ref(target) if *target == at) {
                        *shape = Shape::External(rust.value.clone());
                    }
                });
                mapped.insert(at);
            }
            Err(message) => diags.push(key.error(message)),
        }
    }
    mapped
}

/// `[formats]`: every shape of a format becomes the Rust type given (unless it is the one it
/// has anyway).
fn map_formats(api: &mut Api, custom: &Customize) {
    for (format, rust) in &custom.formats {
        let default = FORMATS
            .iter()
            .find(|(f, _)| *f == format.value)
            .map(|f| f.1);
        if default == Some(rust.value.as_str()) {
            continue;
        }
        let target = match format.value.as_str() {
            "date-time" => Shape::DateTime,
            "date" => Shape::Date,
            "uuid" => Shape::Uuid,
            _ => continue,
        };
        let replacement = match rust.value.as_str() {
            "String" => Shape::String,
            other => Shape::External(other.to_owned()),
        };
        replace_shapes(api, &mut |shape| {
            if *shape == target {
                *shape = replacement.clone();
            }
        });
    }
}

/// Calls `f` on every shape: of types, operations, examples and webhooks.
fn replace_shapes(api: &mut Api, f: &mut impl FnMut(&mut Shape)) {
    api.visit_shapes_mut(f);
    for shape in &mut api.webhooks {
        shape.visit_mut(f);
    }
}

/// `[rename]`: the names the naming pass gives exactly.
fn rename(api: &mut Api, custom: &Customize, diags: &mut Diagnostics) {
    for (key, name) in &custom.rename_operations {
        match find_operation(api, &key.value) {
            Some(at) => {
                if let Some(op) = api.operations.get_mut(&at) {
                    op.rename = Some(name.value.clone());
                }
            }
            None => diags.push(key.error(no_operation(&key.value))),
        }
    }
    for (key, name) in &custom.rename_types {
        if crate::ident::is_reserved_type_name(&name.value) {
            let message = format!(
                "`{}` names a type generated code uses (from the standard library or the runtime); choose another name",
                name.value
            );
            diags.push(name.error(message));
            continue;
        }
        match find_type(api, &key.value) {
            Ok(at) => {
                if let Some(def) = api.types.get_mut(&at) {
                    def.custom.name = Some(name.value.clone());
                }
            }
            Err(message) => diags.push(key.error(message)),
        }
    }
    for (key, name) in &custom.rename_fields {
        match find_field(api, &key.value) {
            Ok((at, i)) => {
                if let Some(TypeKind::Struct(s)) = api.types.get_mut(&at).map(|d| &mut d.kind) {
                    s.fields[i].rename = Some(name.value.clone());
                }
            }
            Err(message) => diags.push(key.error(message)),
        }
    }
}

/// `[derives]` and `[attributes]`.
fn decorate(api: &mut Api, custom: &Customize, diags: &mut Diagnostics) {
    let lists = [(&custom.derives, true), (&custom.attributes, false)];
    for (list, derive) in lists {
        for (key, value) in list {
            match find_type(api, &key.value) {
                Ok(at) if matches!(api.types[&at].kind, TypeKind::Alias(_)) => {
                    let message = format!(
                        "`{}` is generated as a type alias, which takes no derives or attributes",
                        key.value
                    );
                    diags.push(key.error(message));
                }
                Ok(at) => {
                    if let Some(def) = api.types.get_mut(&at) {
                        let into = match derive {
                            true => &mut def.custom.derives,
                            false => &mut def.custom.attributes,
                        };
                        into.push(value.value.clone());
                    }
                }
                Err(message) => diags.push(key.error(message)),
            }
        }
    }
}

/// Removes the mapped types and those that only removed operations or mapped types reached,
/// and the examples of removed types.
fn prune(
    api: &mut Api,
    reached_before: &BTreeSet<Pointer>,
    removed: &BTreeSet<Pointer>,
    mapped: &BTreeSet<Pointer>,
) {
    if removed.is_empty() && mapped.is_empty() {
        return;
    }
    let still = reached(api, removed, mapped);
    let unused_before: BTreeSet<Pointer> = api
        .types
        .keys()
        .filter(|at| !reached_before.contains(*at) && !mapped.contains(*at))
        .cloned()
        .collect();
    let kept_by_unused = reached_from(api, &unused_before, mapped);
    let gone: BTreeSet<Pointer> = api
        .types
        .keys()
        .filter(|at| {
            mapped.contains(*at)
                || (reached_before.contains(*at)
                    && !still.contains(*at)
                    && !kept_by_unused.contains(*at))
        })
        .cloned()
        .collect();
    api.types.retain(|at, _| !gone.contains(at));
    api.examples.retain(|example| {
        !example
            .shape
            .any(&mut |s| matches!(s, Shape::Ref(at) if gone.contains(at)))
    });
}
