//! The naming pass's policies: what wins a contested name, what a loser gets, and the names
//! the runtime keeps for itself.

use super::*;

/// The methods of every `impl <ty>` block in the runtime's sources (inherent methods of a
/// type share one namespace, whatever their visibility).
fn runtime_methods(ty: &str) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for (_, source) in crate::runtime_files::FILES {
        let file = syn::parse_file(source).expect("runtime source parses");
        for item in file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let is_ty = matches!(&*block.self_ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == ty));
            if block.trait_.is_none() && is_ty {
                for member in block.items {
                    if let syn::ImplItem::Fn(f) = member {
                        methods.insert(f.sig.ident.to_string());
                    }
                }
            }
        }
    }
    methods
}

#[test]
fn group_accessors_cannot_take_a_method_of_the_runtime_client() {
    let methods = runtime_methods("Client");
    assert!(methods.contains("execute"), "{methods:?}");
    let listed: BTreeSet<String> = CLIENT_OWN_METHODS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        methods, listed,
        "CLIENT_OWN_METHODS must list the runtime client's methods"
    );
}

#[test]
fn credential_setters_cannot_take_a_method_of_the_runtime_builder() {
    let methods = runtime_methods("ClientBuilder");
    assert!(methods.contains("token_endpoint"), "{methods:?}");
    let listed: BTreeSet<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        methods, listed,
        "BUILDER_METHODS must list the runtime builder's methods"
    );
}

fn words(group: &[&str]) -> BTreeSet<String> {
    group.iter().map(|w| w.to_string()).collect()
}

#[test]
fn methods_leave_out_what_their_group_says() {
    let cases = [
        ("api_magic_v1_create", &["magic"][..], Some("create")),
        (
            "api_magic_v1_magic_links_email_send",
            &["magic", "links"][..],
            Some("email_send"),
        ),
        ("repos_list_for_org", &["repos"][..], Some("list_for_org")),
        ("users_user_list_user", &["users", "user"][..], Some("list")),
        (
            "post_payment_intents_intent_capture",
            &["payment", "intents"][..],
            Some("post_intent_capture"),
        ),
        ("create_pet", &["pets"][..], Some("create_pet")),
        // Nothing, a keyword or a leading digit left: the whole name.
        ("ping", &["ping"][..], None),
        ("users_type", &["users"][..], None),
        ("users_2fa", &["users"][..], None),
    ];
    for (name, group, expected) in cases {
        assert_eq!(
            short_method_name(name, &words(group)).as_deref(),
            expected,
            "{name} in {group:?}"
        );
    }
}

/// The named API of a small spec: lowered, then every pass run, as generation does.
fn named(spec: serde_json::Value) -> (Api, Vec<Diagnostic>) {
    let (mut api, lowered) = crate::lower::lower(&spec, None);
    let mut diags = Diagnostics::default();
    diags.extend(lowered);
    crate::passes::run(&mut api, &mut diags, None, &Default::default());
    (api, diags.into_sorted())
}

/// A spec with these component schemas and operations (`paths`).
fn spec(schemas: serde_json::Value, paths: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "openapi": "3.0.3",
        "info": { "title": "t", "version": "1" },
        "paths": paths,
        "components": { "schemas": schemas },
    })
}

/// An operation with this id and tags that answers 204.
fn op(id: &str, tags: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "operationId": id,
        "tags": tags,
        "responses": { "204": { "description": "done" } },
    })
}

fn type_name(api: &Api, at: &str) -> String {
    api.types[&Pointer::from_escaped(at)].name.clone()
}

#[test]
fn a_free_name_is_taken_as_wanted_and_a_contested_one_gets_a_hash_of_its_own_place() {
    let mut taken = BTreeSet::new();
    assert_eq!(claim(&mut taken, "pet".into(), "/a", Case::Snake), "pet");
    let b = claim(&mut taken, "pet".into(), "/b", Case::Snake);
    assert_eq!(b, ident::disambiguated("pet", "/b", Case::Snake));
    let c = claim(&mut taken, "pet".into(), "/c", Case::Snake);
    assert_ne!(b, c);
    // The loser's name depends on its place only, not on who else lost before it.
    let mut other_order = BTreeSet::from(["pet".to_owned()]);
    claim(&mut other_order, "pet".into(), "/c", Case::Snake);
    assert_eq!(claim(&mut other_order, "pet".into(), "/b", Case::Snake), b);
    // A hashed name that is taken too is hashed again, with a salted place.
    let mut crowded = BTreeSet::from(["pet".to_owned(), b.clone()]);
    let again = claim(&mut crowded, "pet".into(), "/b", Case::Snake);
    assert!(
        again != b && again != "pet" && again.starts_with(&b),
        "{again}"
    );
    assert!(crowded.contains(&again));
}

