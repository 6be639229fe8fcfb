//! Expressions, statements and trait impls built directly as syntax trees, for the code every
//! struct of a large spec has (its serde impls). Like `syntax`, each builder gives the tree that
//! parsing the same tokens would give, so the formatted text is the same.

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::token;

use super::syntax::{call_path, pat_ident, path, path_type, variable, word};

fn span() -> Span {
    Span::call_site()
}

/// A path of fixed words as an expression: `de::take`, `ser::start`.
pub(super) fn words(segments: &[&str]) -> syn::Path {
    path(segments.iter().map(|s| word(s)).collect(), Vec::new())
}

/// `function(args)` for a path of fixed words.
pub(super) fn call(function: &[&str], args: Vec<syn::Expr>) -> syn::Expr {
    call_path(words(function), args)
}

/// `receiver.method(args)`.
pub(super) fn method_call(receiver: syn::Expr, method: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: token::Dot(span()),
        method: word(method),
        turbofish: None,
        paren_token: token::Paren(span()),
        args: args.into_iter().collect(),
    })
}

/// `base.member`.
pub(super) fn member(base: syn::Expr, name: Ident) -> syn::Expr {
    syn::Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: token::Dot(span()),
        member: syn::Member::Named(name),
    })
}

/// `self.name`.
pub(super) fn self_member(name: Ident) -> syn::Expr {
    member(variable("self"), name)
}

/// `&expr`, or `&mut expr`.
pub(super) fn borrow(expr: syn::Expr, mutable: bool) -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: token::And(span()),
        mutability: mutable.then(|| token::Mut(span())),
        expr: Box::new(expr),
    })
}

/// `&mut name` for a local.
pub(super) fn borrow_mut(name: &str) -> syn::Expr {
    borrow(variable(name), true)
}

/// `expr?`.
pub(super) fn try_(expr: syn::Expr) -> syn::Expr {
    syn::Expr::Try(syn::ExprTry {
        attrs: Vec::new(),
        expr: Box::new(expr),
        question_token: token::Question(span()),
    })
}

/// A string literal.
pub(super) fn string(text: &str) -> syn::Expr {
    syn::Expr::Lit(super::syntax::string(text))
}

/// An unsuffixed integer literal.
pub(super) fn int(n: usize) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Int(syn::LitInt::new(&n.to_string(), span())),
    })
}

/// `&[items]`, the elements separated by commas as `quote!(#(#x),*)` writes them.
pub(super) fn slice(items: Vec<syn::Expr>) -> syn::Expr {
    let array = syn::Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: token::Bracket(span()),
        elems: items.into_iter().collect(),
    });
    borrow(array, false)
}

/// `Self { name: value, ... }`, a comma after every field.
pub(super) fn self_struct(fields: Vec<(Ident, syn::Expr)>) -> syn::Expr {
    let mut list = Punctuated::new();
    for (name, expr) in fields {
        list.push_value(syn::FieldValue {
            attrs: Vec::new(),
            member: syn::Member::Named(name),
            colon_token: Some(token::Colon(span())),
            expr,
        });
        list.push_punct(token::Comma(span()));
    }
    syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: word("Self").into(),
        brace_token: token::Brace(span()),
        fields: list,
        dot2_token: None,
        rest: None,
    })
}

/// `expr;`.
pub(super) fn stmt(expr: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, Some(token::Semi(span())))
}

/// `expr` without a semicolon: a block's value, or a statement that ends with a brace.
pub(super) fn bare(expr: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(expr, None)
}

/// `let [mut] name = init;`.
pub(super) fn let_(name: Ident, mutable: bool, init: syn::Expr) -> syn::Stmt {
    let pat = match pat_ident(name) {
        syn::Pat::Ident(mut binding) => {
            binding.mutability = mutable.then(|| token::Mut(span()));
            syn::Pat::Ident(binding)
        }
        other => other,
    };
    syn::Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: token::Let(span()),
        modifiers: syn::LocalModifiers::default(),
        pat,
        init: Some(syn::LocalInit {
            eq_token: token::Eq(span()),
            expr: Box::new(init),
            diverge: None,
        }),
        semi_token: token::Semi(span()),
    })
}

/// `while cond { body }`.
pub(super) fn while_(cond: syn::Expr, body: Vec<syn::Stmt>) -> syn::Expr {
    syn::Expr::While(syn::ExprWhile {
        attrs: Vec::new(),
        label: None,
        while_token: token::While(span()),
        cond: Box::new(cond),
        body: syn::Block {
            brace_token: token::Brace(span()),
            stmts: body,
        },
    })
}

/// `let Some(name) = expr`, as a `while` condition.
pub(super) fn let_some(name: &str, expr: syn::Expr) -> syn::Expr {
    syn::Expr::Let(syn::ExprLet {
        attrs: Vec::new(),
        let_token: token::Let(span()),
        pat: Box::new(super::syntax::pat_tuple_struct(
            word("Some").into(),
            word(name),
        )),
        eq_token: token::Eq(span()),
        expr: Box::new(expr),
    })
}

/// A copy of `template` (a trait impl whose signatures hold nothing that varies, parsed once
/// per thread) for `ty`, with `attrs`, its constants' values replaced in order by `constants`,
/// and the body of its last function extended by `body`. Copying the template costs a
/// fraction of parsing it again for every type.
pub(super) fn instance(
    template: &syn::ItemImpl,
    attrs: Vec<syn::Attribute>,
    ty: Ident,
    constants: Vec<syn::Expr>,
    body: Vec<syn::Stmt>,
) -> syn::Item {
    let mut item = template.clone();
    item.attrs = attrs;
    item.self_ty = Box::new(path_type(ty.into()));
    let mut constants = constants.into_iter();
    for member in &mut item.items {
        if let syn::ImplItem::Const(constant) = member
            && let Some(value) = constants.next()
        {
            constant.expr = value;
        }
    }
    if let Some(syn::ImplItem::Fn(function)) = item.items.last_mut() {
        function.block.stmts.extend(body);
    }
    syn::Item::Impl(item)
}
