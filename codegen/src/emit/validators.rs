//! Constraint validators: `validate()` on every operation input (and on every structure or union that has something
//! to check), and `crate::patterns`, one static per distinct `@pattern`. The checks themselves live in the runtime
//! module `crate::validation`; what is emitted here is only which check applies to which member.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, str_lit, RustFile};
use crate::ir::{Ir, LengthUnit, RangeCheck, Structure, Type, TypeRef, Union, UniqueCheck};

/// `validate` and `validate_at` for a structure. Operation inputs always get `validate`, even with nothing to check.
pub fn for_structure(s: &Structure, always: bool) -> TokenStream {
    let name = ident(&s.path.name);
    let label = &s.path.name;
    let needed = s.validated;
    if !needed && !always {
        return quote!();
    }
    let mut body = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let wire = &f.wire_name;
        let checks = value_checks(quote!(v), &f.ty, &format_ident!("p"), f.sensitive, 0);
        // A member that is not optional in Rust is always present.
        let missing = if f.required && f.optional { quote!(out.required(&p);) } else { quote!() };
        if checks.is_empty() && missing.is_empty() {
            continue;
        }
        let stmt = match (f.optional, checks.is_empty(), missing.is_empty()) {
            (true, false, true) => quote! {
                if let ::std::option::Option::Some(v) = &self.#fname { #checks }
            },
            (true, false, false) => quote! {
                if let ::std::option::Option::Some(v) = &self.#fname { #checks } else { #missing }
            },
            (true, true, _) => quote! {
                if self.#fname.is_none() { #missing }
            },
            (false, _, _) => quote! {
                let v = &self.#fname;
                #checks
            },
        };
        body.push(quote! {
            {
                let p = path.field(#wire);
                #stmt
            }
        });
    }
    let validate_doc = format!(
        " Checks every constraint the model places on this `{label}` and the values inside it (required members, \
lengths, ranges, patterns, unique items), and returns all violations at once."
    );
    let validate_at = if needed {
        quote! {
            pub(crate) fn validate_at(&self, path: &crate::validation::Path<'_>, out: &mut crate::validation::Violations) {
                #(#body)*
            }
        }
    } else {
        quote!()
    };
    let call = if needed { quote!(self.validate_at(&crate::validation::Path::Root, &mut out);) } else { quote!() };
    let out_decl = if needed {
        quote!(let mut out = crate::validation::Violations::new();)
    } else {
        quote!(let out = crate::validation::Violations::new();)
    };
    quote! {
        impl #name {
            #[doc = #validate_doc]
            pub fn validate(&self) -> ::std::result::Result<(), crate::validation::ValidationError> {
                #out_decl
                #call
                out.into_result(#label)
            }

            #validate_at
        }
    }
}

