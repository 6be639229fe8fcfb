//! The serde impls of a struct, one line per field calling the runtime's `ser` and `de` modules
//! for everything fields share. They write and read what `#[derive(Serialize, Deserialize)]`
//! would, in a fraction of the code the compiler has to check (the `Deserialize` derive alone
//! writes a field enum, three key visitors and a sequence visitor for every struct).

use quote::format_ident;

use super::{expr, syntax};
use crate::ident;

/// A field as deserialization sees it.
pub(super) struct ObjectField<'a> {
    /// The Rust field.
    pub name: &'a str,
    /// Its key on the wire.
    pub wire: &'a str,
    /// What its slot (an `Option` of what was read) becomes.
    pub read: Read,
    /// How `Serialize` writes it.
    pub write: Write,
}

/// What a field's slot becomes once the map has ended.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Read {
    /// The value read, or what absence means for the type (`de::take`): a required field.
    Take,
    /// `Option<T>`: absent and `null` are both `None` (the slot, flattened).
    Flatten,
    /// `Option<Option<T>>`: the slot as it is, so absent is `None` and `null` is `Some(None)`.
    Slot,
}

/// How a field is serialized.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Write {
    /// Always, as it is.
    Always,
    /// An `Option`, when it is `Some`.
    IfSet,
    /// An `Option<Option<T>>`, when it is `Some`: `Some(None)` as `null`.
    Nullable,
    /// Never: a read-only field.
    Never,
}

thread_local! {
    /// The fixed parts of the three impls, parsed once per thread (see `expr::instance`).
    static SERIALIZE: syn::ItemImpl = syn::parse_quote! {
        impl ::serde::Serialize for Self {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use crate::runtime::ser;
            }
        }
    };
    static DESERIALIZE: syn::ItemImpl = syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for Self {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::de::object(deserializer)
            }
        }
    };
    static OBJECT: syn::ItemImpl = syn::parse_quote! {
        impl crate::runtime::de::Object for Self {
            const EXPECTING: &'static str = "";

            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                use crate::runtime::de;
            }
        }
    };
}

