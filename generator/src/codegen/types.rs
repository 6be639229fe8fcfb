//! Named types: structs (with a constructor taking the required fields and a setter per optional
//! one), open enums (unknown values kept), aliases, and the parameter struct of each operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::shape::{Scope, rust_type, type_imports};
use super::type_docs::{field_doc, field_facts, item_doc, or_facts, param_facts};
use super::{Code, Fragment, docs, enums, objects, syntax, validate};
use crate::ident;
use crate::ir::{
    Api, Constraints, Directions, Field, Operation, ParamLocation, Shape, Struct, TypeDef, TypeKind,
};
use crate::pointer::Pointer;

/// The file of one named type.
pub(crate) fn type_file(api: &Api, at: &Pointer, def: &TypeDef) -> Code {
    let module_doc = docs::inner_attrs(&[format!("The `{}` type, from `{at}`.", def.name)]);
    let (items, shapes): (Vec<Fragment>, Vec<&Shape>) = match &def.kind {
        TypeKind::Struct(s) => {
            let shapes = s
                .fields
                .iter()
                .map(|f| &f.shape)
                .chain(&s.additional)
                .collect();
            let mut items = struct_item(&schema_struct(api, def, s));
            items.extend(validate::struct_impl(api, def, s).map(Fragment::Tokens));
            (items, shapes)
        }
        TypeKind::Enum(e) => (enums::enum_item(api, def, e), Vec::new()),
        TypeKind::Union(u) => {
            let item = enums::union_item(api, def, u);
            let validate = validate::union_impl(api, def, u);
            (
                vec![Fragment::Tokens(quote!(#item #validate))],
                u.variants.iter().map(|v| &v.shape).collect(),
            )
        }
        TypeKind::Alias(shape) => (
            vec![Fragment::Tokens(alias_item(api, def, shape))],
            vec![shape],
        ),
    };
    file(module_doc, type_imports(api, shapes, Some(at)), items)
}

/// A file of the `types` module: its doc and imports, then its items.
fn file(module_doc: TokenStream, imports: TokenStream, items: Vec<Fragment>) -> Code {
    let mut code = vec![Fragment::Tokens(quote! {
        #module_doc
        #imports
    })];
    code.extend(items);
    Code(code)
}

/// The file of an operation's parameter struct (query, header and cookie parameters).
pub(crate) fn params_file(api: &Api, op: &Operation) -> Code {
    let fields: Vec<FieldSpec> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| FieldSpec {
            name: p.name.clone(),
            wire: p.wire.clone(),
            ty: rust_type(api, strip_nullable(&p.shape), Scope::Types),
            presence: if p.required {
                Presence::Required
            } else {
                Presence::Optional
            },
            sensitive: p.sensitive,
            read_only: false,
            deprecated: p.doc.deprecated,
            doc: or_facts(field_doc(&p.doc, &p.constraints, None, p.sensitive), || {
                param_facts(p)
            }),
            fixed: None,
        })
        .collect();
    let method = &op.name;
    let spec = StructSpec {
        name: op.params_type.clone(),
        doc: vec![format!(
            "Query, header and cookie parameters of {}.",
            super::method_link(api, op)
        )],
        fields,
        additional: None,
        serde: None,
        custom: Vec::new(),
    };
    let module_doc = docs::inner_attrs(&[format!("The parameters of `{method}`.")]);
    let glob = type_imports(
        api,
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .map(|p| &p.shape),
        None,
    );
    let mut items = struct_item(&spec);
    items.extend(validate::params_impl(api, op).map(Fragment::Tokens));
    file(module_doc, glob, items)
}

/// The file of the struct of headers an operation's responses declare.
pub(crate) fn headers_file(api: &Api, op: &Operation) -> Code {
    let fields: Vec<FieldSpec> = op
        .headers
        .iter()
        .map(|h| {
            let mut doc = vec![format!("`{}`", h.wire)];
            doc.extend(field_doc(
                &h.doc,
                &Constraints::default(),
                None,
                h.sensitive,
            ));
            FieldSpec {
                name: h.name.clone(),
                wire: h.wire.clone(),
                ty: rust_type(api, strip_nullable(&h.shape), Scope::Types),
                presence: Presence::Optional,
                sensitive: h.sensitive,
                read_only: false,
                deprecated: h.doc.deprecated,
                doc,
                fixed: None,
            }
        })
        .collect();
    let method = &op.name;
    let spec = StructSpec {
        name: op.headers_type.clone(),
        doc: vec![
            format!(
                "The headers that responses of {} declare.",
                super::method_link(api, op)
            ),
            "A successful response has them parsed in `typed_headers()`; for an error, read them \
             with `from_headers(error.headers())`. Each is `None` when the response lacks it or \
             its value does not parse; the raw headers are always there too."
                .to_owned(),
        ],
        fields,
        additional: None,
        serde: None,
        custom: Vec::new(),
    };
    let module_doc = docs::inner_attrs(&[format!("The response headers of `{method}`.")]);
    let name = ident::ident(&op.headers_type);
    let reads = op.headers.iter().map(|h| {
        let field = ident::ident(&h.name);
        let wire = &h.wire;
        quote!(#field: crate::runtime::header_value(headers, #wire),)
    });
    let glob = type_imports(api, op.headers.iter().map(|h| &h.shape), None);
    let mut items = struct_item(&spec);
    items.push(Fragment::Tokens(quote! {
        impl #name {
            /// Reads the declared headers from a response's headers.
            pub fn from_headers(headers: &crate::runtime::HeaderMap) -> Self {
                Self {
                    #(#reads)*
                }
            }
        }

        impl crate::runtime::FromHeaders for #name {
            fn from_headers(headers: &crate::runtime::HeaderMap) -> Self {
                Self::from_headers(headers)
            }
        }
    }));
    file(module_doc, glob, items)
}

/// Whether a field is required, and whether it may be `null`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Presence {
    /// `T`
    Required,
    /// `Option<T>`: required but may be `null`.
    RequiredNullable,
    /// `Option<T>`, omitted when `None`.
    Optional,
    /// `Option<Option<T>>`: absent, `null`, or a value.
    OptionalNullable,
    /// Required in requests but write-only, so absent from responses: `Option<T>`, set by the
    /// constructor.
    RequiredWriteOnly,
}

