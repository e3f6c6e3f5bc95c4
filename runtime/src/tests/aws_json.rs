//! Tests of `aws_json`: the request, error codes and messages, and decoding.

use std::collections::HashMap;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document, Number};

use crate::aws_json::*;
use crate::error::ErrorResponse;
use crate::http::Response;
use crate::invoke::{Operation, Protocol};
use crate::tests::support::OP;

const JSON_10: AwsJson = AwsJson {
    content_type: || const { http::HeaderValue::from_static("application/x-amz-json-1.0") },
    query_compatible: false,
};

/// An operation whose `X-Amz-Target` is `SageMaker.ListPipelines`.
const LIST_PIPELINES: Operation =
    Operation { target: || const { http::HeaderValue::from_static("SageMaker.ListPipelines") }, ..OP };

fn with_headers(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(bytes::Bytes::copy_from_slice(body.as_bytes())).unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// The request

#[test]
fn request_is_a_post_to_the_root_naming_the_operation() {
    let r = JSON_10.request(&LIST_PIPELINES, br#"{"MaxResults":1}"#.to_vec()).unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    let headers: Vec<(&str, &str)> = r.headers.iter().map(|(k, v)| (k.as_str(), v.to_str().unwrap())).collect();
    assert_eq!(headers, [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", "SageMaker.ListPipelines")]);
    assert_eq!(r.body, br#"{"MaxResults":1}"#);
}

// ---------------------------------------------------------------------------------------------------------------
// error_code

fn body(json: &str) -> ErrorBody {
    ErrorBody::read(json.as_bytes())
}

#[test]
fn error_codes_are_sanitized() {
    let none = ErrorBody::default();
    assert_eq!(error_code(Some("ValidationException"), &none).as_deref(), Some("ValidationException"));
    assert_eq!(
        error_code(Some("ResourceNotFound:http://internal.amazon.com/coral/com.amazonaws.sagemaker/"), &none)
            .as_deref(),
        Some("ResourceNotFound")
    );
    let b = body(r#"{"__type": "com.amazonaws.sagemaker#ConflictException", "message": "busy"}"#);
    assert_eq!(error_code(None, &b).as_deref(), Some("ConflictException"));
    assert_eq!(error_code(None, &body(r#"{"code": "aws.protocoltests#Foo:bar"}"#)).as_deref(), Some("Foo"));
    assert_eq!(error_code(None, &none), None);
}

#[test]
fn error_code_header_wins_over_the_body() {
    let b = body(r#"{"__type": "ns#FromType", "code": "FromCode"}"#);
    assert_eq!(error_code(Some("FromHeader"), &b).as_deref(), Some("FromHeader"));
}

#[test]
fn error_code_type_wins_over_code() {
    let b = body(r#"{"code": "FromCode", "__type": "ns#FromType"}"#);
    assert_eq!(error_code(None, &b).as_deref(), Some("FromType"));
    assert_eq!(error_code(None, &body(r#"{"code": "FromCode"}"#)).as_deref(), Some("FromCode"));
}

#[test]
fn error_code_with_namespace_and_suffix_is_reduced_to_the_name() {
    let header = "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/";
    assert_eq!(error_code(Some(header), &ErrorBody::default()).as_deref(), Some("FooError"));
}

#[test]
fn error_code_is_trimmed() {
    assert_eq!(error_code(Some("  Spaced  "), &ErrorBody::default()).as_deref(), Some("Spaced"));
}

#[test]
fn an_empty_error_code_is_none() {
    for raw in ["", "   ", "ns#", ":suffix"] {
        assert_eq!(error_code(Some(raw), &ErrorBody::default()), None, "{raw:?}");
    }
}

#[test]
fn a_non_string_type_is_ignored() {
    assert_eq!(error_code(None, &body(r#"{"__type": 42, "code": "Fallback"}"#)).as_deref(), Some("Fallback"));
    assert_eq!(error_code(None, &body(r#"{"__type": {"nested": "x"}, "code": "F"}"#)).as_deref(), Some("F"));
    assert_eq!(error_code(None, &body(r#"{"__type": null}"#)), None);
}

// ---------------------------------------------------------------------------------------------------------------
// The error body's message

#[test]
fn error_message_reads_message_then_message_capitalized_then_error_message() {
    assert_eq!(body(r#"{"errorMessage": "c", "Message": "b", "message": "a"}"#).message.as_deref(), Some("a"));
    assert_eq!(body(r#"{"Message": "b", "errorMessage": "c"}"#).message.as_deref(), Some("b"));
    assert_eq!(body(r#"{"errorMessage": "c"}"#).message.as_deref(), Some("c"));
}

#[test]
fn error_message_is_none_when_absent_or_not_a_string() {
    assert_eq!(body("{}").message, None);
    assert_eq!(body("null").message, None);
    assert_eq!(body(r#"{"message": 3}"#).message, None);
    assert_eq!(body(r#"{"message": null, "Message": "second"}"#).message.as_deref(), Some("second"));
    assert_eq!(body(r#"{"message": "escaped \"quote\""}"#).message.as_deref(), Some("escaped \"quote\""));
}

#[test]
fn an_error_body_that_is_not_an_object_has_no_members() {
    for text in ["", "[]", "\"x\"", "<html>", r#"{"message": "cut"#, r#"{"message": "m"} trailing"#] {
        let b = body(text);
        assert_eq!(b.message, if text.ends_with("trailing") { Some("m".into()) } else { None }, "{text}");
    }
}

#[test]
fn error_message_is_the_preferred_member_whatever_the_order_and_the_last_of_a_repeated_one() {
    assert_eq!(body(r#"{"message": "a", "Message": "b", "errorMessage": "c"}"#).message.as_deref(), Some("a"));
    assert_eq!(body(r#"{"Message": "b1", "errorMessage": "c", "Message": "b2"}"#).message.as_deref(), Some("b2"));
    assert_eq!(body(r#"{"Message": 1, "errorMessage": "c"}"#).message.as_deref(), Some("c"));
}

/// The note a message cut at `kept` of `total` bytes ends with.
fn cut_note(kept: usize, total: usize) -> String {
    format!("… [cut: the first {kept} of {total} bytes are kept; the raw response has the whole body]")
}

#[test]
fn a_message_over_the_limit_is_cut_at_a_character_boundary_and_says_so() {
    // "a" then two-byte characters: the limit falls inside one, which is left out whole.
    let text = format!("a{}", "é".repeat(MESSAGE_LIMIT));
    let b = body(&format!(r#"{{"__type":"ns#Big","Message":"{text}"}}"#));
    let kept = MESSAGE_LIMIT - 1;
    assert_eq!(b.message, Some(format!("{}{}", &text[..kept], cut_note(kept, text.len()))));
    // The code is cut the same way, and never matches a modeled error.
    let code = "C".repeat(MESSAGE_LIMIT + 1);
    let b = body(&format!(r#"{{"__type":"{code}"}}"#));
    assert_eq!(b.type_name, Some(format!("{}{}", &code[..MESSAGE_LIMIT], cut_note(MESSAGE_LIMIT, code.len()))));
    // At the limit exactly, nothing is cut.
    let exact = "x".repeat(MESSAGE_LIMIT);
    assert_eq!(body(&format!(r#"{{"message":"{exact}"}}"#)).message, Some(exact));
}

#[test]
fn a_cut_message_counts_the_unescaped_text_and_checks_its_escapes_to_the_end() {
    // Escapes are unescaped before they are counted: `\n` is one byte, a surrogate pair four.
    let escaped = "\\n".repeat(MESSAGE_LIMIT + 10);
    assert_eq!(
        unescape_bounded(&escaped, MESSAGE_LIMIT).unwrap(),
        format!("{}{}", "\n".repeat(MESSAGE_LIMIT), cut_note(MESSAGE_LIMIT, MESSAGE_LIMIT + 10))
    );
    let pairs = format!("ab{}", "\\uD83D\\uDE00".repeat(4));
    assert_eq!(unescape_bounded(&pairs, 9).unwrap(), format!("ab\u{1F600}{}", cut_note(6, 18)));
    // A bad escape after the part kept is still an error.
    let bad = format!("{}\\x", "y".repeat(100));
    assert!(unescape_bounded(&bad, 10).unwrap_err().to_string().contains("invalid escape `\\x`"));
}

/// A small deterministic generator (xorshift), for strings of escape pieces.
fn pseudo_random(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn bounded_unescaping_agrees_with_aws_smithy_json_and_keeps_the_longest_prefix_that_fits() {
    use aws_smithy_json::deserialize::EscapedStr;
    // Pieces of escaped text, valid and not, separated by spaces.
    let pieces: Vec<&str> =
        r#"a é 😀 \n \" \\ \/ \b \f \r \t \u0041 \u00e9 \u20AC \uD83D\uDE00 \uD83D \uDE00 \uD83D\u0041 \u12 \x \ \uZZZZ \u+123"#
            .split(' ')
            .collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15;
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..3000 {
        let len = (pseudo_random(&mut seed) % 8) as usize;
        let escaped: String = (0..len).map(|_| pieces[pseudo_random(&mut seed) as usize % pieces.len()]).collect();
        let theirs = EscapedStr::new(&escaped).to_unescaped();
        let ours = unescape_bounded(&escaped, usize::MAX);
        match (&theirs, &ours) {
            (Ok(full), Ok(all)) => {
                valid += 1;
                assert_eq!(full, all, "{escaped}");
                for limit in 0..=full.len() {
                    let cut = unescape_bounded(&escaped, limit).unwrap();
                    let kept = (0..=limit).rev().find(|k| full.is_char_boundary(*k)).unwrap();
                    let expected = if limit == full.len() {
                        full.to_string()
                    } else {
                        format!("{}{}", &full[..kept], cut_note(kept, full.len()))
                    };
                    assert_eq!(cut, expected, "{escaped} at {limit}");
                }
            }
            (Err(_), Err(_)) => invalid += 1,
            _ => panic!("{escaped:?}: aws-smithy-json {theirs:?}, bounded {ours:?}"),
        }
    }
    assert!(valid > 300 && invalid > 300, "{valid} valid, {invalid} invalid");
}

#[test]
fn a_message_member_of_another_kind_is_an_error_and_null_is_none() {
    assert_eq!(Reader::new(b"null").message(), Ok(None));
    assert_eq!(Reader::new(b"7").message().unwrap_err().message(), "expected a string, found a number");
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
            summary: String::new(),
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
    let summary = "HTTP 500, no content-type, empty body".to_owned();
    assert_eq!(meta, ErrorResponse { status: 500, summary, ..Default::default() });
}

#[test]
fn an_error_response_without_a_code_is_summarised_and_one_with_a_code_is_not() {
    let html = with_headers(502, &[("content-type", "text/html")], "<html>\n<b>Bad Gateway</b></html>");
    assert_eq!(
        JSON_10.error_metadata(&html).summary,
        r#"HTTP 502, content-type text/html, body "<html>\n<b>Bad Gateway</b></html>""#
    );
    let coded = with_headers(400, &[], r#"{"__type":"ns#Oops"}"#);
    assert_eq!(JSON_10.error_metadata(&coded).summary, "");
}

// ---------------------------------------------------------------------------------------------------------------
// Test shapes, described to the codec as generated code describes them

/// A structure with one member of each kind a generated structure may have.
#[derive(Debug, Default, PartialEq)]
struct Out {
    name: Option<String>,
    count: Option<i32>,
    flag: Option<bool>,
    ratio: Option<f64>,
    small: Option<f32>,
    big: Option<i128>,
    when: Option<DateTime>,
    data: Option<Blob>,
    doc: Option<Document>,
    tags: Option<Vec<String>>,
    sparse: Option<Vec<Option<String>>>,
    labels: Option<HashMap<String, i64>>,
    sparse_labels: Option<HashMap<String, Option<String>>>,
    inner: Option<Box<Out>>,
    choice: Option<Choice>,
}

impl ReadStructure for Out {
    type Members = Out;
    fn read_member(m: &mut Out, name: &str, r: &mut Reader<'_>) -> Result<bool, JsonError> {
        match name {
            "Name" => m.name = r.string()?,
            "Count" => m.count = r.integer()?,
            "Flag" => m.flag = r.boolean()?,
            "Ratio" => m.ratio = r.double()?,
            "Small" => m.small = r.float()?,
            "Big" => m.big = r.big_integer()?,
            "When" => m.when = r.timestamp()?,
            "Data" => m.data = r.blob()?,
            "Doc" => m.doc = r.document()?,
            "Tags" => m.tags = r.list(|r| r.string())?,
            "Sparse" => m.sparse = r.sparse_list(|r| r.string())?,
            "Labels" => m.labels = r.map(|r| r.integer())?,
            "SparseLabels" => m.sparse_labels = r.sparse_map(|r| r.string())?,
            "Inner" => m.inner = r.structure()?.map(Box::new),
            "Choice" => m.choice = r.union()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn finish(members: Out) -> Out {
        members
    }
}

impl WriteObject for Out {
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
        if let Some(v) = &self.name {
            object.member("Name", |w| write::string(w, v))?;
        }
        if let Some(v) = &self.count {
            object.member("Count", |w| write::integer(w, v))?;
        }
        if let Some(v) = &self.flag {
            object.member("Flag", |w| write::boolean(w, v))?;
        }
        if let Some(v) = &self.ratio {
            object.member("Ratio", |w| write::double(w, v))?;
        }
        if let Some(v) = &self.small {
            object.member("Small", |w| write::float(w, v))?;
        }
        if let Some(v) = &self.big {
            object.member("Big", |w| write::big_integer(w, v))?;
        }
        if let Some(v) = &self.when {
            object.member("When", |w| write::timestamp(w, v, Format::DateTime))?;
        }
        if let Some(v) = &self.data {
            object.member("Data", |w| write::blob(w, v))?;
        }
        if let Some(v) = &self.doc {
            object.member("Doc", |w| write::document(w, v))?;
        }
        if let Some(v) = &self.tags {
            object.member("Tags", |w| write::list(w, v, write::string))?;
        }
        if let Some(v) = &self.sparse {
            object.member("Sparse", |w| write::sparse_list(w, v, write::string))?;
        }
        if let Some(v) = &self.labels {
            object.member("Labels", |w| write::map(w, v, write::integer))?;
        }
        if let Some(v) = &self.sparse_labels {
            object.member("SparseLabels", |w| write::sparse_map(w, v, write::string))?;
        }
        if let Some(v) = &self.inner {
            object.member("Inner", |w| write::object(w, v))?;
        }
        if let Some(v) = &self.choice {
            object.member("Choice", |w| write::object(w, v))?;
        }
        Ok(())
    }
}

/// A union with a value member, a unit member and `Unknown`.
#[derive(Debug, Clone, PartialEq)]
enum Choice {
    Text(String),
    Nothing,
    Unknown,
}

impl ReadUnion for Choice {
    fn read_variant(name: &str, r: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(match name {
            "Text" => r.string()?.map(Choice::Text),
            "Nothing" => {
                r.skip()?;
                Some(Choice::Nothing)
            }
            _ => None,
        })
    }
    const UNKNOWN: Self = Choice::Unknown;
}

impl WriteObject for Choice {
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
        match self {
            Choice::Text(v) => object.member("Text", |w| write::string(w, v)),
            Choice::Nothing => object.member("Nothing", write::unit),
            Choice::Unknown => Err(JsonError::new("cannot write an unknown union member")),
        }
    }
}

/// A modeled error whose message member is `Message`, corrected to "" when missing (a required member).
#[derive(Debug, Default, PartialEq)]
struct Conflict {
    message: Option<String>,
    resource: Option<String>,
}

impl ReadStructure for Conflict {
    type Members = Conflict;
    fn read_member(m: &mut Conflict, name: &str, r: &mut Reader<'_>) -> Result<bool, JsonError> {
        match name {
            "Message" => m.message = r.message()?,
            "Resource" => m.resource = r.string()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn finish(members: Conflict) -> Conflict {
        members
    }
    fn set_message_if_unset(&mut self, message: &str) {
        self.message.get_or_insert_with(|| message.to_owned());
    }
}

fn read(json: &str) -> Result<Out, JsonError> {
    read_body(json.as_bytes())
}

fn read_err(json: &str) -> String {
    read(json).unwrap_err().message().to_owned()
}

fn written(v: &impl WriteObject) -> String {
    String::from_utf8(serialize_input(v).unwrap()).unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// decode_output

#[test]
fn decode_output_reads_the_body_and_skips_unknown_members() {
    let out = read(r#"{"Name":"n","Other":{"deep":[1,{"x":null}]},"Count":3}"#).unwrap();
    assert_eq!(out, Out { name: Some("n".into()), count: Some(3), ..Out::default() });
}

/// An operation's `decode_output` (the output made from its members as read) gives what [`decode_output`] and
/// `invoke::output` give: the output with the response's request id (none when the header is missing or not
/// text), or the same error for a body that is not one JSON object of the output's shape.
#[test]
fn the_erased_output_is_the_decoded_output_with_its_request_id() {
    use crate::tests::support::Out as Output;
    let bodies = [
        "",
        " \n",
        r#"{"Name":"n","Count":3}"#,
        r#"{"Name":"n","Other":[1,{"x":null}]}"#,
        r#"{"Count":"x"}"#,
        "null",
        "[]",
        "{",
        "{} {}",
        "{} 1",
        "<html>",
    ];
    let (mut with_id, mut failed) = (0, 0);
    for body in bodies {
        for request_id in [None, Some("abc-123"), Some("caf\u{e9}")] {
            let headers: Vec<(&str, &str)> = request_id.map(|id| ("x-amzn-requestid", id)).into_iter().collect();
            let response = with_headers(200, &headers, body);
            let erased = |r: Result<crate::invoke::Erased, crate::error::BoxError>| {
                r.map(|o| *o.downcast::<Output>().unwrap()).map_err(|e| e.to_string())
            };
            let ours = erased(decode_output_erased::<Output>(&response));
            let theirs = erased(crate::invoke::output(decode_output::<Output>(&response), &response));
            assert_eq!(ours, theirs, "{body} {request_id:?}");
            with_id += usize::from(ours.as_ref().is_ok_and(|o| o.request_id.is_some()));
            failed += usize::from(ours.is_err());
        }
    }
    assert!(with_id >= 3 && failed >= 5, "{with_id} {failed}");
}

#[test]
fn decode_output_of_an_empty_or_blank_body_is_an_empty_output() {
    for body in ["", " ", "\r\n\t"] {
        assert_eq!(read(body).unwrap(), Out::default(), "{body:?}");
    }
}

#[test]
fn decode_output_needs_exactly_one_object() {
    let out: Out = decode_output(&with_headers(200, &[], r#"{"Name":"n"}"#)).unwrap();
    assert_eq!(out.name.as_deref(), Some("n"));
    for (body, found) in [
        ("[]", "expected a JSON object, found an array"),
        ("null", "expected a JSON object, found null"),
        ("\"s\"", "expected a JSON object, found a string"),
        ("3", "expected a JSON object, found a number"),
        ("{} {}", "unexpected an object after the body's value"),
    ] {
        let err = decode_output::<Out>(&with_headers(200, &[], body)).unwrap_err().to_string();
        assert!(err.contains(found), "{body}: {err}");
    }
    let err = decode_output::<Out>(&with_headers(200, &[], "{\"Name\":")).unwrap_err().to_string();
    assert!(err.starts_with("invalid JSON"), "{err}");
}

#[test]
fn null_members_are_absent() {
    let out = read(r#"{"Name":null,"Count":null,"Tags":null,"Labels":null,"Inner":null,"Choice":null,"Doc":null}"#);
    assert_eq!(out.unwrap(), Out::default());
}

#[test]
fn errors_name_the_json_path() {
    let cases = [
        (r#"{"Name":1}"#, "expected a string, found a number (at $.Name)"),
        (r#"{"Tags":["a",2]}"#, "expected a string, found a number (at $.Tags[1])"),
        (r#"{"Labels":{"k":"v"}}"#, "expected an integer, found a string (at $.Labels[\"k\"])"),
        (r#"{"Inner":{"Inner":{"Count":"x"}}}"#, "expected an integer, found a string (at $.Inner.Inner.Count)"),
        (r#"{"Choice":{"Text":false}}"#, "expected a string, found a boolean (at $.Choice.Text)"),
    ];
    for (json, message) in cases {
        let err = read(json).unwrap_err();
        assert!(err.to_string().ends_with(message), "{json}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Values read

#[test]
fn integers_must_be_whole_and_in_range() {
    assert_eq!(read(r#"{"Count":-2147483648}"#).unwrap().count, Some(i32::MIN));
    assert!(read_err(r#"{"Count":2147483648}"#).contains("out of range for a 32-bit integer"));
    assert!(read_err(r#"{"Count":1.5}"#).contains("expected an integer, found the number 1.5"));
    assert_eq!(read(r#"{"Labels":{"a":9007199254740993}}"#).unwrap().labels.unwrap()["a"], 9_007_199_254_740_993);
}

#[test]
fn big_integers_keep_every_digit() {
    let out = read(r#"{"Big":-170141183460469231731687303715884105728}"#).unwrap();
    assert_eq!(out.big, Some(i128::MIN));
    assert!(read_err(r#"{"Big":1.5}"#).contains("expected a big integer"));
    assert!(read_err(r#"{"Big":"1"}"#).contains("expected a big integer, found a string"));
}

#[test]
fn floats_read_numbers_and_the_non_finite_strings() {
    let out = read(r#"{"Ratio":"NaN","Small":"-Infinity"}"#).unwrap();
    assert!(out.ratio.unwrap().is_nan());
    assert_eq!(out.small, Some(f32::NEG_INFINITY));
    assert_eq!(read(r#"{"Ratio":"Infinity","Small":0.1}"#).unwrap().small, Some(0.1));
    assert_eq!(read(r#"{"Ratio":12}"#).unwrap().ratio, Some(12.0));
    assert!(read_err(r#"{"Ratio":"12"}"#).contains("other than NaN, Infinity or -Infinity"));
    assert!(read_err(r#"{"Ratio":true}"#).contains("expected a number, found a boolean"));
}

#[test]
fn timestamps_are_read_in_any_format() {
    let at = |json: &str| read(&format!(r#"{{"When":{json}}}"#)).map(|o| o.when.unwrap());
    let t = at("1700000000").unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 0));
    // Fractions are read from their digits, exactly.
    let t = at("1700000000.123").unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_000_000));
    let t = at("-1.5").unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
    assert_eq!(at("1.7e9").unwrap().secs(), 1_700_000_000);
    assert_eq!(at(r#""2019-12-16T23:48:18Z""#).unwrap().secs(), 1_576_540_098);
    assert_eq!(at(r#""2019-12-16T22:48:18-01:00""#).unwrap().secs(), 1_576_540_098);
    assert_eq!(at(r#""2019-12-17T00:48:18+01:00""#).unwrap().secs(), 1_576_540_098);
    assert_eq!(at(r#""2000-01-02T20:34:56.123Z""#).unwrap().subsec_nanos(), 123_000_000);
    assert_eq!(at(r#""Mon, 16 Dec 2019 23:48:18 GMT""#).unwrap().secs(), 1_576_540_098);
    assert!(at(r#""soon""#).unwrap_err().message().starts_with("invalid timestamp `soon`"));
    assert!(at("[]").unwrap_err().message().contains("expected a timestamp, found an array"));
}

#[test]
fn blobs_are_base64() {
    assert_eq!(read(r#"{"Data":"aGkh"}"#).unwrap().data, Some(Blob::new(b"hi!".to_vec())));
    assert_eq!(read(r#"{"Data":""}"#).unwrap().data, Some(Blob::new(Vec::new())));
    assert!(read_err(r#"{"Data":"!!"}"#).starts_with("invalid base64"));
    assert!(read_err(r#"{"Data":[1]}"#).contains("expected a string, found an array"));
}

#[test]
fn documents_are_any_json_value() {
    let out = read(r#"{"Doc":{"a":[1,-2,1.5,"s",true,null]}}"#).unwrap();
    let expected = Document::Object(HashMap::from([(
        "a".to_owned(),
        Document::Array(vec![
            Document::Number(Number::PosInt(1)),
            Document::Number(Number::NegInt(-2)),
            Document::Number(Number::Float(1.5)),
            Document::String("s".into()),
            Document::Bool(true),
            Document::Null,
        ]),
    )]));
    assert_eq!(out.doc, Some(expected));
    assert_eq!(read(r#"{"Doc":"text"}"#).unwrap().doc, Some(Document::String("text".into())));
}

#[test]
fn strings_are_unescaped() {
    assert_eq!(read(r#"{"Name":"a\"b\\c\u00e9\n"}"#).unwrap().name.as_deref(), Some("a\"b\\cé\n"));
    assert!(read_err(r#"{"Name":"\ud800"}"#).starts_with("invalid string"));
}

#[test]
fn dense_collections_refuse_null_and_sparse_ones_keep_it() {
    assert!(read_err(r#"{"Tags":["a",null]}"#).starts_with("null in a list whose items cannot be null"));
    assert!(read_err(r#"{"Labels":{"a":null}}"#).starts_with("null in a map whose values cannot be null"));
    let out = read(r#"{"Sparse":["a",null],"SparseLabels":{"x":"1","y":null}}"#).unwrap();
    assert_eq!(out.sparse, Some(vec![Some("a".into()), None]));
    assert_eq!(out.sparse_labels.unwrap().get("y"), Some(&None));
    assert!(read_err(r#"{"Tags":{}}"#).contains("expected an array, found an object"));
    assert!(read_err(r#"{"Labels":[]}"#).contains("expected an object, found an array"));
}

#[test]
fn unions_have_exactly_one_member_and_keep_unknown_ones() {
    let choice = |json: &str| read(&format!(r#"{{"Choice":{json}}}"#)).map(|o| o.choice.unwrap());
    assert_eq!(choice(r#"{"Text":"t"}"#).unwrap(), Choice::Text("t".into()));
    assert_eq!(choice(r#"{"__type":"ns#Choice","Nothing":{},"Text":null}"#).unwrap(), Choice::Nothing);
    assert_eq!(choice(r#"{"Future":{"x":[1]}}"#).unwrap(), Choice::Unknown);
    assert!(choice(r#"{"Text":"a","Nothing":{}}"#).unwrap_err().message().contains("more than one member set"));
    assert!(choice(r#"{"Text":null}"#).unwrap_err().message().contains("no member set"));
    assert!(choice("{}").unwrap_err().message().contains("no member set"));
}

#[test]
fn members_repeated_in_a_body_take_the_last_value() {
    assert_eq!(read(r#"{"Name":"a","Name":"b"}"#).unwrap().name.as_deref(), Some("b"));
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile input

#[test]
fn nesting_is_bounded_without_exhausting_the_stack() {
    // A million nested members of a recursive structure, read on a thread with half the default stack (in a debug
    // build, whose frames are largest): refused at the bound.
    let depth = 1_000_000;
    let body = format!("{}{}", r#"{"Inner":"#.repeat(depth), "}".repeat(depth));
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || read(&body).map(|_| ()).unwrap_err())
        .unwrap();
    let err = handle.join().expect("the reader does not overflow its stack");
    assert!(err.message().contains(&format!("nests deeper than {MAX_DEPTH} levels")), "{err}");
    // Just within the bound it reads.
    let levels = MAX_DEPTH - 1;
    let body = format!("{}{}{}", r#"{"Inner":"#.repeat(levels), "{}", "}".repeat(levels));
    let mut out = read(&body).unwrap();
    let mut seen = 0;
    while let Some(inner) = out.inner {
        out = *inner;
        seen += 1;
    }
    assert_eq!(seen, levels);
}

#[test]
fn deep_unknown_members_and_documents_are_refused_not_recursed() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(read(&format!(r#"{{"Other":{}}}"#, deep(100))).is_ok());
    assert!(read_err(&format!(r#"{{"Other":{}}}"#, deep(100_000))).contains("recursion depth"));
    assert!(read_err(&format!(r#"{{"Doc":{}}}"#, deep(100_000))).contains("recursion depth"));
}

#[test]
fn reading_is_linear_in_the_input() {
    // Wide inputs: many members, long lists, long strings. Each is read in one pass; a quadratic reader would take
    // minutes here.
    let n = 200_000;
    let tags: Vec<String> = (0..n).map(|i| format!("\"t{i}\"")).collect();
    let members: Vec<String> = (0..n).map(|i| format!("\"Unknown{i}\":[{i},{{\"x\":\"{i}\"}}]")).collect();
    let body = format!(r#"{{{},"Tags":[{}],"Name":"{}"}}"#, members.join(","), tags.join(","), "x".repeat(n));
    let start = std::time::Instant::now();
    let out = read(&body).unwrap();
    assert_eq!(out.tags.map(|t| t.len()), Some(n));
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

#[test]
fn absent_members_are_omitted() {
    assert_eq!(written(&Out::default()), "{}");
}

#[test]
fn each_kind_of_value_is_written() {
    let out = Out {
        name: Some("a\"b\n".into()),
        count: Some(-3),
        flag: Some(false),
        ratio: Some(1.5),
        small: Some(0.1),
        big: Some(i128::MAX),
        when: Some(DateTime::from_secs_and_nanos(1_576_540_098, 120_000_000)),
        data: Some(Blob::new(b"hi!".to_vec())),
        doc: Some(Document::Object(HashMap::from([
            ("z".to_owned(), Document::Null),
            ("a".to_owned(), Document::Array(vec![Document::Bool(true), Document::Number(Number::Float(2.5))])),
        ]))),
        tags: Some(vec!["x".into(), "y".into()]),
        sparse: Some(vec![None, Some("s".into())]),
        labels: Some(HashMap::from([("b".to_owned(), 2), ("a".to_owned(), 1)])),
        sparse_labels: Some(HashMap::from([("k".to_owned(), None)])),
        inner: Some(Box::new(Out { choice: Some(Choice::Nothing), ..Out::default() })),
        choice: Some(Choice::Text("t".into())),
    };
    assert_eq!(
        written(&out),
        concat!(
            r#"{"Name":"a\"b\n","Count":-3,"Flag":false,"Ratio":1.5,"Small":0.1,"#,
            r#""Big":170141183460469231731687303715884105727,"When":"2019-12-16T23:48:18.12Z","Data":"aGkh","#,
            r#""Doc":{"a":[true,2.5],"z":null},"Tags":["x","y"],"Sparse":[null,"s"],"Labels":{"a":1,"b":2},"#,
            r#""SparseLabels":{"k":null},"Inner":{"Choice":{"Nothing":{}}},"Choice":{"Text":"t"}}"#
        )
    );
    // What is written reads back.
    let back = read(&written(&out)).unwrap();
    assert_eq!(back, out);
}

#[test]
fn non_finite_floats_are_strings() {
    let out = Out { ratio: Some(f64::NAN), small: Some(f32::INFINITY), ..Out::default() };
    assert_eq!(written(&out), r#"{"Ratio":"NaN","Small":"Infinity"}"#);
    let out = Out { ratio: Some(f64::NEG_INFINITY), ..Out::default() };
    assert_eq!(written(&out), r#"{"Ratio":"-Infinity"}"#);
}

#[test]
fn timestamps_are_written_in_their_format() {
    let t = DateTime::from_secs_and_nanos(946_845_296, 0);
    let text = |format| canonical(|w| write::timestamp(w, &t, format));
    assert_eq!(text(Format::EpochSeconds), "946845296");
    assert_eq!(text(Format::DateTime), r#""2000-01-02T20:34:56Z""#);
    assert_eq!(text(Format::HttpDate), r#""Sun, 02 Jan 2000 20:34:56 GMT""#);
    let fraction = DateTime::from_secs_and_nanos(946_845_296, 250_000_000);
    assert_eq!(canonical(|w| write::timestamp(w, &fraction, Format::EpochSeconds)), "946845296.25");
}

#[test]
fn an_unknown_union_member_cannot_be_sent_and_the_error_names_it() {
    let out = Out { inner: Some(Box::new(Out { choice: Some(Choice::Unknown), ..Out::default() })), ..Out::default() };
    let err = serialize_input(&out).unwrap_err();
    assert_eq!(err, "cannot serialize the input: cannot write an unknown union member (at $.Inner.Choice)");
}

#[test]
fn documents_deeper_than_the_bound_are_refused() {
    let mut doc = Document::Null;
    for _ in 0..300 {
        doc = Document::Array(vec![doc]);
    }
    let out = Out { doc: Some(doc), ..Out::default() };
    let err = serialize_input(&out).unwrap_err();
    assert!(err.contains("the document nests deeper than 256 levels"), "{err}");
}

#[test]
fn the_canonical_form_sorts_keys_so_equal_values_are_equal_text() {
    let a = Document::Object((0..20).map(|i| (format!("k{i}"), Document::Number(Number::PosInt(i)))).collect());
    let b = Document::Object((0..20).rev().map(|i| (format!("k{i}"), Document::Number(Number::PosInt(i)))).collect());
    assert_eq!(canonical(|w| write::document(w, &a)), canonical(|w| write::document(w, &b)));
    assert_eq!(canonical(|w| write::object(w, &Choice::Unknown)), "<cannot write an unknown union member (at $)>");
}

// ---------------------------------------------------------------------------------------------------------------
// decode_error

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
    let e: Conflict = decode_error(body, &meta_with_message(Some("lower-case key"))).unwrap();
    assert_eq!(e, Conflict { message: Some("lower-case key".into()), resource: Some("r".into()) });
}

#[test]
fn decode_error_keeps_a_message_the_body_already_has_under_the_member_name() {
    let body = br#"{"Message":"from the body"}"#;
    let e: Conflict = decode_error(body, &meta_with_message(Some("from the metadata"))).unwrap();
    assert_eq!(e.message.as_deref(), Some("from the body"));
}

#[test]
fn decode_error_without_a_message_adds_nothing() {
    let e: Conflict = decode_error(b"{}", &meta_with_message(None)).unwrap();
    assert_eq!(e.message, None);
}

#[test]
fn decode_error_of_an_invalid_or_empty_body_is_built_from_the_metadata() {
    for body in [&b"<html>"[..], b"", b"{\"Resource\":"] {
        let e: Conflict = decode_error(body, &meta_with_message(Some("m"))).unwrap();
        assert_eq!(e, Conflict { message: Some("m".into()), resource: None });
    }
}

#[test]
fn decode_error_cuts_a_long_message_member_as_the_metadata_does() {
    let text = "m".repeat(MESSAGE_LIMIT * 2);
    let body = format!(r#"{{"Message":"{text}","Resource":"r"}}"#);
    let e: Conflict = decode_error(body.as_bytes(), &meta_with_message(None)).unwrap();
    let cut = format!("{}{}", &text[..MESSAGE_LIMIT], cut_note(MESSAGE_LIMIT, text.len()));
    assert_eq!(e, Conflict { message: Some(cut.clone()), resource: Some("r".into()) });
    let meta = JSON_10.error_metadata(&with_headers(400, &[], &body));
    assert_eq!(meta.message(), Some(cut.as_str()));
}

#[test]
fn decode_error_of_the_wrong_shape_is_none() {
    assert_eq!(decode_error::<Conflict>(br#"{"Resource":5}"#, &meta_with_message(None)), None);
    assert_eq!(decode_error::<Conflict>(b"[]", &meta_with_message(None)), None);
}

#[test]
fn query_compatible_services_send_the_query_mode_and_read_the_query_error_code() {
    let protocol = AwsJson { query_compatible: true, ..JSON_10 };
    let request = protocol.request(&OP, b"{}".to_vec()).unwrap();
    assert!(request.headers.iter().any(|(k, v)| k == "x-amzn-query-mode" && v == "true"));
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
    assert!(!JSON_10.request(&OP, Vec::new()).unwrap().headers.iter().any(|(k, _)| k == "x-amzn-query-mode"));
}

#[test]
fn strings_and_member_names_read_with_and_without_escapes_wherever_the_escape_is() {
    // The search for a backslash reads words at a time: an escape at every offset around a word's width is found.
    for at in 0..40 {
        let plain = "x".repeat(at);
        let json = format!(r#"{{"N{plain}\u0061me{plain}": "{plain}\"{plain}\u00e9", "Other": "{plain}"}}"#);
        let mut names = Vec::new();
        let mut r = Reader::new(json.as_bytes());
        let mut strings = Vec::new();
        r.map(|r| r.string()).unwrap().unwrap().into_iter().for_each(|(k, v): (String, String)| {
            names.push(k);
            strings.push(v);
        });
        names.sort();
        assert!(names.contains(&format!("N{plain}ame{plain}")), "{at}: {names:?}");
        assert!(strings.contains(&format!("{plain}\"{plain}\u{e9}")), "{at}: {strings:?}");
        assert!(strings.contains(&plain), "{at}");
    }
    let bad = Reader::new(br#""abcdefghijklmnop\q""#).string().unwrap_err();
    assert!(bad.to_string().contains("invalid string"), "{bad}");
    let key = Reader::new(br#"{"abcdefghijklmnop\q": 1}"#).map(|r| r.integer::<i64>()).unwrap_err();
    assert!(key.to_string().contains("invalid member name"), "{key}");
}

/// A number read as a timestamp is what its reading as a number and then as epoch seconds gives: the number's
/// value as the document reader reads it (or its error), then its digits read by [`epoch_seconds`] (which reads as
/// aws-smithy-types does), else the timestamp nearest to its value as a double; for each sign, whole part, fraction
/// and exponent, and with what may and may not follow a number.
#[test]
fn numbers_are_read_as_timestamps_from_their_value_and_digits() {
    let wholes = [
        "",
        "0",
        "1",
        "00012",
        "1700000000",
        "123456789012345678",
        "999999999999999999",
        "1234567890123456789",
        "9223372036854775808",
        "99999999999999999999",
    ];
    let fractions = ["", ".", ".5", ".123", ".0100", ".123456789", ".1234567891", ".000000001"];
    let exponents = ["", "e", "e3", "E-2", "e+308", "e400"];
    let mut read = 0;
    for sign in ["", "-"] {
        for whole in wholes.iter().filter(|w| !(sign.is_empty() && w.is_empty())) {
            for fraction in fractions {
                for exponent in exponents {
                    let text = format!("{sign}{whole}{fraction}{exponent}");
                    for tail in ["", " ", ",", "}", "x", "-"] {
                        let json = format!("{text}{tail}");
                        let expected = match Reader::new(json.as_bytes()).document() {
                            Ok(Some(Document::Number(value))) => epoch_seconds(&text).map(Ok).unwrap_or_else(|| {
                                let secs = value.to_f64_lossy();
                                match secs.is_finite() {
                                    true => Ok(DateTime::from_secs_f64(secs)),
                                    false => Err("the timestamp is not a finite number".to_owned()),
                                }
                            }),
                            Ok(other) => panic!("{json}: {other:?}"),
                            Err(e) => Err(e.message().trim_start_matches("invalid document: ").to_owned()),
                        };
                        let ours = Reader::new(json.as_bytes()).timestamp();
                        read += usize::from(ours.is_ok());
                        assert_eq!(ours.map(Option::unwrap).map_err(|e| e.message().to_owned()), expected, "{json}");
                    }
                }
            }
        }
    }
    assert!(read > 100, "{read}");
    let t = Reader::new(b"1700000000.123").timestamp().unwrap().unwrap();
    assert_eq!((t.secs(), t.subsec_nanos()), (1_700_000_000, 123_000_000));
}

#[test]
fn epoch_seconds_read_from_digits_as_aws_smithy_types_reads_them() {
    let cases = [
        "0",
        "1",
        "1700000000",
        "1700000000.123",
        "1700000000.1",
        "1.000000001",
        "1.999999999",
        "0.5",
        "00012.0100",
        "123456789012345678",
        "999999999999999999",
        "123456789012345678.123456789",
        // Read by aws-smithy-types itself: longer, signed, exponents, too many decimals, empty parts.
        "1234567890123456789",
        "9223372036854775807",
        "9223372036854775808",
        "-1",
        "-1.5",
        "1e3",
        "1.1234567891",
        "1.",
        ".5",
        "",
        "1.2.3",
        "+1",
    ];
    for text in cases {
        let expected = DateTime::from_str(text, Format::EpochSeconds).ok();
        assert_eq!(epoch_seconds(text), expected, "{text}");
    }
    assert_eq!(epoch_seconds("1700000000.123"), Some(DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000)));
}

// ---------------------------------------------------------------------------------------------------------------
// The reader against aws-smithy-json's tokenizer, which it replaced

/// Random text made of JSON pieces, valid and not, and stray bytes: a value, part of one, or none.
fn json_like(seed: &mut u64) -> Vec<u8> {
    let pieces: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b" ",
        b"\n\t",
        b"\"a\"",
        b"\"\"",
        br#""\"x\\""#,
        br#""\u00e9""#,
        br#""\x""#,
        b"\"\\",
        b"\"\x01\"",
        "\"é😀\"".as_bytes(),
        b"\"\xff\"",
        b"\"open",
        b"1",
        b"-2",
        b"0.5",
        b"1e3",
        b"-1.5E-2",
        b"1.",
        b"-",
        b"1.2.3",
        b"01",
        b"18446744073709551616",
        b"-9223372036854775809",
        b"true",
        b"false",
        b"null",
        b"nul",
        b"tru",
        b"x",
        b"\"k\":",
        b"{\"k\":1}",
        b"[1,2]",
        b"[]",
        b"{}",
    ];
    let len = (pseudo_random(seed) % 10) as usize;
    (0..len).flat_map(|_| pieces[pseudo_random(seed) as usize % pieces.len()].iter().copied()).collect()
}

#[test]
fn the_reader_accepts_the_json_aws_smithy_json_accepts() {
    use aws_smithy_json::deserialize::{json_token_iter, token};
    let mut seed = 0x2545_F491_4F6C_DD1D;
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..40_000 {
        let text = json_like(&mut seed);
        let mut tokens = json_token_iter(&text);
        let theirs = token::skip_value(&mut tokens).is_ok() && tokens.next().is_none();
        let ours = skip_whole(&text);
        assert_eq!(ours.is_ok(), theirs, "{:?}: ours {ours:?}", String::from_utf8_lossy(&text));
        if theirs {
            valid += 1;
            // A value read as a document is the same value (or fails as aws-smithy-json's reading fails, on an
            // escape the tokenizer let through).
            let ours = Reader::new(&text).document();
            match token::expect_document(&mut json_token_iter(&text).peekable()) {
                Ok(theirs) => assert_eq!(ours, Ok(Some(theirs)), "{:?}", String::from_utf8_lossy(&text)),
                Err(_) => assert!(ours.is_err(), "{:?}", String::from_utf8_lossy(&text)),
            }
        } else {
            invalid += 1;
            assert!(ours.unwrap_err().is_syntax(), "{:?}", String::from_utf8_lossy(&text));
        }
    }
    assert!(valid > 2_000 && invalid > 2_000, "{valid} valid, {invalid} invalid");
}

#[test]
fn strings_and_numbers_read_as_aws_smithy_json_reads_them() {
    use aws_smithy_json::deserialize::{json_token_iter, token};
    let pieces: Vec<&str> =
        r#"a é 😀 \n \" \\ \/ \b \f \r \t \u0041 \u00e9 \uD83D\uDE00 \uD83D \uDE00 \x \u12"#.split(' ').collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..3000 {
        let len = (pseudo_random(&mut seed) % 6) as usize;
        let inner: String = (0..len).map(|_| pieces[pseudo_random(&mut seed) as usize % pieces.len()]).collect();
        let text = format!("\"{inner}\"");
        let theirs = token::expect_string_or_null(json_token_iter(text.as_bytes()).next())
            .ok()
            .flatten()
            .map(|s| s.to_unescaped().map(|s| s.into_owned()));
        let ours = Reader::new(text.as_bytes()).string();
        match theirs {
            Some(Ok(s)) => assert_eq!(ours, Ok(Some(s)), "{text}"),
            _ => assert!(ours.is_err(), "{text}: {ours:?}"),
        }
    }
    let digits = ["0", "1", "9", "12", "00", "9223372036854775807", "9223372036854775808", "18446744073709551615"];
    let fractions = ["", ".", ".5", ".25", ".0000001"];
    let exponents = ["", "e", "e3", "E-2", "e+308", "e400", "e-400"];
    for sign in ["", "-"] {
        for whole in digits {
            for fraction in fractions {
                for exponent in exponents {
                    let text = format!("{sign}{whole}{fraction}{exponent}");
                    let theirs = json_token_iter(text.as_bytes()).next().and_then(Result::ok);
                    let ours = Reader::new(text.as_bytes()).document();
                    match theirs {
                        Some(aws_smithy_json::deserialize::Token::ValueNumber { value, .. }) => {
                            assert_eq!(ours, Ok(Some(Document::Number(value))), "{text}");
                            let double = Reader::new(text.as_bytes()).double().unwrap().unwrap();
                            assert_eq!(double.to_bits(), value.to_f64_lossy().to_bits(), "{text}");
                            let integer = Reader::new(text.as_bytes()).integer::<i64>();
                            match value {
                                Number::PosInt(n) => {
                                    assert_eq!(integer.ok().flatten(), i64::try_from(n).ok(), "{text}")
                                }
                                Number::NegInt(n) => assert_eq!(integer, Ok(Some(n)), "{text}"),
                                Number::Float(_) => assert!(integer.is_err(), "{text}"),
                            }
                        }
                        _ => assert!(Reader::new(text.as_bytes()).double().is_err(), "{text}"),
                    }
                }
            }
        }
    }
}

#[test]
fn skipping_goes_512_levels_deep_and_no_deeper() {
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert_eq!(skip_whole(nested(512).as_bytes()), Ok(()));
    let err = skip_whole(nested(513).as_bytes()).unwrap_err();
    assert!(err.message().contains("max recursion depth of 512 levels"), "{err}");
    let objects = format!("{}1{}", r#"{"a":"#.repeat(512), "}".repeat(512));
    assert_eq!(skip_whole(objects.as_bytes()), Ok(()));
    // Arrays and objects alternate past the first word of the stack of open containers.
    let mixed: String = (0..200).map(|i| if i % 3 == 0 { "[" } else { r#"{"k":"# }).collect::<String>() + "0";
    let closed: String = (0..200).rev().map(|i| if i % 3 == 0 { "]" } else { "}" }).collect();
    assert_eq!(skip_whole(format!("{mixed}{closed}").as_bytes()), Ok(()));
    let wrong: String = (0..200).rev().map(|i| if i % 3 == 1 { "]" } else { "}" }).collect();
    assert!(skip_whole(format!("{mixed}{wrong}").as_bytes()).is_err());
}

#[test]
fn a_string_ends_escapes_and_fails_where_it_should_at_every_offset_around_a_word() {
    // Each kind of byte that ends a run of plain text is found at every offset around a word's width, with plain
    // ASCII and multi-byte characters around it.
    for before in 0..20 {
        for after in 0..10 {
            for filler in ["x", "é"] {
                let (head, tail) = (filler.repeat(before), filler.repeat(after));
                let read_name = |text: &str| read(&format!(r#"{{"Name":"{text}","Count":1}}"#));
                let out = read_name(&format!("{head}{tail}")).unwrap();
                assert_eq!((out.name.as_deref(), out.count), (Some(&*format!("{head}{tail}")), Some(1)));
                let out = read_name(&format!(r#"{head}\"{tail}"#)).unwrap();
                assert_eq!(out.name, Some(format!("{head}\"{tail}")));
                let out = read_name(&format!(r#"{head}\\{tail}"#)).unwrap();
                assert_eq!(out.name, Some(format!("{head}\\{tail}")));
                for control in ['\u{0}', '\u{1}', '\n', '\u{1f}'] {
                    let err = read_name(&format!("{head}{control}{tail}")).unwrap_err();
                    assert!(err.is_syntax() && err.message().contains("control character"), "{err}");
                }
                // Bytes just above the control characters and the quote are plain text.
                let out = read_name(&format!("{head} !#[]{tail}")).unwrap();
                assert_eq!(out.name, Some(format!("{head} !#[]{tail}")));
            }
        }
    }
}

/// The same members written with `ObjectWriter`'s own methods and with `member` and the kind's writer.
struct Direct(bool);

impl WriteObject for Direct {
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
        let inner = Choice::Text("in".into());
        if self.0 {
            object.string("S", "a\"b");
            object.boolean("B", true);
            object.integer("I", -7);
            object.integer("L", i64::MAX);
            object.double("D", 0.5);
            object.double("N", f64::NAN);
            object.object("O", &inner)?;
        } else {
            object.member("S", |w| write::string(w, "a\"b"))?;
            object.member("B", |w| write::boolean(w, &true))?;
            object.member("I", |w| write::integer(w, &-7i32))?;
            object.member("L", |w| write::integer(w, &i64::MAX))?;
            object.member("D", |w| write::double(w, &0.5))?;
            object.member("N", |w| write::double(w, &f64::NAN))?;
            object.member("O", |w| write::object(w, &inner))?;
        }
        Ok(())
    }
}

#[test]
fn the_object_writers_member_methods_write_what_member_with_the_kinds_writer_writes() {
    let direct = canonical(|w| write::object(w, &Direct(true)));
    assert_eq!(direct, canonical(|w| write::object(w, &Direct(false))));
    assert_eq!(direct, r#"{"S":"a\"b","B":true,"I":-7,"L":9223372036854775807,"D":0.5,"N":"NaN","O":{"Text":"in"}}"#);
}

#[test]
fn an_object_member_that_cannot_be_written_names_the_member() {
    struct Holder;
    impl WriteObject for Holder {
        fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
            object.object("Choice", &Choice::Unknown)
        }
    }
    assert_eq!(canonical(|w| write::object(w, &Holder)), "<cannot write an unknown union member (at $.Choice)>");
}

#[test]
fn set_puts_what_was_read_into_its_slot_and_passes_errors_on() {
    let mut slot = None;
    assert!(set(&mut slot, Ok(Some(3))).unwrap());
    assert_eq!(slot, Some(3));
    assert!(set(&mut slot, Ok(None)).unwrap());
    assert_eq!(slot, None);
    slot = Some(4);
    let e = set(&mut slot, Err(JsonError::new("bad"))).unwrap_err();
    assert_eq!(e.message(), "bad");
    assert_eq!(slot, Some(4), "an error leaves the slot as it was");
}

/// A body that is not UTF-8 is read up to the first string that is not (the strings before it are read, valid
/// multibyte text included) and fails there, naming the string's start; bytes that are not UTF-8 outside strings
/// are the syntax errors they always are.
#[test]
fn a_body_that_is_not_utf8_fails_at_the_first_string_that_is_not() {
    let cases: [(&[u8], &str); 8] = [
        (b"{\"Name\":\"ok\",\"Other\":\"\xff\",\"Count\":1}", "the string is not valid UTF-8 at byte 22"),
        (b"{\"N\xc3\":1}", "the string is not valid UTF-8 at byte 2"),
        (b"{\"Name\":\"caf\xc3\xa9\",\"Tags\":[\"x\",\"\xe9t\xe9\"]}", "the string is not valid UTF-8 at byte 29"),
        (b"{\"Name\":\"\xe2\x82\",\"Count\":1}", "the string is not valid UTF-8 at byte 9"),
        (b"{\"Count\":1,\"Name\":\"\xc3", "the string is not closed at byte 20"),
        (b"{\"Count\":1,\"X\":\xff,\"Name\":\"ok\"}", "unexpected `\\xff` at byte 15"),
        (b"{\"Name\":\"\xc3\xa9\"} \xff", "unexpected `\\xff` after the body's value at byte 14"),
        (b"{\"Name\":\"a\\n\xff\"}", "the string is not valid UTF-8 at byte 9"),
    ];
    for (body, expected) in cases {
        let err = read_body::<Out>(body).unwrap_err();
        assert_eq!(err.message(), format!("invalid JSON: {expected}"), "{}", body.escape_ascii());
    }
    // Bytes that are not UTF-8 end what the error body's members are read from, not what was read before them.
    let body = ErrorBody::read(b"{\"__type\":\"Throttling\",\"message\":\"\xff\"}");
    assert_eq!(body, ErrorBody::default());
    let out = read_body::<Out>("{\"Name\":\"caf\u{e9} \u{1F600}\",\"Count\":2}".as_bytes()).unwrap();
    assert_eq!((out.name.as_deref(), out.count), (Some("caf\u{e9} \u{1F600}"), Some(2)));
}

/// The word-at-a-time search for the end of a string's plain text finds what a byte-by-byte search finds: every
/// byte value, at every position of inputs up to two and a half words long, after a run of plain bytes (ASCII, and bytes
/// past 0x7f, which are parts of UTF-8 sequences), with a second stop byte after it or none, from every start.
#[test]
fn a_string_stop_is_found_word_by_word_where_byte_by_byte_finds_it() {
    let stops = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let plain: [u8; 4] = [b' ', 0x7f, 0x80, 0xff];
    for len in 0..=20 {
        for filler in plain {
            for value in 0..=255u8 {
                for position in 0..len {
                    for second in [None, Some(b'"'), Some(0x1f)] {
                        let mut input = vec![filler; len];
                        input[position] = value;
                        if let Some(second) = second.filter(|_| position + 3 < len) {
                            input[position + 3] = second;
                        }
                        for start in 0..=len {
                            let expected = input[start..].iter().position(|b| stops(*b)).map(|p| start + p);
                            assert_eq!(string_stop(&input, start), expected, "{input:?} from {start}");
                        }
                    }
                }
            }
        }
    }
    assert_eq!(string_stop(b"abc", 4), None);
}

/// A string longer than a word, with its stop bytes past the first words, reads as it is written.
#[test]
fn long_strings_read_whole_with_their_escapes() {
    let text = br#"{"A":"arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e0123456789","B":"x\"y\\z \u00e9 tail"}"#;
    let value = Reader::new(text).document().unwrap().unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(
        object["A"].as_string(),
        Some("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e0123456789")
    );
    assert_eq!(object["B"].as_string(), Some("x\"y\\z \u{e9} tail"));
    let control = b"{\"A\":\"0123456789abcdef\x01\"}";
    assert!(Reader::new(control).document().is_err());
}

/// A string, and a member's name, are written as aws-smithy-json's writer escapes them, whether they have something
/// to escape or not (the writer skips the escaper for text without a quote, a backslash or a control character):
/// texts of 0 to 17 characters (past two words) with each ASCII character, DEL, and characters of two, three and
/// four UTF-8 bytes at each position, a second quote or backslash on a word boundary or not, and members after the
/// first (after a `,`).
#[test]
fn strings_and_member_names_are_written_as_aws_smithy_json_escapes_them() {
    use aws_smithy_json::serialize::JsonValueWriter;
    let mut texts: Vec<String> = vec!["arn:aws:sagemaker:us-east-1:123456789012:pipeline/p".into()];
    let specials = (0u8..0x80).map(char::from).chain(['\u{e9}', '\u{2028}', '\u{1F600}']);
    for c in specials {
        for len in 0..=17 {
            for position in 0..len.max(1) {
                let mut text: Vec<char> = vec!['a'; len];
                if len > 0 {
                    text[position] = c;
                }
                texts.push(text.iter().collect());
                // A second byte to escape on a word boundary (or inside the first word), after this one.
                for second in [7, 8, 15, 16] {
                    if second > position && second < len {
                        let mut text = text.clone();
                        text[second] = if c == '"' { '\\' } else { '"' };
                        texts.push(text.iter().collect());
                    }
                }
            }
        }
    }
    for text in &texts {
        let mut ours = String::new();
        write::string(ValueWriter::new(&mut ours), text.as_str()).unwrap();
        let mut theirs = String::new();
        JsonValueWriter::new(&mut theirs).string(text);
        assert_eq!(ours, theirs, "{text:?}");

        let mut ours = String::new();
        let mut object = ValueWriter::new(&mut ours).start_object();
        object.string(text, text);
        object.key(text).null();
        object.finish();
        let mut theirs = String::new();
        let mut object = JsonValueWriter::new(&mut theirs).start_object();
        object.key(text).string(text);
        object.key(text).null();
        object.finish();
        assert_eq!(ours, theirs, "{text:?}");
    }
}

/// Timestamps are written as aws-smithy-json's `date_time` writes them, in each format, and a timestamp that
/// cannot be written in a format fails with the same error.
#[test]
fn timestamps_are_written_as_aws_smithy_json_writes_them() {
    use aws_smithy_json::serialize::JsonValueWriter;
    let times = [
        DateTime::from_secs_and_nanos(0, 0),
        DateTime::from_secs_and_nanos(1_576_540_098, 120_000_000),
        DateTime::from_secs_and_nanos(-1, 999_999_999),
        DateTime::from_secs(i64::MAX),
        DateTime::from_secs(i64::MIN),
    ];
    let mut failed = 0;
    for t in &times {
        for format in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
            let mut ours = String::new();
            let written = write::timestamp(ValueWriter::new(&mut ours), t, format);
            let mut theirs = String::new();
            match JsonValueWriter::new(&mut theirs).date_time(t, format) {
                Ok(()) => assert_eq!((written, ours), (Ok(()), theirs), "{t:?} {format:?}"),
                Err(e) => {
                    failed += 1;
                    assert_eq!(written.unwrap_err().message(), format!("cannot write the timestamp {t}: {e}"));
                }
            }
        }
    }
    assert!(failed > 0, "the table has a timestamp that cannot be written");
}
