//! The client: `src/client.rs` (the `Client` with one method per operation), and, in each operation module, the
//! operation's error enum, its fluent builder, `send_with` on the input, and a paginator where the model declares
//! one. The request pipeline itself is the runtime module `invoke`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{builder_path, doc_attrs, element_type, ident, rust_type, type_path, RustFile};
use crate::ir::{Ir, Operation, PathStep, Type};

/// `src/client.rs`.
pub fn client_file(ir: &Ir, crate_name: &str) -> RustFile {
    let s = &ir.service;
    let lib = crate_name.replace('-', "_");
    let example = [
        " ```no_run".to_owned(),
        format!(" # fn example(sdk_config: &{lib}::config::SdkConfig) {{"),
        " // With aws-config, as for any aws-sdk-rust client (`aws_config::load_from_env().await`):".to_owned(),
        format!(" let client = {lib}::Client::new(sdk_config);"),
        " // Without aws-config: the environment, the shared files, container and instance credentials.".to_owned(),
        format!(" let client = {lib}::Client::from_conf({lib}::Config::from_env().build());"),
        " # let _ = client;".to_owned(),
        " # }".to_owned(),
        " ```".to_owned(),
    ];
    let signing = s.signing_name.clone().unwrap_or_else(|| s.sdk_id.to_ascii_lowercase());
    let protocol = super::protocol::service_protocol(ir);
    let waiters = super::waiters::client_trait(ir);
    let methods = ir.operations.iter().map(|op| {
        let method = ident(&op.method);
        let module = ident(&op.module);
        let fluent = ident(&op.client_types.fluent_builder);
        let mut docs =
            format!("Starts a `{}` call: set the input on the returned builder, then `send().await`.", op.name);
        if !op.docs.is_empty() {
            docs = format!("{}\n\n{docs}", op.docs);
        }
        if op.paginated.is_some() {
            docs.push_str(" The builder's `into_paginator()` follows the pages.");
        }
        let errors: Vec<String> = op.errors.iter().map(|e| format!("`{}`", e.code)).collect();
        if !errors.is_empty() {
            docs.push_str(&format!("\n\nModeled errors: {}.", errors.join(", ")));
        }
        let docs = doc_attrs(&docs);
        let dep = super::deprecated_attr(&op.deprecated);
        quote! {
            #docs
            #dep
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.handle.clone())
            }
        }
    });
    let tokens = quote! {
        //! The client for the service's operations.

        use std::sync::Arc;

        /// What the runtime needs to know about the service.
        pub(crate) static SERVICE: crate::invoke::ServiceInfo = crate::invoke::ServiceInfo {
            sdk_id: crate::SDK_ID,
            signing_name: #signing,
            user_agent: ::std::concat!(::std::env!("CARGO_PKG_NAME"), "-rust/", ::std::env!("CARGO_PKG_VERSION")),
            protocol: #protocol,
            resolve_endpoint: crate::endpoint::resolve_for_config,
        };

        /// Changing one request's settings before it is sent: what a fluent builder's `customize()` returns.
        pub mod customize {
            pub use crate::fluent::CustomizableOperation;
        }

        pub use crate::fluent::SendFuture;

        /// A client for the service. Cheap to clone: clones share configuration and connections.
        ///
        #(#[doc = #example])*
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            pub(crate) handle: Arc<crate::invoke::Handle>,
        }

        impl Client {
            /// A client with the configuration aws-config loaded (region, credentials, endpoint, retry and timeout
            /// settings, and its HTTP client), as for any aws-sdk-rust client.
            pub fn new(sdk_config: &crate::config::SdkConfig) -> Self {
                Client::from_conf(crate::config::Config::new(sdk_config))
            }

            /// A client that takes ownership of its configuration.
            pub fn from_conf(config: crate::config::Config) -> Self {
                Client { handle: Arc::new(crate::invoke::Handle::new(config, &SERVICE)) }
            }

            /// A client configured from the environment and the shared files (see
            /// [`Config::from_env`](crate::config::Config::from_env)).
            pub fn from_env() -> Self {
                Client::from_conf(crate::config::Config::from_env().build())
            }

            /// The configuration.
            pub fn config(&self) -> &crate::config::Config {
                &self.handle.config
            }

            #(#methods)*
        }

        #waiters
    };
    RustFile { path: "src/client.rs".into(), tokens }
}

