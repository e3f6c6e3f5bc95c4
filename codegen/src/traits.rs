//! Every Smithy trait the generator reads: its shape id, and a typed parser for the traits that carry values. Adding
//! support for a trait starts here; the rest of the generator never spells a trait id.

use serde_json::{Number, Value};

use crate::error::{Error, Result};
use crate::model::Traits;

/// `smithy.api#Unit`, the shape of "no input", "no output" and value-less union members.
pub const UNIT: &str = "smithy.api#Unit";

/// `@documentation`
pub const DOCUMENTATION: &str = "smithy.api#documentation";
/// `@required`
pub const REQUIRED: &str = "smithy.api#required";
/// `@clientOptional`
pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
/// `@default`
pub const DEFAULT: &str = "smithy.api#default";
/// `@length`
pub const LENGTH: &str = "smithy.api#length";
/// `@range`
pub const RANGE: &str = "smithy.api#range";
/// `@pattern`
pub const PATTERN: &str = "smithy.api#pattern";
/// `@uniqueItems`
pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
/// `@sensitive`
pub const SENSITIVE: &str = "smithy.api#sensitive";
/// `@deprecated`
pub const DEPRECATED: &str = "smithy.api#deprecated";
/// `@error`
pub const ERROR: &str = "smithy.api#error";
/// `@paginated`
pub const PAGINATED: &str = "smithy.api#paginated";
/// `@idempotencyToken`
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
/// `@enumValue`
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
/// `@timestampFormat`
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
/// `@sparse`
pub const SPARSE: &str = "smithy.api#sparse";
/// `@title`
pub const TITLE: &str = "smithy.api#title";
/// `@mixin`
pub const MIXIN: &str = "smithy.api#mixin";
/// `@unitType`
pub const UNIT_TYPE: &str = "smithy.api#unitType";
/// `@aws.api#service`
pub const AWS_SERVICE: &str = "aws.api#service";
/// `@aws.auth#sigv4`
pub const SIGV4: &str = "aws.auth#sigv4";
/// `@aws.protocols#awsJson1_0`
pub const AWS_JSON_1_0: &str = "aws.protocols#awsJson1_0";
/// `@aws.protocols#awsJson1_1`
pub const AWS_JSON_1_1: &str = "aws.protocols#awsJson1_1";
/// The namespace of the AWS protocol traits.
pub const AWS_PROTOCOLS_NAMESPACE: &str = "aws.protocols#";
/// `@endpoint` (a host prefix)
pub const ENDPOINT: &str = "smithy.api#endpoint";
/// `@requestCompression`
pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
/// `@aws.protocols#awsQueryCompatible`
pub const AWS_QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
/// `@hostLabel`
pub const HOST_LABEL: &str = "smithy.api#hostLabel";
/// `@smithy.test#httpRequestTests`
pub const HTTP_REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// `@smithy.test#httpResponseTests`
pub const HTTP_RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
/// `@smithy.rules#endpointRuleSet`
pub const ENDPOINT_RULE_SET: &str = "smithy.rules#endpointRuleSet";
/// `@smithy.rules#endpointTests`
pub const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
/// `@smithy.rules#endpointBdd`: the endpoint rules compiled to a decision diagram. Not read by the generator (it reads
/// the rule set); `import` carries it and treats its parameters' documentation like the rule set's.
pub const ENDPOINT_BDD: &str = "smithy.rules#endpointBdd";
/// `@smithy.rules#clientContextParams`: endpoint parameters the client configuration sets.
pub const CLIENT_CONTEXT_PARAMS: &str = "smithy.rules#clientContextParams";
/// `@smithy.rules#contextParam`: an input member whose value binds an endpoint parameter in each call.
pub const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
/// `@smithy.rules#staticContextParams`: endpoint parameters an operation binds to constants.
pub const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
/// `@smithy.rules#operationContextParams`: endpoint parameters an operation binds to paths into its input.
pub const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";

