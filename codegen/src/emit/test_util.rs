//! `src/test_util.rs`, behind the `test-util` feature: the typed glue between the runtime's test doubles (`mock`) and
//! this crate's operations. Each operation's input implements `MockInput` (its name, output and error types, and
//! how its error variants go on the wire), and `rules::<operation>()` starts a rule for it.

use quote::quote;

use super::{ident, inner_doc_attrs, type_path, RustFile};
use crate::ir::{Ir, Operation};
use crate::traits::Fault;

/// `src/test_util.rs`. `example`: Markdown appended to the module's documentation (the crate's worked example).
pub fn file(ir: &Ir, example: Option<&str>) -> RustFile {
    let mut docs = String::from(
        "Test doubles for code that uses this crate (feature `test-util`): a client that answers from rules \
         instead of a network.\n\n\
         A rule belongs to one operation and is typed by it: `rules::<operation>()` starts one, \
         [`match_requests`](RuleBuilder::match_requests) sees the operation's input, and the answers are the \
         operation's own output and error types, or a throttling error, a timeout, or a raw HTTP response. A rule \
         answers once, or as a [`sequence`](RuleBuilder::sequence) of answers each given \
         [`times`](Sequence::times) times or [`repeatedly`](Sequence::repeatedly). [`Mocks`] holds the rules \
         ([`RuleMode::MatchAny`]: each call goes to the first rule of its operation that matches and has answers \
         left; [`RuleMode::Sequential`]: to the next rule, in order) and records each call's input \
         ([`Mocks::calls`], [`Rule::inputs`], [`Rule::num_calls`]). A call that no rule answers panics, naming the \
         operation and the input.\n\n\
         The rules stand behind aws-sdk-rust's `HttpClient` interface, so a call runs the client's own code \
         (validation, idempotency tokens, endpoint, signing, retries and timeouts on the configured sleep, \
         pagination) and only the transport is replaced. [`Mocks::config`] is a configuration on it that needs \
         nothing from the environment; give it tokio's paused clock (`#[tokio::test(start_paused = true)]`) so \
         that retry backoff and timeouts take no time.",
    );
    if let Some(example) = example {
        docs.push_str("\n\n");
        docs.push_str(example.trim());
    }
    let docs = inner_doc_attrs(&docs);
    let rules = ir.operations.iter().map(rule_fn);
    let impls = ir.operations.iter().map(|op| mock_input(ir, op));
    let tokens = quote! {
        #docs

        pub use crate::mock::{Call, MockInput, Mocks, Rule, RuleBuilder, RuleMode, Sequence, TokioTime};

        /// A client answering from `rules`, tried as `mode` says, configured by [`Mocks::config`]. Use
        /// [`Mocks::new`] instead to keep the record of calls, or to change the configuration.
        pub fn client<'a>(
            mode: RuleMode,
            rules: impl ::std::iter::IntoIterator<Item = &'a Rule>,
        ) -> crate::Client {
            Mocks::new(mode, rules).client()
        }

        impl crate::mock::Mocks {
            /// A client on these rules, configured by [`config`](Self::config).
            pub fn client(&self) -> crate::Client {
                crate::Client::from_conf(self.config().build())
            }
        }

        /// One rule constructor per operation.
        pub mod rules {
            #(#rules)*
        }

        #(#impls)*
    };
    RustFile { path: "src/test_util.rs".into(), tokens }
}

/// `pub fn <operation>() -> RuleBuilder<<Op>Input>`.
fn rule_fn(op: &Operation) -> proc_macro2::TokenStream {
    let name = ident(&op.method);
    let input = type_path(&op.input.path);
    let doc = format!(
        " A rule for `{}`: it matches every call until [`match_requests`](super::RuleBuilder::match_requests) \
         narrows it.",
        op.name
    );
    quote! {
        #[doc = #doc]
        pub fn #name() -> super::RuleBuilder<#input> {
            super::RuleBuilder::new()
        }
    }
}

/// `impl MockInput for <Op>Input`.
fn mock_input(ir: &Ir, op: &Operation) -> proc_macro2::TokenStream {
    let input = type_path(&op.input.path);
    let output = type_path(&op.output.path);
    let module = ident(&op.module);
    let error = ident(&op.client_types.error);
    let error = quote!(crate::operation::#module::#error);
    let name = &op.name;
    let arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let code = &e.code;
        let server = ir.errors.iter().find(|s| s.id == e.id).and_then(|s| s.error.as_ref()).map(|i| i.fault)
            == Some(Fault::Server);
        quote! {
            #error::#v(e) => crate::mock::ErrorReply::modeled(
                e,
                crate::error::ProvideErrorMetadata::meta(e),
                #code,
                #server,
            ),
        }
    });
    let doc = format!(" `{name}`, for the test doubles.");
    quote! {
        #[doc = #doc]
        impl crate::mock::MockInput for #input {
            const OPERATION: &'static str = #name;
            type Output = #output;
            type Error = #error;

            fn decode(body: &[u8]) -> ::std::result::Result<Self, ::std::string::String> {
                crate::mock::decode(body)
            }

            fn encode_output(output: &Self::Output) -> ::std::result::Result<::std::vec::Vec<u8>, ::std::string::String> {
                crate::mock::encode(output)
            }

            fn error_reply(error: &Self::Error) -> crate::mock::ErrorReply {
                match error {
                    #(#arms)*
                    #error::Unhandled(e) => crate::mock::ErrorReply::unhandled(crate::error::ProvideErrorMetadata::meta(e)),
                }
            }
        }
    }
}
