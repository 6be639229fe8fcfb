//! Syntax trees built directly, for the code a large spec has tens of thousands of pieces of
//! (field types, struct fields, setters). Building them costs a fraction of writing their tokens
//! and having `syn` parse them back; the trees are the same ones parsing would give, so the
//! formatted text is too.

use proc_macro2::{Ident, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::token;

fn span() -> Span {
    Span::call_site()
}

/// A fixed name the generator chooses (`Option`, `value`, `Self`, `crate`), never a raw
/// identifier. Names from the spec go through `ident` instead.
pub(super) fn word(name: &str) -> Ident {
    Ident::new(name, span())
}

/// A path from identifiers, with generic arguments on its last segment if `args` has any.
pub(super) fn path(segments: Vec<Ident>, args: Vec<syn::Type>) -> syn::Path {
    path_from(None, segments, args)
}

fn path_from(
    leading_colon: Option<token::PathSep>,
    segments: Vec<Ident>,
    args: Vec<syn::Type>,
) -> syn::Path {
    let mut path = syn::Path {
        leading_colon,
        segments: Punctuated::new(),
    };
    path.segments
        .extend(segments.into_iter().map(syn::PathSegment::from));
    if !args.is_empty()
        && let Some(last) = path.segments.last_mut()
    {
        last.arguments = syn::PathArguments::AngleBracketed(angle_bracketed(args));
    }
    path
}

fn angle_bracketed(args: Vec<syn::Type>) -> syn::AngleBracketedGenericArguments {
    syn::AngleBracketedGenericArguments {
        colon2_token: None,
        lt_token: token::Lt(span()),
        args: args.into_iter().map(syn::GenericArgument::Type).collect(),
        gt_token: token::Gt(span()),
    }
}

/// The type a path names.
pub(super) fn path_type(path: syn::Path) -> syn::Type {
    syn::Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// A type named by one fixed word: `String`, `i64`, `str`, `Self`.
pub(super) fn named(name: &str) -> syn::Type {
    path_type(word(name).into())
}

/// `name<arg>` for a type from the prelude (`Option`, `Vec`, `Box`).
pub(super) fn generic(name: &str, arg: syn::Type) -> syn::Type {
    path_type(path(vec![word(name)], vec![arg]))
}

/// `::a::b::c`, optionally with generic arguments on `c`.
pub(super) fn absolute(segments: &[&str], args: Vec<syn::Type>) -> syn::Type {
    path_type(absolute_path(segments, args))
}

fn absolute_path(segments: &[&str], args: Vec<syn::Type>) -> syn::Path {
    let segments = segments.iter().map(|s| word(s)).collect();
    path_from(Some(token::PathSep(span())), segments, args)
}

/// `(a, b, ...)`, every element followed by a comma (so that one element stays a tuple).
pub(super) fn tuple(items: Vec<syn::Type>) -> syn::Type {
    syn::Type::Tuple(syn::TypeTuple {
        attrs: Vec::new(),
        paren_token: token::Paren(span()),
        elems: comma_terminated(items),
    })
}

/// `impl Into<ty>`.
fn impl_into(ty: syn::Type) -> syn::Type {
    let bound = syn::TraitBound {
        paren_token: None,
        lifetimes: None,
        modifiers: syn::TraitBoundModifiers::default(),
        maybe: None,
        path: path(vec![word("Into")], vec![ty]),
    };
    syn::Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: token::Impl(span()),
        bounds: std::iter::once(syn::TypeParamBound::Trait(bound)).collect(),
    })
}

/// `#[doc = "line"]` for each line.
pub(super) fn doc_attrs(lines: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<syn::Attribute> {
    lines
        .into_iter()
        .map(|line| {
            attr(syn::Meta::NameValue(syn::MetaNameValue {
                path: word("doc").into(),
                eq_token: token::Eq(span()),
                value: syn::Expr::Lit(syn::ExprLit {
                    attrs: Vec::new(),
                    lit: syn::Lit::Str(syn::LitStr::new(line.as_ref(), span())),
                }),
            }))
        })
        .collect()
}

/// `#[name(tokens)]`.
pub(super) fn list_attr(name: &str, tokens: TokenStream) -> syn::Attribute {
    attr(syn::Meta::List(syn::MetaList {
        path: word(name).into(),
        delimiter: syn::MacroDelimiter::Paren(token::Paren(span())),
        tokens,
    }))
}

/// `#[name]`.
pub(super) fn word_attr(name: &str) -> syn::Attribute {
    attr(syn::Meta::Path(word(name).into()))
}

fn attr(meta: syn::Meta) -> syn::Attribute {
    syn::Attribute {
        pound_token: token::Pound(span()),
        style: syn::AttrStyle::Outer,
        bracket_token: token::Bracket(span()),
        meta,
    }
}

/// `pub name: ty` with its attributes.
pub(super) fn field(attrs: Vec<syn::Attribute>, name: Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: visibility(true),
        modifiers: syn::FieldModifiers::default(),
        ident: Some(name),
        colon_token: Some(token::Colon(span())),
        ty,
        default: None,
    }
}