/// `validate` and `validate_at` for a union that has something to check.
pub fn for_union(u: &Union) -> TokenStream {
    if !u.validated {
        return quote!();
    }
    let name = ident(&u.path.name);
    let label = &u.path.name;
    let mut arms = Vec::new();
    for v in &u.variants {
        let Some(t) = &v.ty else { continue };
        if !t.checks.needed {
            continue;
        }
        let vname = ident(&v.name);
        let wire = &v.wire_name;
        let checks = value_checks(quote!(v), t, &format_ident!("p"), u.sensitive || v.sensitive, 0);
        arms.push(quote! {
            #name::#vname(v) => {
                let p = path.field(#wire);
                #checks
            }
        });
    }
    let validate_doc = format!(" Checks every constraint the model places on the value this `{label}` holds.");
    quote! {
        impl #name {
            #[doc = #validate_doc]
            pub fn validate(&self) -> ::std::result::Result<(), crate::validation::ValidationError> {
                let mut out = crate::validation::Violations::new();
                self.validate_at(&crate::validation::Path::Root, &mut out);
                out.into_result(#label)
            }

            pub(crate) fn validate_at(&self, path: &crate::validation::Path<'_>, out: &mut crate::validation::Violations) {
                #[allow(clippy::single_match)]
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}

fn opt_i128(v: Option<i128>) -> TokenStream {
    match v {
        Some(v) => {
            let lit = Literal::i128_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => {
            let lit = Literal::f64_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// Checks for a value `v` (an expression of type `&T`) whose path is the variable `path`, as the IR decided them.
fn value_checks(v: TokenStream, t: &TypeRef, path: &Ident, sensitive: bool, depth: usize) -> TokenStream {
    let c = &t.checks;
    if !c.needed {
        return quote!();
    }
    let mut out = Vec::new();
    if let Some(l) = c.length {
        let (min, max) = (opt_u64(l.min), opt_u64(l.max));
        out.push(match l.unit {
            LengthUnit::Chars => quote!(crate::validation::length_str(#v.as_str(), #min, #max, &#path, out);),
            LengthUnit::Bytes => {
                quote!(crate::validation::length_count(#v.as_ref().len(), "bytes", #min, #max, &#path, out);)
            }
            LengthUnit::Items => quote!(crate::validation::length_count(#v.len(), "items", #min, #max, &#path, out);),
            LengthUnit::Entries => {
                quote!(crate::validation::length_count(#v.len(), "entries", #min, #max, &#path, out);)
            }
        });
    }
    match c.range {
        Some(RangeCheck::Int { min, max, int_enum }) => {
            let (lo, hi) = (opt_i128(min), opt_i128(max));
            let value = match (&t.ty, int_enum) {
                (_, true) => quote!(i128::from(#v.as_i32())),
                (Type::BigInteger, false) => quote!(*#v),
                _ => quote!(i128::from(*#v)),
            };
            out.push(quote!(crate::validation::range_int(#value, #lo, #hi, #sensitive, &#path, out);));
        }
        Some(RangeCheck::Float { min, max }) => {
            let (lo, hi) = (opt_f64(min), opt_f64(max));
            out.push(quote!(crate::validation::range_float(f64::from(*#v), #lo, #hi, #sensitive, &#path, out);));
        }
        None => {}
    }
    if let Some(name) = &c.pattern {
        let name = format_ident!("{}", name);
        out.push(quote!(crate::validation::pattern(#v.as_str(), &crate::patterns::#name, #sensitive, &#path, out);));
    }
    match c.unique {
        Some(UniqueCheck::Hash) => out.push(quote!(crate::validation::unique_hash(#v, &#path, out);)),
        Some(UniqueCheck::Json) => {
            let form = match &t.ty {
                Type::List { member, sparse } => super::protocol::json_form(&member.ty, *sparse),
                other => super::protocol::json_form(other, false),
            };
            out.push(quote!(crate::validation::unique_by(#v, #form, &#path, out);));
        }
        None => {}
    }
    if c.nested {
        out.push(quote!(#v.validate_at(&#path, out);));
    }
    match &t.ty {
        Type::List { member, sparse } if member.checks.needed => {
            let inner = format_ident!("p{}", depth + 1);
            let item = format_ident!("item{}", depth + 1);
            let checks = value_checks(quote!(#item), member, &inner, sensitive, depth + 1);
            let body =
                if *sparse { quote!(if let ::std::option::Option::Some(#item) = #item { #checks }) } else { checks };
            out.push(quote! {
                for (i, #item) in #v.iter().enumerate() {
                    let #inner = #path.index(i);
                    #body
                }
            });
        }
        Type::Map { key, value, sparse } if key.checks.needed || value.checks.needed => {
            let inner = format_ident!("p{}", depth + 1);
            let k = format_ident!("key{}", depth + 1);
            let val = format_ident!("value{}", depth + 1);
            let key_checks = value_checks(quote!(#k), key, &inner, sensitive, depth + 1);
            let value_checks_ts = value_checks(quote!(#val), value, &inner, sensitive, depth + 1);
            let value_body = if *sparse && !value_checks_ts.is_empty() {
                quote!(if let ::std::option::Option::Some(#val) = #val { #value_checks_ts })
            } else {
                value_checks_ts
            };
            out.push(if value_body.is_empty() {
                quote! {
                    for #k in #v.keys() {
                        let #inner = #path.key(#k);
                        #key_checks
                    }
                }
            } else {
                quote! {
                    for (#k, #val) in #v.iter() {
                        let #inner = #path.key(#k);
                        #key_checks
                        #value_body
                    }
                }
            });
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// The `crate::validation::Pattern::new(…)` expression that checks a planned pattern (`with_engine`, with the input
/// bound the plan decided, for a pattern the ECMAScript engine checks).
pub fn pattern_value(plan: &crate::pattern::Plan) -> TokenStream {
    let source = str_lit(&plan.original);
    if let Some(ecma) = plan.ecma() {
        let max = match ecma.max_chars() {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        };
        if ecma.source != plan.original {
            let engine_source = str_lit(&ecma.source);
            return quote!(crate::validation::Pattern::with_engine_source(
                #source,
                #engine_source,
                crate::ecma::compile,
                #max
            ));
        }
        return quote!(crate::validation::Pattern::with_engine(#source, crate::ecma::compile, #max));
    }
    let checks = plan.checks.iter().map(|c| {
        let re = str_lit(&c.regex);
        let expect = c.expect;
        quote!((#re, #expect))
    });
    let chars = match plan.chars {
        Some((min, Some(max))) => quote!(::std::option::Option::Some((#min, ::std::option::Option::Some(#max)))),
        Some((min, None)) => quote!(::std::option::Option::Some((#min, ::std::option::Option::None))),
        None => quote!(::std::option::Option::None),
    };
    quote!(crate::validation::Pattern::new(#source, &[#(#checks),*], #chars))
}

/// `src/patterns.rs`: one static per distinct pattern.
pub fn patterns_file(ir: &Ir) -> RustFile {
    let statics = ir.patterns.iter().filter(|p| !p.plan.is_trivial()).map(|p| {
        let name = format_ident!("{}", p.name);
        let value = pattern_value(&p.plan);
        let mut doc = format!(" `{}`", p.plan.original.replace('`', "\\`"));
        doc = format!("{doc}, from {}.", p.shapes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "));
        let notes: Vec<String> = p.plan.notes.iter().map(|n| format!(" Interpreted: {n}.")).collect();
        quote! {
            #[doc = #doc]
            #( #[doc = ""] #[doc = #notes] )*
            pub(crate) static #name: crate::validation::Pattern = #value;
        }
    });
    let ecma = ir.patterns.iter().any(|p| p.plan.ecma().is_some()).then(|| {
        quote! {
            //!
            //! The `regex` crate cannot express some of them exactly (lookaround at a position that depends on the input,
            //! backreferences): those run as written on the ECMAScript engine of `crate::ecma`, on values no longer
            //! than the bound each one's documentation states.
        }
    });
    let tokens = quote! {
        //! The model's `@pattern`s, translated at codegen time into `regex` crate checks with the ECMAScript meaning.
        //! Each is compiled on first use, once per process.
        #ecma
        #(#statics)*
    };
    RustFile { path: "src/patterns.rs".into(), tokens }
}
