//! Tests of `aws_json`: the request, error codes and messages, and decoding.

use serde_json::json;

use crate::aws_json::*;
use crate::error::ErrorResponse;
use crate::http::Response;
use crate::invoke::Protocol;

const JSON_10: AwsJson =
    AwsJson { target_prefix: "SageMaker", content_type: "application/x-amz-json-1.0", query_compatible: false };

fn with_headers(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// The request

#[test]
fn request_is_a_post_to_the_root_naming_the_operation() {
    let r = JSON_10.request("ListPipelines", br#"{"MaxResults":1}"#.to_vec());
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(
        r.headers,
        vec![
            ("content-type", "application/x-amz-json-1.0".to_owned()),
            ("x-amz-target", "SageMaker.ListPipelines".to_owned()),
        ]
    );
    assert_eq!(r.body, br#"{"MaxResults":1}"#);
}

#[test]
fn serialize_writes_compact_json() {
    #[derive(serde::Serialize)]
    struct In {
        #[serde(rename = "Name")]
        name: &'static str,
        #[serde(rename = "Tags")]
        tags: Vec<u8>,
    }
    assert_eq!(serialize(&In { name: "n", tags: vec![1, 2] }).unwrap(), br#"{"Name":"n","Tags":[1,2]}"#);
}

// ---------------------------------------------------------------------------------------------------------------
// error_code

#[test]
fn error_codes_are_sanitized() {
    let none = serde_json::Value::Null;
    assert_eq!(error_code(Some("ValidationException"), &none).as_deref(), Some("ValidationException"));
    assert_eq!(
        error_code(Some("ResourceNotFound:http://internal.amazon.com/coral/com.amazonaws.sagemaker/"), &none)
            .as_deref(),
        Some("ResourceNotFound")
    );
    let body = json!({"__type": "com.amazonaws.sagemaker#ConflictException", "message": "busy"});
    assert_eq!(error_code(None, &body).as_deref(), Some("ConflictException"));
    assert_eq!(error_code(None, &json!({"code": "aws.protocoltests#Foo:bar"})).as_deref(), Some("Foo"));
    assert_eq!(error_code(None, &none), None);
}

#[test]
fn error_code_header_wins_over_the_body() {
    let body = json!({"__type": "ns#FromType", "code": "FromCode"});
    assert_eq!(error_code(Some("FromHeader"), &body).as_deref(), Some("FromHeader"));
}

#[test]
fn error_code_type_wins_over_code() {
    let body = json!({"__type": "ns#FromType", "code": "FromCode"});
    assert_eq!(error_code(None, &body).as_deref(), Some("FromType"));
    assert_eq!(error_code(None, &json!({"code": "FromCode"})).as_deref(), Some("FromCode"));
}

#[test]
fn error_code_with_namespace_and_suffix_is_reduced_to_the_name() {
    let header = "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/";
    assert_eq!(error_code(Some(header), &serde_json::Value::Null).as_deref(), Some("FooError"));
}

#[test]
fn error_code_is_trimmed() {
    assert_eq!(error_code(Some("  Spaced  "), &serde_json::Value::Null).as_deref(), Some("Spaced"));
}

#[test]
fn an_empty_error_code_is_none() {
    for raw in ["", "   ", "ns#", ":suffix"] {
        assert_eq!(error_code(Some(raw), &serde_json::Value::Null), None, "{raw:?}");
    }
}

#[test]
fn a_non_string_type_is_ignored() {
    assert_eq!(error_code(None, &json!({"__type": 42, "code": "Fallback"})).as_deref(), Some("Fallback"));
    assert_eq!(error_code(None, &json!({"__type": null})), None);
}

// ---------------------------------------------------------------------------------------------------------------
// error_message

#[test]
fn error_message_reads_message_then_message_capitalized_then_error_message() {
    assert_eq!(error_message(&json!({"message": "a", "Message": "b", "errorMessage": "c"})).as_deref(), Some("a"));
    assert_eq!(error_message(&json!({"Message": "b", "errorMessage": "c"})).as_deref(), Some("b"));
    assert_eq!(error_message(&json!({"errorMessage": "c"})).as_deref(), Some("c"));
}

#[test]
fn error_message_is_none_when_absent_or_not_a_string() {
    assert_eq!(error_message(&json!({})), None);
    assert_eq!(error_message(&serde_json::Value::Null), None);
    assert_eq!(error_message(&json!({"message": 3})), None);
    assert_eq!(error_message(&json!({"message": null, "Message": "second"})).as_deref(), Some("second"));
}

// ---------------------------------------------------------------------------------------------------------------
// error_metadata

#[test]
fn error_metadata_reads_status_code_message_and_request_id() {
    let r = with_headers(
        409,
        &[("x-amzn-RequestId", "abc-123")],
        r#"{"__type":"com.amazonaws.sagemaker#ConflictException","Message":"busy"}"#,
    );
    let meta = JSON_10.error_metadata(&r);
    assert_eq!(
        meta,
        ErrorResponse {
            status: 409,
            code: Some("ConflictException".into()),
            message: Some("busy".into()),
            request_id: Some("abc-123".into()),
            error_type: None,
        }
    );
}

#[test]
fn error_metadata_prefers_the_error_type_header_whatever_its_case() {
    let r = with_headers(400, &[("X-Amzn-ErrorType", "HeaderCode:http://x/")], r#"{"__type":"ns#BodyCode"}"#);
    assert_eq!(JSON_10.error_metadata(&r).code(), Some("HeaderCode"));
}

#[test]
fn error_metadata_of_a_non_json_body_keeps_status_and_headers() {
    let r = with_headers(502, &[("x-amzn-requestid", "rid")], "<html>Bad Gateway</html>");
    let meta = JSON_10.error_metadata(&r);
    assert_eq!((meta.status(), meta.code(), meta.message(), meta.request_id()), (502, None, None, Some("rid")));
}

#[test]
fn error_metadata_of_an_empty_response() {
    let meta = JSON_10.error_metadata(&with_headers(500, &[], ""));
    assert_eq!(meta, ErrorResponse { status: 500, ..Default::default() });
}

// ---------------------------------------------------------------------------------------------------------------
// decode_output

#[derive(Debug, Default, PartialEq, serde::Deserialize)]
struct Out {
    #[serde(rename = "Name")]
    name: Option<String>,
}

#[test]
fn decode_output_reads_the_body() {
    let out: Out = decode_output(&with_headers(200, &[], r#"{"Name":"n","Other":1}"#)).unwrap();
    assert_eq!(out, Out { name: Some("n".into()) });
}

#[test]
fn decode_output_of_an_empty_or_blank_body_is_an_empty_object() {
    for body in ["", " ", "\r\n\t"] {
        let out: Out = decode_output(&with_headers(200, &[], body)).unwrap();
        assert_eq!(out, Out::default(), "{body:?}");
    }
}

#[test]
fn decode_output_of_invalid_json_is_an_error_message() {
    let err = decode_output::<Out>(&with_headers(200, &[], "{\"Name\":")).unwrap_err();
    assert!(!err.is_empty());
    assert!(decode_output::<Out>(&with_headers(200, &[], "[]")).is_err());
}

// ---------------------------------------------------------------------------------------------------------------
// decode_error

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Conflict {
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(rename = "Resource")]
    resource: Option<String>,
}

fn meta_with_message(message: Option<&str>) -> ErrorResponse {
    ErrorResponse {
        status: 400,
        code: Some("Conflict".into()),
        message: message.map(str::to_owned),
        ..Default::default()
    }
}

#[test]
fn decode_error_puts_the_message_under_the_member_name() {
    let body = br#"{"message":"lower-case key","Resource":"r"}"#;
    let e: Conflict = decode_error(body, Some("Message"), &meta_with_message(Some("lower-case key"))).unwrap();
    assert_eq!(e, Conflict { message: Some("lower-case key".into()), resource: Some("r".into()) });
}

#[test]
fn decode_error_keeps_a_message_the_body_already_has_under_the_member_name() {
    let body = br#"{"Message":"from the body"}"#;
    let e: Conflict = decode_error(body, Some("Message"), &meta_with_message(Some("from the metadata"))).unwrap();
    assert_eq!(e.message.as_deref(), Some("from the body"));
}

#[test]
fn decode_error_without_a_message_member_adds_nothing() {
    let e: Conflict = decode_error(b"{}", None, &meta_with_message(Some("m"))).unwrap();
    assert_eq!(e.message, None);
}

#[test]
fn decode_error_of_an_invalid_body_is_built_from_the_metadata() {
    let e: Conflict = decode_error(b"<html>", Some("Message"), &meta_with_message(Some("m"))).unwrap();
    assert_eq!(e, Conflict { message: Some("m".into()), resource: None });
}

#[test]
fn decode_error_of_the_wrong_shape_is_none() {
    assert_eq!(decode_error::<Conflict>(br#"{"Resource":5}"#, Some("Message"), &meta_with_message(None)), None);
}

#[test]
fn query_compatible_services_send_the_query_mode_and_read_the_query_error_code() {
    let protocol = AwsJson { target_prefix: "Q", content_type: "application/x-amz-json-1.0", query_compatible: true };
    let request = protocol.request("Op", b"{}".to_vec());
    assert!(request.headers.contains(&("x-amzn-query-mode", "true".to_owned())));
    let r = with_headers(
        400,
        &[("x-amzn-query-error", "Customized;Sender")],
        r#"{"__type":"aws.protocoltests.json10#CustomCodeError","message":"Hi"}"#,
    );
    let meta = protocol.error_metadata(&r);
    assert_eq!(meta.code(), Some("Customized"));
    assert_eq!(meta.error_type(), Some("CustomCodeError"));
    // Without the trait, the header is not read and no query mode is sent.
    assert_eq!(JSON_10.error_metadata(&r).code(), Some("CustomCodeError"));
    assert!(!JSON_10.request("Op", Vec::new()).headers.iter().any(|(k, _)| *k == "x-amzn-query-mode"));
}
