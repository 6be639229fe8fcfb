//! Naming: gives every operation, type, module, field, variant, parameter, server and security
//! scheme its Rust name, using the identifier policy in `ident`.
//!
//! Names depend only on where things sit in the spec. When two things want the same name, the
//! one defined first in pointer order keeps it (component schemas before inline ones) and the
//! other gets a suffix hashed from its own location, so an unrelated addition never renames
//! anything. A name the user's configuration gives is taken exactly and before any other; a
//! name it gives twice, or that something else would have, is an error naming both.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ident::{self, Case};
use crate::ir::{
    Api, EnumValue, NameHint, Operation, Outcome, ParamLocation, Parent, SchemeKind, Shape,
    StatusMatch, StreamKind, TypeDef, TypeKind,
};
use crate::ir::{FULL_SERDE, TLS_FEATURES, UNUSED, WEBHOOKS};
use crate::pointer::Pointer;

/// The runtime `Client`'s own methods, of every visibility (generated code shares its crate):
/// group accessors must not shadow them. A unit test reads them off the runtime's source.
const CLIENT_OWN_METHODS: &[&str] = &[
    "apply_credentials",
    "attempt",
    "base_url",
    "build",
    "builder",
    "chosen_alternative",
    "credential_source",
    "execute",
    "new",
    "notify",
    "page_url",
    "prepare",
    "provide_credentials",
    "read",
];

/// The methods the runtime's `Client` has from the traits it implements and the common ones,
/// which group accessors must not shadow either.
const CLIENT_TRAIT_METHODS: &[&str] = &[
    "borrow",
    "clone",
    "clone_from",
    "eq",
    "fmt",
    "from",
    "into",
    "ne",
    "to_owned",
    "to_string",
    "type_id",
];

/// Every method of the runtime's `Client`, which group accessors must not shadow.
pub fn client_methods() -> impl Iterator<Item = &'static str> {
    CLIENT_OWN_METHODS
        .iter()
        .chain(CLIENT_TRAIT_METHODS)
        .copied()
}

/// The methods a group handle has from the traits it implements (`Clone`, `Copy`, `Debug`) and
/// the blanket impls, which operation methods must not shadow.
pub const HANDLE_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "fmt",
    "from",
    "into",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Feature names a group's feature must not take: Cargo's own, and the crate's others.
const RESERVED_FEATURES: &[&str] = &[
    "default",
    FULL_SERDE,
    WEBHOOKS,
    UNUSED,
    TLS_FEATURES[0].0,
    TLS_FEATURES[1].0,
    TLS_FEATURES[2].0,
];

/// Methods of the runtime's `ClientBuilder`, which credential setters must not shadow.
pub const BUILDER_METHODS: &[&str] = &[
    "build",
    "credential",
    "credential_for_every_request",
    "credential_provider",
    "hook",
    "http_client",
    "max_response_size",
    "middleware",
    "read_timeout",
    "relative_to",
    "retry",
    "timeout",
    "token_endpoint",
    "user_agent",
    "with_source",
];

pub fn run(api: &mut Api, diags: &mut Diagnostics, pool: Option<&rayon::ThreadPool>) {
    name_operations(api, diags);
    name_groups(api);
    name_methods(api, diags);
    name_types(api, diags);
    name_members(api, diags, pool);
    name_servers(api);
    name_security_schemes(api);
}

/// The names the configuration gives in one namespace, by name, with where each is.
#[derive(Default)]
struct Renamed {
    by_name: BTreeMap<String, String>,
}

impl Renamed {
    /// `renames` are (name, location) pairs; a name given twice is an error at the second.
    fn new(renames: impl Iterator<Item = (String, String)>, errors: &mut Vec<Diagnostic>) -> Self {
        let mut by_name = BTreeMap::new();
        for (name, location) in renames {
            if let Some(first) = by_name.get(&name) {
                errors.push(Diagnostic::error(
                    &Pointer::from_escaped(&location),
                    format!("the configuration names both this and `#{first}` `{name}`; rename one of them otherwise"),
                ));
            } else {
                by_name.insert(name, location);
            }
        }
        Renamed { by_name }
    }

    fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.by_name.keys().cloned()
    }

    /// An error if `wanted`, the name of what is at `location`, is a name the configuration
    /// gives something else.
    fn check(&self, wanted: &str, location: &str, errors: &mut Vec<Diagnostic>) {
        if let Some(other) = self.by_name.get(wanted)
            && other != location
        {
            errors.push(Diagnostic::error(
                &Pointer::from_escaped(location),
                format!("this is named `{wanted}`, the name the configuration gives `#{other}`; rename one of them"),
            ));
        }
    }
}

/// Picks `wanted` if free, else its disambiguated form; records the result as taken.
fn claim(taken: &mut BTreeSet<String>, wanted: String, location: &str, case: Case) -> String {
    let mut name = wanted;
    let mut salt = location.to_owned();
    while taken.contains(&name) {
        name = ident::disambiguated(&name, &salt, case);
        salt.push('#');
    }
    taken.insert(name.clone());
    name
}

/// A method name from the HTTP method and path: `GET /pets/{id}` → `get_pets_id`.
fn derived_operation_name(op: &Operation) -> String {
    ident::value_name(&format!("{} {}", op.method.as_str(), op.path), "operation")
}

fn name_operations(api: &mut Api, diags: &mut Diagnostics) {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for op in api.operations.values() {
        if let Some(id) = &op.operation_id {
            *uses.entry(id.clone()).or_default() += 1;
        }
    }
    let mut errors = Vec::new();
    let renames = api
        .operations
        .iter()
        .filter_map(|(at, op)| Some((op.rename.clone()?, at.as_str().to_owned())));
    let renamed = Renamed::new(renames, &mut errors);
    let mut taken: BTreeSet<String> = renamed.names().collect();
    for (at, op) in api.operations.iter_mut() {
        if let Some(name) = &op.rename {
            op.name.clone_from(name);
            continue;
        }
        let derived = derived_operation_name(op);
        let wanted = match &op.operation_id {
            Some(id) if uses[id] == 1 => ident::value_name(id, "operation"),
            Some(id) => {
                let message = format!(
                    "operationId `{id}` is used by {} operations; this one is named `{derived}` after its method and path",
                    uses[id]
                );
                diags.warning(&at.push("operationId"), message);
                derived.clone()
            }
            None => derived.clone(),
        };
        renamed.check(&wanted, at.as_str(), &mut errors);
        let wanted = if taken.contains(&wanted) && !taken.contains(&derived) {
            derived
        } else {
            wanted
        };
        op.name = claim(&mut taken, wanted, at.as_str(), Case::Snake);
    }
    errors.into_iter().for_each(|e| diags.push(e));
}

/// Names each group: its module and accessor (unique among its siblings, and never a method of
/// `Client` or of its parent's handle), its handle type and its Cargo feature. Parents come
/// before their children in `api.groups`, and siblings in the order of their words.
fn name_groups(api: &mut Api) {
    let mut siblings: BTreeMap<Option<usize>, BTreeSet<String>> = BTreeMap::new();
    let mut features: BTreeSet<String> = RESERVED_FEATURES.iter().map(|s| s.to_string()).collect();
    for i in 0..api.groups.len() {
        let parent = api.groups[i].parent;
        let location = format!("/groups/{}", api.groups[i].path.join("/"));
        let taken = siblings.entry(parent).or_insert_with(|| {
            if parent.is_none() {
                client_methods().map(str::to_owned).collect()
            } else {
                HANDLE_METHODS.iter().map(|s| s.to_string()).collect()
            }
        });
        let last = api.groups[i].path.last().cloned().unwrap_or_default();
        let last = last.as_str();
        // A group named like a method of what it is reached from gets `_api`, not a hash.
        let mut module = ident::module_name(last);
        if taken.contains(&module) {
            module.push_str("_api");
        }
        let module = claim(taken, module, &location, Case::Snake);
        let chain: Vec<String> = api
            .group_chain(i)
            .iter()
            .map(|g| g.path.last().cloned().unwrap_or_default())
            .collect();
        let mut feature = ident::feature_name(&chain.join(" "));
        if RESERVED_FEATURES.contains(&feature.as_str()) {
            feature.push_str("-api");
        }
        let feature = claim(&mut features, feature, &location, Case::Kebab);
        let group = &mut api.groups[i];
        group.type_name = ident::type_name(last, "Group");
        group.module = module;
        group.feature = feature;
    }
}