/// `impl Serialize for name`, with `cfg` (the `full-serde` gate of a type no request carries,
/// or nothing).
pub(super) fn serialize_impl(
    name: &str,
    fields: &[ObjectField<'_>],
    additional: Option<&str>,
    cfg: &[syn::Attribute],
) -> syn::Item {
    let written: Vec<_> = fields.iter().filter(|f| f.write != Write::Never).collect();
    let start = match additional {
        Some(_) => expr::call(&["ser", "start_map"], vec![syntax::variable("serializer")]),
        None => {
            let always = written.iter().filter(|f| f.write == Write::Always).count();
            let set = written
                .iter()
                .filter(|f| f.write != Write::Always)
                .map(|f| expr::method_call(self_field(f.name), "is_some", Vec::new()))
                .collect();
            let args = vec![
                syntax::variable("serializer"),
                expr::string(name),
                expr::int(always),
                expr::slice(set),
            ];
            expr::call(&["ser", "start"], args)
        }
    };
    let mutable = !written.is_empty() || additional.is_some();
    let mut body = vec![expr::let_(
        syntax::word("fields"),
        mutable,
        expr::try_(start),
    )];
    body.extend(written.iter().map(|f| {
        let method = match f.write {
            Write::Always | Write::Never => "field",
            Write::IfSet => "optional",
            Write::Nullable => "nullable",
        };
        let args = vec![
            expr::string(f.wire),
            expr::borrow(self_field(f.name), false),
        ];
        expr::stmt(expr::method_call(syntax::variable("fields"), method, args))
    }));
    body.extend(additional.map(|field| {
        let args = vec![expr::borrow(self_field(field), false)];
        expr::stmt(expr::method_call(syntax::variable("fields"), "extra", args))
    }));
    body.push(expr::bare(expr::method_call(
        syntax::variable("fields"),
        "end",
        Vec::new(),
    )));
    SERIALIZE.with(|t| expr::instance(t, cfg.to_vec(), ident::ident(name), Vec::new(), body))
}

/// `self.field`.
fn self_field(name: &str) -> syn::Expr {
    expr::self_member(ident::ident(name))
}

/// `impl Deserialize for name` and the `Object` impl it calls, with `cfg` (the `full-serde`
/// gate of a type no response carries, or nothing). `additional` names the field that keeps
/// the keys not listed.
pub(super) fn deserialize_impl(
    name: &str,
    fields: &[ObjectField<'_>],
    additional: Option<&str>,
    cfg: &[syn::Attribute],
) -> [syn::Item; 2] {
    let ty = ident::ident(name);
    let deserialize =
        DESERIALIZE.with(|t| expr::instance(t, cfg.to_vec(), ty.clone(), Vec::new(), Vec::new()));
    let expecting = expr::string(&format!("struct {name}"));
    let body = from_map_body(fields, additional);
    let object = OBJECT.with(|t| expr::instance(t, cfg.to_vec(), ty, vec![expecting], body));
    [deserialize, object]
}

/// The statements of `from_map` after its `use`: a slot per field, the loop over keys, then
/// the struct.
fn from_map_body(fields: &[ObjectField<'_>], additional: Option<&str>) -> Vec<syn::Stmt> {
    let slots = slot_names(fields);
    let mut body: Vec<syn::Stmt> = slots
        .iter()
        .map(|slot| expr::let_(slot.clone(), true, syntax::variable("None")))
        .collect();
    if additional.is_some() {
        body.push(expr::let_(syntax::word("extra"), true, syntax::new_map()));
    }
    body.push(expr::bare(scan(fields, &slots, additional.is_some())));
    let mut values: Vec<_> = fields
        .iter()
        .zip(&slots)
        .map(|(f, slot)| {
            let value = match f.read {
                Read::Take => expr::try_(expr::call(
                    &["de", "take"],
                    vec![slot_value(slot), expr::string(f.wire)],
                )),
                Read::Flatten => expr::method_call(slot_value(slot), "flatten", Vec::new()),
                Read::Slot => slot_value(slot),
            };
            (ident::ident(f.name), value)
        })
        .collect();
    values.extend(additional.map(|field| (ident::ident(field), syntax::variable("extra"))));
    body.push(expr::bare(syntax::call("Ok", expr::self_struct(values))));
    body
}

/// A slot as an expression.
fn slot_value(slot: &proc_macro2::Ident) -> syn::Expr {
    syntax::path_value(slot.clone().into())
}

/// The loop over the map's keys: each listed key read into its slot, any other kept (with
/// `extra`) or skipped.
fn scan(fields: &[ObjectField<'_>], slots: &[proc_macro2::Ident], extra: bool) -> syn::Expr {
    let next_key = || expr::try_(expr::call(&["de", "key"], vec![expr::borrow_mut("map")]));
    let other = if extra {
        let args = vec![
            expr::borrow_mut("map"),
            expr::borrow_mut("extra"),
            syntax::variable("key"),
        ];
        expr::call(&["de", "extra"], args)
    } else {
        expr::call(&["de", "skip"], vec![expr::borrow_mut("map")])
    };
    if fields.is_empty() {
        let body = vec![expr::stmt(expr::try_(other))];
        let cond = if extra {
            expr::let_some("key", next_key())
        } else {
            expr::method_call(next_key(), "is_some", Vec::new())
        };
        return expr::while_(cond, body);
    }
    let mut arms: Vec<_> = fields
        .iter()
        .zip(slots)
        .map(|(f, slot)| {
            let args = vec![
                expr::borrow_mut("map"),
                expr::borrow(slot_value(slot), true),
                expr::string(f.wire),
            ];
            (
                syn::Pat::Lit(syntax::string(f.wire)),
                expr::call(&["de", "field"], args),
            )
        })
        .collect();
    arms.push((syntax::pat_wild(), other));
    let key = expr::method_call(syntax::variable("key"), "as_str", Vec::new());
    let matched = expr::stmt(expr::try_(syntax::match_expr(key, arms)));
    expr::while_(expr::let_some("key", next_key()), vec![matched])
}

/// A local per field, `slot_<field>`: no other local starts so, and adding a field renames no
/// other slot. Underscores are collapsed (a snake-case name has no `__`), and a name two fields
/// would share (`_a` and `a`) gets a number.
fn slot_names(fields: &[ObjectField<'_>]) -> Vec<proc_macro2::Ident> {
    let mut taken = std::collections::BTreeSet::new();
    fields
        .iter()
        .map(|f| {
            let words: Vec<&str> = f.name.split('_').filter(|w| !w.is_empty()).collect();
            let base = format!("slot_{}", words.join("_"));
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            format_ident!("{name}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    fn file(items: impl IntoIterator<Item = syn::Item>) -> syn::File {
        syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: items.into_iter().collect(),
        }
    }

    fn text(items: impl IntoIterator<Item = syn::Item>) -> String {
        prettyplease::unparse(&file(items))
    }

    /// The built impls are the trees parsing their tokens gives: same tokens, same text.
    #[test]
    fn built_impls_are_what_parsing_gives() {
        let fields = [
            ObjectField {
                name: "id",
                wire: "id",
                read: Read::Take,
                write: Write::Always,
            },
            ObjectField {
                name: "tag",
                wire: "tag-name",
                read: Read::Flatten,
                write: Write::IfSet,
            },
            ObjectField {
                name: "note",
                wire: "note",
                read: Read::Slot,
                write: Write::Nullable,
            },
        ];
        let cfg = [syntax::list_attr("cfg", quote!(feature = "full-serde"))];
        let mut built = vec![serialize_impl("Pet", &fields, Some("rest"), &[])];
        built.extend(deserialize_impl("Pet", &fields, Some("rest"), &cfg));
        let tokens = quote! {
            impl ::serde::Serialize for Pet {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    use crate::runtime::ser;
                    let mut fields = ser::start_map(serializer)?;
                    fields.field("id", &self.id);
                    fields.optional("tag-name", &self.tag);
                    fields.nullable("note", &self.note);
                    fields.extra(&self.rest);
                    fields.end()
                }
            }

            #[cfg(feature = "full-serde")]
            impl<'de> ::serde::Deserialize<'de> for Pet {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::runtime::de::object(deserializer)
                }
            }

            #[cfg(feature = "full-serde")]
            impl crate::runtime::de::Object for Pet {
                const EXPECTING: &'static str = "struct Pet";

                fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                    use crate::runtime::de;
                    let mut slot_id = None;
                    let mut slot_tag = None;
                    let mut slot_note = None;
                    let mut extra = ::std::collections::BTreeMap::new();
                    while let Some(key) = de::key(&mut map)? {
                        match key.as_str() {
                            "id" => de::field(&mut map, &mut slot_id, "id"),
                            "tag-name" => de::field(&mut map, &mut slot_tag, "tag-name"),
                            "note" => de::field(&mut map, &mut slot_note, "note"),
                            _ => de::extra(&mut map, &mut extra, key),
                        }?;
                    }
                    Ok(Self {
                        id: de::take(slot_id, "id")?,
                        tag: slot_tag.flatten(),
                        note: slot_note,
                        rest: extra,
                    })
                }
            }
        };
        let built = file(built);
        let parsed: syn::File = syn::parse2(tokens).expect("valid Rust");
        assert_eq!(
            built.to_token_stream().to_string(),
            parsed.to_token_stream().to_string()
        );
        assert_eq!(
            prettyplease::unparse(&built),
            prettyplease::unparse(&parsed)
        );
    }

    #[test]
    fn each_field_is_one_arm_and_one_value() {
        let fields = [
            ObjectField {
                name: "type",
                wire: "type",
                read: Read::Take,
                write: Write::Always,
            },
            ObjectField {
                name: "note",
                wire: "note",
                read: Read::Slot,
                write: Write::Nullable,
            },
        ];
        let code = text(deserialize_impl("Pet", &fields, None, &[]));
        assert!(
            code.contains(r#""type" => de::field(&mut map, &mut slot_type, "type"),"#),
            "{code}"
        );
        assert!(
            code.contains(r#"r#type: de::take(slot_type, "type")?,"#),
            "{code}"
        );
        assert!(code.contains("note: slot_note,"), "{code}");
        assert!(code.contains("_ => de::skip(&mut map),"), "{code}");
        assert!(code.contains(r#"const EXPECTING: &'static str = "struct Pet";"#));
    }

    #[test]
    fn slots_are_snake_case_and_distinct() {
        let field = |name| ObjectField {
            name,
            wire: name,
            read: Read::Flatten,
            write: Write::IfSet,
        };
        let fields = [
            field("_2fa"),
            field("a"),
            field("_a"),
            field("a_2"),
            field("type_"),
        ];
        let names: Vec<String> = slot_names(&fields).iter().map(|i| i.to_string()).collect();
        assert_eq!(
            names,
            ["slot_2fa", "slot_a", "slot_a_2", "slot_a_2_2", "slot_type"]
        );
    }

    #[test]
    fn serialize_counts_the_set_fields_and_leaves_read_only_ones_out() {
        let field = |name, write| ObjectField {
            name,
            wire: name,
            read: Read::Flatten,
            write,
        };
        let fields = [
            field("id", Write::Always),
            field("tag", Write::IfSet),
            field("made", Write::Never),
        ];
        let code = text([serialize_impl("Pet", &fields, None, &[])]);
        assert!(
            code.contains(r#"ser::start(serializer, "Pet", 1, &[self.tag.is_some()])?"#),
            "{code}"
        );
        assert!(code.contains(r#"fields.optional("tag", &self.tag);"#));
        assert!(!code.contains("made"), "{code}");
        let extra = text([serialize_impl("Bag", &[], Some("rest"), &[])]);
        assert!(extra.contains("fields.extra(&self.rest);"), "{extra}");
        assert!(extra.contains("ser::start_map(serializer)?"), "{extra}");
    }

    #[test]
    fn a_struct_without_fields_still_reads_and_keeps_extra_keys() {
        let code = text(deserialize_impl(
            "Bag",
            &[],
            Some("rest"),
            &[syntax::list_attr("cfg", quote!(x))],
        ));
        assert!(
            code.contains("de::extra(&mut map, &mut extra, key)?;"),
            "{code}"
        );
        assert!(code.contains("Self { rest: extra }"), "{code}");
        assert_eq!(code.matches("#[cfg(x)]").count(), 2, "{code}");
        let empty = text(deserialize_impl("Empty", &[], None, &[]));
        assert!(
            empty.contains("while de::key(&mut map)?.is_some()"),
            "{empty}"
        );
    }
}
