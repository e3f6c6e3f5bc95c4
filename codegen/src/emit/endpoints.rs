//! `src/endpoint.rs`: the endpoint resolver, generated as Rust code from the service's endpoint rules as lowered in
//! the IR ([`crate::ir::endpoints`]), the partition table for `aws.partition`, and one test per entry of
//! `smithy.rules#endpointTests`. Every decision and check was made in the IR; this only maps nodes to tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, RustFile};
use crate::ir::endpoint_bindings::{CallEndpoint, InputPath, Leaf, Source};
use crate::ir::endpoints::{
    ArrExpr, BddRules, BoolExpr, BuiltIn, Condition, EndpointParam, EndpointTest, EndpointValue, Endpoints, OptExpr,
    ParamType, PartitionDef, PartitionField, RuleList, RuleResult, StrExpr, TemplatePiece, Ty, Val,
};
use crate::ir::{Ir, Operation, PathStep};
use crate::rules::Outcome;

/// Generate `src/endpoint.rs`.
pub fn emit(ir: &Ir) -> RustFile {
    let tokens = match &ir.service.endpoints {
        Some(endpoints) => with_rules(endpoints, &ir.operations),
        None => without_rules(),
    };
    RustFile { path: "src/endpoint.rs".into(), tokens }
}

fn with_rules(e: &Endpoints, operations: &[Operation]) -> TokenStream {
    let params = &e.params;
    let body = match &e.bdd {
        Some(bdd) => bdd_body(bdd),
        None => rule_list(&e.body),
    };
    let match_binding = has_let(&e.body) || e.bdd.is_some();
    let allows = if match_binding {
        // A value bound with `match` may end a rule list that always matches, and a scrutinee may be an `if`.
        quote!(#[allow(
            unused_variables,
            unused_labels,
            unused_parens,
            unreachable_code,
            clippy::bool_comparison,
            clippy::needless_return,
            clippy::collapsible_if,
            clippy::match_single_binding,
            clippy::redundant_pattern_matching,
            clippy::match_like_matches_macro,
            clippy::nonminimal_bool
        )])
    } else {
        quote!(#[allow(unused_variables, clippy::bool_comparison, clippy::needless_return, clippy::collapsible_if)])
    };
    let nodes = e.bdd.as_ref().map(|b| {
        let nodes = b.nodes.iter().map(|[c, h, l]| quote!([#c, #h, #l]));
        quote! {
            /// The decision diagram's nodes: `[condition, high, low]`.
            static NODES: &[[i32; 3]] = &[#(#nodes),*];
        }
    });
    let fields = params.iter().map(|p| {
        let f = ident(&p.field);
        let ty = match (p.ty, p.optional()) {
            (ParamType::String, true) => quote!(::std::option::Option<::std::string::String>),
            (ParamType::String, false) => quote!(::std::string::String),
            (ParamType::Bool, true) => quote!(::std::option::Option<bool>),
            (ParamType::Bool, false) => quote!(bool),
            (ParamType::StrArray, true) => quote!(::std::option::Option<::std::vec::Vec<::std::string::String>>),
            (ParamType::StrArray, false) => quote!(::std::vec::Vec<::std::string::String>),
        };
        let doc = format!(" `{}`{}", p.name, p.docs.as_ref().map(|d| format!(": {d}")).unwrap_or_default());
        let built = p.built_in.iter().map(|b| format!(" Set from the client configuration (`{}`).", b.as_str())).chain(
            p.client_context
                .iter()
                .map(|c| format!(" Set from the client configuration ([`crate::config::Builder::{}`]).", c.setter)),
        );
        let req = p.required.then_some(" Required by the rule set.").into_iter();
        quote!(#[doc = #doc] #( #[doc = #built] )* #( #[doc = #req] )* pub #f: #ty,)
    });
    let defaults = params.iter().map(|p| {
        let f = ident(&p.field);
        let v = match &p.default {
            Some(EndpointValue::Bool(b)) => quote!(#b),
            Some(EndpointValue::Str(s)) => quote!(::std::string::String::from(#s)),
            Some(EndpointValue::Arr(a)) => quote!(::std::vec![#(::std::string::String::from(#a)),*]),
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
            (ParamType::StrArray, true) => {
                quote!(let #v: ::std::option::Option<&[::std::string::String]> = params.#v.as_deref();)
            }
            (ParamType::StrArray, false) => quote!(let #v: &[::std::string::String] = params.#v.as_slice();),
        }
    });
    let from_config = params.iter().map(from_config);
    let setters = client_context_setters(params);
    let partitions_table = if e.uses_partition { partition_table(&e.partitions) } else { quote!() };
    let tests = e.tests.as_deref().map(endpoint_tests).unwrap_or_default();
    let bind = bind_module(operations);
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

        #setters

        /// The endpoint for a client configuration.
        pub(crate) fn resolve_for_config(config: &crate::config::Config) -> ::std::result::Result<Endpoint, ResolveError> {
            resolve_endpoint(&params_from_config(config))
        }

        /// Resolve the endpoint for `params` by the service's rules.
        #allows
        pub fn resolve_endpoint(params: &Params) -> ::std::result::Result<Endpoint, ResolveError> {
            #(#locals)*
            #body
        }

        #bind

        #nodes

        #partitions_table

        #tests
    }
}

/// The setters of the client context parameters on the configuration's builder, or nothing when there are none.
fn client_context_setters(params: &[EndpointParam]) -> TokenStream {
    let methods: Vec<TokenStream> = params
        .iter()
        .filter_map(|p| p.client_context.as_ref().map(|c| (p, c)))
        .map(|(p, c)| {
            let (setter, set) = (ident(&c.setter), ident(&c.set));
            let name = &p.name;
            let docs: Vec<String> = c.docs.as_ref().or(p.docs.as_ref()).map(|d| format!(" {d}")).into_iter().collect();
            let what = format!(
                " Sets `{name}` of the endpoint rules, for every call of a client built from this configuration (or one \
                 request, given to `config_override`)."
            );
            let clear = format!(" Sets or clears `{name}` of the endpoint rules (see [`Self::{}`]).", c.setter);
            let (arg, from, wrap) = match p.ty {
                ParamType::Bool => (quote!(bool), quote!(value), quote!(crate::config::ContextValue::Bool)),
                _ => (
                    quote!(impl ::std::convert::Into<::std::string::String>),
                    quote!(value.into()),
                    quote!(crate::config::ContextValue::Str),
                ),
            };
            let opt = match p.ty {
                ParamType::Bool => quote!(bool),
                _ => quote!(::std::string::String),
            };
            quote! {
                #( #[doc = #docs] #[doc = ""] )*
                #[doc = #what]
                pub fn #setter(mut self, value: #arg) -> Self {
                    self.#set(::std::option::Option::Some(#from));
                    self
                }

                #[doc = #clear]
                pub fn #set(&mut self, value: ::std::option::Option<#opt>) -> &mut Self {
                    self.set_client_context(#name, value.map(#wrap))
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return quote!();
    }
    quote! {
        /// The service's client context parameters: inputs of its endpoint rules that a client configures.
        impl crate::config::Builder {
            #(#methods)*
        }
    }
}

/// `field: value,` of `params_from_config`: the client configuration's value for a built-in or a client context
/// parameter, else the default.
fn from_config(p: &EndpointParam) -> TokenStream {
    let f = ident(&p.field);
    if p.client_context.is_some() {
        let name = &p.name;
        let value = match (p.ty, &p.default) {
            (ParamType::Bool, None) => quote!(config.client_context.get_bool(#name)),
            (ParamType::Bool, Some(d)) => {
                let d = value_tokens(d, false);
                quote!(config.client_context.get_bool(#name).unwrap_or(#d))
            }
            (_, None) => quote!(config.client_context.get_str(#name).map(::std::borrow::ToOwned::to_owned)),
            (_, Some(d)) => {
                let d = value_tokens(d, false);
                quote!(config.client_context.get_str(#name).map_or_else(|| #d, ::std::borrow::ToOwned::to_owned))
            }
        };
        return quote!(#f: #value,);
    }
    let value = match (&p.built_in, p.optional()) {
        (Some(BuiltIn::Region), true) => quote!(config.region().map(::std::string::ToString::to_string)),
        (Some(BuiltIn::Endpoint), true) => quote!(config.endpoint_url().map(::std::borrow::ToOwned::to_owned)),
        (Some(BuiltIn::UseFips), false) => quote!(config.use_fips),
        (Some(BuiltIn::UseFips), true) => quote!(::std::option::Option::Some(config.use_fips)),
        (Some(BuiltIn::UseDualStack), false) => quote!(config.use_dual_stack),
        (Some(BuiltIn::UseDualStack), true) => quote!(::std::option::Option::Some(config.use_dual_stack)),
        (Some(BuiltIn::AccountIdEndpointMode), optional) => {
            let mode = quote!(::std::string::ToString::to_string(
                &config.account_id_endpoint_mode().cloned().unwrap_or_default()
            ));
            if optional {
                quote!(::std::option::Option::Some(#mode))
            } else {
                mode
            }
        }
        _ => quote!(Params::default().#f),
    };
    quote!(#f: #value,)
}

/// `mod bind`: for each operation whose endpoint depends on the call, the function that reads what its input binds
/// and resolves the endpoint with it over the configuration's parameters. Nothing when no operation needs one.
fn bind_module(operations: &[Operation]) -> TokenStream {
    let fns: Vec<TokenStream> =
        operations.iter().filter_map(|op| op.call_endpoint.as_ref().map(|c| bind_fn(op, c))).collect();
    if fns.is_empty() {
        return quote!();
    }
    quote! {
        /// The endpoint of each call, for the operations whose endpoint parameters depend on it.
        pub(crate) mod bind {
            #(#fns)*
        }
    }
}

fn bind_fn(op: &Operation, c: &CallEndpoint) -> TokenStream {
    let name = ident(&op.module);
    let input = super::type_path(&op.input.path);
    let mut docs = vec![format!(" `{}`: the endpoint of a call, with what it binds over the configuration.", op.name)];
    let mut reads = Vec::new();
    let mut sets = Vec::new();
    for (i, b) in c.bindings.iter().enumerate() {
        let f = ident(&b.field);
        match &b.source {
            Source::Static(v) => {
                docs.push(format!(" - `{}` = `{}` (`staticContextParams`)", b.param, static_text(v)));
                let v = value_tokens(v, b.optional);
                sets.push(quote!(params.#f = #v;));
            }
            Source::Input { text, path } => {
                docs.push(format!(" - `{}` from the input's `{text}`, when set", b.param));
                let var = format_ident!("bound_{}", i);
                let ty = match path.ty() {
                    ParamType::String => quote!(::std::string::String),
                    ParamType::Bool => quote!(bool),
                    ParamType::StrArray => quote!(::std::vec::Vec<::std::string::String>),
                };
                let expr = path_expr(quote!(input), path);
                reads.push(quote! {
                    #[allow(clippy::needless_question_mark)]
                    fn #var(input: &#input) -> ::std::option::Option<#ty> {
                        ::std::option::Option::Some(#expr)
                    }
                    let #var = #var(input);
                });
                let v = if b.optional { quote!(::std::option::Option::Some(v)) } else { quote!(v) };
                sets.push(quote!(if let ::std::option::Option::Some(v) = #var { params.#f = #v; }));
            }
        }
    }
    let account_id = c.account_id.is_some();
    let account = c.account_id.as_ref().map(|a| {
        docs.push(" - the account id from the credentials (`AWS::Auth::AccountId`), when they name one".to_owned());
        let f = ident(&a.field);
        let v = quote!(::std::borrow::ToOwned::to_owned(v));
        let v = if a.optional { quote!(::std::option::Option::Some(#v)) } else { v };
        quote!(if let ::std::option::Option::Some(v) = account_id { params.#f = #v; })
    });
    let account_arg = if account_id { quote!(account_id) } else { quote!(_account_id) };
    let input_arg = if reads.is_empty() { quote!(_input) } else { quote!(input) };
    quote! {
        #(#[doc = #docs])*
        pub(crate) fn #name(#input_arg: &#input) -> crate::invoke::CallEndpoint {
            #(#reads)*
            crate::invoke::CallEndpoint {
                account_id: #account_id,
                resolve: ::std::boxed::Box::new(move |config: &crate::config::Config, #account_arg: ::std::option::Option<&str>| {
                    let mut params = super::params_from_config(config);
                    #account
                    #(#sets)*
                    super::resolve_endpoint(&params)
                }),
            }
        }
    }
}

/// A static value as the docs show it.
fn static_text(v: &EndpointValue) -> String {
    match v {
        EndpointValue::Str(s) => format!("{s:?}"),
        EndpointValue::Bool(b) => b.to_string(),
        EndpointValue::Arr(a) => format!("{a:?}"),
    }
}

/// A value of a `Params` field (wrapped in `Some` for an optional one).
fn value_tokens(v: &EndpointValue, optional: bool) -> TokenStream {
    let v = match v {
        EndpointValue::Str(s) => quote!(::std::string::String::from(#s)),
        EndpointValue::Bool(b) => quote!(#b),
        EndpointValue::Arr(a) => quote!(::std::vec![#(::std::string::String::from(#a)),*]),
    };
    if optional {
        quote!(::std::option::Option::Some(#v))
    } else {
        v
    }
}

/// The place at the end of `steps` from `base`, each optional field unwrapped with `?`.
fn steps_expr(base: TokenStream, steps: &[PathStep]) -> TokenStream {
    let mut e = base;
    for s in steps {
        let f = ident(&s.field);
        e = if s.optional { quote!(#e.#f.as_ref()?) } else { quote!(#e.#f) };
    }
    e
}

/// The value of an input path, as an expression in a function (or closure) returning an `Option`.
fn path_expr(base: TokenStream, p: &InputPath) -> TokenStream {
    match p {
        InputPath::Value { steps, leaf } => {
            let e = steps_expr(base, steps);
            let last_optional = steps.last().is_some_and(|s| s.optional);
            match leaf {
                Leaf::Str => quote!((#e).clone()),
                Leaf::Enum => quote!(::std::borrow::ToOwned::to_owned(#e.as_str())),
                Leaf::Bool if last_optional => quote!(*#e),
                Leaf::Bool => e,
            }
        }
        InputPath::Project { steps, sparse, each } => {
            let list = steps_expr(base, steps);
            let items = if *sparse { quote!(#list.iter().flatten()) } else { quote!(#list.iter()) };
            let each_optional = matches!(&**each, InputPath::Value { steps, .. } if steps.iter().any(|s| s.optional));
            let item = path_expr(quote!(item), each);
            if matches!(&**each, InputPath::Value { steps, leaf: Leaf::Str } if steps.is_empty()) {
                quote!(#items.cloned().collect::<::std::vec::Vec<_>>())
            } else if each_optional {
                quote!(#items.filter_map(|item| ::std::option::Option::Some(#item)).collect::<::std::vec::Vec<_>>())
            } else {
                quote!(#items.map(|item| #item).collect::<::std::vec::Vec<_>>())
            }
        }
        InputPath::Keys { steps } => {
            let map = steps_expr(base, steps);
            quote!(#map.keys().cloned().collect::<::std::vec::Vec<_>>())
        }
    }
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
        rule.conditions.iter().rev().fold(result, |inner, c| wrap(c, inner))
    });
    let fallthrough = (!list.exhaustive).then(|| {
        quote! {
            return ::std::result::Result::Err(ResolveError::new("no endpoint rule matched the parameters"));
        }
    });
    quote!(#(#rules)* #fallthrough)
}

/// Whether a rule list binds a value that is always set (a `match` with one arm).
fn has_let(list: &RuleList) -> bool {
    list.rules.iter().any(|r| {
        r.conditions.iter().any(|c| matches!(c, Condition::Let { .. }))
            || matches!(&r.result, RuleResult::Tree(inner) if has_let(inner))
    })
}

/// A condition around what follows when it holds.
fn wrap(c: &Condition, inner: TokenStream) -> TokenStream {
    match c {
        Condition::Let { value, bind } => {
            let (v, b) = (val(value), ident(bind));
            quote!(match #v { #b => { #inner } })
        }
        other => {
            let opener = condition(other);
            quote!(#opener { #inner })
        }
    }
}

/// The `if …` opening a condition's block.
fn condition(c: &Condition) -> TokenStream {
    match c {
        Condition::Test { expr, bind } => {
            let e = bool_expr(expr);
            match bind {
                Some(b) => {
                    let b = ident(b);
                    quote!(if let #b @ true = #e)
                }
                None => quote!(if #e),
            }
        }
        Condition::Bind { expr, bind } => {
            let e = opt_expr(expr);
            match bind {
                Some(b) => {
                    let b = ident(b);
                    quote!(if let ::std::option::Option::Some(#b) = #e)
                }
                None => quote!(if #e.is_some()),
            }
        }
        Condition::Let { .. } => quote!(if true),
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
            let e = bool_eq(a, b, *negated);
            quote!(if #e)
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

/// `booleanEquals(a, b)` (or its negation) as a boolean expression. As in the generator's evaluator, an operand that
/// is an unset optional parameter makes it false (its negation true); Smithy's type checker lets no rule set compare
/// one unguarded, so this only decides rule sets it would refuse.
fn bool_eq(a: &BoolExpr, b: &BoolExpr, negated: bool) -> TokenStream {
    let optional = |e: &BoolExpr| match e {
        BoolExpr::OptVar(v) => {
            let v = ident(v);
            quote!(#v)
        }
        other => {
            let e = bool_expr(other);
            quote!(::std::option::Option::Some(#e))
        }
    };
    match (a, b) {
        (BoolExpr::OptVar(_), BoolExpr::OptVar(_)) => {
            let (x, y) = (optional(a), optional(b));
            if negated {
                quote!((#x.is_none() || #x != #y))
            } else {
                quote!((#x.is_some() && #x == #y))
            }
        }
        (BoolExpr::OptVar(_), _) | (_, BoolExpr::OptVar(_)) => {
            let (x, y) = (optional(a), optional(b));
            if negated {
                quote!(#x != #y)
            } else {
                quote!(#x == #y)
            }
        }
        _ => {
            let (x, y) = (bool_expr(a), bool_expr(b));
            if negated {
                quote!(#x != #y)
            } else {
                quote!(#x == #y)
            }
        }
    }
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
        BoolExpr::IsIp(v) => {
            let v = ident(v);
            quote!(#v.is_ip)
        }
        BoolExpr::Not(b) => {
            let b = bool_expr(b);
            quote!((!#b))
        }
        BoolExpr::Eq(a, b) => {
            let e = bool_eq(a, b, false);
            quote!((#e))
        }
        BoolExpr::StrEq(a, b) => {
            let (a, b) = (str_expr(a), str_expr(b));
            quote!((#a == #b))
        }
        BoolExpr::IsSet(o) => {
            let o = opt_expr(o);
            quote!(#o.is_some())
        }
        BoolExpr::HostLabel(s, b) => {
            let (s, b) = (str_expr(s), bool_expr(b));
            quote!(crate::endpoint_functions::is_valid_host_label(#s, #b))
        }
        BoolExpr::S3Bucket(s, b) => {
            let (s, b) = (str_expr(s), bool_expr(b));
            quote!(crate::endpoint_functions::is_virtual_hostable_s3_bucket(#s, #b))
        }
        BoolExpr::Ite(c, a, b) => {
            let (c, a, b) = (bool_expr(c), bool_expr(a), bool_expr(b));
            quote!((if #c { #a } else { #b }))
        }
        BoolExpr::Coalesce { first, last } => coalesce(first, bool_expr(last)),
    }
}

/// `a.or(b)….unwrap_or(last)`.
fn coalesce(first: &[OptExpr], last: TokenStream) -> TokenStream {
    let mut it = first.iter().map(opt_expr);
    match it.next() {
        Some(head) => quote!(#head #(.or(#it))* .unwrap_or(#last)),
        None => last,
    }
}

/// An `Option` expression.
fn opt_expr(e: &OptExpr) -> TokenStream {
    match e {
        OptExpr::Var(v) => {
            let v = ident(v);
            quote!(#v)
        }
        OptExpr::Substring { input, start, end, reverse } => {
            let input = str_expr(input);
            quote!(crate::endpoint_functions::substring(#input, #start, #end, #reverse))
        }
        OptExpr::Index { array, index } => {
            let array = arr_expr(array);
            quote!(crate::endpoint_functions::index(#array, #index))
        }
        OptExpr::ParseUrl(s) => {
            let s = str_expr(s);
            quote!(crate::endpoint_functions::parse_url(#s))
        }
        OptExpr::ParseArn(s) => {
            let s = str_expr(s);
            quote!(crate::endpoint_functions::parse_arn(#s))
        }
        OptExpr::Coalesce(list) => {
            let mut it = list.iter().map(opt_expr);
            let head = it.next().unwrap_or_else(|| quote!(::std::option::Option::None));
            quote!(#head #(.or(#it))*)
        }
        OptExpr::Ite { cond, then, otherwise } => {
            let (c, a, b) = (bool_expr(cond), opt_expr(then), opt_expr(otherwise));
            quote!((if #c { #a } else { #b }))
        }
        OptExpr::Some(v) => {
            let v = val(v);
            quote!(::std::option::Option::Some(#v))
        }
    }
}

/// A `&[String]` expression.
fn arr_expr(e: &ArrExpr) -> TokenStream {
    match e {
        ArrExpr::Var(v) => {
            let v = ident(v);
            quote!(#v)
        }
        ArrExpr::ResourceId(v) => {
            let v = ident(v);
            quote!(#v.resource_id.as_slice())
        }
        ArrExpr::Split { value, delimiter, limit } => {
            let (v, d) = (str_expr(value), str_expr(delimiter));
            quote!(crate::endpoint_functions::split(#v, #d, #limit).as_slice())
        }
    }
}

fn val(v: &Val) -> TokenStream {
    match v {
        Val::Str(s) => str_expr(s),
        Val::Bool(b) => bool_expr(b),
        Val::Arr(a) => arr_expr(a),
        Val::Opt(o, _) => opt_expr(o),
        Val::Rec(v, _) => {
            let v = ident(v);
            quote!(&#v)
        }
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
        StrExpr::Field { var, field } => {
            let (v, f) = (ident(var), format_ident!("{}", field));
            quote!(#v.#f.as_str())
        }
        StrExpr::UriEncode(s) => {
            let s = str_expr(s);
            quote!(crate::endpoint_functions::uri_encode(#s).as_str())
        }
        StrExpr::Ite { cond, then, otherwise } => {
            let (c, a, b) = (bool_expr(cond), str_expr(then), str_expr(otherwise));
            quote!((if #c { #a } else { #b }))
        }
        StrExpr::Coalesce { first, last } => coalesce(first, str_expr(last)),
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

/// `format!` of a template's pieces (a template of one piece is that piece as a `String`: clippy's `useless_format`).
fn template(pieces: &[TemplatePiece]) -> TokenStream {
    match pieces {
        [TemplatePiece::Text(t)] => return quote!(::std::string::String::from(#t)),
        [TemplatePiece::Var(v)] => {
            let v = ident(v);
            return quote!(::std::string::ToString::to_string(&#v));
        }
        _ => {}
    }
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
            TemplatePiece::Str(s) => {
                fmt.push_str("{}");
                args.push(str_expr(s));
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
                (EndpointValue::Arr(a), true) => {
                    quote!(::std::option::Option::Some(::std::vec![#(::std::string::String::from(#a)),*]))
                }
                (EndpointValue::Arr(a), false) => quote!(::std::vec![#(::std::string::String::from(#a)),*]),
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
        let calls = t.operation_inputs.iter().filter(|c| c.skip.is_none()).map(|c| call_test(t, c));
        quote! {
            #[doc = #doc]
            #[test]
            #ignore
            fn #name() {
                let params = Params { #(#sets)* ..Params::default() };
                #check
            }

            #(#calls)*
        }
    });
    let left_out: Vec<String> = tests
        .iter()
        .flat_map(|t| t.operation_inputs.iter().map(move |c| (t, c)))
        .filter_map(|(t, c)| {
            c.skip.as_ref().map(|why| format!(" - case {} through `{}`: not run: {why}", t.number, c.operation))
        })
        .collect();
    let mut docs = if tests.iter().all(|t| t.operation_inputs.is_empty()) {
        vec![" One test per entry of the model's `smithy.rules#endpointTests`.".to_owned()]
    } else {
        vec![
            " One test per entry of the model's `smithy.rules#endpointTests`, and one per call of its".to_owned(),
            " `operationInputs`, sent through the operation to a recording transport.".to_owned(),
        ]
    };
    if !left_out.is_empty() {
        docs.push(String::new());
        docs.extend(left_out);
    }
    quote! {
        #(#[doc = #docs])*
        #[cfg(test)]
        mod tests {
            use super::*;

            #(#fns)*
        }
    }
}

/// A test of one of a case's `operationInputs`: the built-ins set on the configuration (the account id on the
/// credentials), the input built from `operationParams` and sent, and the endpoint the request went to (or the
/// rules' error the call failed with) compared with the case's.
fn call_test(t: &EndpointTest, c: &crate::ir::endpoints::OperationInput) -> TokenStream {
    let name = format_ident!("{}", c.name);
    let doc = format!(" Case {} through `{}`: {}", t.number, c.operation, t.doc);
    let ignore = t.ignore.as_ref().map(|reason| quote!(#[ignore = #reason]));
    let (Some(input), Some((_, input_path))) = (&c.input, &c.target) else { return quote!() };
    let input_ty = super::type_path(input_path);
    let input = super::protocol_tests::value(input);
    let mut account_id = quote!(::std::option::Option::None);
    let settings = c.built_ins.iter().filter_map(|(b, v)| match (b, v) {
        (BuiltIn::Region, EndpointValue::Str(s)) => Some(quote!(.region(crate::config::Region::new(#s)))),
        (BuiltIn::Endpoint, EndpointValue::Str(s)) => Some(quote!(.endpoint_url(#s))),
        (BuiltIn::UseFips, EndpointValue::Bool(b)) => Some(quote!(.use_fips(#b))),
        (BuiltIn::UseDualStack, EndpointValue::Bool(b)) => Some(quote!(.use_dual_stack(#b))),
        (BuiltIn::AccountIdEndpointMode, EndpointValue::Str(s)) => Some(quote!(
            .account_id_endpoint_mode(#s.parse().expect("a mode the configuration holds"))
        )),
        (BuiltIn::AccountId, EndpointValue::Str(s)) => {
            account_id = quote!(::std::option::Option::Some(#s));
            None
        }
        _ => None,
    });
    let client_params = c.client_params.iter().map(|(setter, v)| {
        let setter = ident(setter);
        let v = match v {
            EndpointValue::Str(s) => quote!(#s),
            EndpointValue::Bool(b) => quote!(#b),
            EndpointValue::Arr(_) => quote!(),
        };
        quote!(.#setter(#v))
    });
    let settings: Vec<TokenStream> = settings.chain(client_params).collect();
    let check = match &t.expect {
        Outcome::Endpoint(url) => quote!(crate::protocol_test::assert_endpoint(&requests, &result, #url);),
        Outcome::Error(msg) => quote!(crate::protocol_test::assert_endpoint_error(&requests, &result, #msg);),
    };
    quote! {
        #[doc = #doc]
        #[::tokio::test]
        #ignore
        async fn #name() {
            let builder = crate::config::Config::builder() #(#settings)*;
            let (config, requests) = crate::protocol_test::endpoint_config(builder, #account_id);
            let client = crate::Client::from_conf(config);
            let input: #input_ty = #input;
            let result = input.send_with(&client).await;
            #check
        }
    }
}

/// The slot of a binding in a decision diagram's resolver.
fn slot(var: &str) -> proc_macro2::Ident {
    format_ident!("slot_{}", var)
}

/// A decision diagram's resolver: the walk from the root, each condition an arm that unwraps what it uses (leaving
/// the condition false if the diagram did not set it on the way) and stores what it binds, then the result's arm.
fn bdd_body(b: &BddRules) -> TokenStream {
    let slots = b.slots.iter().map(|(name, ty)| {
        let s = slot(name);
        let t = match ty {
            Ty::Str => quote!(::std::string::String),
            Ty::Bool => quote!(bool),
            Ty::Arr => quote!(::std::vec::Vec<::std::string::String>),
            Ty::Url => quote!(crate::endpoint_functions::Url),
            Ty::Arn => quote!(crate::endpoint_functions::Arn),
            Ty::Partition => quote!(PartitionResult),
        };
        quote!(let mut #s: ::std::option::Option<#t> = ::std::option::Option::None;)
    });
    let ty_of = |var: &str| b.slots.iter().find(|(n, _)| n == var).map(|(_, t)| *t);
    let unwraps = |unwrap: &[(String, bool)], label: &TokenStream, fail: &TokenStream| {
        let lines = unwrap.iter().map(|(v, param)| {
            let id = ident(v);
            let from = if *param {
                quote!(#id)
            } else {
                let s = slot(v);
                match ty_of(v) {
                    Some(Ty::Str | Ty::Arr) => quote!(#s.as_deref()),
                    Some(Ty::Bool) => quote!(#s),
                    _ => quote!(#s.as_ref()),
                }
            };
            quote!(let ::std::option::Option::Some(#id) = #from else { break #label #fail };)
        });
        quote!(#(#lines)*)
    };
    let label_c = quote!('condition);
    let conditions = b.conditions.iter().enumerate().map(|(i, step)| {
        let i = i as i32;
        let un = unwraps(&step.unwrap, &label_c, &quote!(false));
        let store = |bind: &str, value: TokenStream| {
            let s = slot(bind);
            quote!(#s = ::std::option::Option::Some(#value);)
        };
        let own = |bind: &str, x: TokenStream| match ty_of(bind) {
            Some(Ty::Str | Ty::Arr) => quote!(::std::borrow::ToOwned::to_owned(#x)),
            _ => x,
        };
        let test = match &step.step {
            Condition::Test { expr, bind: Some(bind) } => {
                let (e, st) = (bool_expr(expr), store(bind, quote!(true)));
                quote!(if #e { #st true } else { false })
            }
            Condition::Bind { expr, bind: Some(bind) } => {
                let (e, b) = (opt_expr(expr), ident(bind));
                let st = store(bind, own(bind, quote!(#b)));
                quote!(if let ::std::option::Option::Some(#b) = #e { #st true } else { false })
            }
            Condition::Let { value, bind } => {
                let v = val(value);
                let st = store(bind, quote!(::std::borrow::ToOwned::to_owned(#v)));
                quote!({ #st true })
            }
            Condition::Partition { region, bind } => {
                let (r, b) = (str_expr(region), ident(bind));
                let st = store(bind, quote!(#b));
                quote!(if let ::std::option::Option::Some(#b) = crate::endpoint_lib::partition(#r, PARTITIONS) { #st true } else { false })
            }
            // A condition that binds nothing is the arm's value.
            Condition::Test { expr, bind: None } => bool_expr(expr),
            Condition::BoolEq { a, b, negated } => bool_eq(a, b, *negated),
            Condition::StrEq { a, b, negated } => {
                let (a, b) = (str_expr(a), str_expr(b));
                if *negated {
                    quote!(#a != #b)
                } else {
                    quote!(#a == #b)
                }
            }
            other => {
                let opener = condition(other);
                quote!(#opener { true } else { false })
            }
        };
        quote!(#i => #label_c: { #un #test },)
    });
    let label_r = quote!('result);
    let results = b.results.iter().enumerate().map(|(i, step)| {
        let k = i as i32 + 1;
        let un = unwraps(&step.unwrap, &label_r, &quote!());
        let body = match &step.step {
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
        quote!(#k => #label_r: { #un #body })
    });
    let root = b.root;
    quote! {
        #(#slots)*
        let mut node: i32 = #root;
        while node != 1 && node != -1 && node < 100_000_000 {
            let [condition, high, low] = NODES[node.unsigned_abs() as usize - 1];
            let holds = match condition {
                #(#conditions)*
                _ => false,
            };
            node = if holds != (node < 0) { high } else { low };
        }
        match node.saturating_sub(100_000_000) {
            #(#results)*
            _ => {}
        }
        ::std::result::Result::Err(ResolveError::new("no endpoint rule matched the parameters"))
    }
}