/// Names each operation's method on its group's handle, and its module in the group's folder:
/// the operation's name less a leading `api`, version words (`v1`) and the words of its groups
/// (`api_magic_v1_magic_links_email_send` in `Magic Links` is `email_send`), unless that leaves
/// nothing, a keyword, or a name another method or group of the handle has; then its whole
/// name. Streaming methods come after every method has its name, so they never take one.
fn name_methods(api: &mut Api, diags: &mut Diagnostics) {
    let mut errors = Vec::new();
    let mut namespaces: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.groups.len()];
    let mut folders: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.groups.len()];
    for (i, taken) in namespaces.iter_mut().enumerate() {
        taken.extend(HANDLE_METHODS.iter().map(|s| s.to_string()));
        for child in api.groups.iter().filter(|g| g.parent == Some(i)) {
            taken.insert(child.module.clone());
            folders[i].insert(child.module.clone());
        }
    }
    let group_words: Vec<BTreeSet<String>> = (0..api.groups.len())
        .map(|i| {
            api.group_chain(i)
                .iter()
                .flat_map(|g| g.path.last().map(|l| ident::words(l)).unwrap_or_default())
                .map(|w| w.to_ascii_lowercase())
                .collect()
        })
        .collect();
    let handles: Vec<String> = (0..api.groups.len())
        .map(|g| format!("{}::{}", api.group_module_path(g), api.groups[g].type_name))
        .collect();
    // An operation whose whole name is its method name (nothing dropped) keeps it over one
    // that would get it by dropping words; otherwise pointer order decides.
    // A name the configuration gives is the method's name as it is, and goes first.
    let shorts: Vec<Option<String>> = api
        .operations
        .values()
        .map(|op| match op.rename {
            Some(_) => None,
            None => short_method_name(&op.name, &group_words[op.group]),
        })
        .collect();
    let mut order: Vec<usize> = (0..shorts.len()).collect();
    let ops: Vec<&Operation> = api.operations.values().collect();
    let places: Vec<&Pointer> = api.operations.keys().collect();
    order.sort_by_key(|&i| {
        (
            ops[i].rename.is_none(),
            shorts[i].as_deref() != Some(ops[i].name.as_str()),
        )
    });
    let mut claims: Vec<(String, String)> = vec![Default::default(); shorts.len()];
    for &i in &order {
        let op = ops[i];
        let Some(taken) = namespaces.get_mut(op.group) else {
            continue;
        };
        let wanted = match &shorts[i] {
            Some(short) if !taken.contains(short) => short.clone(),
            _ => op.name.clone(),
        };
        let at = places[i].as_str();
        if op.rename.is_some() && taken.contains(&wanted) {
            errors.push(Diagnostic::error(
                places[i],
                format!("the configuration names this `{wanted}`, which its group's handle already has (a group or a method of the runtime's); rename it otherwise"),
            ));
        }
        let method = claim(taken, wanted, at, Case::Snake);
        let module = claim(
            &mut folders[op.group],
            ident::module_name(&method),
            at,
            Case::Snake,
        );
        claims[i] = (method, module);
    }
    for (op, (method, module)) in api.operations.values_mut().zip(claims) {
        op.handle_path = handles.get(op.group).cloned().unwrap_or_default();
        op.method_name = method;
        op.module = module;
    }
    for (at, op) in api.operations.iter_mut() {
        let Some(taken) = namespaces.get_mut(op.group) else {
            continue;
        };
        if let Some(pagination) = &mut op.pagination {
            let location = format!("{}/stream", at.as_str());
            let wanted = format!("{}_stream", op.method_name);
            pagination.method = claim(taken, wanted, &location, Case::Snake);
        }
        if let Some(stream) = &mut op.stream {
            stream.method = if stream.separate {
                let word = match stream.body.kind {
                    StreamKind::Events => "events",
                    StreamKind::JsonLines | StreamKind::JsonSeq => "lines",
                };
                let location = format!("{}/{word}", at.as_str());
                claim(
                    taken,
                    format!("{}_{word}", op.method_name),
                    &location,
                    Case::Snake,
                )
            } else {
                op.method_name.clone()
            };
        }
    }
    errors.into_iter().for_each(|e| diags.push(e));
}

