//! `src/protocol_tests.rs`: one test per protocol compliance case of the model (`cfg(test)`), driven through the
//! client with the runtime's recording transport (`crate::protocol_test`). Cases the IR left out are listed in the
//! module's documentation with their reasons.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, type_path, RustFile};
use crate::ir::protocol_tests::{Outcome, ProtocolTest, ProtocolTestKind, TestValue};
use crate::ir::{Ir, TypePath};

/// The file, when the model has protocol tests.
pub fn file(ir: &Ir) -> RustFile {
    let left_out: Vec<String> =
        ir.protocol_tests.iter().filter_map(|t| t.skip.as_ref().map(|why| format!(" - `{}`: {why}", t.id))).collect();
    let mut docs = vec![
        " The model's protocol compliance tests (`smithy.test#httpRequestTests`, `smithy.test#httpResponseTests`)."
            .to_owned(),
    ];
    if !left_out.is_empty() {
        docs.push(String::new());
        docs.push(" Left out:".to_owned());
        docs.extend(left_out);
    }
    let tests = ir.protocol_tests.iter().filter(|t| t.skip.is_none()).map(|t| test(ir, t));
    let tokens = quote! {
        #( #![doc = #docs] )*

        #(#tests)*
    };
    RustFile { path: "src/protocol_tests.rs".into(), tokens }
}

