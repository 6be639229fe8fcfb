//! The serde impls of a struct, one line per field calling the runtime's `ser` and `de` modules
//! for everything fields share. They write and read what `#[derive(Serialize, Deserialize)]`
//! would, in a fraction of the code the compiler has to check (the `Deserialize` derive alone
//! writes a field enum, three key visitors and a sequence visitor for every struct).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

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

/// `impl Serialize for name`, behind `cfg`.
pub(super) fn serialize_impl(
    name: &str,
    fields: &[ObjectField<'_>],
    additional: Option<&str>,
    cfg: &TokenStream,
) -> TokenStream {
    let ty = ident::ident(name);
    let written: Vec<_> = fields.iter().filter(|f| f.write != Write::Never).collect();
    let start = match additional {
        Some(_) => quote!(ser::start_map(serializer)?),
        None => {
            let always = Literal::usize_unsuffixed(
                written.iter().filter(|f| f.write == Write::Always).count(),
            );
            let set = written
                .iter()
                .filter(|f| f.write != Write::Always)
                .map(|f| {
                    let field = ident::ident(f.name);
                    quote!(self.#field.is_some())
                });
            quote!(ser::start(serializer, #name, #always, &[#(#set),*])?)
        }
    };
    let writes = written.iter().map(|f| {
        let field = ident::ident(f.name);
        let wire = f.wire;
        let method = match f.write {
            Write::Always | Write::Never => quote!(field),
            Write::IfSet => quote!(optional),
            Write::Nullable => quote!(nullable),
        };
        quote!(fields.#method(#wire, &self.#field);)
    });
    let extra = additional.map(|field| {
        let field = ident::ident(field);
        quote!(fields.extra(&self.#field);)
    });
    let fields_mut = if written.is_empty() && additional.is_none() {
        quote!(fields)
    } else {
        quote!(mut fields)
    };
    quote! {
        #cfg
        impl ::serde::Serialize for #ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use crate::runtime::ser;
                let #fields_mut = #start;
                #(#writes)*
                #extra
                fields.end()
            }
        }
    }
}

/// `impl Deserialize for name` and the `Object` impl it calls, behind `cfg` (the `full-serde`
/// gate of a type no response carries, or nothing). `additional` names the field that keeps
/// the keys not listed.
pub(super) fn deserialize_impl(
    name: &str,
    fields: &[ObjectField<'_>],
    additional: Option<&str>,
    cfg: &TokenStream,
) -> TokenStream {
    let ty = ident::ident(name);
    let expecting = format!("struct {name}");
    let body = from_map_body(fields, additional);
    quote! {
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::de::object(deserializer)
            }
        }

        #cfg
        impl crate::runtime::de::Object for #ty {
            const EXPECTING: &'static str = #expecting;

            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                #body
            }
        }
    }
}

/// The statements of `from_map`: a slot per field, the loop over keys, then the struct.
fn from_map_body(fields: &[ObjectField<'_>], additional: Option<&str>) -> TokenStream {
    let slots = slot_names(fields);
    let names: Vec<_> = fields.iter().map(|f| ident::ident(f.name)).collect();
    let values = fields.iter().zip(&slots).map(|(f, slot)| match f.read {
        Read::Take => {
            let wire = f.wire;
            quote!(de::take(#slot, #wire)?)
        }
        Read::Flatten => quote!(#slot.flatten()),
        Read::Slot => quote!(#slot),
    });
    let other = match additional {
        Some(_) => quote!(de::extra(&mut map, &mut extra, key)),
        None => quote!(de::skip(&mut map)),
    };
    let scan = if fields.is_empty() {
        match additional {
            Some(_) => quote! {
                while let Some(key) = de::key(&mut map)? {
                    #other?;
                }
            },
            None => quote! {
                while de::key(&mut map)?.is_some() {
                    #other?;
                }
            },
        }
    } else {
        let arms = fields.iter().zip(&slots).map(|(f, slot)| {
            let wire = f.wire;
            quote!(#wire => de::field(&mut map, &mut #slot, #wire),)
        });
        quote! {
            while let Some(key) = de::key(&mut map)? {
                match key.as_str() {
                    #(#arms)*
                    _ => #other,
                }?;
            }
        }
    };
    let (extra_slot, extra_field) = match additional {
        Some(field) => {
            let field = ident::ident(field);
            (
                quote!(let mut extra = ::std::collections::BTreeMap::new();),
                quote!(#field: extra,),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        use crate::runtime::de;
        #(let mut #slots = None;)*
        #extra_slot
        #scan
        Ok(Self {
            #(#names: #values,)*
            #extra_field
        })
    }
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

    fn text(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("valid Rust");
        prettyplease::unparse(&file)
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
        let code = text(deserialize_impl("Pet", &fields, None, &TokenStream::new()));
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
        let code = text(serialize_impl("Pet", &fields, None, &TokenStream::new()));
        assert!(
            code.contains(r#"ser::start(serializer, "Pet", 1, &[self.tag.is_some()])?"#),
            "{code}"
        );
        assert!(code.contains(r#"fields.optional("tag", &self.tag);"#));
        assert!(!code.contains("made"), "{code}");
        let extra = text(serialize_impl(
            "Bag",
            &[],
            Some("rest"),
            &TokenStream::new(),
        ));
        assert!(extra.contains("fields.extra(&self.rest);"), "{extra}");
        assert!(extra.contains("ser::start_map(serializer)?"), "{extra}");
    }

    #[test]
    fn a_struct_without_fields_still_reads_and_keeps_extra_keys() {
        let code = text(deserialize_impl(
            "Bag",
            &[],
            Some("rest"),
            &quote!(#[cfg(x)]),
        ));
        assert!(
            code.contains("de::extra(&mut map, &mut extra, key)?;"),
            "{code}"
        );
        assert!(code.contains("Self { rest: extra }"), "{code}");
        assert_eq!(code.matches("#[cfg(x)]").count(), 2, "{code}");
        let empty = text(deserialize_impl("Empty", &[], None, &TokenStream::new()));
        assert!(
            empty.contains("while de::key(&mut map)?.is_some()"),
            "{empty}"
        );
    }
}