/// `pub`, or nothing.
fn visibility(public: bool) -> syn::Visibility {
    if public {
        syn::Visibility::Public(token::Pub(span()))
    } else {
        syn::Visibility::Inherited
    }
}

/// `pub struct name { fields }` with its attributes.
pub(super) fn struct_item(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    fields: Vec<syn::Field>,
) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: visibility(true),
        struct_token: token::Struct(span()),
        ident: name,
        generics: syn::Generics::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: token::Brace(span()),
            named: comma_terminated(fields),
        }),
        semi_token: None,
    })
}

/// `impl name { functions }`.
pub(super) fn inherent_impl(name: Ident, functions: Vec<syn::ImplItemFn>) -> syn::Item {
    syn::Item::Impl(syn::ItemImpl {
        attrs: Vec::new(),
        modifiers: syn::ImplModifiers::default(),
        unsafety: None,
        impl_token: token::Impl(span()),
        generics: syn::Generics::default(),
        trait_: None,
        self_ty: Box::new(path_type(name.into())),
        brace_token: token::Brace(span()),
        items: functions.into_iter().map(syn::ImplItem::Fn).collect(),
    })
}

/// An argument `name: impl Into<ty>`.
pub(super) fn into_argument(name: Ident, ty: syn::Type) -> syn::FnArg {
    argument(name, impl_into(ty))
}

/// `mut self`.
fn mut_self() -> syn::FnArg {
    syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        mutability: Some(token::Mut(span())),
        self_token: token::SelfValue(span()),
        kind: syn::ReceiverKind::Value,
    })
}

/// `pub fn name(inputs) -> Self { statements }` with its doc line.
fn method(
    doc: String,
    name: Ident,
    inputs: Vec<syn::FnArg>,
    stmts: Vec<syn::Stmt>,
) -> syn::ImplItemFn {
    function(doc_attrs([doc]), true, name, inputs, named("Self"), stmts)
}

/// `[pub] fn name(inputs) -> output { statements }`.
pub(super) fn function(
    attrs: Vec<syn::Attribute>,
    public: bool,
    name: Ident,
    inputs: Vec<syn::FnArg>,
    output: syn::Type,
    stmts: Vec<syn::Stmt>,
) -> syn::ImplItemFn {
    syn::ImplItemFn {
        attrs,
        vis: visibility(public),
        modifiers: syn::FnModifiers::default(),
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            safety: syn::Safety::default(),
            abi: None,
            fn_token: token::Fn(span()),
            ident: name,
            generics: syn::Generics::default(),
            paren_token: token::Paren(span()),
            inputs: inputs.into_iter().collect(),
            variadic: None,
            output: syn::ReturnType::Type(token::RArrow(span()), Box::new(output)),
        },
        block: syn::Block {
            brace_token: token::Brace(span()),
            stmts,
        },
    }
}

/// `pub fn new(arguments) -> Self { Self { field: value, ... } }`.
pub(super) fn constructor(
    doc: String,
    arguments: Vec<syn::FnArg>,
    fields: Vec<(Ident, syn::Expr)>,
) -> syn::ImplItemFn {
    let value = syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: word("Self").into(),
        brace_token: token::Brace(span()),
        fields: comma_terminated(fields.into_iter().map(|(name, expr)| syn::FieldValue {
            attrs: Vec::new(),
            member: syn::Member::Named(name),
            colon_token: Some(token::Colon(span())),
            expr,
        })),
        dot2_token: None,
        rest: None,
    });
    method(
        doc,
        word("new"),
        arguments,
        vec![syn::Stmt::Expr(value, None)],
    )
}