impl Presence {
    /// Whether the constructor takes the field.
    fn in_constructor(self) -> bool {
        matches!(
            self,
            Presence::Required | Presence::RequiredNullable | Presence::RequiredWriteOnly
        )
    }
}

/// A struct to generate, from a schema or from an operation's parameters.
struct StructSpec {
    name: String,
    doc: Vec<String>,
    fields: Vec<FieldSpec>,
    /// The field collecting extra properties, and the type of their values.
    additional: Option<(String, syn::Type)>,
    /// The ways a schema's values travel, which decide its serde derives; `None` for parameters
    /// and headers, which serde never sees whole.
    serde: Option<Directions>,
    /// The derives and attributes the configuration adds.
    custom: Vec<syn::Attribute>,
}

struct FieldSpec {
    name: String,
    wire: String,
    /// The type without the `Option`s that `presence` adds.
    ty: syn::Type,
    presence: Presence,
    sensitive: bool,
    /// Read-only: sent by the server, never serialized.
    read_only: bool,
    deprecated: bool,
    doc: Vec<String>,
    /// The value the constructor gives a field that can hold one value only (and the wire text
    /// of that value).
    fixed: Option<(syn::Expr, String)>,
}

impl FieldSpec {
    fn full_type(&self) -> syn::Type {
        let ty = self.ty.clone();
        match self.presence {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional | Presence::RequiredWriteOnly => {
                syntax::generic("Option", ty)
            }
            Presence::OptionalNullable => syntax::generic("Option", syntax::generic("Option", ty)),
        }
    }

    /// The argument type of the constructor or setter.
    fn argument_type(&self) -> syn::Type {
        let ty = self.ty.clone();
        match self.presence {
            Presence::Required
            | Presence::Optional
            | Presence::RequiredWriteOnly
            | Presence::OptionalNullable => ty,
            Presence::RequiredNullable => syntax::generic("Option", ty),
        }
    }
}