/// `src/error_meta.rs`: the crate-wide `Error`, one variant per error any operation declares, which every
/// operation's error and `SdkError` convert into, as aws-sdk-rust's `Error` (so that `?` works in a function
/// returning `Result<_, sagemaker_pipelines::Error>`).
pub fn error_meta_file(ir: &Ir) -> RustFile {
    let mut all: Vec<&crate::ir::ErrorRef> = ir.operations.iter().flat_map(|o| &o.errors).collect();
    all.sort_by(|a, b| a.variant.cmp(&b.variant));
    all.dedup_by(|a, b| a.variant == b.variant);
    let variants = all.iter().map(|e| {
        let v = ident(&e.variant);
        let t = type_path(&e.path);
        let doc = format!(" `{}`.", e.code);
        quote!(#[doc = #doc] #v(#t),)
    });
    let meta_arms = all.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Error::#v(e) => crate::error::ProvideErrorMetadata::meta(e),)
    });
    let display_arms = all.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Error::#v(e) => ::std::fmt::Display::fmt(e, f),)
    });
    let source_arms = all.iter().map(|e| {
        let v = ident(&e.variant);
        quote!(Error::#v(e) => ::std::option::Option::Some(e),)
    });
    let conversions = ir.operations.iter().map(|op| {
        let module = ident(&op.module);
        let error = ident(&op.client_types.error);
        let arms = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            quote!(crate::operation::#module::#error::#v(inner) => Error::#v(inner),)
        });
        quote! {
            impl ::std::convert::From<crate::operation::#module::#error> for Error {
                fn from(err: crate::operation::#module::#error) -> Self {
                    match err {
                        #(#arms)*
                        crate::operation::#module::#error::Unhandled(inner) => Error::Unhandled(inner),
                    }
                }
            }

            impl<R> ::std::convert::From<crate::error::SdkError<crate::operation::#module::#error, R>> for Error
            where
                R: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
            {
                fn from(err: crate::error::SdkError<crate::operation::#module::#error, R>) -> Self {
                    crate::error::from_sdk_error(err, Error::Unhandled)
                }
            }
        }
    });
    let tokens = quote! {
        //! The crate-wide error.

        /// Any error of any operation of this crate: one variant per error the model declares, and `Unhandled` for
        /// anything else (undeclared errors, and failures that are not service errors: timeouts, dispatch, invalid
        /// input). Every operation's error and every `SdkError` converts into it, so `?` works in functions returning
        /// `Result<_, Error>`.
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum Error {
            #(#variants)*
            /// An error the model does not declare, or a failure that is not a service error. Match on
            /// [`code()`](crate::error::ProvideErrorMetadata::code) rather than on this variant.
            Unhandled(crate::error::Unhandled),
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Error::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source_arms)*
                    Error::Unhandled(e) => ::std::error::Error::source(e),
                }
            }
        }

        impl crate::error::ProvideErrorMetadata for Error {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                match self {
                    #(#meta_arms)*
                    Error::Unhandled(e) => crate::error::ProvideErrorMetadata::meta(e),
                }
            }
        }

        impl crate::error::RequestId for Error {
            fn request_id(&self) -> ::std::option::Option<&str> {
                crate::error::RequestId::request_id(crate::error::ProvideErrorMetadata::meta(self))
            }
        }

        impl ::std::convert::From<crate::error::BuildError> for Error {
            fn from(err: crate::error::BuildError) -> Self {
                Error::Unhandled(crate::error::Unhandled::new(::std::boxed::Box::new(err), ::std::option::Option::None))
            }
        }

        #(#conversions)*
    };
    RustFile { path: "src/error_meta.rs".into(), tokens }
}

