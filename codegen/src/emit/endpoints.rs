//! `src/endpoint.rs`: the endpoint resolver, generated as Rust code from the service's `smithy.rules#endpointRuleSet`,
//! the partition table for `aws.partition`, and one test per entry of `smithy.rules#endpointTests`.
//!
//! Supported rule-set functions: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr` on a partition result,
//! and `aws.partition`. Anything else is a codegen error naming the function.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{ident, RustFile};
use crate::error::{Error, Result};
use crate::ir::Ir;
use crate::rules::{Call, Expr, Func, Param, Rule, RuleKind, RuleSet, TemplatePart};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OptStr,
    Str,
    OptBool,
    Bool,
    Partition,
}

type Scope = BTreeMap<String, Kind>;

fn var(name: &str) -> proc_macro2::Ident {
    ident(&crate::ident::field_name(name))
}

fn err(msg: impl Into<String>) -> Error {
    Error::at("smithy.rules#endpointRuleSet", msg)
}

/// Generate `src/endpoint.rs`; also returns notes on endpoint tests whose expectation the partition table
/// contradicts.
pub fn emit(ir: &Ir, partitions: Option<&Value>) -> Result<(RustFile, Vec<String>)> {
    let Some(rule_set) = &ir.service.endpoint_rules else {
        return Ok((RustFile { path: "src/endpoint.rs".into(), tokens: without_rules() }, Vec::new()));
    };
    let params = &rule_set.params;
    let mut scope = Scope::new();
    for p in params {
        let kind = match (p.string, p.optional()) {
            (true, true) => Kind::OptStr,
            (true, false) => Kind::Str,
            (false, true) => Kind::OptBool,
            (false, false) => Kind::Bool,
        };
        scope.insert(p.name.clone(), kind);
    }
    let uses_partition = rules_use_partition(&rule_set.rules);
    let body = rule_list(&rule_set.rules, &scope)?;
    let fields = params.iter().map(|p| {
        let f = var(&p.name);
        let ty = match (p.string, p.optional()) {
            (true, true) => quote!(::std::option::Option<::std::string::String>),
            (true, false) => quote!(::std::string::String),
            (false, true) => quote!(::std::option::Option<bool>),
            (false, false) => quote!(bool),
        };
        let doc = format!(" `{}`{}", p.name, p.docs.as_ref().map(|d| format!(": {d}")).unwrap_or_default());
        let built = p.built_in.iter().map(|b| format!(" Set from the client configuration (`{b}`)."));
        let req = p.required.then_some(" Required by the rule set.").into_iter();
        quote!(#[doc = #doc] #( #[doc = #built] )* #( #[doc = #req] )* pub #f: #ty,)
    });
    let defaults = params.iter().map(|p| {
        let f = var(&p.name);
        let v = match (&p.default, p.string) {
            (Some(Value::Bool(b)), false) => quote!(#b),
            (Some(Value::String(s)), true) => quote!(::std::string::String::from(#s)),
            (None, _) => quote!(::std::option::Option::None),
            _ => quote!(::std::default::Default::default()),
        };
        quote!(#f: #v,)
    });
    let locals = params.iter().map(|p| {
        let f = var(&p.name);
        let v = var(&p.name);
        match (p.string, p.optional()) {
            (true, true) => quote!(let #v: ::std::option::Option<&str> = params.#f.as_deref();),
            (true, false) => quote!(let #v: &str = params.#f.as_str();),
            (false, _) => quote!(let #v = params.#f;),
        }
    });
    let from_config = params.iter().map(|p| {
        let f = var(&p.name);
        let value = match (p.built_in.as_deref(), p.optional()) {
            (Some("AWS::Region"), true) => quote!(config.region().map(::std::borrow::ToOwned::to_owned)),
            (Some("SDK::Endpoint"), true) => quote!(config.endpoint_url().map(::std::borrow::ToOwned::to_owned)),
            (Some("AWS::UseFIPS"), false) => quote!(config.use_fips()),
            (Some("AWS::UseFIPS"), true) => quote!(::std::option::Option::Some(config.use_fips())),
            (Some("AWS::UseDualStack"), false) => quote!(config.use_dual_stack()),
            (Some("AWS::UseDualStack"), true) => quote!(::std::option::Option::Some(config.use_dual_stack())),
            _ => quote!(Params::default().#f),
        };
        quote!(#f: #value,)
    });
    let partitions_table = if uses_partition {
        partition_table(partitions.ok_or_else(|| {
            err("the rule set calls `aws.partition`, but no partition table was given (models/partitions.json)")
        })?)?
    } else {
        quote!()
    };
    let mut notes = Vec::new();
    let tests = endpoint_tests(ir.service.endpoint_tests.as_ref(), params, rule_set, partitions, &mut notes)?;
    let tokens = quote! {
        //! Endpoint resolution, generated from the service's endpoint rule set.

        pub use crate::endpoint_lib::{Endpoint, PartitionResult, ResolveError};

        /// The inputs of the endpoint rules.
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        #[allow(clippy::derivable_impls)]
        impl ::std::default::Default for Params {
            fn default() -> Self {
                Params { #(#defaults)* }
            }
        }

        /// The parameters a client configuration implies.
        pub(crate) fn params_from_config(config: &crate::config::Config) -> Params {
            Params { #(#from_config)* }
        }

        /// The endpoint for a client configuration.
        pub(crate) fn resolve_for_config(config: &crate::config::Config) -> ::std::result::Result<Endpoint, ResolveError> {
            resolve_endpoint(&params_from_config(config))
        }

        /// Resolve the endpoint for `params` by the service's rules.
        #[allow(unused_variables, clippy::bool_comparison, clippy::needless_return, clippy::collapsible_if)]
        pub fn resolve_endpoint(params: &Params) -> ::std::result::Result<Endpoint, ResolveError> {
            #(#locals)*
            #body
        }

        #partitions_table

        #tests
    };
    Ok((RustFile { path: "src/endpoint.rs".into(), tokens }, notes))
}

fn without_rules() -> TokenStream {
    quote! {
        //! Endpoint resolution. The model has no endpoint rule set, so an endpoint URL must be configured.

        pub use crate::endpoint_lib::{Endpoint, PartitionResult, ResolveError};

        /// The inputs of endpoint resolution.
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::default::Default)]
        #[non_exhaustive]
        pub struct Params {
            /// The configured endpoint URL.
            pub endpoint: ::std::option::Option<::std::string::String>,
        }

        /// The parameters a client configuration implies.
        pub(crate) fn params_from_config(config: &crate::config::Config) -> Params {
            Params { endpoint: config.endpoint_url().map(::std::borrow::ToOwned::to_owned) }
        }

        /// The endpoint for a client configuration.
        pub(crate) fn resolve_for_config(config: &crate::config::Config) -> ::std::result::Result<Endpoint, ResolveError> {
            resolve_endpoint(&params_from_config(config))
        }

        /// The configured endpoint URL.
        pub fn resolve_endpoint(params: &Params) -> ::std::result::Result<Endpoint, ResolveError> {
            match &params.endpoint {
                ::std::option::Option::Some(url) => ::std::result::Result::Ok(Endpoint::new(url.clone())),
                ::std::option::Option::None => ::std::result::Result::Err(ResolveError::new(
                    "the model has no endpoint rules; configure an endpoint URL",
                )),
            }
        }

        #[allow(dead_code)]
        static PARTITIONS: &[crate::endpoint_lib::Partition] = &[];
    }
}

fn rules_use_partition(rules: &[Rule]) -> bool {
    fn call_uses(c: &Call) -> bool {
        c.func == Func::Partition || c.args.iter().any(|a| matches!(a, Expr::Call(inner) if call_uses(inner)))
    }
    rules.iter().any(|r| {
        r.conditions.iter().any(call_uses) || matches!(&r.kind, RuleKind::Tree(inner) if rules_use_partition(inner))
    })
}

/// A list of rules: each tried in order; an unconditional rule ends the list.
fn rule_list(rules: &[Rule], scope: &Scope) -> Result<TokenStream> {
    let mut out = Vec::new();
    let mut exhaustive = false;
    for rule in rules {
        out.push(conditions_then(&rule.conditions, scope, rule)?);
        if rule.conditions.is_empty() {
            exhaustive = true;
            break;
        }
    }
    if !exhaustive {
        out.push(quote! {
            return ::std::result::Result::Err(ResolveError::new("no endpoint rule matched the parameters"));
        });
    }
    Ok(quote!(#(#out)*))
}

fn conditions_then(conditions: &[Call], scope: &Scope, rule: &Rule) -> Result<TokenStream> {
    let Some((first, rest)) = conditions.split_first() else {
        return rule_body(rule, scope);
    };
    let mut inner_scope = scope.clone();
    let opener = match first.func {
        Func::IsSet => {
            let name = ref_name(first.args.first())?;
            let v = var(&name);
            match scope.get(&name) {
                Some(Kind::OptStr) => {
                    inner_scope.insert(name, Kind::Str);
                    quote!(if let ::std::option::Option::Some(#v) = #v)
                }
                Some(Kind::OptBool) => {
                    inner_scope.insert(name, Kind::Bool);
                    quote!(if let ::std::option::Option::Some(#v) = #v)
                }
                Some(_) => quote!(if true),
                None => return Err(err(format!("`isSet` of unknown reference `{name}`"))),
            }
        }
        Func::BooleanEquals => {
            let a = bool_expr(first.args.first(), scope)?;
            let b = bool_expr(first.args.get(1), scope)?;
            quote!(if #a == #b)
        }
        Func::StringEquals => {
            let a = str_expr(first.args.first(), scope)?;
            let b = str_expr(first.args.get(1), scope)?;
            quote!(if #a == #b)
        }
        Func::Not => {
            let Some(Expr::Call(inner)) = first.args.first() else { return Err(err("`not` needs a call")) };
            match inner.func {
                Func::IsSet => {
                    let v = var(&ref_name(inner.args.first())?);
                    quote!(if #v.is_none())
                }
                Func::BooleanEquals => {
                    let (x, y) = (bool_expr(inner.args.first(), scope)?, bool_expr(inner.args.get(1), scope)?);
                    quote!(if #x != #y)
                }
                Func::StringEquals => {
                    let (x, y) = (str_expr(inner.args.first(), scope)?, str_expr(inner.args.get(1), scope)?);
                    quote!(if #x != #y)
                }
                other => return Err(err(format!("`not` of unsupported function {other:?}"))),
            }
        }
        Func::Partition => {
            let region = str_expr(first.args.first(), scope)?;
            let name = first.assign.as_deref().ok_or_else(|| err("`aws.partition` without `assign`"))?;
            let v = var(name);
            inner_scope.insert(name.to_owned(), Kind::Partition);
            quote!(if let ::std::option::Option::Some(#v) = crate::endpoint_lib::partition(#region, PARTITIONS))
        }
        Func::GetAttr => return Err(err("`getAttr` as a condition is not supported")),
    };
    if first.assign.is_some() && first.func != Func::Partition {
        return Err(err(format!("`assign` on {:?} is not supported", first.func)));
    }
    let inner = conditions_then(rest, &inner_scope, rule)?;
    Ok(quote!(#opener { #inner }))
}

fn rule_body(rule: &Rule, scope: &Scope) -> Result<TokenStream> {
    match &rule.kind {
        RuleKind::Endpoint(url) => {
            let url = string_value(url, scope)?;
            Ok(quote!(return ::std::result::Result::Ok(Endpoint::new(#url));))
        }
        RuleKind::Error(msg) => {
            let msg = string_value(msg, scope)?;
            Ok(quote!(return ::std::result::Result::Err(ResolveError::new(#msg));))
        }
        RuleKind::Tree(rules) => rule_list(rules, scope),
    }
}

fn ref_name(e: Option<&Expr>) -> Result<String> {
    match e {
        Some(Expr::Ref(r)) => Ok(r.clone()),
        _ => Err(err("expected a `ref`")),
    }
}

fn get_attr(c: &Call, scope: &Scope) -> Result<TokenStream> {
    let name = ref_name(c.args.first())?;
    let Some(Expr::Str(attr)) = c.args.get(1) else { return Err(err("`getAttr` needs an attribute name")) };
    partition_attr(&name, attr, scope)
}

fn partition_attr(name: &str, attr: &str, scope: &Scope) -> Result<TokenStream> {
    if scope.get(name) != Some(&Kind::Partition) {
        return Err(err(format!("`getAttr` on `{name}`, which is not a partition result in scope")));
    }
    let v = var(name);
    let field = match attr {
        "name" => "name",
        "dnsSuffix" => "dns_suffix",
        "dualStackDnsSuffix" => "dual_stack_dns_suffix",
        "supportsFIPS" => "supports_fips",
        "supportsDualStack" => "supports_dual_stack",
        "implicitGlobalRegion" => "implicit_global_region",
        other => return Err(err(format!("unknown partition attribute `{other}`"))),
    };
    let field = format_ident!("{}", field);
    Ok(quote!(#v.#field))
}

fn bool_expr(e: Option<&Expr>, scope: &Scope) -> Result<TokenStream> {
    match e {
        Some(Expr::Bool(b)) => Ok(quote!(#b)),
        Some(Expr::Ref(name)) => {
            let id = var(name);
            match scope.get(name) {
                Some(Kind::Bool) => Ok(quote!(#id)),
                Some(Kind::OptBool) => Ok(quote!(#id.unwrap_or(false))),
                _ => Err(err(format!("`{name}` is not a boolean in scope"))),
            }
        }
        Some(Expr::Call(c)) if c.func == Func::GetAttr => get_attr(c, scope),
        other => Err(err(format!("unsupported boolean argument {other:?}"))),
    }
}

fn str_expr(e: Option<&Expr>, scope: &Scope) -> Result<TokenStream> {
    match e {
        Some(Expr::Str(s)) if !s.contains('{') => Ok(quote!(#s)),
        Some(e @ Expr::Str(_)) => {
            let s = string_value(e, scope)?;
            Ok(quote!(#s.as_str()))
        }
        Some(Expr::Ref(name)) => {
            let id = var(name);
            match scope.get(name) {
                Some(Kind::Str) => Ok(quote!(#id)),
                _ => Err(err(format!("`{name}` is used as a string where it may be unset"))),
            }
        }
        Some(Expr::Call(c)) if c.func == Func::GetAttr => get_attr(c, scope),
        other => Err(err(format!("unsupported string argument {other:?}"))),
    }
}

/// A `String` expression for a template string (`"https://{Region}.{PartitionResult#dnsSuffix}"`) or a reference.
fn string_value(e: &Expr, scope: &Scope) -> Result<TokenStream> {
    let template = match e {
        Expr::Ref(_) => {
            let s = str_expr(Some(e), scope)?;
            return Ok(quote!(::std::string::String::from(#s)));
        }
        Expr::Str(t) => t,
        other => return Err(err(format!("unsupported string value {other:?}"))),
    };
    let mut fmt = String::new();
    let mut args = Vec::new();
    for part in crate::rules::template_parts(template).map_err(err)? {
        match part {
            TemplatePart::Text(t) => fmt.push_str(&t.replace('{', "{{").replace('}', "}}")),
            TemplatePart::Attr(name, attr) => {
                fmt.push_str("{}");
                args.push(partition_attr(&name, &attr, scope)?);
            }
            TemplatePart::Ref(name) => match scope.get(&name) {
                Some(Kind::Str) => {
                    fmt.push_str("{}");
                    let id = var(&name);
                    args.push(quote!(#id));
                }
                _ => return Err(err(format!("template `{template}` uses `{name}`, which may be unset there"))),
            },
        }
    }
    if args.is_empty() {
        Ok(quote!(::std::string::String::from(#template)))
    } else {
        Ok(quote!(::std::format!(#fmt, #(#args),*)))
    }
}

fn partition_table(partitions: &Value) -> Result<TokenStream> {
    let list = partitions
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::at("partitions.json", "no `partitions` array"))?;
    let mut statics = Vec::new();
    let mut entries = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let id = p.get("id").and_then(Value::as_str).ok_or_else(|| Error::at(format!("partitions[{i}]"), "no `id`"))?;
        let o = p.get("outputs").ok_or_else(|| Error::at(format!("partitions[{i}]"), "no `outputs`"))?;
        let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let b = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
        let (name, dns, dual, global) = (s("name"), s("dnsSuffix"), s("dualStackDnsSuffix"), s("implicitGlobalRegion"));
        let (fips, dual_ok) = (b("supportsFIPS"), b("supportsDualStack"));
        let regex = p.get("regionRegex").and_then(Value::as_str).unwrap_or("^$");
        let plan = crate::pattern::plan(regex)
            .map_err(|e| Error::at(format!("partitions[{i}].regionRegex"), format!("`{regex}`: {e}")))?;
        let static_name = format_ident!("REGION_REGEX_{}", crate::ident::const_name(id));
        let value = super::validators::pattern_value(&plan);
        statics.push(quote! {
            static #static_name: crate::validation::Pattern = #value;
        });
        let mut regions: Vec<&str> = p
            .get("regions")
            .and_then(Value::as_object)
            .map(|r| r.keys().map(String::as_str).collect())
            .unwrap_or_default();
        regions.sort_unstable();
        entries.push(quote! {
            crate::endpoint_lib::Partition {
                id: #id,
                region_regex: &#static_name,
                regions: &[#(#regions),*],
                outputs: PartitionResult {
                    name: #name,
                    dns_suffix: #dns,
                    dual_stack_dns_suffix: #dual,
                    supports_fips: #fips,
                    supports_dual_stack: #dual_ok,
                    implicit_global_region: #global,
                },
            },
        });
    }
    Ok(quote! {
        #(#statics)*

        /// The AWS partitions, from the partition table the crate was generated with.
        static PARTITIONS: &[crate::endpoint_lib::Partition] = &[#(#entries)*];
    })
}

fn endpoint_tests(
    tests: Option<&Value>,
    params: &[Param],
    rule_set: &RuleSet,
    partitions: Option<&Value>,
    notes: &mut Vec<String>,
) -> Result<TokenStream> {
    let Some(cases) = tests.and_then(|t| t.get("testCases")).and_then(Value::as_array) else { return Ok(quote!()) };
    let mut fns = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = format_ident!("case_{:03}", i + 1);
        let doc = case.get("documentation").and_then(Value::as_str).unwrap_or("").to_owned();
        let doc = format!(" {doc}");
        let given = case.get("params").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut sets = Vec::new();
        for (k, v) in &given {
            let p = params.iter().find(|p| &p.name == k).ok_or_else(|| {
                Error::at(format!("smithy.rules#endpointTests.testCases[{i}]"), format!("unknown parameter `{k}`"))
            })?;
            let f = var(&p.name);
            let value = match (v, p.string, p.optional()) {
                (Value::String(s), true, true) => quote!(::std::option::Option::Some(::std::string::String::from(#s))),
                (Value::String(s), true, false) => quote!(::std::string::String::from(#s)),
                (Value::Bool(b), false, true) => quote!(::std::option::Option::Some(#b)),
                (Value::Bool(b), false, false) => quote!(#b),
                _ => {
                    return Err(Error::at(
                        format!("smithy.rules#endpointTests.testCases[{i}]"),
                        format!("parameter `{k}` has a value of the wrong type"),
                    ))
                }
            };
            sets.push(quote!(#f: #value,));
        }
        let expect = case.get("expect").ok_or_else(|| Error::at(format!("testCases[{i}]"), "no `expect`"))?;
        // The rules evaluated here with the carried partition table must give what the test expects; where the
        // table is newer than the model's tests, the test is kept but ignored, with the reason.
        let expected = match (
            expect.get("endpoint").and_then(|e| e.get("url")).and_then(Value::as_str),
            expect.get("error").and_then(Value::as_str),
        ) {
            (Some(u), _) => Some(crate::rules::Outcome::Endpoint(u.to_owned())),
            (None, Some(m)) => Some(crate::rules::Outcome::Error(m.to_owned())),
            _ => None,
        };
        let actual = crate::rules::evaluate(rule_set, &given, partitions).map_err(err)?;
        let ignore = match &expected {
            Some(e) if *e != actual => {
                let reason = format!(
                    "the model's test expects {e:?}, but with the partition table carried into this crate the rules give {actual:?}"
                );
                notes.push(format!("endpoint test {} ({}): {reason}", i + 1, doc.trim()));
                quote!(#[ignore = #reason])
            }
            _ => quote!(),
        };
        let check = if let Some(url) = expect.get("endpoint").and_then(|e| e.get("url")).and_then(Value::as_str) {
            quote! {
                let endpoint = resolve_endpoint(&params).expect("the rules resolve an endpoint");
                assert_eq!(endpoint.url(), #url);
            }
        } else if let Some(msg) = expect.get("error").and_then(Value::as_str) {
            quote! {
                let error = resolve_endpoint(&params).expect_err("the rules reject these parameters");
                assert_eq!(error.message(), #msg);
            }
        } else {
            continue;
        };
        fns.push(quote! {
            #[doc = #doc]
            #[test]
            #ignore
            fn #name() {
                let params = Params { #(#sets)* ..Params::default() };
                #check
            }
        });
    }
    Ok(quote! {
        /// One test per entry of the model's `smithy.rules#endpointTests`.
        #[cfg(test)]
        mod tests {
            use super::*;

            #(#fns)*
        }
    })
}