/// An operation's name less what its group already says, if something clear remains.
fn short_method_name(name: &str, group_words: &BTreeSet<String>) -> Option<String> {
    let mut words = ident::words(name);
    if words.len() > 1 && words[0] == "api" {
        words.remove(0);
    }
    words.retain(|w| !ident::is_version_word(w) && !group_words.contains(w));
    let short = ident::value_name(&words.join(" "), "");
    let clear = !short.is_empty() && !short.starts_with('_') && !ident::is_keyword(&short);
    clear.then_some(short)
}

/// A slot in the type namespace: a type definition, an operation's parameter struct, or an
/// operation's response or error enum.
enum Slot {
    Type(Pointer),
    Params(Pointer),
    Headers(Pointer),
    Outcome(Pointer, Side),
}

/// The success or the error side of an operation.
#[derive(Clone, Copy)]
enum Side {
    Success,
    Error,
}

fn outcome_of(op: &Operation, side: Side) -> &Outcome {
    match side {
        Side::Success => &op.success,
        Side::Error => &op.error,
    }
}

fn outcome_mut(op: &mut Operation, side: Side) -> &mut Outcome {
    match side {
        Side::Success => &mut op.success,
        Side::Error => &mut op.error,
    }
}

fn name_types(api: &mut Api, diags: &mut Diagnostics) {
    let mut errors = Vec::new();
    let renames = api
        .types
        .iter()
        .filter_map(|(at, def)| Some((def.custom.name.clone()?, at.as_str().to_owned())));
    let renamed = Renamed::new(renames, &mut errors);
    let mut slots: Vec<(usize, Pointer, Slot)> = Vec::new();
    for at in api.types.keys() {
        slots.push((at.depth(), at.clone(), Slot::Type(at.clone())));
    }
    for (at, op) in &api.operations {
        if op.has_params_struct() {
            let place = at.push("parameters");
            slots.push((place.depth(), place, Slot::Params(at.clone())));
        }
        if op.has_headers_struct() {
            let place = Pointer::from_escaped(&format!("{}/responses/headers", at.as_str()));
            slots.push((place.depth(), place, Slot::Headers(at.clone())));
        }
        for (side, outcome, place) in [
            (Side::Success, &op.success, "responses/success"),
            (Side::Error, &op.error, "responses/error"),
        ] {
            if matches!(outcome, Outcome::ByStatus { .. }) {
                let place = Pointer::from_escaped(&format!("{}/{place}", at.as_str()));
                slots.push((place.depth(), place, Slot::Outcome(at.clone(), side)));
            }
        }
    }
    slots.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut taken: BTreeSet<String> = renamed.names().collect();
    let mut modules = BTreeSet::new();
    for (_, place, slot) in slots {
        let given = match &slot {
            Slot::Type(at) => api.types[at].custom.name.clone(),
            _ => None,
        };
        let wanted = match &slot {
            Slot::Type(at) => wanted_type_name(api, &api.types[at].hint),
            Slot::Params(op) => {
                ident::type_name(&format!("{} params", api.operations[op].name), "Params")
            }
            Slot::Headers(op) => {
                ident::type_name(&format!("{} headers", api.operations[op].name), "Headers")
            }
            Slot::Outcome(op, side) => {
                let op = &api.operations[op];
                let word = match outcome_of(op, *side) {
                    Outcome::ByStatus { word, .. } => *word,
                    _ => "response",
                };
                ident::type_name(&format!("{} {word}", op.name), "Response")
            }
        };
        let name = match given {
            Some(given) => given,
            None => {
                renamed.check(&wanted, place.as_str(), &mut errors);
                claim(&mut taken, wanted, place.as_str(), Case::Camel)
            }
        };
        let module = claim(
            &mut modules,
            ident::module_name(&name),
            place.as_str(),
            Case::Snake,
        );
        match slot {
            Slot::Type(at) => {
                let def = api.types.get_mut(&at).expect("slot of an existing type");
                def.name = name;
                def.module = module;
            }
            Slot::Params(op) => {
                let op = api
                    .operations
                    .get_mut(&op)
                    .expect("slot of an existing operation");
                op.params_type = name;
                op.params_module = module;
            }
            Slot::Headers(op) => {
                let op = api
                    .operations
                    .get_mut(&op)
                    .expect("slot of an existing operation");
                op.headers_type = name;
                op.headers_module = module;
            }
            Slot::Outcome(op, side) => {
                let op = api
                    .operations
                    .get_mut(&op)
                    .expect("slot of an existing operation");
                if let Outcome::ByStatus {
                    name: slot_name,
                    module: slot_module,
                    ..
                } = outcome_mut(op, side)
                {
                    *slot_name = name;
                    *slot_module = module;
                }
            }
        }
    }
    errors.into_iter().for_each(|e| diags.push(e));
}