/// The operation's error enum, fluent builder, `send_with`, and paginator.
pub fn operation_extras(op: &Operation, ir: &Ir) -> TokenStream {
    let names = &op.client_types;
    let error = ident(&names.error);
    let fluent = ident(&names.fluent_builder);
    let input = type_path(&op.input.path);
    let output = type_path(&op.output.path);
    let input_builder = builder_path(&op.input.path);
    let op_name = &op.name;

    // Error enum.
    let variants = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = type_path(&e.path);
        let doc = format!(" The service returned `{}`.", e.code);
        quote!(#[doc = #doc] #v(#t),)
    });
    let parse_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = type_path(&e.path);
        let code = &e.code;
        let decode = super::protocol::decode_error(ir);
        quote! {
            ::std::option::Option::Some(#code) => match #decode {
                ::std::option::Option::Some(e) => {
                    let mut e: #t = e;
                    e.meta = meta.into_metadata();
                    #error::#v(e)
                }
                ::std::option::Option::None => #error::Unhandled(crate::error::Unhandled::from_response(meta)),
            },
        }
    });
    // One match gives the runtime's view of a variant; `meta`, `code`, `message`, `Display` and `source` read it.
    let view_arms = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let t = type_path(&e.path);
        // A required `message` member's own accessor returns `&str`; every other error has `message()` returning
        // an `Option`.
        let required_field = ir
            .errors
            .iter()
            .find(|s| s.id == e.id)
            .and_then(|s| s.error.as_ref())
            .is_some_and(|info| !info.message_method && info.message.as_ref().is_some_and(|m| !m.optional));
        let message = if required_field { quote!(::std::option::Option::Some(e.message())) } else { quote!(e.message()) };
        quote! {
            #error::#v(e) => crate::error::ErrorView::Modeled { error: e, meta: &e.meta, code: #t::CODE, message: #message },
        }
    });
    let is_fns = op.errors.iter().map(|e| {
        let v = ident(&e.variant);
        let f = ident(&e.is_method);
        let doc = format!(" Whether this is `{}`.", e.code);
        quote! {
            #[doc = #doc]
            pub fn #f(&self) -> bool {
                matches!(self, #error::#v(_))
            }
        }
    });
    let operation_doc = format!(
        " `{op_name}` as the runtime sends it: its functions are the only code of sending that is this operation's \
(every call is the runtime's one call future)."
    );
    let error_doc =
        format!(" Errors of `{op_name}`: one variant per error the model declares, and `Unhandled` for any other.");

    // Fluent builder delegates: the same member methods as the input builder.
    let delegates = op.input.fields.iter().map(|f| super::types::member_methods(f, super::types::Store::Delegate));
    let tokens_fill =
        op.input.fields.iter().filter(|f| f.idempotency_token && matches!(f.ty.ty, Type::String)).map(|f| {
            let name = ident(&f.name);
            quote! {
                if self.#name.is_none() {
                    self.#name = ::std::option::Option::Some(crate::invoke::idempotency_token());
                }
            }
        });
    let needs_mut = op.input.fields.iter().any(|f| f.idempotency_token && matches!(f.ty.ty, Type::String));
    let self_binding = if needs_mut { quote!(mut self) } else { quote!(self) };
    let fluent_doc = format!(
        " Builds and sends a `{op_name}` request. Set members with the methods named after them, then call \
[`send`](Self::send)."
    );
    let send_doc = " Validates the input (unless the client's configuration or this request's \
[`config_override`](Self::config_override) turned checks off), fills idempotency tokens left empty, signs and sends \
the request, retrying as configured, and decodes the output or the error.";

    // Operations that send a pipeline definition take a typed one too (feature `definitions`): `.definition(..)`
    // writes its text and keeps what its `check()` found, which `send` reports as input validation does.
    let sender = ir.definitions.as_ref().and_then(|d| d.senders.iter().find(|s| s.operation == op.id));
    let sender_field = sender.and_then(|s| op.input.fields.iter().find(|f| s.member == f.wire_name).map(|f| (s, f)));
    let (definition_field, definition_init, definition_send, definition_method) = match sender_field {
        None => (quote!(), quote!(), quote!(), quote!()),
        Some((sender, f)) => {
            let method = ident(&sender.method);
            let setter = ident(&f.name);
            let member = &f.wire_name;
            let shape = &op.input.path.name;
            let doc = format!(
                " Set `{member}` to a typed pipeline definition's text (`to_json()`). Its `check()` runs now, and what it \
finds is reported by [`send`](Self::send) as input validation (`ConstraintKind::Definition`, each problem at \
`{member}.<its path>`), so the client's validation settings apply to it."
            );
            (
                quote!(#[cfg(feature = "definitions")] definition_problems: ::std::option::Option<crate::definition::CheckError>,),
                quote!(#[cfg(feature = "definitions")] definition_problems: ::std::option::Option::None,),
                quote! {
                    #[cfg(feature = "definitions")]
                    if let ::std::result::Result::Err(e) = crate::definition::check_before_send(
                        self.definition_problems.as_ref(),
                        &self.handle.config,
                        self.config_override.as_ref(),
                        #shape,
                        #member,
                    ) {
                        return crate::client::SendFuture::failed(crate::error::SdkError::Validation(e));
                    }
                },
                quote! {
                    #[doc = #doc]
                    #[cfg(feature = "definitions")]
                    #[cfg_attr(docsrs, doc(cfg(feature = "definitions")))]
                    pub fn #method(mut self, definition: &crate::definition::PipelineDefinition) -> Self {
                        self.definition_problems = definition.check().err();
                        self.inner = self.inner.#setter(definition.to_json());
                        self
                    }
                },
            )
        }
    };

    // An operation whose endpoint depends on the call resolves it per call, with what its input binds.
    let call_endpoint = match &op.call_endpoint {
        None => quote!(::std::option::Option::None),
        Some(_) => {
            let module = ident(&op.module);
            quote!(::std::option::Option::Some(crate::endpoint::bind::#module(&self)))
        }
    };
    let host_prefix = match &op.host_prefix {
        None => quote!(::std::option::Option::None),
        Some(parts) => {
            let mut fmt = String::new();
            let mut args = Vec::new();
            for part in parts {
                match part {
                    crate::ir::HostPart::Text(t) => fmt.push_str(&t.replace('{', "{{").replace('}', "}}")),
                    crate::ir::HostPart::Label { field, .. } => {
                        fmt.push_str("{}");
                        let f = ident(field);
                        args.push(quote!(self.#f.as_deref().unwrap_or_default()));
                    }
                }
            }
            quote!(::std::option::Option::Some(::std::format!(#fmt, #(#args),*)))
        }
    };
    let compress = if op.request_compression {
        quote!(::std::option::Option::Some(crate::compression::gzip_if_large))
    } else {
        quote!(::std::option::Option::None)
    };
    let serialize = super::protocol::serialize_input_fn(ir);
    let decode_output = super::protocol::decode_output(ir);
    let target = super::protocol::operation_target(ir, op);
    let paginator = op.paginated.as_ref().map(|p| paginator(op, p)).unwrap_or_default();
    let into_paginator = if op.paginated.is_some() {
        let pag = ident(names.paginator.as_deref().unwrap_or_default());
        quote! {
            /// Follow the pages of the result: `into_paginator().send()` yields each page,
            /// `into_paginator().items().send()` each item. Every page's request carries this builder's input, with
            /// the page's token, and its `config_override`.
            pub fn into_paginator(self) -> #pag {
                #pag::new(self)
            }
        }
    } else {
        quote!()
    };
    quote! {
        #[doc = #error_doc]
        #[non_exhaustive]
        #[derive(::std::fmt::Debug)]
        pub enum #error {
            #(#variants)*
            /// An error the model does not declare for this operation (its code, message and request id are kept),
            /// or another failure turned into this error by
            /// [`SdkError::into_service_error`](crate::error::SdkError::into_service_error). Match on
            /// [`code()`](Self::code) rather than on this variant: a later model may declare the error.
            Unhandled(crate::error::Unhandled),
        }

        impl #error {
            /// The error of an error response, boxed for the runtime (the operation's `decode_error`).
            fn parse(meta: crate::error::ErrorResponse, body: &[u8]) -> crate::invoke::Erased {
                let _ = body;
                #[allow(clippy::match_single_binding)]
                let error = match meta.error_type() {
                    #(#parse_arms)*
                    _ => #error::Unhandled(crate::error::Unhandled::from_response(meta)),
                };
                ::std::boxed::Box::new(error)
            }

            /// An unhandled error with this cause (for tests and wrappers).
            pub fn unhandled(
                err: impl ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>>,
            ) -> Self {
                #error::Unhandled(crate::error::Unhandled::new(err.into(), ::std::option::Option::None))
            }

            /// An unhandled error with only metadata (code, message, request id), for tests and wrappers.
            pub fn generic(meta: crate::error::ErrorMetadata) -> Self {
                #error::Unhandled(crate::error::Unhandled::from_metadata(meta))
            }

            /// The code, message and request id of the response.
            pub fn meta(&self) -> &crate::error::ErrorMetadata {
                self.view().meta()
            }

            /// The error code: the metadata's (the response's), else the modeled error's own.
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.view().code()
            }

            /// The message: the metadata's (the response's), else the modeled error's member, if any.
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.view().message()
            }

            /// This error as the functions every operation's error shares see it.
            fn view(&self) -> crate::error::ErrorView<'_> {
                match self {
                    #(#view_arms)*
                    #error::Unhandled(e) => crate::error::ErrorView::Unhandled(e),
                }
            }

            #(#is_fns)*

            /// Whether this is an error the model does not declare for this operation.
            pub fn is_unhandled(&self) -> bool {
                matches!(self, #error::Unhandled(_))
            }
        }

        impl ::std::fmt::Display for #error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.view(), f)
            }
        }

        impl ::std::error::Error for #error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                // A modeled error itself; as the error prints the unhandled error itself, its cause comes next.
                self.view().source()
            }
        }

        impl crate::error::ProvideErrorMetadata for #error {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                self.view().meta()
            }
        }

        impl crate::error::RequestId for #error {
            fn request_id(&self) -> ::std::option::Option<&str> {
                crate::error::RequestId::request_id(self.view().meta())
            }
        }

        impl crate::error::CreateUnhandledError for #error {
            fn create_unhandled_error(
                source: ::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync + 'static>,
                meta: ::std::option::Option<crate::error::ErrorMetadata>,
            ) -> Self {
                #error::Unhandled(crate::error::Unhandled::new(source, meta))
            }
        }

        #[doc = #operation_doc]
        const OPERATION: crate::invoke::Operation = crate::invoke::Operation {
            name: OPERATION_NAME,
            target: #target,
            prepare: |input, config, config_override| {
                crate::invoke::prepare(input, config, config_override, #input::validate, #serialize::<#input>)
            },
            decode_output: #decode_output::<#output>,
            decode_error: #error::parse,
            compress: #compress,
            erasure: crate::invoke::Erasure::of::<#input, #output, #error>(),
        };

        impl #input_builder {
            /// Builds the input and sends it with `client` (nothing is sent until the future is awaited).
            pub fn send_with(self, client: &crate::Client) -> crate::client::SendFuture<#output, #error> {
                let fluent = #fluent {
                    handle: client.handle.clone(),
                    inner: self,
                    config_override: ::std::option::Option::None,
                    #definition_init
                };
                fluent.send()
            }
        }

        impl #input {
            /// Sends this input with `client` (nothing is sent until the future is awaited).
            pub fn send_with(self, client: &crate::Client) -> crate::client::SendFuture<#output, #error> {
                self.send_with_handle(client.handle.clone(), ::std::option::Option::None)
            }

            pub(crate) fn send_with_handle(
                #self_binding,
                handle: ::std::sync::Arc<crate::invoke::Handle>,
                config_override: ::std::option::Option<crate::config::ConfigOverride>,
            ) -> crate::client::SendFuture<#output, #error> {
                #(#tokens_fill)*
                let call = crate::invoke::Call {
                    handle,
                    config_override,
                    host_prefix: #host_prefix,
                    endpoint: #call_endpoint,
                    input: ::std::boxed::Box::new(self),
                };
                crate::client::SendFuture::new(crate::invoke::invoke(&OPERATION, call))
            }
        }

        #[doc = #fluent_doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #fluent {
            handle: ::std::sync::Arc<crate::invoke::Handle>,
            inner: #input_builder,
            config_override: ::std::option::Option<crate::config::ConfigOverride>,
            #definition_field
        }

        impl #fluent {
            pub(crate) fn new(handle: ::std::sync::Arc<crate::invoke::Handle>) -> Self {
                #fluent {
                    handle,
                    inner: ::std::default::Default::default(),
                    config_override: ::std::option::Option::None,
                    #definition_init
                }
            }

            /// Settings for this request only, over the client's configuration: a `config::Builder`, whose settings
            /// replace the client's for this request, or a [`ConfigOverride`](crate::config::ConfigOverride); for
            /// example, to send a value the crate's model refuses but the service accepts, skip that kind of check:
            /// `.config_override(ConfigOverride::new().skip_constraint(ConstraintKind::Pattern))`.
            pub fn config_override(mut self, config_override: impl ::std::convert::Into<crate::config::ConfigOverride>) -> Self {
                self.config_override = ::std::option::Option::Some(config_override.into());
                self
            }

            /// Set or clear the settings for this request only.
            pub fn set_config_override(mut self, config_override: ::std::option::Option<crate::config::ConfigOverride>) -> Self {
                self.config_override = config_override;
                self
            }

            /// The settings for this request only, if any.
            pub fn get_config_override(&self) -> ::std::option::Option<&crate::config::ConfigOverride> {
                self.config_override.as_ref()
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            /// Replace the whole input.
            pub fn with_input(mut self, input: #input) -> Self {
                self.inner = input.into_builder();
                self
            }

            #[doc = #send_doc]
            pub fn send(self) -> crate::client::SendFuture<#output, #error> {
                #definition_send
                match self.inner.build() {
                    ::std::result::Result::Ok(input) => input.send_with_handle(self.handle, self.config_override),
                    ::std::result::Result::Err(e) => crate::client::SendFuture::failed(e.into()),
                }
            }

            #definition_method

            /// This request, to change its settings before it is sent:
            /// `customize().config_override(..).send().await`.
            pub fn customize(self) -> crate::client::customize::CustomizableOperation<#output, #error, Self> {
                crate::fluent::CustomizableOperation::new(self)
            }

            #into_paginator

            #(#delegates)*
        }

        impl crate::fluent::CustomizableSend<#output, #error> for #fluent {
            fn send_with_override(
                mut self,
                customization: crate::fluent::Customization,
            ) -> crate::client::SendFuture<#output, #error> {
                self.config_override = customization.apply(self.config_override.take());
                self.send()
            }
        }

        #paginator
    }
}