fn test(ir: &Ir, t: &ProtocolTest) -> TokenStream {
    let name = ident(&t.name);
    let doc = if t.doc.is_empty() { format!("`{}`", t.id) } else { format!("`{}`: {}", t.id, t.doc.trim()) };
    let doc = super::doc_attrs(&doc);
    let body = match &t.kind {
        ProtocolTestKind::Request { input, input_path, expect } => {
            let host = expect.host.clone().unwrap_or_else(|| "example.com".into());
            let input = value(input);
            let input_ty = type_path(input_path);
            let method = &expect.method;
            let uri = &expect.uri;
            let resolved = match &expect.resolved_host {
                Some(h) => quote!(::std::option::Option::Some(#h)),
                None => quote!(::std::option::Option::None),
            };
            let headers = expect.headers.iter().map(|(k, v)| quote!((#k, #v)));
            let require = &expect.require_headers;
            let forbid = &expect.forbid_headers;
            let body = match &expect.body {
                Some((b, json)) => quote!(::std::option::Option::Some((#b, #json))),
                None => quote!(::std::option::Option::None),
            };
            quote! {
                let (config, requests) = crate::protocol_test::config(#host, crate::protocol_test::Response::OK);
                let client = crate::Client::from_conf(config);
                let input: #input_ty = #input;
                let _ = input.send_with(&client).await;
                let request = crate::protocol_test::only_request(&requests);
                crate::protocol_test::check_request(
                    &request,
                    &crate::protocol_test::Expected {
                        method: #method,
                        uri: #uri,
                        host: #resolved,
                        headers: &[#(#headers),*],
                        require: &[#(#require),*],
                        forbid: &[#(#forbid),*],
                        body: #body,
                    },
                );
            }
        }
        ProtocolTestKind::Response { response, input_path, expect } => {
            let status = response.status;
            let headers = response.headers.iter().map(|(k, v)| quote!((#k, #v)));
            let body = &response.body;
            let input_ty = type_path(input_path);
            let op = ir.operations.iter().find(|o| o.module == t.operation);
            let build = if op.is_some_and(|o| o.input.build_is_fallible()) {
                quote!(.build().expect("an empty input builds"))
            } else {
                quote!(.build())
            };
            let check = match expect {
                Outcome::Output(output) => {
                    let expected = value(output);
                    // The response's request id is carried by the output.
                    let request_id = response.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-requestid"));
                    // It is checked, then cleared: the expected output, built from the case's parameters, has none.
                    let request_id = request_id.map(|(_, v)| {
                        quote! {
                            let request_id = crate::error::RequestId::request_id(&output);
                            ::std::assert_eq!(request_id, ::std::option::Option::Some(#v));
                            crate::error::SetRequestId::set_request_id(&mut output, ::std::option::Option::None);
                        }
                    });
                    let binding = if request_id.is_some() { quote!(let mut output) } else { quote!(let output) };
                    quote! {
                        #binding = result.expect("the response decodes into the output");
                        #request_id
                        crate::protocol_test::assert_same(&output, &#expected);
                    }
                }
                Outcome::Error { variant, value: error } => {
                    let expected = value(error);
                    let module = ident(&t.operation);
                    let error_enum = ident(op.map_or("", |o| o.client_types.error.as_str()));
                    let variant = ident(variant);
                    let code = response
                        .error_code
                        .as_ref()
                        .map(|c| quote!(::std::assert_eq!(e.err().meta().code(), ::std::option::Option::Some(#c));));
                    quote! {
                        match result {
                            ::std::result::Result::Err(crate::error::SdkError::ServiceError(e)) => { #code match e.into_err() {
                                crate::operation::#module::#error_enum::#variant(mut actual) => {
                                    // The response's metadata is checked above; the expected value has the members.
                                    actual.meta = ::std::default::Default::default();
                                    crate::protocol_test::assert_same(&actual, &#expected)
                                }
                                other => ::std::panic!("decoded another error: {other:?}"),
                            }},
                            other => ::std::panic!("expected a modeled error, got {other:?}"),
                        }
                    }
                }
            };
            quote! {
                let response = crate::protocol_test::Response { status: #status, headers: &[#(#headers),*], body: #body };
                let (config, _requests) = crate::protocol_test::config("example.com", response);
                let client = crate::Client::from_conf(config);
                let result = #input_ty::builder() #build .send_with(&client).await;
                #check
            }
        }
    };
    quote! {
        #doc
        #[::tokio::test]
        async fn #name() {
            #body
        }
    }
}

/// A test value as an expression of its generated type.
pub(super) fn value(v: &TestValue) -> TokenStream {
    match v {
        TestValue::Null => quote!(::std::option::Option::None),
        TestValue::Bool(b) => quote!(#b),
        TestValue::String(s) => quote!(::std::string::String::from(#s)),
        TestValue::Int(n, ty) => super::int_literal(*n, ty),
        TestValue::Float(f, ty) => super::float_literal(*f, ty),
        TestValue::Blob(bytes) => {
            let bytes = Literal::byte_string(bytes);
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
        }
        TestValue::Timestamp(secs) => super::timestamp(*secs),
        TestValue::Document(d) => super::document(d),
        TestValue::Enum(path, s) => {
            let t = type_path(path);
            quote!(#t::from(#s))
        }
        TestValue::IntEnum(path, i) => {
            let t = type_path(path);
            quote!(#t::from(#i))
        }
        TestValue::List(items, sparse) => {
            let items = items.iter().map(|i| element(i, *sparse));
            quote!(::std::vec![#(#items),*])
        }
        TestValue::Map(entries, sparse) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = element(v, *sparse);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(::std::collections::HashMap::from([#(#entries),*]))
        }
        TestValue::Structure { path, fields, fallible } => {
            let builder = builder_of(path);
            let setters = fields.iter().map(|(setter, boxed, v)| {
                let setter = ident(setter);
                let v = value(v);
                let v = if *boxed { quote!(::std::boxed::Box::new(#v)) } else { v };
                quote!(.#setter(::std::option::Option::Some(#v)))
            });
            let build = if *fallible {
                quote!(.build().expect("the case sets every required member"))
            } else {
                quote!(.build())
            };
            quote!(#builder #(#setters)* #build)
        }
        TestValue::Union { path, variant, boxed, value: inner } => {
            let t = type_path(path);
            let variant = ident(variant);
            match inner {
                Some(inner) => {
                    let v = value(inner);
                    let v = if *boxed { quote!(::std::boxed::Box::new(#v)) } else { v };
                    quote!(#t::#variant(#v))
                }
                None => quote!(#t::#variant),
            }
        }
    }
}

/// An item of a collection: `Some(v)` / `None` when sparse.
fn element(v: &TestValue, sparse: bool) -> TokenStream {
    match (v, sparse) {
        (TestValue::Null, _) => quote!(::std::option::Option::None),
        (v, true) => {
            let v = value(v);
            quote!(::std::option::Option::Some(#v))
        }
        (v, false) => value(v),
    }
}

fn builder_of(path: &TypePath) -> TokenStream {
    let t = type_path(path);
    quote!(#t::builder())
}