#[test]
fn a_component_schema_keeps_its_name_over_an_inline_one() {
    let object =
        serde_json::json!({ "type": "object", "properties": { "id": { "type": "string" } } });
    let schemas = serde_json::json!({
        "Pet": { "type": "object", "properties": { "owner": object } },
        "PetOwner": object,
    });
    let (api, _) = named(spec(schemas, serde_json::json!({})));
    assert_eq!(type_name(&api, "/components/schemas/PetOwner"), "PetOwner");
    let inline = "/components/schemas/Pet/properties/owner";
    assert_eq!(
        type_name(&api, inline),
        ident::disambiguated("PetOwner", inline, Case::Camel)
    );
}

#[test]
fn an_unrelated_addition_renames_nothing() {
    let object =
        serde_json::json!({ "type": "object", "properties": { "id": { "type": "string" } } });
    let mut schemas = serde_json::json!({
        "Pet": { "type": "object", "properties": { "owner": object, "toy": object } },
        "PetOwner": object,
    });
    let names = |api: &Api| -> BTreeMap<String, String> {
        (api.types.iter())
            .map(|(at, def)| (at.as_str().to_owned(), def.name.clone()))
            .collect()
    };
    let (before, _) = named(spec(schemas.clone(), serde_json::json!({})));
    schemas["PetToy"] = object.clone();
    schemas["Aardvark"] = object;
    let (after, _) = named(spec(schemas, serde_json::json!({})));
    let (before, mut after) = (names(&before), names(&after));
    after.remove("/components/schemas/PetToy");
    after.remove("/components/schemas/Aardvark");
    // `Pet.toy` wanted `PetToy` and now yields it to the component, the one rename allowed.
    let toy = "/components/schemas/Pet/properties/toy";
    assert_eq!(before[toy], "PetToy");
    assert_ne!(after[toy], "PetToy");
    after.remove(toy);
    let mut before = before;
    before.remove(toy);
    assert_eq!(before, after);
}

#[test]
fn an_exact_wire_name_keeps_its_field_name_over_a_look_alike() {
    let schemas = serde_json::json!({
        "Pet": { "type": "object", "properties": {
            "fooBar": { "type": "string" },
            "foo_bar": { "type": "string" },
        } },
    });
    let (api, _) = named(spec(schemas, serde_json::json!({})));
    let TypeKind::Struct(pet) = &api.types[&Pointer::from_escaped("/components/schemas/Pet")].kind
    else {
        panic!("Pet is a struct");
    };
    let field = |wire: &str| {
        let found = pet.fields.iter().find(|f| f.wire == wire);
        found.map(|f| f.name.clone()).unwrap_or_default()
    };
    assert_eq!(field("foo_bar"), "foo_bar");
    assert!(
        field("fooBar").starts_with("foo_bar_"),
        "{}",
        field("fooBar")
    );
}

#[test]
fn an_operation_id_used_twice_names_neither() {
    let paths = serde_json::json!({
        "/pets": { "get": op("list", &["pets"]) },
        "/owners": { "get": op("list", &["pets"]) },
    });
    let (api, diags) = named(spec(serde_json::json!({}), paths));
    let names: BTreeSet<&str> = api.operations.values().map(|o| o.name.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["get_owners", "get_pets"]));
    let warned: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(warned.len(), 2, "{warned:#?}");
    assert!(
        warned[0].contains("~1owners/get/operationId"),
        "{warned:#?}"
    );
    assert!(warned[0].contains("used by 2 operations"), "{warned:#?}");
}

#[test]
fn a_group_named_like_a_client_method_gets_a_suffix_not_a_hash() {
    let paths = serde_json::json!({
        "/a": { "get": op("run_job", &["execute"]) },
        "/b": { "get": op("copy_job", &["clone"]) },
        "/c": { "get": op("list_pets", &["pets"]) },
    });
    let (api, _) = named(spec(serde_json::json!({}), paths));
    let modules: BTreeSet<&str> = api.groups.iter().map(|g| g.module.as_str()).collect();
    assert_eq!(
        modules,
        BTreeSet::from(["clone_api", "execute_api", "pets"])
    );
}

#[test]
fn a_whole_name_claims_its_method_before_a_shortened_one() {
    // In group `pets`, `pets_list` would shorten to `list`, which `list` is already.
    let paths = serde_json::json!({
        "/a": { "get": op("pets_list", &["pets"]) },
        "/b": { "get": op("list", &["pets"]) },
    });
    let (api, _) = named(spec(serde_json::json!({}), paths));
    let methods: BTreeMap<&str, &str> = (api.operations.values())
        .map(|o| (o.name.as_str(), o.method_name.as_str()))
        .collect();
    assert_eq!(
        methods,
        BTreeMap::from([("list", "list"), ("pets_list", "pets_list")])
    );
}