/// `@smithy.waiters#waitable`
pub const WAITABLE: &str = "smithy.waiters#waitable";

/// The location of a trait's value: `<at>.traits["<id>"]`.
pub fn path(at: &str, id: &str) -> String {
    format!("{at}.traits[\"{id}\"]")
}

/// `@length`: inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    /// Minimum.
    pub min: Option<u64>,
    /// Maximum.
    pub max: Option<u64>,
}

/// `@range`: inclusive bounds, as the model's JSON numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// Minimum.
    pub min: Option<Number>,
    /// Maximum.
    pub max: Option<Number>,
}

/// `@length`, when present; `at` locates errors.
pub fn length(traits: &Traits, at: &str) -> Result<Option<Length>> {
    let Some(l) = traits.get(LENGTH) else { return Ok(None) };
    let get = |k: &str| -> Result<Option<u64>> {
        match l.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| Error::at(format!("{}.{k}", path(at, LENGTH)), "must be a non-negative integer")),
        }
    };
    Ok(Some(Length { min: get("min")?, max: get("max")? }))
}

/// `@range`, when present.
pub fn range(traits: &Traits, at: &str) -> Result<Option<Range>> {
    let Some(r) = traits.get(RANGE) else { return Ok(None) };
    let get = |k: &str| -> Result<Option<Number>> {
        match r.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(Some(n.clone())),
            Some(_) => Err(Error::at(format!("{}.{k}", path(at, RANGE)), "must be a number")),
        }
    };
    Ok(Some(Range { min: get("min")?, max: get("max")? }))
}

/// `@pattern`, when present.
pub fn pattern(traits: &Traits, at: &str) -> Result<Option<String>> {
    match traits.get(PATTERN) {
        None => Ok(None),
        Some(Value::String(p)) => Ok(Some(p.clone())),
        Some(_) => Err(Error::at(path(at, PATTERN), "must be a string")),
    }
}

/// `@deprecated`: message and since, both optional.
pub fn deprecated(traits: &Traits) -> Option<(Option<String>, Option<String>)> {
    let d = traits.get(DEPRECATED)?;
    let s = |k: &str| d.get(k).and_then(Value::as_str).map(str::to_owned);
    Some((s("message"), s("since")))
}

/// Who the model blames for an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `@error("client")`
    Client,
    /// `@error("server")`
    Server,
}

impl Fault {
    /// `client` or `server`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Client => "client",
            Fault::Server => "server",
        }
    }
}

/// `@error`, when present.
pub fn error(traits: &Traits, at: &str) -> Result<Option<Fault>> {
    match traits.get(ERROR) {
        None => Ok(None),
        Some(Value::String(s)) if s == "client" => Ok(Some(Fault::Client)),
        Some(Value::String(s)) if s == "server" => Ok(Some(Fault::Server)),
        Some(_) => Err(Error::at(path(at, ERROR), "@error must be \"client\" or \"server\"")),
    }
}

/// `@paginated` of an operation, its members merged over the service's `@paginated` defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paginated {
    /// Input member carrying the token.
    pub input_token: Option<String>,
    /// Output path of the next token (`a.b` for nested members).
    pub output_token: Option<String>,
    /// Output path of the items.
    pub items: Option<String>,
    /// Input member limiting the page size.
    pub page_size: Option<String>,
}

/// `@paginated` of an operation merged with the service's, when the operation has one.
pub fn paginated(operation: &Traits, service: &Traits) -> Option<Paginated> {
    let p = operation.get(PAGINATED)?;
    let defaults = service.get(PAGINATED);
    let field =
        |k: &str| p.get(k).or_else(|| defaults.and_then(|d| d.get(k))).and_then(Value::as_str).map(str::to_owned);
    Some(Paginated {
        input_token: field("inputToken"),
        output_token: field("outputToken"),
        items: field("items"),
        page_size: field("pageSize"),
    })
}