fn schema_struct(api: &Api, def: &TypeDef, s: &Struct) -> StructSpec {
    let fields = s
        .fields
        .iter()
        .map(|f| schema_field(api, f, def.directions))
        .collect();
    let additional = s.additional.as_ref().map(|shape| {
        (
            s.additional_name.clone(),
            rust_type(api, shape, Scope::Types),
        )
    });
    StructSpec {
        name: def.name.clone(),
        doc: item_doc(api, def),
        fields,
        additional,
        serde: Some(def.directions),
        custom: super::custom_attrs(def),
    }
}

/// How a schema field is held, and its shape without the `Option`s that adds. In a type that
/// is only received (`owner`), an optional nullable field is one `Option`: absent and `null`
/// mean the same to a reader, and only a request needs to tell them apart (to clear a value).
pub(super) fn field_presence(field: &Field, owner: Directions) -> (Presence, &Shape) {
    let (nullable, shape) = match &field.shape {
        Shape::Nullable(inner) => (true, inner.as_ref()),
        other => (false, other),
    };
    // A read-only field is never required from users; a required write-only one is required
    // from users but absent from responses.
    let required = field.required && !field.read_only;
    let presence = match (required, nullable, field.write_only) {
        (true, _, true) => Presence::RequiredWriteOnly,
        (true, false, false) => Presence::Required,
        (true, true, false) => Presence::RequiredNullable,
        (false, false, _) => Presence::Optional,
        (false, true, _) if !owner.sent => Presence::Optional,
        (false, true, _) => Presence::OptionalNullable,
    };
    (presence, shape)
}

fn schema_field(api: &Api, field: &Field, owner: Directions) -> FieldSpec {
    let (presence, shape) = field_presence(field, owner);
    let ty = rust_type(api, shape, Scope::Types);
    let fixed = filled_in(api, field, owner).zip(field.fixed.clone());
    FieldSpec {
        name: field.name.clone(),
        wire: field.wire.clone(),
        ty,
        fixed,
        presence,
        sensitive: field.sensitive,
        read_only: field.read_only,
        deprecated: field.doc.deprecated,
        doc: or_facts(
            field_doc(
                &field.doc,
                &field.constraints,
                field.default.as_ref(),
                field.sensitive,
            ),
            || field_facts(field, presence, owner.sent),
        ),
    }
}

/// The value a constructor gives `field` instead of asking for it: a required field that can
/// hold one value only.
pub(super) fn filled_in(api: &Api, field: &Field, owner: Directions) -> Option<syn::Expr> {
    let (presence, shape) = field_presence(field, owner);
    if presence != Presence::Required {
        return None;
    }
    let ty = rust_type(api, shape, Scope::Types);
    fixed_value(api, shape, &ty, field.fixed.as_deref()?)
}

/// The expression of a fixed value: the enum's variant for it, or the string.
fn fixed_value(api: &Api, shape: &Shape, ty: &syn::Type, value: &str) -> Option<syn::Expr> {
    match api.resolve_alias(shape) {
        Shape::Ref(target) => {
            let TypeKind::Enum(e) = &api.types.get(target)?.kind else {
                return None;
            };
            let variant = e.variants.iter().find(|v| v.value.text() == value)?;
            let syn::Type::Path(path) = ty else {
                return None;
            };
            let mut path = path.path.clone();
            path.segments.push(ident::ident(&variant.name).into());
            Some(syntax::path_value(path))
        }
        Shape::String => Some(syntax::string_from(value)),
        _ => None,
    }
}