/// `pub fn method(mut self, value: impl Into<ty>) -> Self { self.field = Some(value.into()); self }`,
/// with `Some(Some(value.into()))` for a field that may also be `null` (`nested`).
pub(super) fn setter(
    doc: String,
    method_name: Ident,
    field: Ident,
    ty: syn::Type,
    nested: bool,
) -> syn::ImplItemFn {
    let mut value = call("Some", into_call(word("value")));
    if nested {
        value = call("Some", value);
    }
    method(
        doc,
        method_name,
        vec![mut_self(), into_argument(word("value"), ty)],
        assign_and_return(field, value),
    )
}

/// `pub fn method(mut self) -> Self { self.field = Some(None); self }`.
pub(super) fn clearer(doc: String, method_name: Ident, field: Ident) -> syn::ImplItemFn {
    let value = call("Some", variable("None"));
    method(
        doc,
        method_name,
        vec![mut_self()],
        assign_and_return(field, value),
    )
}

/// `self.field = value; self`.
fn assign_and_return(field: Ident, value: syn::Expr) -> Vec<syn::Stmt> {
    let assign = syn::Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(syn::Expr::Field(syn::ExprField {
            attrs: Vec::new(),
            base: Box::new(variable("self")),
            dot_token: token::Dot(span()),
            member: syn::Member::Named(field),
        })),
        eq_token: token::Eq(span()),
        right: Box::new(value),
    });
    vec![
        syn::Stmt::Expr(assign, Some(token::Semi(span()))),
        syn::Stmt::Expr(variable("self"), None),
    ]
}

/// `&self`.
pub(super) fn ref_self() -> syn::FnArg {
    syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        mutability: None,
        self_token: token::SelfValue(span()),
        kind: syn::ReceiverKind::Reference(token::And(span()), None, None),
    })
}

/// An argument `name: ty`.
pub(super) fn argument(name: Ident, ty: syn::Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(pat_ident(name)),
        colon_token: token::Colon(span()),
        ty: Box::new(ty),
    })
}

pub(super) fn pat_ident(ident: Ident) -> syn::Pat {
    syn::Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident,
        subpat: None,
    })
}

/// `&ty`.
pub(super) fn reference(ty: syn::Type) -> syn::Type {
    syn::Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: token::And(span()),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty),
    })
}

/// `pub enum name { variants }` with its attributes.
pub(super) fn enum_item(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    variants: Vec<syn::Variant>,
) -> syn::Item {
    syn::Item::Enum(syn::ItemEnum {
        attrs,
        vis: visibility(true),
        enum_token: token::Enum(span()),
        ident: name,
        generics: syn::Generics::default(),
        brace_token: token::Brace(span()),
        variants: comma_terminated(variants),
    })
}

/// A variant without data, or with one unnamed field of type `payload`.
pub(super) fn variant(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    payload: Option<syn::Type>,
) -> syn::Variant {
    let fields = match payload {
        None => syn::Fields::Unit,
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: token::Paren(span()),
            unnamed: std::iter::once(syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                modifiers: syn::FieldModifiers::default(),
                ident: None,
                colon_token: None,
                ty,
                default: None,
            })
            .collect(),
        }),
    };
    syn::Variant {
        attrs,
        ident: name,
        fields,
        discriminant: None,
    }
}

/// `Self::variant`.
pub(super) fn self_variant(variant: Ident) -> syn::Path {
    path(vec![word("Self"), variant], Vec::new())
}

/// `match scrutinee { pattern => value, ... }`, as a function's last expression.
pub(super) fn match_stmt(scrutinee: syn::Expr, arms: Vec<(syn::Pat, syn::Expr)>) -> syn::Stmt {
    syn::Stmt::Expr(match_expr(scrutinee, arms), None)
}

/// `match scrutinee { pattern => value, ... }`.
pub(super) fn match_expr(scrutinee: syn::Expr, arms: Vec<(syn::Pat, syn::Expr)>) -> syn::Expr {
    let arms = arms
        .into_iter()
        .map(|(pat, body)| syn::Arm {
            attrs: Vec::new(),
            pat,
            fat_arrow_token: token::FatArrow(span()),
            body: Box::new(body),
            comma: Some(token::Comma(span())),
        })
        .collect();
    syn::Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: token::Match(span()),
        expr: Box::new(scrutinee),
        brace_token: token::Brace(span()),
        arms,
    })
}