/// One waiter of `@smithy.waiters#waitable`, as modeled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// The waiter's name.
    pub name: String,
    /// `documentation`.
    pub documentation: Option<String>,
    /// `minDelay` (default 2).
    pub min_delay: u64,
    /// `maxDelay` (default 120).
    pub max_delay: u64,
    /// `deprecated`.
    pub deprecated: bool,
    /// `acceptors`, in order.
    pub acceptors: Vec<WaiterAcceptor>,
}

/// An acceptor of a waiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterAcceptor {
    /// `state`: `success`, `failure` or `retry`.
    pub state: String,
    /// `matcher`.
    pub matcher: WaiterMatcher,
}

/// The matcher of an acceptor: exactly one member of the `Matcher` union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiterMatcher {
    /// `output` (`input_output: false`) or `inputOutput`: a JMESPath expression, a comparator, an expected value.
    Path {
        /// `inputOutput`.
        input_output: bool,
        /// `path`.
        path: String,
        /// `comparator`.
        comparator: String,
        /// `expected`.
        expected: String,
    },
    /// `success`.
    Success(bool),
    /// `errorType`.
    ErrorType(String),
}

/// `@smithy.waiters#waitable` of an operation, sorted by waiter name; `at` locates errors.
pub fn waitable(traits: &Traits, at: &str) -> Result<Vec<Waiter>> {
    let Some(value) = traits.get(WAITABLE) else { return Ok(Vec::new()) };
    let at = path(at, WAITABLE);
    let Some(map) = value.as_object() else { return Err(Error::at(at, "must be a map of waiter names to waiters")) };
    let mut out = Vec::new();
    for (name, w) in map {
        let here = format!("{at}.{name}");
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::at(&here, format!("waiter name `{name}` is not UpperCamelCase letters and digits")));
        }
        let delay = |k: &str, default: u64| -> Result<u64> {
            match w.get(k) {
                None | Some(Value::Null) => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|d| *d >= 1)
                    .ok_or_else(|| Error::at(format!("{here}.{k}"), "must be an integer of at least 1")),
            }
        };
        let (min_delay, max_delay) = (delay("minDelay", 2)?, delay("maxDelay", 120)?);
        if min_delay > max_delay {
            return Err(Error::at(&here, format!("minDelay {min_delay} is more than maxDelay {max_delay}")));
        }
        let Some(list) = w.get("acceptors").and_then(Value::as_array) else {
            return Err(Error::at(&here, "has no `acceptors` list"));
        };
        let mut acceptors = Vec::new();
        for (i, a) in list.iter().enumerate() {
            let here = format!("{here}.acceptors[{i}]");
            let state = a.get("state").and_then(Value::as_str).unwrap_or_default().to_owned();
            if !["success", "failure", "retry"].contains(&state.as_str()) {
                return Err(Error::at(&here, format!("state `{state}` is not success, failure or retry")));
            }
            let Some((key, value)) =
                a.get("matcher").and_then(Value::as_object).filter(|m| m.len() == 1).and_then(|m| m.iter().next())
            else {
                return Err(Error::at(
                    &here,
                    "the matcher must set exactly one of output, inputOutput, success, errorType",
                ));
            };
            let matcher = match (key.as_str(), value) {
                (k @ ("output" | "inputOutput"), p) => {
                    let s = |f: &str| -> Result<String> {
                        p.get(f)
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                            .ok_or_else(|| Error::at(format!("{here}.matcher.{k}.{f}"), "must be a string"))
                    };
                    WaiterMatcher::Path {
                        input_output: k == "inputOutput",
                        path: s("path")?,
                        comparator: s("comparator")?,
                        expected: s("expected")?,
                    }
                }
                ("success", Value::Bool(b)) => WaiterMatcher::Success(*b),
                ("errorType", Value::String(e)) => WaiterMatcher::ErrorType(e.clone()),
                (k, _) => return Err(Error::at(&here, format!("unknown or malformed matcher `{k}`"))),
            };
            acceptors.push(WaiterAcceptor { state, matcher });
        }
        if !acceptors.iter().any(|a| a.state == "success") {
            return Err(Error::at(&here, "has no acceptor with the `success` state"));
        }
        out.push(Waiter {
            name: name.clone(),
            documentation: w.get("documentation").and_then(Value::as_str).map(str::to_owned),
            min_delay,
            max_delay,
            deprecated: w.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            acceptors,
        });
    }
    Ok(out)
}

