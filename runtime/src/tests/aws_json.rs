//! Tests of `aws_json`.

use crate::aws_json::*;

#[test]
fn error_codes_are_sanitized() {
    let none = serde_json::Value::Null;
    assert_eq!(error_code(Some("ValidationException"), &none).as_deref(), Some("ValidationException"));
    assert_eq!(
        error_code(Some("ResourceNotFound:http://internal.amazon.com/coral/com.amazonaws.sagemaker/"), &none)
            .as_deref(),
        Some("ResourceNotFound")
    );
    let body = serde_json::json!({"__type": "com.amazonaws.sagemaker#ConflictException", "message": "busy"});
    assert_eq!(error_code(None, &body).as_deref(), Some("ConflictException"));
    assert_eq!(error_code(None, &serde_json::json!({"code": "aws.protocoltests#Foo:bar"})).as_deref(), Some("Foo"));
    assert_eq!(error_code(None, &none), None);
    assert_eq!(error_message(&body).as_deref(), Some("busy"));
    assert_eq!(error_message(&serde_json::json!({"Message": "M"})).as_deref(), Some("M"));
}