/// A struct and its inherent impl (constructor and setters), built as syntax trees (there are
/// tens of thousands of fields and setters in a large spec), then its redacting `Debug` if it
/// has sensitive fields.
fn struct_item(spec: &StructSpec) -> Vec<Fragment> {
    let name = ident::ident(&spec.name);
    let mut fields: Vec<syn::Field> = spec.fields.iter().map(field_item).collect();
    fields.extend(additional_field(spec));
    let mut functions = vec![constructor(spec)];
    functions.extend(
        spec.fields
            .iter()
            .filter(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable))
            .flat_map(setters),
    );
    let items = vec![
        syntax::struct_item(struct_attrs(spec), name.clone(), fields),
        syntax::inherent_impl(name, functions),
    ];
    let sensitive = spec.fields.iter().any(|f| f.sensitive);
    let mut code = vec![Fragment::Items(items)];
    code.extend(sensitive.then(|| Fragment::Tokens(redacting_debug(spec))));
    code.extend(spec.serde.map(|d| Fragment::Items(serde_impls(spec, d))));
    code
}

/// The struct's `Serialize` and `Deserialize` impls, each gated on `full-serde` if its
/// direction never carries the struct.
fn serde_impls(spec: &StructSpec, directions: Directions) -> Vec<syn::Item> {
    let fields: Vec<_> = spec
        .fields
        .iter()
        .map(|f| objects::ObjectField {
            name: &f.name,
            wire: &f.wire,
            read: read(f.presence),
            write: write(f),
        })
        .collect();
    let additional = spec.additional.as_ref().map(|(name, _)| name.as_str());
    let (sent, received) = super::serde_cfg_attrs(directions);
    let mut items = vec![objects::serialize_impl(
        &spec.name, &fields, additional, &sent,
    )];
    items.extend(objects::deserialize_impl(
        &spec.name, &fields, additional, &received,
    ));
    items
}

/// What a field's slot becomes after `Deserialize` has read the map.
fn read(presence: Presence) -> objects::Read {
    match presence {
        Presence::Required => objects::Read::Take,
        Presence::RequiredNullable | Presence::Optional | Presence::RequiredWriteOnly => {
            objects::Read::Flatten
        }
        Presence::OptionalNullable => objects::Read::Slot,
    }
}

/// How `Serialize` writes a field: never if it is read-only, only when set if it is optional.
fn write(field: &FieldSpec) -> objects::Write {
    match field.presence {
        _ if field.read_only => objects::Write::Never,
        Presence::Required | Presence::RequiredNullable => objects::Write::Always,
        Presence::Optional | Presence::RequiredWriteOnly => objects::Write::IfSet,
        Presence::OptionalNullable => objects::Write::Nullable,
    }
}

