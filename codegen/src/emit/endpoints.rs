//! `src/endpoint.rs`: the endpoint resolver, generated as Rust code from the service's endpoint rules as lowered in
//! the IR ([`crate::ir::endpoints`]), the partition table for `aws.partition`, and one test per entry of
//! `smithy.rules#endpointTests`. Every decision and check was made in the IR; this only maps nodes to tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, RustFile};
use crate::ir::endpoints::{
    BoolExpr, BuiltIn, Condition, EndpointParam, EndpointTest, EndpointValue, Endpoints, ParamType, PartitionDef,
    PartitionField, RuleList, RuleResult, StrExpr, TemplatePiece,
};
use crate::ir::Ir;
use crate::rules::Outcome;

/// Generate `src/endpoint.rs`.
pub fn emit(ir: &Ir) -> RustFile {
    let tokens = match &ir.service.endpoints {
        Some(endpoints) => with_rules(endpoints),
        None => without_rules(),
    };
    RustFile { path: "src/endpoint.rs".into(), tokens }
}

fn with_rules(e: &Endpoints) -> TokenStream {
    let params = &e.params;
    let body = rule_list(&e.body);
    let fields = params.iter().map(|p| {
        let f = ident(&p.field);
        let ty = match (p.ty, p.optional()) {
            (ParamType::String, true) => quote!(::std::option::Option<::std::string::String>),
            (ParamType::String, false) => quote!(::std::string::String),
            (ParamType::Bool, true) => quote!(::std::option::Option<bool>),
            (ParamType::Bool, false) => quote!(bool),
        };
        let doc = format!(" `{}`{}", p.name, p.docs.as_ref().map(|d| format!(": {d}")).unwrap_or_default());
        let built = p.built_in.iter().map(|b| format!(" Set from the client configuration (`{}`).", b.as_str()));
        let req = p.required.then_some(" Required by the rule set.").into_iter();
        quote!(#[doc = #doc] #( #[doc = #built] )* #( #[doc = #req] )* pub #f: #ty,)
    });
    let defaults = params.iter().map(|p| {
        let f = ident(&p.field);
        let v = match &p.default {
            Some(EndpointValue::Bool(b)) => quote!(#b),
            Some(EndpointValue::Str(s)) => quote!(::std::string::String::from(#s)),
            None => quote!(::std::option::Option::None),
        };
        quote!(#f: #v,)
    });
    let locals = params.iter().map(|p| {
        let v = ident(&p.field);
        match (p.ty, p.optional()) {
            (ParamType::String, true) => quote!(let #v: ::std::option::Option<&str> = params.#v.as_deref();),
            (ParamType::String, false) => quote!(let #v: &str = params.#v.as_str();),
            (ParamType::Bool, _) => quote!(let #v = params.#v;),
        }
    });
    let from_config = params.iter().map(from_config);
    let partitions_table = if e.uses_partition { partition_table(&e.partitions) } else { quote!() };
    let tests = e.tests.as_deref().map(endpoint_tests).unwrap_or_default();
    quote! {
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
    }
}

/// `field: value,` of `params_from_config`: the client configuration's value for a built-in, else the default.
fn from_config(p: &EndpointParam) -> TokenStream {
    let f = ident(&p.field);
    let value = match (&p.built_in, p.optional()) {
        (Some(BuiltIn::Region), true) => quote!(config.region().map(::std::string::ToString::to_string)),
        (Some(BuiltIn::Endpoint), true) => quote!(config.endpoint_url().map(::std::borrow::ToOwned::to_owned)),
        (Some(BuiltIn::UseFips), false) => quote!(config.use_fips),
        (Some(BuiltIn::UseFips), true) => quote!(::std::option::Option::Some(config.use_fips)),
        (Some(BuiltIn::UseDualStack), false) => quote!(config.use_dual_stack),
        (Some(BuiltIn::UseDualStack), true) => quote!(::std::option::Option::Some(config.use_dual_stack)),
        _ => quote!(Params::default().#f),
    };
    quote!(#f: #value,)
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

/// A list of rules: each tried in order; a list that may fall through ends in an error.
fn rule_list(list: &RuleList) -> TokenStream {
    let rules = list.rules.iter().map(|rule| {
        let result = match &rule.result {
            RuleResult::Endpoint(url) => {
                let url = string_value(url);
                quote!(return ::std::result::Result::Ok(Endpoint::new(#url));)
            }
            RuleResult::Error(msg) => {
                let msg = string_value(msg);
                quote!(return ::std::result::Result::Err(ResolveError::new(#msg));)
            }
            RuleResult::Tree(rules) => rule_list(rules),
        };
        // Each condition nests the next.
        rule.conditions.iter().rev().fold(result, |inner, c| {
            let opener = condition(c);
            quote!(#opener { #inner })
        })
    });
    let fallthrough = (!list.exhaustive).then(|| {
        quote! {
            return ::std::result::Result::Err(ResolveError::new("no endpoint rule matched the parameters"));
        }
    });
    quote!(#(#rules)* #fallthrough)
}

/// The `if …` opening a condition's block.
fn condition(c: &Condition) -> TokenStream {
    match c {
        Condition::IsSet { already_set: true, .. } => quote!(if true),
        Condition::IsSet { var, already_set: false } => {
            let v = ident(var);
            quote!(if let ::std::option::Option::Some(#v) = #v)
        }
        Condition::NotSet { already_set: true, .. } => quote!(if false),
        Condition::NotSet { var, already_set: false } => {
            let v = ident(var);
            quote!(if #v.is_none())
        }
        Condition::BoolEq { a, b, negated } => {
            let (a, b) = (bool_expr(a), bool_expr(b));
            if *negated {
                quote!(if #a != #b)
            } else {
                quote!(if #a == #b)
            }
        }
        Condition::StrEq { a, b, negated } => {
            let (a, b) = (str_expr(a), str_expr(b));
            if *negated {
                quote!(if #a != #b)
            } else {
                quote!(if #a == #b)
            }
        }
        Condition::Partition { region, bind } => {
            let region = str_expr(region);
            let v = ident(bind);
            quote!(if let ::std::option::Option::Some(#v) = crate::endpoint_lib::partition(#region, PARTITIONS))
        }
    }
}

fn partition_attr(var: &str, field: PartitionField) -> TokenStream {
    let v = ident(var);
    let field = format_ident!("{}", field.rust_field());
    quote!(#v.#field)
}

fn bool_expr(e: &BoolExpr) -> TokenStream {
    match e {
        BoolExpr::Lit(b) => quote!(#b),
        BoolExpr::Var(v) => {
            let v = ident(v);
            quote!(#v)
        }
        BoolExpr::OptVar(v) => {
            let v = ident(v);
            quote!(#v.unwrap_or(false))
        }
        BoolExpr::PartitionAttr { var, field } => partition_attr(var, *field),
    }
}

/// A `&str` expression.
fn str_expr(e: &StrExpr) -> TokenStream {
    match e {
        StrExpr::Lit(s) => quote!(#s),
        StrExpr::Var(v) => {
            let v = ident(v);
            quote!(#v)
        }
        StrExpr::Template(pieces) => {
            let s = template(pieces);
            quote!(#s.as_str())
        }
        StrExpr::PartitionAttr { var, field } => partition_attr(var, *field),
    }
}

/// A `String` expression.
fn string_value(e: &StrExpr) -> TokenStream {
    match e {
        StrExpr::Template(pieces) => template(pieces),
        other => {
            let s = str_expr(other);
            quote!(::std::string::String::from(#s))
        }
    }
}

/// `format!` of a template's pieces.
fn template(pieces: &[TemplatePiece]) -> TokenStream {
    let mut fmt = String::new();
    let mut args = Vec::new();
    for piece in pieces {
        match piece {
            TemplatePiece::Text(t) => fmt.push_str(&t.replace('{', "{{").replace('}', "}}")),
            TemplatePiece::Var(v) => {
                fmt.push_str("{}");
                let v = ident(v);
                args.push(quote!(#v));
            }
            TemplatePiece::PartitionAttr { var, field } => {
                fmt.push_str("{}");
                args.push(partition_attr(var, *field));
            }
        }
    }
    quote!(::std::format!(#fmt, #(#args),*))
}

fn partition_table(partitions: &[PartitionDef]) -> TokenStream {
    let statics = partitions.iter().map(|p| {
        let static_name = ident(&p.static_name);
        let value = super::validators::pattern_value(&p.region_regex);
        quote! {
            static #static_name: crate::validation::Pattern = #value;
        }
    });
    let entries = partitions.iter().map(|p| {
        let (id, regions, static_name) = (&p.id, &p.regions, ident(&p.static_name));
        let o = &p.outputs;
        let (name, dns, dual, global) = (&o.name, &o.dns_suffix, &o.dual_stack_dns_suffix, &o.implicit_global_region);
        let (fips, dual_ok) = (o.supports_fips, o.supports_dual_stack);
        quote! {
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
        }
    });
    quote! {
        #(#statics)*

        /// The AWS partitions, from the partition table the crate was generated with.
        static PARTITIONS: &[crate::endpoint_lib::Partition] = &[#(#entries)*];
    }
}

fn endpoint_tests(tests: &[EndpointTest]) -> TokenStream {
    let fns = tests.iter().map(|t| {
        let name = format_ident!("{}", t.name);
        let doc = format!(" {}", t.doc);
        let sets = t.params.iter().map(|p| {
            let f = ident(&p.field);
            let value = match (&p.value, p.optional) {
                (EndpointValue::Str(s), true) => quote!(::std::option::Option::Some(::std::string::String::from(#s))),
                (EndpointValue::Str(s), false) => quote!(::std::string::String::from(#s)),
                (EndpointValue::Bool(b), true) => quote!(::std::option::Option::Some(#b)),
                (EndpointValue::Bool(b), false) => quote!(#b),
            };
            quote!(#f: #value,)
        });
        let ignore = t.ignore.as_ref().map(|reason| quote!(#[ignore = #reason]));
        let check = match &t.expect {
            Outcome::Endpoint(url) => quote! {
                let endpoint = resolve_endpoint(&params).expect("the rules resolve an endpoint");
                assert_eq!(endpoint.url(), #url);
            },
            Outcome::Error(msg) => quote! {
                let error = resolve_endpoint(&params).expect_err("the rules reject these parameters");
                assert_eq!(error.message(), #msg);
            },
        };
        quote! {
            #[doc = #doc]
            #[test]
            #ignore
            fn #name() {
                let params = Params { #(#sets)* ..Params::default() };
                #check
            }
        }
    });
    quote! {
        /// One test per entry of the model's `smithy.rules#endpointTests`.
        #[cfg(test)]
        mod tests {
            use super::*;

            #(#fns)*
        }
    }
}
