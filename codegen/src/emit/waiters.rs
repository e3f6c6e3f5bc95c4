//! Waiters: `src/waiters/mod.rs` (the result types, one module per waiter), each waiter's module (its fluent builder,
//! the aliases of its result types, and its acceptors as one function), and the client's `Waiters` trait. The polling
//! loop is the runtime module `waiter`; the generated code only says how to poll and what each poll means.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{builder_path, doc_attrs, ident, inner_doc_attrs, type_path, RustFile};
use crate::ir::waiters::{
    AcceptorState, Comparator, Condition, Literal as Lit, Matcher, PathExpr, PathNode, PathType, Waiter,
};
use crate::ir::{Ir, NamedKind, Operation, Type};
use crate::jmespath::Comparison;

/// `src/waiters/mod.rs`.
pub fn waiters_mod(ir: &Ir) -> RustFile {
    let mods = ir.operations.iter().flat_map(|o| &o.waiters).map(|w| {
        let m = ident(&w.module);
        let doc = format!(" The `{}` waiter.", w.name);
        quote!(#[doc = #doc] pub mod #m;)
    });
    let tokens = quote! {
        //! Waiters: poll an operation until the resource it describes reaches a state, as the model's
        //! `smithy.waiters#waitable` says. Start one with a `wait_until_…` method of the
        //! [`Waiters`](crate::client::Waiters) trait, set the input as for the operation, and call
        //! `wait(max_wait)`. Every poll is an ordinary call (validated, signed, retried and throttled as the
        //! client's configuration says); between polls the waiter sleeps with the backoff of the Smithy waiters
        //! specification.
        //!
        //! `max_wait` is a deadline that holds: each poll, with all its attempts, retries and backoff, gets at most
        //! the time left, and a poll still running at the deadline is cancelled. The last poll is sent the waiter's
        //! `minDelay` before the deadline, so that it has that long to answer (the specification's current text
        //! sends it at the deadline, where it could not answer in time).
        //!
        //! The result types are aws-sdk-rust's (from `aws-smithy-runtime-api`): a [`FinalPoll`] holding the last
        //! poll's output (or the error a `success` acceptor matched), or a [`WaiterError`]: no poll ended the wait
        //! before the deadline, or the deadline cut a poll off ([`error::ExceededMaxWait`]), a `failure` acceptor
        //! matched ([`error::FailureState`], with that poll's result), a poll failed in a way no acceptor handles
        //! ([`error::OperationFailed`]), or the input is invalid (`ConstructionFailure`, nothing sent).

        pub use crate::waiter::{FinalPoll, WaiterError};

        /// The parts of a [`WaiterError`].
        pub mod error {
            pub use crate::waiter::{ExceededMaxWait, FailureState, OperationFailed, WaiterError};
        }

        #(#mods)*
    };
    RustFile { path: "src/waiters/mod.rs".into(), tokens }
}

/// The client's `Waiters` trait and its implementation, when the crate has waiters.
pub fn client_trait(ir: &Ir) -> TokenStream {
    let waiters: Vec<(&Operation, &Waiter)> =
        ir.operations.iter().flat_map(|o| o.waiters.iter().map(move |w| (o, w))).collect();
    if waiters.is_empty() {
        return quote!();
    }
    let decls = waiters.iter().map(|(op, w)| {
        let method = ident(&w.method);
        let module = ident(&w.module);
        let fluent = ident(&w.fluent_builder);
        let docs = doc_attrs(&format!(
            "Waits with the `{}` waiter, polling `{}`: set its input on the returned builder, then \
             `wait(max_wait).await`.\n\n{}",
            w.name, op.name, w.docs
        ));
        let dep =
            if w.deprecated { quote!(#[deprecated(note = "the model deprecates this waiter")]) } else { quote!() };
        quote! {
            #docs
            #dep
            fn #method(&self) -> crate::waiters::#module::#fluent;
        }
    });
    let impls = waiters.iter().map(|(_, w)| {
        let method = ident(&w.method);
        let module = ident(&w.module);
        let fluent = ident(&w.fluent_builder);
        quote! {
            fn #method(&self) -> crate::waiters::#module::#fluent {
                crate::waiters::#module::#fluent::new(self.handle.clone())
            }
        }
    });
    quote! {
        /// The waiters of the service's operations, as aws-sdk-rust has them: `use …::client::Waiters;` and call
        /// `client.wait_until_…()`.
        pub trait Waiters {
            #(#decls)*
        }

        impl Waiters for Client {
            #(#impls)*
        }
    }
}

/// `src/waiters/<waiter>.rs`.
pub fn waiter_file(op: &Operation, w: &Waiter) -> RustFile {
    let module = super::ident(&op.module);
    let fluent = ident(&w.fluent_builder);
    let final_poll = ident(&w.final_poll);
    let error_alias = ident(&w.error);
    let input = type_path(&op.input.path);
    let output = type_path(&op.output.path);
    let input_builder = builder_path(&op.input.path);
    let error = ident(&op.client_types.error);
    let op_error = quote!(crate::operation::#module::#error);
    let (min, max) = (w.min_delay, w.max_delay);
    let mut acceptor_docs = vec![format!(
        "Polls `{}` every {min} to {max} seconds (the backoff of the Smithy waiters specification); the first \
         acceptor that matches a poll decides:",
        op.name
    )];
    acceptor_docs.push(String::new());
    for a in &w.acceptors {
        let state = match a.state {
            AcceptorState::Success => "success",
            AcceptorState::Failure => "failure",
            AcceptorState::Retry => "retry",
        };
        acceptor_docs.push(format!("- {state} on {}", a.description));
    }
    acceptor_docs.push(String::new());
    acceptor_docs.push("Otherwise a successful poll is retried and an error ends the wait.".to_owned());
    let intro = format!("The `{}` waiter of `{}`.\n\n{}\n\n{}", w.name, op.name, w.docs, acceptor_docs.join("\n"));
    let module_docs = inner_doc_attrs(&intro);
    let fluent_docs = doc_attrs(&format!(
        "The `{}` waiter: set the input of `{}` with the methods named after its members, then call \
         [`wait`](Self::wait).",
        w.name, op.name
    ));
    let delegates = op.input.fields.iter().map(|f| super::types::member_methods(f, super::types::Store::Delegate));
    let acceptors = acceptor_fn(w, &input, &output, &op_error);
    let dep = if w.deprecated { quote!(#[deprecated(note = "the model deprecates this waiter")]) } else { quote!() };
    let tokens = quote! {
        #module_docs

        #fluent_docs
        #dep
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<crate::invoke::Handle>,
            inner: #input_builder,
            config_override: ::std::option::Option<crate::config::ConfigOverride>,
        }

        impl #fluent {
            pub(crate) fn new(handle: ::std::sync::Arc<crate::invoke::Handle>) -> Self {
                #fluent { handle, inner: ::std::default::Default::default(), config_override: ::std::option::Option::None }
            }

            /// Settings for every poll of this wait, over the client's configuration: a `config::Builder`, whose
            /// settings replace the client's, or a [`ConfigOverride`](crate::config::ConfigOverride).
            pub fn config_override(mut self, config_override: impl ::std::convert::Into<crate::config::ConfigOverride>) -> Self {
                self.config_override = ::std::option::Option::Some(config_override.into());
                self
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            /// Polls until an acceptor ends the wait, or `max_wait` has passed: the last poll's result when the
            /// waiter succeeds, else why it did not. Returns within `max_wait`: a poll still running at the deadline
            /// is cancelled, and the wait ends with `ExceededMaxWait`.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> ::std::result::Result<#final_poll, #error_alias> {
                let input = self.inner.build().map_err(crate::waiter::WaiterError::construction_failure)?;
                let handle = self.handle;
                let config_override = self.config_override;
                crate::waiter::wait(
                    &handle,
                    crate::waiter::Delays { min: #min, max: #max },
                    max_wait,
                    || input.clone().send_with_handle(handle.clone(), config_override.clone()),
                    |result| acceptors(&input, result),
                )
                .await
            }

            #(#delegates)*
        }

        /// The last poll of a successful wait: the output, or the error a `success` acceptor matched.
        pub type #final_poll = crate::waiters::FinalPoll<#output, crate::error::SdkError<#op_error>>;

        /// Why a wait did not succeed.
        pub type #error_alias = crate::waiters::WaiterError<#output, #op_error>;

        #acceptors
    };
    RustFile { path: format!("src/waiters/{}.rs", crate::ident::unraw(&w.module)), tokens }
}

fn acceptor_fn(w: &Waiter, input: &TokenStream, output: &TokenStream, error: &TokenStream) -> TokenStream {
    let input_param = if w.reads_input() { quote!(input) } else { quote!(_input) };
    let checks = w.acceptors.iter().map(|a| {
        let state = match a.state {
            AcceptorState::Success => quote!(crate::waiter::AcceptorState::Success),
            AcceptorState::Failure => quote!(crate::waiter::AcceptorState::Failure),
            AcceptorState::Retry => quote!(crate::waiter::AcceptorState::Retry),
        };
        let test = match &a.matcher {
            Matcher::Success(true) => quote!(result.is_ok()),
            Matcher::Success(false) => quote!(result.is_err()),
            Matcher::ErrorType { variant: Some(v), .. } => {
                let v = ident(v);
                quote!(result.is_err_and(|err| ::std::matches!(err, #error::#v(_))))
            }
            Matcher::ErrorType { code, variant: None } => {
                quote!(result.is_err_and(|err| err.code() == ::std::option::Option::Some(#code)))
            }
            Matcher::Path { expr, comparator, .. } => {
                let param =
                    if uses(expr, &|n| matches!(n, PathNode::Output)) { quote!(output) } else { quote!(_output) };
                let cond = compare(expr, comparator);
                quote!(result.is_ok_and(|#param| #cond))
            }
        };
        quote! {
            if #test {
                return #state;
            }
        }
    });
    let listed: Vec<String> = w.acceptors.iter().enumerate().map(|(i, a)| format!("{i}. {}", a.description)).collect();
    let docs = doc_attrs(&format!(
        "The waiter's acceptors, in the model's order: the state the first matching one gives, if any.\n\n{}",
        listed.join("\n")
    ));
    quote! {
        #docs
        #[allow(clippy::float_cmp)]
        fn acceptors(
            #input_param: &#input,
            result: ::std::result::Result<&#output, &#error>,
        ) -> crate::waiter::AcceptorState {
            #(#checks)*
            crate::waiter::AcceptorState::NoMatch
        }
    }
}

/// Whether any node of `e` satisfies `f`.
fn uses(e: &PathExpr, f: &dyn Fn(&PathNode) -> bool) -> bool {
    if f(&e.node) {
        return true;
    }
    match &e.node {
        PathNode::Output | PathNode::Input | PathNode::Item(_) | PathNode::Literal(_) => false,
        PathNode::Field { of, .. } | PathNode::Index { of, .. } | PathNode::Flatten(of) | PathNode::Length(of) => {
            uses(of, f)
        }
        PathNode::Project { of, filter, then, .. } => {
            uses(of, f) || filter.as_deref().is_some_and(|c| condition_uses(c, f)) || uses(then, f)
        }
        PathNode::Compare { left, right, .. } | PathNode::And(left, right) | PathNode::Or(left, right) => {
            uses(left, f) || uses(right, f)
        }
        PathNode::IsNull { value, .. } => uses(value, f),
        PathNode::Not(c) => condition_uses(c, f),
    }
}

fn condition_uses(c: &Condition, f: &dyn Fn(&PathNode) -> bool) -> bool {
    match c {
        Condition::Value(e) => uses(e, f),
        Condition::And(a, b) | Condition::Or(a, b) => condition_uses(a, f) || condition_uses(b, f),
        Condition::Not(a) => condition_uses(a, f),
    }
}

/// An emitted expression, and whether it is an operator expression (`a == b`, `!a`): one that needs parentheses
/// as an operand or a method receiver, and must not have them where Rust warns about unneeded ones.
struct Ex {
    tokens: TokenStream,
    op: bool,
}

impl Ex {
    fn atom(tokens: TokenStream) -> Ex {
        Ex { tokens, op: false }
    }

    fn op(tokens: TokenStream) -> Ex {
        Ex { tokens, op: true }
    }

    /// As an operand or a receiver: parenthesized when it is an operator expression.
    fn operand(&self) -> TokenStream {
        let t = &self.tokens;
        if self.op {
            quote!((#t))
        } else {
            t.clone()
        }
    }
}

/// The comparator applied to the value of `e`: a `bool`.
fn compare(e: &PathExpr, comparator: &Comparator) -> TokenStream {
    let v = expr(e).operand();
    match (comparator, e.nullable) {
        (Comparator::StringEquals(s), true) => quote!(#v == ::std::option::Option::Some(#s)),
        (Comparator::StringEquals(s), false) => quote!(#v == #s),
        (Comparator::BooleanEquals(b), true) => quote!(#v == ::std::option::Option::Some(#b)),
        (Comparator::BooleanEquals(true), false) => expr(e).tokens,
        (Comparator::BooleanEquals(false), false) => quote!(!#v),
        (Comparator::AllStringEquals(s), true) => {
            quote!(#v.is_some_and(|items| !items.is_empty() && items.iter().all(|item| *item == #s)))
        }
        (Comparator::AllStringEquals(s), false) => {
            quote!({ let items = #v; !items.is_empty() && items.iter().all(|item| *item == #s) })
        }
        (Comparator::AnyStringEquals(s), true) => quote!(#v.is_some_and(|items| items.contains(&#s))),
        (Comparator::AnyStringEquals(s), false) => quote!(#v.contains(&#s)),
    }
}

fn item(depth: usize) -> proc_macro2::Ident {
    format_ident!("item{}", depth)
}

/// `e` as an `Option`, whether or not it may be null.
fn optional(e: &PathExpr) -> Ex {
    let v = expr(e);
    if e.nullable {
        v
    } else {
        let t = v.tokens;
        Ex::atom(quote!(::std::option::Option::Some(#t)))
    }
}

/// The value of `e`: `Option<T>` when it may be null, else `T`.
fn expr(e: &PathExpr) -> Ex {
    match &e.node {
        PathNode::Output => Ex::atom(quote!(output)),
        PathNode::Input => Ex::atom(quote!(input)),
        PathNode::Item(d) => {
            let i = item(*d);
            Ex::atom(quote!(#i))
        }
        PathNode::Field { of, field, optional: opt, boxed, source } => {
            let base = expr(of).operand();
            Ex::atom(if of.nullable {
                let access = field_access(&quote!(v), field, *opt, *boxed, source);
                if *opt {
                    quote!(#base.and_then(|v| #access))
                } else {
                    quote!(#base.map(|v| #access))
                }
            } else {
                field_access(&base, field, *opt, *boxed, source)
            })
        }
        PathNode::Index { of, index } => {
            let of = optional(of).operand();
            Ex::atom(if *index == 0 {
                quote!(#of.and_then(|items| items.first().cloned()))
            } else if *index == -1 {
                quote!(#of.and_then(|items| items.last().cloned()))
            } else if *index > 0 {
                let i = Literal::usize_unsuffixed(*index as usize);
                quote!(#of.and_then(|items| items.get(#i).cloned()))
            } else {
                let k = Literal::usize_unsuffixed(index.unsigned_abs() as usize);
                quote!(#of.and_then(|items| items.len().checked_sub(#k).and_then(|i| items.get(i).cloned())))
            })
        }
        PathNode::Flatten(of) => {
            let base = expr(of).operand();
            Ex::atom(if of.nullable {
                quote!(#base.map(|items| items.into_iter().flatten().collect::<::std::vec::Vec<_>>()))
            } else {
                quote!(#base.into_iter().flatten().collect::<::std::vec::Vec<_>>())
            })
        }
        PathNode::Project { of, depth, filter: None, then } if then.node == PathNode::Item(*depth) => expr(of),
        PathNode::Project { of, depth, filter, then } => {
            let it = item(*depth);
            let mut chain = quote!(items.into_iter());
            if let Some(c) = filter {
                let keep = truthy(c).tokens;
                chain = quote!(#chain.filter(|#it| { let #it = *#it; #keep }));
            }
            if then.node != PathNode::Item(*depth) {
                let value = expr(then).tokens;
                chain = if then.nullable {
                    quote!(#chain.filter_map(|#it| #value))
                } else {
                    quote!(#chain.map(|#it| #value))
                };
            }
            let base = expr(of);
            Ex::atom(if of.nullable {
                let base = base.operand();
                quote!(#base.map(|items| #chain.collect::<::std::vec::Vec<_>>()))
            } else {
                let base = base.tokens;
                quote!({ let items = #base; #chain.collect::<::std::vec::Vec<_>>() })
            })
        }
        PathNode::Length(of) => {
            let count = match of.ty {
                PathType::String => quote!(value.chars().count()),
                _ => quote!(value.len()),
            };
            let base = expr(of);
            Ex::atom(if of.nullable {
                let base = base.operand();
                quote!(#base.map(|value| i64::try_from(#count).unwrap_or(i64::MAX)))
            } else {
                let base = base.tokens;
                quote!({ let value = #base; i64::try_from(#count).unwrap_or(i64::MAX) })
            })
        }
        PathNode::Literal(l) => Ex::atom(match l {
            Lit::String(s) => quote!(#s),
            Lit::Bool(b) => quote!(#b),
            Lit::Int(i) => {
                let i = Literal::i64_suffixed(*i);
                quote!(#i)
            }
            Lit::Float(x) => {
                let x = Literal::f64_suffixed(*x);
                quote!(#x)
            }
        }),
        PathNode::Compare { op, left, right } => {
            let float = |a: &PathExpr, b: &PathExpr| a.ty == PathType::Int && b.ty == PathType::Float;
            let side = |a: &PathExpr, b: &PathExpr| -> (TokenStream, bool) {
                let v = expr(a).operand();
                if float(a, b) {
                    if a.nullable {
                        (quote!(#v.map(|n| n as f64)), true)
                    } else {
                        (quote!((#v as f64)), false)
                    }
                } else {
                    (v, a.nullable)
                }
            };
            let (l, ln) = side(left, right);
            let (r, rn) = side(right, left);
            let lift = |t: TokenStream, n: bool| if n { t } else { quote!(::std::option::Option::Some(#t)) };
            let operator = match op {
                Comparison::Eq => quote!(==),
                Comparison::Ne => quote!(!=),
                Comparison::Lt => quote!(<),
                Comparison::Le => quote!(<=),
                Comparison::Gt => quote!(>),
                Comparison::Ge => quote!(>=),
            };
            match (op, ln || rn) {
                (_, false) => Ex::op(quote!(#l #operator #r)),
                (Comparison::Eq | Comparison::Ne, true) => {
                    let (l, r) = (lift(l, ln), lift(r, rn));
                    Ex::op(quote!(#l #operator #r))
                }
                (_, true) if !rn => Ex::atom(quote!(#l.map(|a| a #operator #r))),
                (_, true) if !ln => Ex::atom(quote!(#r.map(|b| #l #operator b))),
                (_, true) => Ex::atom(quote!(#l.zip(#r).map(|(a, b)| a #operator b))),
            }
        }
        PathNode::IsNull { value, equal } => {
            let v = expr(value).operand();
            Ex::atom(match (value.nullable, equal) {
                (true, true) => quote!(#v.is_none()),
                (true, false) => quote!(#v.is_some()),
                (false, equal) => {
                    let never = !*equal;
                    quote!(#never)
                }
            })
        }
        PathNode::And(l, r) | PathNode::Or(l, r) => {
            let and = matches!(e.node, PathNode::And(..));
            if !l.nullable && !r.nullable {
                let (l, r) = (expr(l).operand(), expr(r).operand());
                return Ex::op(if and { quote!(#l && #r) } else { quote!(#l || #r) });
            }
            if !l.nullable {
                let (l, r) = (expr(l).tokens, expr(r).tokens);
                return Ex::atom(if and {
                    quote!(if #l { #r } else { ::std::option::Option::Some(false) })
                } else {
                    quote!(if #l { ::std::option::Option::Some(true) } else { #r })
                });
            }
            let (l, r) = (optional(l).tokens, optional(r).tokens);
            Ex::atom(if and {
                quote!(match #l { ::std::option::Option::Some(true) => #r, other => other })
            } else {
                quote!(match #l { ::std::option::Option::Some(true) => ::std::option::Option::Some(true), _ => #r })
            })
        }
        PathNode::Not(c) => falsy(c),
    }
}

/// Whether a condition holds: JMESPath's truthiness.
fn truthy(c: &Condition) -> Ex {
    match c {
        Condition::And(a, b) => {
            let (a, b) = (truthy(a).operand(), truthy(b).operand());
            Ex::op(quote!(#a && #b))
        }
        Condition::Or(a, b) => {
            let (a, b) = (truthy(a).operand(), truthy(b).operand());
            Ex::op(quote!(#a || #b))
        }
        Condition::Not(a) => falsy(a),
        Condition::Value(e) => {
            let v = expr(e).operand();
            match (&e.ty, e.nullable) {
                (PathType::Bool, false) => expr(e),
                (PathType::Bool, true) => Ex::op(quote!(#v == ::std::option::Option::Some(true))),
                (PathType::String | PathType::Array(_), false) => Ex::op(quote!(!#v.is_empty())),
                (PathType::String | PathType::Array(_), true) => {
                    Ex::atom(quote!(#v.is_some_and(|value| !value.is_empty())))
                }
                (_, false) => Ex::atom(quote!(true)),
                (_, true) => Ex::atom(quote!(#v.is_some())),
            }
        }
    }
}

/// Whether a condition does not hold.
fn falsy(c: &Condition) -> Ex {
    match c {
        Condition::Not(a) => truthy(a),
        Condition::Value(e) => {
            let v = expr(e).operand();
            match (&e.ty, e.nullable) {
                (PathType::Bool, false) => Ex::op(quote!(!#v)),
                (PathType::Bool, true) => Ex::op(quote!(#v != ::std::option::Option::Some(true))),
                (PathType::String | PathType::Array(_), false) => Ex::atom(quote!(#v.is_empty())),
                (PathType::String | PathType::Array(_), true) => {
                    Ex::atom(quote!(#v.is_none_or(|value| value.is_empty())))
                }
                (_, false) => Ex::atom(quote!(false)),
                (_, true) => Ex::atom(quote!(#v.is_none())),
            }
        }
        other => {
            let t = truthy(other).operand();
            Ex::op(quote!(!#t))
        }
    }
}

/// Reading the field `field` of the structure `v` (a reference) as its JMESPath value: `Option<T>` when `optional`.
fn field_access(v: &TokenStream, field: &str, optional: bool, boxed: bool, source: &Type) -> TokenStream {
    let f = ident(field);
    let place = quote!(#v.#f);
    match (source, optional) {
        (Type::String, true) => quote!(#place.as_deref()),
        (Type::String | Type::Named(_, NamedKind::Enum), false) => quote!(#place.as_str()),
        (Type::Named(_, NamedKind::Enum), true) => quote!(#place.as_ref().map(|value| value.as_str())),
        (Type::Named(_, NamedKind::IntEnum), true) => {
            quote!(#place.as_ref().map(|value| i64::from(value.as_i32())))
        }
        (Type::Named(_, NamedKind::IntEnum), false) => quote!(i64::from(#place.as_i32())),
        (Type::Bool | Type::Long | Type::Double | Type::BigDecimal, _) => place,
        (Type::Byte | Type::Short | Type::Integer, true) => quote!(#place.map(i64::from)),
        (Type::Byte | Type::Short | Type::Integer, false) => quote!(i64::from(#place)),
        (Type::Float, true) => quote!(#place.map(f64::from)),
        (Type::Float, false) => quote!(f64::from(#place)),
        (Type::BigInteger, true) => quote!(#place.map(|value| value as f64)),
        (Type::BigInteger, false) => quote!((#place as f64)),
        (Type::Timestamp(_), true) => quote!(#place.as_ref().map(|value| value.as_secs_f64())),
        (Type::Timestamp(_), false) => quote!(#place.as_secs_f64()),
        (Type::Named(_, NamedKind::Structure), true) if boxed => quote!(#place.as_deref()),
        (Type::Named(_, NamedKind::Structure), true) => quote!(#place.as_ref()),
        (Type::Named(_, NamedKind::Structure), false) if boxed => quote!((&*#place)),
        (Type::Named(_, NamedKind::Structure), false) => quote!((&#place)),
        (Type::List { member, .. }, true) => {
            let conv = list(&member.ty, &quote!(list));
            quote!(#place.as_ref().map(|list| #conv))
        }
        (Type::List { member, .. }, false) => list(&member.ty, &quote!((&#place))),
        // The IR refuses paths through maps, unions, blobs and documents.
        _ => quote!(::std::option::Option::None::<()>),
    }
}

/// The JMESPath array of a `&Vec<T>`: a `Vec` of the items' values.
fn list(item: &Type, l: &TokenStream) -> TokenStream {
    let map = |f: TokenStream| quote!(#l.iter().map(#f).collect::<::std::vec::Vec<_>>());
    match item {
        Type::String | Type::Named(_, NamedKind::Enum) => map(quote!(|value| value.as_str())),
        Type::Named(_, NamedKind::IntEnum) => map(quote!(|value| i64::from(value.as_i32()))),
        Type::Bool | Type::Long | Type::Double | Type::BigDecimal => quote!(#l.to_vec()),
        Type::Byte | Type::Short | Type::Integer => map(quote!(|value| i64::from(*value))),
        Type::Float => map(quote!(|value| f64::from(*value))),
        Type::BigInteger => map(quote!(|value| *value as f64)),
        Type::Timestamp(_) => map(quote!(|value| value.as_secs_f64())),
        Type::Named(_, NamedKind::Structure) => quote!(#l.iter().collect::<::std::vec::Vec<_>>()),
        Type::List { member, .. } => {
            let inner = list(&member.ty, &quote!(value));
            map(quote!(|value| #inner))
        }
        _ => quote!(::std::vec::Vec::<()>::new()),
    }
}
