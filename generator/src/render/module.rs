//! Module mode: the crate's source tree adapted to be `include!`d into a module of another
//! crate. Paths from the crate root (`crate::runtime::..`, in code and in doc links) gain the
//! module's path; Cargo feature gates are settled as the crate's default features would settle
//! them (the host crate declares none of them); doc examples are shown, not compiled; the
//! root file loses its inner attributes, which
//! an included file cannot have, and its lint settings move onto each of its items.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;

/// Where the module sits and what it compiles.
#[derive(Clone, Debug)]
pub struct Module {
    /// The module's path from the host crate's root (`["api"]` for `crate::api`).
    pub path: Vec<String>,
    /// The features whose code is compiled: the crate mode's default features.
    pub features: BTreeSet<String>,
    /// The host crate's own root modules that mapped types name (`money` for a field of type
    /// `crate::money::Money`): paths into them stay as they are.
    pub foreign: BTreeSet<String>,
}

/// Adapts one file; `root` says whether it is the root file (`lib.rs` in crate mode).
pub fn adapt(file: &mut syn::File, module: &Module, root: bool) {
    let mut adapter = Adapter { module };
    adapter.visit_file_mut(file);
    if root {
        root_attributes(file);
    }
}

struct Adapter<'a> {
    module: &'a Module,
}

impl Adapter<'_> {
    fn keep_item(&self, item: &mut syn::Item) -> bool {
        item_attrs(item).is_none_or(|attrs| self.keep(attrs))
    }

    /// Keeps what the features compile: `false` if a `cfg` of `attrs` is false, else `true`
    /// with the settled `cfg`s removed.
    fn keep(&self, attrs: &mut Vec<syn::Attribute>) -> bool {
        let mut keep = true;
        attrs.retain(|attr| match self.settle(attr) {
            Some(value) => {
                keep &= value;
                false
            }
            None => true,
        });
        keep
    }

    /// The value of a `cfg` attribute made only of feature tests, or `None` for any other
    /// attribute.
    fn settle(&self, attr: &syn::Attribute) -> Option<bool> {
        if !attr.path().is_ident("cfg") {
            return None;
        }
        let predicate: syn::Meta = attr.parse_args().ok()?;
        self.evaluate(&predicate)
    }

    fn evaluate(&self, predicate: &syn::Meta) -> Option<bool> {
        match predicate {
            syn::Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(self.module.features.contains(&s.value())),
                _ => None,
            },
            syn::Meta::List(list) => {
                let parts = list
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                    )
                    .ok()?;
                let values = parts
                    .iter()
                    .map(|p| self.evaluate(p))
                    .collect::<Option<Vec<bool>>>()?;
                if list.path.is_ident("any") {
                    Some(values.into_iter().any(|v| v))
                } else if list.path.is_ident("all") {
                    Some(values.into_iter().all(|v| v))
                } else if list.path.is_ident("not") && values.len() == 1 {
                    Some(!values[0])
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// `crate::x` → `crate::<module>::x` in a doc comment's links; examples are not compiled
    /// as doctests, since the module's path seen from outside the host crate is not known (it
    /// may be private, or in a binary).
    fn doc_text(&self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::NameValue(nv) = &mut attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &mut nv.value
        {
            let text = s.value();
            if text.contains("crate::") || text.contains("```no_run") {
                let prefix = format!("crate::{}::", self.module.path.join("::"));
                let changed = text
                    .replace("(crate::", &format!("({prefix}"))
                    .replace("```no_run", "```ignore");
                *s = syn::LitStr::new(&changed, s.span());
            }
        }
    }
}

impl VisitMut for Adapter<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items.retain_mut(|item| self.keep_item(item));
        syn::visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, item: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut item.content {
            items.retain_mut(|item| self.keep_item(item));
        }
        syn::visit_mut::visit_item_mod_mut(self, item);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        item.items.retain_mut(|member| match member {
            syn::ImplItem::Fn(f) => self.keep(&mut f.attrs),
            syn::ImplItem::Const(c) => self.keep(&mut c.attrs),
            syn::ImplItem::Type(t) => self.keep(&mut t.attrs),
            syn::ImplItem::Macro(m) => self.keep(&mut m.attrs),
            _ => true,
        });
        syn::visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        let kept = std::mem::take(&mut item.variants)
            .into_iter()
            .filter_map(|mut v| self.keep(&mut v.attrs).then_some(v));
        item.variants = kept.collect();
        syn::visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        let kept = std::mem::take(&mut fields.named)
            .into_iter()
            .filter_map(|mut f| self.keep(&mut f.attrs).then_some(f));
        fields.named = kept.collect();
        syn::visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        expr.arms.retain_mut(|arm| self.keep(&mut arm.attrs));
        syn::visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|stmt| match stmt {
            syn::Stmt::Item(item) => self.keep_item(item),
            syn::Stmt::Local(local) => self.keep(&mut local.attrs),
            syn::Stmt::Macro(mac) => self.keep(&mut mac.attrs),
            syn::Stmt::Expr(..) => true,
        });
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        self.doc_text(attr);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let from_root = path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments[0].ident == "crate"
            && !self
                .module
                .foreign
                .contains(&path.segments[1].ident.to_string());
        if from_root {
            let rest: Vec<_> = std::mem::take(&mut path.segments).into_iter().collect();
            let mut segments = rest.into_iter();
            path.segments.extend(segments.next());
            for name in &self.module.path {
                path.segments
                    .push(syn::PathSegment::from(crate::ident::ident(name)));
            }
            path.segments.extend(segments);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        if let syn::UseTree::Path(path) = &mut item.tree
            && path.ident == "crate"
        {
            let mut tree = std::mem::replace(
                &mut path.tree,
                Box::new(syn::UseTree::Glob(syn::UseGlob {
                    star_token: Default::default(),
                })),
            );
            for name in self.module.path.iter().rev() {
                tree = Box::new(syn::UseTree::Path(syn::UsePath {
                    ident: crate::ident::ident(name),
                    colon2_token: Default::default(),
                    tree,
                }));
            }
            path.tree = tree;
        }
        syn::visit_mut::visit_item_use_mut(self, item);
    }
}