/// A pattern that is a path: `Self::Variant`.
pub(super) fn pat_path(path: syn::Path) -> syn::Pat {
    syn::Pat::Path(syn::PatPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `path(binding)`.
pub(super) fn pat_tuple_struct(path: syn::Path, binding: Ident) -> syn::Pat {
    syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        paren_token: token::Paren(span()),
        elems: std::iter::once(pat_ident(binding)).collect(),
    })
}

/// `_`.
pub(super) fn pat_wild() -> syn::Pat {
    syn::Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: token::Underscore(span()),
    })
}

/// A string literal, as an expression (or, as `syn` has it, a pattern).
pub(super) fn string(text: &str) -> syn::ExprLit {
    syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, span())),
    }
}

/// `::std::string::String::from("text")`.
pub(super) fn string_from(text: &str) -> syn::Expr {
    let path = absolute_path(&["std", "string", "String", "from"], Vec::new());
    call_path(path, vec![syn::Expr::Lit(string(text))])
}

/// A path as an expression.
pub(super) fn path_value(path: syn::Path) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// A one-segment path as an expression: a variable, `self`, `None`.
pub(super) fn variable(name: &str) -> syn::Expr {
    path_value(word(name).into())
}

/// `name(arg)`.
pub(super) fn call(name: &str, arg: syn::Expr) -> syn::Expr {
    call_path(word(name).into(), vec![arg])
}

/// `path(args)`.
pub(super) fn call_path(path: syn::Path, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path_value(path)),
        paren_token: token::Paren(span()),
        args: args.into_iter().collect(),
    })
}

/// `name.into()`.
pub(super) fn into_call(name: Ident) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(path_value(name.into())),
        dot_token: token::Dot(span()),
        method: word("into"),
        turbofish: None,
        paren_token: token::Paren(span()),
        args: Punctuated::new(),
    })
}

/// `::std::collections::BTreeMap::new()`.
pub(super) fn new_map() -> syn::Expr {
    let path = absolute_path(&["std", "collections", "BTreeMap", "new"], Vec::new());
    call_path(path, Vec::new())
}