fn wanted_type_name(api: &Api, hint: &NameHint) -> String {
    match hint {
        NameHint::Component(raw) => ident::type_name(raw, "Unnamed"),
        NameHint::Child { parent, suffix } => {
            let parent_name = match parent {
                Parent::Type(at) => api.types.get(at).map(|d| d.name.as_str()).unwrap_or(""),
                Parent::Operation(at) => api
                    .operations
                    .get(at)
                    .map(|o| o.name.as_str())
                    .unwrap_or(""),
            };
            ident::type_name(&format!("{parent_name} {suffix}"), "Unnamed")
        }
    }
}

/// Names the members of every type (fields, enum and union variants) and of every operation
/// (parameters, headers, status variants). Members are named within their own type or
/// operation, so each is named on its own, in parallel when there is a `pool`.
fn name_members(api: &mut Api, diags: &mut Diagnostics, pool: Option<&rayon::ThreadPool>) {
    let labels: BTreeMap<Pointer, Vec<String>> = api
        .types
        .iter()
        .filter_map(|(at, def)| match &def.kind {
            TypeKind::Union(u) => Some((
                at.clone(),
                u.variants
                    .iter()
                    .map(|v| variant_label(api, at, &v.shape))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let types = |(at, def): (&Pointer, &mut TypeDef)| name_type_members(at, def, &labels);
    let operations = |(at, op): (&Pointer, &mut Operation)| name_operation_members(at, op);
    let errors: Vec<Vec<Diagnostic>> = match pool {
        Some(pool) => pool.install(|| {
            api.operations.par_iter_mut().for_each(operations);
            api.types.par_iter_mut().map(types).collect()
        }),
        None => {
            api.operations.iter_mut().for_each(operations);
            api.types.iter_mut().map(types).collect()
        }
    };
    errors.into_iter().flatten().for_each(|e| diags.push(e));
}

/// Names the members of one type; the errors are renames of fields that collide.
fn name_type_members(
    at: &Pointer,
    def: &mut TypeDef,
    labels: &BTreeMap<Pointer, Vec<String>>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    match &mut def.kind {
        TypeKind::Struct(s) => {
            let location = |wire: &str| at.push("properties").push(wire).as_str().to_owned();
            let renames = s
                .fields
                .iter()
                .filter_map(|f| Some((f.rename.clone()?, location(&f.wire))));
            let renamed = Renamed::new(renames, &mut errors);
            let mut taken: BTreeSet<String> = renamed.names().collect();
            let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
            for (i, wanted) in exact_names_first(&wires, "field") {
                let field = &mut s.fields[i];
                let location = location(&field.wire);
                if let Some(name) = &field.rename {
                    field.name.clone_from(name);
                    continue;
                }
                renamed.check(&wanted, &location, &mut errors);
                field.name = claim(&mut taken, wanted, &location, Case::Snake);
            }
            let location = at.push("additionalProperties");
            s.additional_name = claim(
                &mut taken,
                "additional_properties".to_owned(),
                location.as_str(),
                Case::Snake,
            );
        }
        TypeKind::Enum(e) => {
            let mut taken = BTreeSet::new();
            for variant in &mut e.variants {
                let raw = match &variant.value {
                    EnumValue::String(s) => s.clone(),
                    EnumValue::Integer(i) => i.to_string(),
                };
                let location = format!("{}/enum/{raw}", at.as_str());
                variant.name = claim(
                    &mut taken,
                    ident::variant_name(&raw),
                    &location,
                    Case::Camel,
                );
            }
            let wanted = if taken.contains("Unknown") {
                "UnknownValue"
            } else {
                "Unknown"
            };
            e.other_name = claim(&mut taken, wanted.to_owned(), at.as_str(), Case::Camel);
        }
        TypeKind::Union(u) => {
            let mut taken = BTreeSet::new();
            for (variant, label) in u.variants.iter_mut().zip(&labels[at]) {
                let location = format!("{}/variants/{label}", at.as_str());
                variant.name = claim(
                    &mut taken,
                    ident::variant_name(label),
                    &location,
                    Case::Camel,
                );
            }
            u.other_name = claim(&mut taken, "Other".to_owned(), at.as_str(), Case::Camel);
        }
        TypeKind::Alias(_) => {}
    }
    errors
}

fn name_operation_members(at: &Pointer, op: &mut Operation) {
    for outcome in [&mut op.success, &mut op.error] {
        if let Outcome::ByStatus { variants, .. } = outcome {
            for variant in variants {
                variant.name = ident::variant_name(&match variant.status {
                    StatusMatch::Code(code) => format!("status {code}"),
                    StatusMatch::Range(digit) => format!("status {digit}xx"),
                    StatusMatch::Default => "default".to_owned(),
                });
            }
        }
    }
    // Path parameters are method arguments next to `body` and `params`; the others are
    // fields of the parameter struct.
    let mut arguments: BTreeSet<String> = ["body", "params", "self"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut fields = BTreeSet::new();
    let wires: Vec<&str> = op.params.iter().map(|p| p.wire.as_str()).collect();
    for (i, wanted) in exact_names_first(&wires, "param") {
        let param = &mut op.params[i];
        let location = format!(
            "{}/parameters/{}/{}",
            at.as_str(),
            param.wire,
            param.location as u8
        );
        let taken = if param.location == ParamLocation::Path {
            &mut arguments
        } else {
            &mut fields
        };
        param.name = claim(taken, wanted, &location, Case::Snake);
    }
    // Header names differ only in case when they collide; the first keeps the name.
    let mut headers = BTreeSet::new();
    let wires: Vec<&str> = op.headers.iter().map(|h| h.wire.as_str()).collect();
    for (i, wanted) in exact_names_first(&wires, "header") {
        let header = &mut op.headers[i];
        let location = format!("{}/responses/headers/{}", at.as_str(), header.wire);
        header.name = claim(&mut headers, wanted, &location, Case::Snake);
    }
}

/// The words a union variant is named by: its type's name, or what its shape is.
fn variant_label(api: &Api, union: &Pointer, shape: &Shape) -> String {
    match shape {
        // A type made for this alternative is named after the union; its own words (a title, or
        // its position) are enough for the variant.
        Shape::Ref(target) => match api.types.get(target) {
            Some(def) => match &def.hint {
                NameHint::Child {
                    parent: Parent::Type(parent),
                    suffix,
                } if parent == union => suffix.clone(),
                _ => def.name.clone(),
            },
            None => String::new(),
        },
        Shape::Nullable(inner) | Shape::Boxed(inner) => variant_label(api, union, inner),
        Shape::Array(inner) => format!("{} list", variant_label(api, union, inner)),
        Shape::Map(inner) => format!("{} map", variant_label(api, union, inner)),
        Shape::Tuple(_) => "tuple".to_owned(),
        Shape::Any => "value".to_owned(),
        Shape::Bool => "boolean".to_owned(),
        Shape::Int(_) => "integer".to_owned(),
        Shape::Float(_) => "number".to_owned(),
        Shape::String => "string".to_owned(),
        Shape::DateTime => "date time".to_owned(),
        Shape::Date => "date".to_owned(),
        Shape::Uuid => "uuid".to_owned(),
        Shape::Base64 => "bytes".to_owned(),
        Shape::Binary => "binary".to_owned(),
        Shape::External(path) => {
            let bare = path.split('<').next().unwrap_or(path);
            bare.rsplit("::").next().unwrap_or(bare).trim().to_owned()
        }
    }
}

/// Indices in naming order: a wire name that already is its Rust name keeps it over a
/// look-alike (`foo_bar` before `fooBar`); otherwise the order given.
/// Each comes with its wanted Rust name (computed once: it is the costly part of naming).
fn exact_names_first(wires: &[&str], fallback: &str) -> Vec<(usize, String)> {
    let mut order: Vec<(usize, String)> = wires
        .iter()
        .enumerate()
        .map(|(i, wire)| (i, ident::value_name(wire, fallback)))
        .collect();
    // A stable sort: ties keep the order given.
    order.sort_by_key(|(i, name)| name != wires[*i]);
    order
}

fn name_servers(api: &mut Api) {
    let mut taken = BTreeSet::new();
    for (i, server) in api.servers.iter_mut().enumerate() {
        let source = match &server.description {
            Some(d) if !d.trim().is_empty() => d.clone(),
            _ => server
                .url
                .split_once("://")
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_else(|| server.url.clone()),
        };
        let wanted = ident::const_name(&source, "SERVER");
        let location = format!("/servers/{i}");
        server.name = claim(&mut taken, wanted, &location, Case::Screaming);
    }
}

fn name_security_schemes(api: &mut Api) {
    let mut taken: BTreeSet<String> = BUILDER_METHODS.iter().map(|s| s.to_string()).collect();
    for (name, scheme) in api.security_schemes.iter_mut() {
        let fallback = match scheme.kind {
            SchemeKind::Basic => "basic_auth",
            SchemeKind::Bearer => "bearer_auth",
            SchemeKind::ApiKey { .. } => "api_key",
        };
        let location = format!("/components/securitySchemes/{name}");
        scheme.method = claim(
            &mut taken,
            ident::value_name(name, fallback),
            &location,
            Case::Snake,
        );
    }
    // Then the methods named after them, so that a scheme's own name never yields to another's
    // derived one.
    for (name, scheme) in api.security_schemes.iter_mut() {
        let location = format!("/components/securitySchemes/{name}");
        // `type_` (a keyword's escape) gives `type_provider`.
        let stem = scheme.method.trim_start_matches("r#").trim_end_matches('_');
        let wanted = format!("{stem}_provider");
        scheme.provider_method = claim(&mut taken, wanted, &location, Case::Snake);
        for flow in &mut scheme.token_flows {
            let wanted = format!("{stem}_{}", flow.grant.suffix());
            flow.method = claim(&mut taken, wanted, &flow.at, Case::Snake);
        }
    }
}

#[cfg(test)]
mod tests;
