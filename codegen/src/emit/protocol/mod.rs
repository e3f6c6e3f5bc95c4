//! What the wire protocol decides in generated code: the runtime protocol value of the service, how an input is
//! serialized, how outputs and modeled errors are decoded. Each protocol is one submodule; the other emitters ask
//! this module and never name a protocol's runtime functions themselves.

use proc_macro2::TokenStream;

use crate::ir::{Ir, Protocol, Type};

pub mod aws_json;

/// The `&'static dyn crate::invoke::Protocol` value of the service (in `client::SERVICE`).
pub fn service_protocol(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::service_protocol(ir),
    }
}

/// An expression of type `Result<Vec<u8>, String>`: the body of the input `self`.
pub fn serialize_input(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::serialize_input(),
    }
}

/// A serde `with` module of the runtime, as the attribute's string and as a path.
pub struct Adapter {
    /// For `#[serde(with = "…")]`.
    pub path: &'static str,
    /// For calling its `to_value` and `from_value`.
    pub tokens: TokenStream,
}

/// The serde `with` module for values of this type, when the protocol writes them differently from plain serde.
pub fn value_adapter(ir: &Ir, ty: &Type) -> Option<Adapter> {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::value_adapter(ty),
    }
}

/// A `fn(&HttpResponse) -> Result<O, String>` that decodes a successful response.
pub fn decode_output(ir: &Ir) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::decode_output(),
    }
}

/// An expression of type `Option<T>` decoding a modeled error from `body: &[u8]` and `meta: ErrorMetadata`, whose
/// message member (if any) has this wire name.
pub fn decode_error(ir: &Ir, message_member: Option<&str>) -> TokenStream {
    match ir.service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::decode_error(message_member),
    }
}