/// A list with a comma after every element, as `quote!(#(#x,)*)` writes it.
fn comma_terminated<T>(items: impl IntoIterator<Item = T>) -> Punctuated<T, token::Comma> {
    let mut list = Punctuated::new();
    for item in items {
        list.push_value(item);
        list.push_punct(token::Comma(span()));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    /// Built items and the tokens they stand for must give the same tokens and the same text.
    fn assert_same(items: Vec<syn::Item>, tokens: TokenStream) {
        let built = syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items,
        };
        let parsed: syn::File = syn::parse2(tokens).unwrap();
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
    fn struct_constructor_and_setter_are_what_parsing_gives() {
        let map = absolute(
            &["std", "collections", "BTreeMap"],
            vec![
                path_type(word("String").into()),
                tuple(vec![generic("Vec", path_type(word("u8").into()))]),
            ],
        );
        let fields = vec![
            field(doc_attrs(vec![" `id`".to_owned()]), word("id"), map.clone()),
            field(
                vec![
                    word_attr("deprecated"),
                    list_attr("serde", quote!(rename = "r#type")),
                ],
                Ident::new_raw("type", span()),
                generic("Option", path_type(word("i64").into())),
            ),
        ];
        let new = constructor(
            " Creates `Thing`.".to_owned(),
            vec![into_argument(word("id"), map)],
            vec![
                (word("id"), into_call(word("id"))),
                (Ident::new_raw("type", span()), variable("None")),
                (word("rest"), new_map()),
            ],
        );
        let set = setter(
            " Sets `type`.".to_owned(),
            word("with_type"),
            Ident::new_raw("type", span()),
            path_type(word("i64").into()),
            false,
        );
        let mut attrs = doc_attrs(vec![" A thing.".to_owned(), String::new()]);
        attrs.push(list_attr("derive", quote!(Clone, ::serde::Serialize,)));
        attrs.push(word_attr("non_exhaustive"));
        let items = vec![
            struct_item(attrs, word("Thing"), fields),
            inherent_impl(word("Thing"), vec![new, set]),
        ];
        let tokens = quote! {
            #[doc = " A thing."]
            #[doc = ""]
            #[derive(Clone, ::serde::Serialize,)]
            #[non_exhaustive]
            pub struct Thing {
                #[doc = " `id`"]
                pub id: ::std::collections::BTreeMap<String, (Vec<u8>,)>,
                #[deprecated]
                #[serde(rename = "r#type")]
                pub r#type: Option<i64>,
            }

            impl Thing {
                #[doc = " Creates `Thing`."]
                pub fn new(id: impl Into<::std::collections::BTreeMap<String, (Vec<u8>,)>>) -> Self {
                    Self {
                        id: id.into(),
                        r#type: None,
                        rest: ::std::collections::BTreeMap::new(),
                    }
                }

                #[doc = " Sets `type`."]
                pub fn with_type(mut self, value: impl Into<i64>) -> Self {
                    self.r#type = Some(value.into());
                    self
                }
            }
        };
        assert_same(items, tokens);
    }

    #[test]
    fn enum_and_matches_are_what_parsing_gives() {
        let variants = vec![
            variant(doc_attrs(vec![" `a`".to_owned()]), word("A"), None),
            variant(
                Vec::new(),
                word("Other"),
                Some(path_type(word("String").into())),
            ),
        ];
        let as_str = function(
            Vec::new(),
            true,
            word("as_str"),
            vec![ref_self()],
            reference(path_type(word("str").into())),
            vec![match_stmt(
                variable("self"),
                vec![
                    (
                        pat_path(self_variant(word("A"))),
                        syn::Expr::Lit(string("a\"\n")),
                    ),
                    (
                        pat_tuple_struct(self_variant(word("Other")), word("value")),
                        variable("value"),
                    ),
                ],
            )],
        );
        let known = function(
            Vec::new(),
            false,
            word("known"),
            vec![argument(
                word("value"),
                reference(path_type(word("str").into())),
            )],
            generic("Option", path_type(word("Self").into())),
            vec![match_stmt(
                variable("value"),
                vec![
                    (
                        syn::Pat::Lit(string("a\"\n")),
                        call("Some", path_value(self_variant(word("A")))),
                    ),
                    (pat_wild(), variable("None")),
                ],
            )],
        );
        let items = vec![
            enum_item(Vec::new(), word("E"), variants),
            inherent_impl(word("E"), vec![as_str, known]),
        ];
        let tokens = quote! {
            pub enum E {
                #[doc = " `a`"]
                A,
                Other(String),
            }

            impl E {
                pub fn as_str(&self) -> &str {
                    match self {
                        Self::A => "a\"\n",
                        Self::Other(value) => value,
                    }
                }

                fn known(value: &str) -> Option<Self> {
                    match value {
                        "a\"\n" => Some(Self::A),
                        _ => None,
                    }
                }
            }
        };
        assert_same(items, tokens);
    }

    #[test]
    fn empty_struct_and_nested_options_are_what_parsing_gives() {
        let nested = generic("Option", generic("Option", named("bool")));
        let mut attrs = vec![list_attr(
            "cfg_attr",
            quote!(feature = "full-serde", derive(::serde::Deserialize)),
        )];
        attrs.push(word_attr("non_exhaustive"));
        let items = vec![
            struct_item(attrs, word("Empty"), Vec::new()),
            inherent_impl(
                word("Empty"),
                vec![constructor(
                    " Creates `Empty`.".to_owned(),
                    Vec::new(),
                    Vec::new(),
                )],
            ),
            struct_item(
                Vec::new(),
                word("Held"),
                vec![field(Vec::new(), word("flag"), nested)],
            ),
            inherent_impl(
                word("Held"),
                vec![constructor(
                    " Creates `Held`.".to_owned(),
                    vec![into_argument(
                        word("flag"),
                        generic("Option", named("bool")),
                    )],
                    vec![(word("flag"), call("Some", into_call(word("flag"))))],
                )],
            ),
        ];
        let tokens = quote! {
            #[cfg_attr(feature = "full-serde", derive(::serde::Deserialize))]
            #[non_exhaustive]
            pub struct Empty {}

            impl Empty {
                #[doc = " Creates `Empty`."]
                pub fn new() -> Self {
                    Self {}
                }
            }

            pub struct Held {
                pub flag: Option<Option<bool>>,
            }

            impl Held {
                #[doc = " Creates `Held`."]
                pub fn new(flag: impl Into<Option<bool>>) -> Self {
                    Self {
                        flag: Some(flag.into()),
                    }
                }
            }
        };
        assert_same(items, tokens);
    }
}