/// `@timestampFormat` of a member, else of its target.
pub fn timestamp_format<'a>(member: &'a Traits, target: &'a Traits) -> Option<&'a str> {
    member.get(TIMESTAMP_FORMAT).or_else(|| target.get(TIMESTAMP_FORMAT)).and_then(Value::as_str)
}

/// `@default` of a member, else of its target; `null` counts as none.
pub fn default<'a>(member: &'a Traits, target: &'a Traits) -> Option<&'a Value> {
    member.get(DEFAULT).or_else(|| target.get(DEFAULT)).filter(|v| !v.is_null())
}

/// A string field of a trait object (`@aws.api#service` `sdkId`, `@aws.auth#sigv4` `name`, …).
pub fn string_field(traits: &Traits, id: &str, field: &str) -> Option<String> {
    traits.get(id).and_then(|v| v.get(field)).and_then(Value::as_str).map(str::to_owned)
}

/// `@title`.
pub fn title(traits: &Traits) -> Option<&str> {
    traits.get(TITLE).and_then(Value::as_str)
}

/// Standard base64 (with or without padding) as blob `@default` values are written; `None` when it is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traits(v: Value) -> Traits {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn parses_constraints_and_locates_errors() {
        let t = traits(serde_json::json!({ LENGTH: {"min": 1}, RANGE: {"max": 2.5}, PATTERN: "^a$" }));
        assert_eq!(length(&t, "x").unwrap(), Some(Length { min: Some(1), max: None }));
        assert_eq!(range(&t, "x").unwrap().unwrap().max.unwrap().as_f64(), Some(2.5));
        assert_eq!(pattern(&t, "x").unwrap().as_deref(), Some("^a$"));
        let bad = traits(serde_json::json!({ LENGTH: {"min": -1}, PATTERN: 3, ERROR: "nobody" }));
        assert!(length(&bad, "s").unwrap_err().to_string().contains("s.traits[\"smithy.api#length\"].min"));
        assert!(pattern(&bad, "s").is_err());
        assert!(error(&bad, "s").is_err());
    }

    #[test]
    fn paginated_merges_service_defaults() {
        let op = traits(serde_json::json!({ PAGINATED: {"items": "Things"} }));
        let service = traits(serde_json::json!({ PAGINATED: {"inputToken": "NextToken", "outputToken": "NextToken"} }));
        let p = paginated(&op, &service).unwrap();
        assert_eq!(p.input_token.as_deref(), Some("NextToken"));
        assert_eq!(p.items.as_deref(), Some("Things"));
        assert_eq!(p.page_size, None);
        assert_eq!(paginated(&service, &op).unwrap().items.as_deref(), Some("Things"));
        assert!(paginated(&traits(serde_json::json!({})), &service).is_none());
    }

    #[test]
    fn base64_of_blob_defaults() {
        assert_eq!(base64_decode("").unwrap(), b"");
        assert_eq!(base64_decode("Zg==").unwrap(), b"f");
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64_decode("Zm9v").unwrap(), b"foo");
        assert_eq!(base64_decode("Zm9vYmE").unwrap(), b"fooba");
        assert_eq!(base64_decode("/+/+").unwrap(), [0xff, 0xef, 0xfe]);
        assert_eq!(base64_decode("Zm9v!"), None);
        assert_eq!(base64_decode("Z"), None);
        assert_eq!(base64_decode("Zg==="), None);
    }
}
