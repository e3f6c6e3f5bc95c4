//! Tests of `credentials`.

use crate::credentials::*;

#[test]
fn debug_hides_secrets() {
    let c = Credentials::new("AKID", "very-secret", Some("token-secret".into()));
    let shown = format!("{c:?}");
    assert!(shown.contains("AKID"));
    assert!(!shown.contains("very-secret") && !shown.contains("token-secret"), "{shown}");
}

#[test]
fn profile_files_parse() {
    let creds = "[default]\naws_access_key_id = A\naws_secret_access_key = S\n\n[work]\naws_access_key_id=W\n";
    let p = parse_profile_file(creds, false);
    assert_eq!(p["default"]["aws_secret_access_key"], "S");
    assert_eq!(p["work"]["aws_access_key_id"], "W");
    let config = "# comment\n[default]\nregion = us-west-2\n[profile work]\nregion=eu-west-1\n[sso-session x]\na=b\n";
    let p = parse_profile_file(config, true);
    assert_eq!(p["default"]["region"], "us-west-2");
    assert_eq!(p["work"]["region"], "eu-west-1");
    assert!(!p.contains_key("x") && !p.contains_key("sso-session x"));
}