/// The client-side builder types of an operation, re-exported from its `builders` module.
pub fn builder_names(op: &Operation) -> Vec<proc_macro2::Ident> {
    let names = &op.client_types;
    [Some(&names.fluent_builder), names.paginator.as_ref(), names.items_paginator.as_ref()]
        .into_iter()
        .flatten()
        .map(|n| ident(n))
        .collect()
}

/// `Option<&str>` of the next token (`Option<&HashMap<…>>` when it is a map), from `page: &Output`, following the
/// IR's path.
fn token_expr(steps: &[PathStep], string: bool) -> TokenStream {
    let mut cur = quote!(page);
    let mut is_opt = false;
    for (i, step) in steps.iter().enumerate() {
        let f = ident(&step.field);
        let last = i + 1 == steps.len();
        cur = match (last, step.optional, is_opt) {
            (true, true, false) if string => quote!(#cur.#f.as_deref()),
            (true, true, true) if string => quote!(#cur.and_then(|v| v.#f.as_deref())),
            (true, false, false) if string => quote!(::std::option::Option::Some(#cur.#f.as_str())),
            (true, false, true) if string => quote!(#cur.map(|v| v.#f.as_str())),
            (true, true, false) => quote!(#cur.#f.as_ref()),
            (true, true, true) => quote!(#cur.and_then(|v| v.#f.as_ref())),
            (true, false, false) => quote!(::std::option::Option::Some(&#cur.#f)),
            (true, false, true) => quote!(#cur.map(|v| &v.#f)),
            (false, true, false) if step.boxed => quote!(#cur.#f.as_deref()),
            (false, true, false) => quote!(#cur.#f.as_ref()),
            (false, true, true) if step.boxed => quote!(#cur.and_then(|v| v.#f.as_deref())),
            (false, true, true) => quote!(#cur.and_then(|v| v.#f.as_ref())),
            (false, false, false) => quote!((&#cur.#f)),
            (false, false, true) if step.boxed => quote!(#cur.map(|v| &*v.#f)),
            (false, false, true) => quote!(#cur.map(|v| &v.#f)),
        };
        is_opt = is_opt || step.optional;
    }
    cur
}

/// The collection of items, owned, from `page: Output`, following the IR's path; empty when a step is absent.
fn items_expr(steps: &[PathStep]) -> TokenStream {
    let mut cur = quote!(page);
    let mut is_opt = false;
    for step in steps {
        let f = ident(&step.field);
        let unbox = if step.boxed { quote!(.map(|b| *b)) } else { quote!() };
        cur = match (step.optional, is_opt) {
            (true, false) => quote!(#cur.#f #unbox),
            (true, true) => quote!(#cur.and_then(|v| v.#f) #unbox),
            (false, false) if step.boxed => quote!((*#cur.#f)),
            (false, false) => quote!(#cur.#f),
            (false, true) if step.boxed => quote!(#cur.map(|v| *v.#f)),
            (false, true) => quote!(#cur.map(|v| v.#f)),
        };
        is_opt = is_opt || step.optional;
    }
    if is_opt {
        quote!(#cur.unwrap_or_default())
    } else {
        cur
    }
}

/// Whether the collection of items of `page: &Output` is empty (or absent), following the IR's path.
fn is_empty_expr(steps: &[PathStep]) -> TokenStream {
    let mut cur = quote!(page);
    let mut is_opt = false;
    for step in steps {
        let f = ident(&step.field);
        cur = match (step.optional, is_opt) {
            (true, false) => quote!(#cur.#f.as_ref()),
            (true, true) => quote!(#cur.and_then(|v| v.#f.as_ref())),
            (false, false) => quote!(#cur.#f),
            (false, true) => quote!(#cur.map(|v| &v.#f)),
        };
        is_opt = is_opt || step.optional;
    }
    if is_opt {
        quote!(#cur.is_none_or(|items| items.is_empty()))
    } else {
        quote!(#cur.is_empty())
    }
}

fn paginator(op: &Operation, p: &crate::ir::Paginated) -> TokenStream {
    let names = &op.client_types;
    let pag = ident(names.paginator.as_deref().unwrap_or_default());
    let items_pag = ident(names.items_paginator.as_deref().unwrap_or("PaginatorItems"));
    let fluent = ident(&names.fluent_builder);
    let error = ident(&names.error);
    let output = type_path(&op.output.path);
    let set_token = ident(&p.input_token.setter);
    let get_token = ident(&p.input_token.getter);
    let token_of = token_expr(&p.output_token, p.input_token.ty == Type::String);
    let page_size_fn = p.page_size.as_ref().map(|f| {
        let t = rust_type(&f.ty);
        let setter = ident(&f.setter);
        let doc = format!(
            " Ask for at most `n` results per page: sets `{}` on every request, replacing any value set before.",
            f.wire_name
        );
        quote! {
            #[doc = #doc]
            pub fn page_size(mut self, n: #t) -> Self {
                self.builder = self.builder.#setter(::std::option::Option::Some(n));
                self
            }
        }
    });
    let stream = |item: TokenStream| quote!(crate::pagination::PaginationStream<::std::result::Result<#item, crate::error::SdkError<#error>>>);
    let pages_stream = stream(quote!(#output));
    let items = p.items.as_ref().filter(|_| names.items_paginator.is_some());
    let (items_method, items_send) = match items.map(|i| (i, &i.collection)) {
        Some((items, collection @ (Type::List { .. } | Type::Map { .. }))) => {
            let item = match collection {
                Type::List { member, sparse } => element_type(member, *sparse),
                Type::Map { value, sparse, .. } => {
                    let v = element_type(value, *sparse);
                    quote!((::std::string::String, #v))
                }
                _ => quote!(),
            };
            let items_stream = stream(item);
            let extract = items_expr(&items.path);
            let doc = format!(" The items of every page of `{}` (`{}`).", op.name, items.path_text);
            (
                quote! {
                    /// The items of every page, in order.
                    pub fn items(self) -> #items_pag {
                        #items_pag(self)
                    }
                },
                quote! {
                    #[doc = #doc]
                    #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                    pub struct #items_pag(#pag);

                    impl #items_pag {
                        /// The stream of items: nothing is sent until it is first polled; `next().await` yields each
                        /// item, `try_collect().await` all of them.
                        pub fn send(self) -> #items_stream {
                            crate::pagination::items(self.0.send(), |page: #output| #extract)
                        }
                    }
                },
            )
        }
        _ => (quote!(), quote!()),
    };
    // Pages whose items are empty are counted, so that endless empty pages end (see the `pagination` module).
    let is_empty = match &p.items {
        Some(items) if matches!(items.collection, Type::List { .. } | Type::Map { .. }) => {
            let expr = is_empty_expr(&items.path);
            quote!(::std::option::Option::Some(|page: &#output| -> bool { #expr }))
        }
        _ => quote!(::std::option::Option::None),
    };
    let doc =
        format!(" The pages of `{}`, following `{}` until the service returns none.", op.name, p.output_token_path);
    let stop_doc = if p.input_token.ty == Type::String {
        quote! {
            /// Whether to guard against pages that never end (default `true`): the pages stop after a page whose
            /// next token was already seen in this run (any earlier token: a loop of any length ends, where
            /// aws-sdk-rust compares with the previous token only), and after
            /// [`MAX_CONSECUTIVE_EMPTY_PAGES`](crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES) pages in a row
            /// without items. The page stopped at is still yielded, with its token. `false` follows every token,
            /// for an operation that is polled for new results.
        }
    } else {
        quote! {
            /// Whether to guard against pages that never end (default `true`): the pages stop after a page whose
            /// next token (a map) equals the token the page was asked with, as aws-sdk-rust's do, and after
            /// [`MAX_CONSECUTIVE_EMPTY_PAGES`](crate::pagination::MAX_CONSECUTIVE_EMPTY_PAGES) pages in a row
            /// without items. The page stopped at is still yielded, with its token. `false` follows every token,
            /// for an operation that is polled for new results.
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct #pag {
            builder: #fluent,
            stop_on_duplicate_token: bool,
        }

        impl #pag {
            fn new(builder: #fluent) -> Self {
                #pag { builder, stop_on_duplicate_token: true }
            }

            #page_size_fn

            #stop_doc
            pub fn stop_on_duplicate_token(mut self, stop_on_duplicate_token: bool) -> Self {
                self.stop_on_duplicate_token = stop_on_duplicate_token;
                self
            }

            /// The stream of pages: nothing is sent until it is first polled; `next().await` yields each page,
            /// `try_collect().await` all of them.
            pub fn send(self) -> #pages_stream {
                let builder = self.builder;
                crate::pagination::pages(
                    builder.#get_token().clone(),
                    self.stop_on_duplicate_token,
                    |page: &#output| #token_of,
                    #is_empty,
                    move |token| builder.clone().#set_token(token).send(),
                )
            }

            #items_method
        }

        #items_send
    }
}