/// A struct's doc, derives and `#[non_exhaustive]`. `Debug` is derived unless a field is
/// sensitive, `Default` when no field is required.
fn struct_attrs(spec: &StructSpec) -> Vec<syn::Attribute> {
    let sensitive = spec.fields.iter().any(|f| f.sensitive);
    let all_optional = spec
        .fields
        .iter()
        .all(|f| f.presence != Presence::Required && f.presence != Presence::RequiredNullable);
    let debug = (!sensitive).then(|| quote!(Debug,));
    let default = all_optional.then(|| quote!(Default,));
    let mut attrs = docs::attr_trees(&spec.doc);
    attrs.push(syntax::list_attr(
        "derive",
        quote!(Clone, #debug PartialEq, #default),
    ));
    attrs.push(syntax::word_attr("non_exhaustive"));
    attrs.extend(spec.custom.iter().cloned());
    attrs
}

/// The map of properties not listed, if the struct keeps them.
fn additional_field(spec: &StructSpec) -> Option<syn::Field> {
    let (field, ty) = spec.additional.as_ref()?;
    let attrs = syntax::doc_attrs([" Properties not listed above."]);
    let ty = syntax::absolute(
        &["std", "collections", "BTreeMap"],
        vec![syntax::named("String"), ty.clone()],
    );
    Some(syntax::field(attrs, ident::ident(field), ty))
}

fn field_item(field: &FieldSpec) -> syn::Field {
    let mut attrs = docs::attr_trees(&field.doc);
    if field.deprecated {
        attrs.push(syntax::word_attr("deprecated"));
    }
    syntax::field(attrs, ident::ident(&field.name), field.full_type())
}

fn constructor(spec: &StructSpec) -> syn::ImplItemFn {
    let arguments = spec
        .fields
        .iter()
        .filter(|f| f.presence.in_constructor() && f.fixed.is_none())
        .map(|f| syntax::into_argument(ident::ident(&f.name), f.argument_type()))
        .collect::<Vec<_>>();
    let mut inits: Vec<(proc_macro2::Ident, syn::Expr)> = spec
        .fields
        .iter()
        .map(|f| {
            let name = ident::ident(&f.name);
            let value = match f.presence {
                _ if f.fixed.is_some() => f
                    .fixed
                    .as_ref()
                    .map_or_else(|| syntax::variable("None"), |(value, _)| value.clone()),
                Presence::Required | Presence::RequiredNullable => syntax::into_call(name.clone()),
                Presence::RequiredWriteOnly => {
                    syntax::call("Some", syntax::into_call(name.clone()))
                }
                Presence::Optional | Presence::OptionalNullable => syntax::variable("None"),
            };
            (name, value)
        })
        .collect();
    if let Some((field, _)) = &spec.additional {
        inits.push((ident::ident(field), syntax::new_map()));
    }
    let fixed: Vec<String> = spec
        .fields
        .iter()
        .filter_map(|f| {
            f.fixed
                .as_ref()
                .map(|(_, text)| format!("`{}` to `{text:?}`", f.name))
        })
        .collect();
    let mut doc = if arguments.is_empty() && fixed.is_empty() {
        format!(" Creates `{}` with every field unset.", spec.name)
    } else {
        format!(
            " Creates `{}` from its required fields; the optional ones start unset.",
            spec.name
        )
    };
    if !fixed.is_empty() {
        let which = if fixed.len() == 1 {
            "the one value"
        } else {
            "the values"
        };
        doc.push_str(&format!(
            " It sets {}, {which} the API description gives it.",
            fixed.join(" and ")
        ));
    }
    syntax::constructor(doc, arguments, inits)
}

/// `with_<field>`, and for a field that may be sent as `null`, `clear_<field>` as well.
fn setters(field: &FieldSpec) -> Vec<syn::ImplItemFn> {
    let nullable = field.presence == Presence::OptionalNullable;
    let doc = match nullable {
        true => format!(
            " Sets `{}` (`{}` sends `null` instead).",
            field.name,
            ident::clearer_name(&field.name)
        ),
        false => format!(" Sets `{}`.", field.name),
    };
    let mut out = vec![syntax::setter(
        doc,
        ident::ident(&ident::setter_name(&field.name)),
        ident::ident(&field.name),
        field.argument_type(),
        nullable,
    )];
    if nullable {
        let doc = format!(
            " Sends `{}` as `null`, which an API reads as clearing it.",
            field.name
        );
        out.push(syntax::clearer(
            doc,
            ident::ident(&ident::clearer_name(&field.name)),
            ident::ident(&field.name),
        ));
    }
    out
}

/// `Debug` that prints `[redacted]` for sensitive fields.
fn redacting_debug(spec: &StructSpec) -> TokenStream {
    let name = ident::ident(&spec.name);
    let name_text = &spec.name;
    let fields = spec.fields.iter().map(|f| {
        let field = ident::ident(&f.name);
        let label = &f.name;
        if f.sensitive {
            quote!(.field(#label, &crate::runtime::redacted(&self.#field)))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let additional = spec.additional.as_ref().map(|(field, _)| {
        let ident = ident::ident(field);
        quote!(.field(#field, &self.#ident))
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_text)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

fn alias_item(api: &Api, def: &TypeDef, shape: &Shape) -> TokenStream {
    let name = ident::ident(&def.name);
    let doc = docs::attrs(&item_doc(api, def));
    let ty = rust_type(api, shape, Scope::Types);
    quote! {
        #doc
        pub type #name = #ty;
    }
}

fn strip_nullable(shape: &Shape) -> &Shape {
    match shape {
        Shape::Nullable(inner) => inner,
        other => other,
    }
}