/// The attributes of an item (`None` for verbatim tokens, which have none).
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The root file's inner attributes: lint levels (`allow`, `warn`) move onto each item, the
/// rest (the crate doc, crate-level settings) are dropped.
fn root_attributes(file: &mut syn::File) {
    let lints: Vec<syn::Attribute> = std::mem::take(&mut file.attrs)
        .into_iter()
        .filter(|attr| attr.path().is_ident("allow"))
        .map(|mut attr| {
            attr.style = syn::AttrStyle::Outer;
            attr
        })
        .collect();
    for attrs in file.items.iter_mut().filter_map(item_attrs) {
        let mut with_lints = lints.clone();
        with_lints.append(attrs);
        *attrs = with_lints;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adapted(source: &str, root: bool) -> String {
        let mut file: syn::File = syn::parse_str(source).unwrap();
        let module = Module {
            path: vec!["api".to_owned(), "v1".to_owned()],
            features: ["on".to_owned()].into_iter().collect(),
            foreign: ["money".to_owned()].into_iter().collect(),
        };
        adapt(&mut file, &module, root);
        prettyplease::unparse(&file)
    }

    #[test]
    fn paths_from_the_crate_root_gain_the_module_path() {
        let text = adapted(
            "use crate::runtime::ser;\n/// See [`Client`](crate::Client).\npub struct A(crate::types::B, pub(crate) u8, crate::money::Money);\ncrate::runtime::string_enum!(A, B);",
            false,
        );
        assert!(text.contains("use crate::api::v1::runtime::ser;"), "{text}");
        assert!(text.contains("(crate::api::v1::Client)"), "{text}");
        assert!(text.contains("crate::api::v1::types::B"), "{text}");
        assert!(text.contains("pub(crate) u8"), "{text}");
        assert!(text.contains(" crate::money::Money"), "{text}");
        assert!(
            text.contains("crate::api::v1::runtime::string_enum!"),
            "{text}"
        );
    }

    #[test]
    fn feature_gates_are_settled() {
        let text = adapted(
            "#[cfg(feature = \"on\")] pub struct Kept;\n#[cfg(feature = \"off\")] pub struct Dropped;\n#[cfg(any(feature = \"off\", feature = \"on\"))] pub struct Either;\n#[cfg(test)] mod tests {}\nimpl A { #[cfg(feature = \"off\")] fn gone() {} fn stays() {} }\nenum E { #[cfg(feature = \"off\")] X, Y }",
            false,
        );
        assert!(text.contains("pub struct Kept;"), "{text}");
        assert!(!text.contains("Dropped"), "{text}");
        assert!(text.contains("pub struct Either;"), "{text}");
        assert!(text.contains("#[cfg(test)]"), "{text}");
        assert!(!text.contains("gone") && text.contains("stays"), "{text}");
        assert!(!text.contains("X,") && text.contains('Y'), "{text}");
        assert!(!text.contains("feature"), "{text}");
    }

    #[test]
    fn the_root_file_has_no_inner_attributes() {
        let text = adapted(
            "#![doc = \"x\"]\n#![allow(deprecated)]\n#![warn(missing_docs)]\npub mod types;\npub use runtime::Client;",
            true,
        );
        assert!(!text.contains("#!["), "{text}");
        assert_eq!(text.matches("#[allow(deprecated)]").count(), 2, "{text}");
    }
}
