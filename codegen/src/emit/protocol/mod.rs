//! What the wire protocol decides in generated code: the runtime protocol value of the service, how an input is
//! serialized, how outputs and modeled errors are decoded, and the codecs of the structures and unions that go on the
//! wire. Each protocol is one submodule; the other emitters ask this module and never name a protocol's runtime
//! functions themselves.

use proc_macro2::TokenStream;

use crate::ir::{Ir, Operation, Protocol, Structure, Type, Union};

pub mod aws_json;

/// The `&'static dyn crate::invoke::Protocol` value of the service (in `client::SERVICE`).
pub fn service_protocol(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::service_protocol(ir),
    }
}

/// The `fn() -> http::HeaderValue` naming an operation in its requests (`crate::invoke::Operation::target`).
pub fn operation_target(ir: &Ir, op: &Operation) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::operation_target(ir, op),
    }
}

/// A generic `fn(&T) -> Result<Vec<u8>, impl Into<BoxError>>` serializing an input `T` (to be given its type).
pub fn serialize_input_fn(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::serialize_input_fn(),
    }
}

/// A generic `fn(&crate::http::Response) -> Result<crate::invoke::Erased, BoxError>` decoding a successful response
/// into the output `O` (to be given its type), erased, with the request id: an operation's `decode_output`.
pub fn decode_output(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::decode_output(),
    }
}

/// An expression of type `Option<T>` decoding a modeled error `T` from `body: &[u8]` and `meta: ErrorMetadata`.
pub fn decode_error(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::decode_error(),
    }
}

/// The codecs of a structure, as its `wire` directions need them (`request_id`: an operation output).
pub fn structure_codecs(ir: &Ir, s: &Structure, request_id: bool) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::structure_codecs(s, request_id),
    }
}

/// The codecs of a union, as its `wire` directions need them.
pub fn union_codecs(ir: &Ir, u: &Union) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::union_codecs(u),
    }
}

/// A closure `|item: &T| -> String` giving the JSON form of an item of a list (object keys sorted; `T` an `Option`
/// when the list is sparse), by which `@uniqueItems` compares items that cannot be hashed. Every protocol the IR
/// admits is JSON, so the form is awsJson's.
pub fn json_form(item: &Type, sparse: bool) -> TokenStream {
    aws_json::json_form(item, sparse)
}
