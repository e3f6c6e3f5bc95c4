//! Tests of `credentials`: redaction, the environment provider, the shared files and the default chain. Every test
//! that reads the environment holds an [`EnvGuard`], whose shared files point nowhere unless a test sets them.

use crate::credentials::*;

use super::support::*;

// ---------------------------------------------------------------------------------------------------------------
// Credentials

#[test]
fn debug_hides_secrets() {
    let c = credentials("AKID", "very-secret", Some("token-secret"));
    let shown = format!("{c:?}");
    assert!(shown.contains("AKID"));
    assert!(!shown.contains("very-secret") && !shown.contains("token-secret"), "{shown}");
}

#[test]
fn accessors_return_the_values() {
    let c = credentials("AKID", "SECRET", Some("TOKEN"));
    assert_eq!(keys(&c), ("AKID", "SECRET", Some("TOKEN")));
}

#[test]
fn fixed_credentials_provide_themselves() {
    let c = credentials("AKID", "SECRET", None);
    assert_eq!(block_on(c.provide_credentials()).unwrap(), c);
}

#[test]
fn credentials_errors_give_their_reason_as_their_cause() {
    let _env = EnvGuard::clean();
    let err = EnvironmentProvider::load().unwrap_err();
    assert!(matches!(err, CredentialsError::CredentialsNotLoaded(_)), "{err:?}");
    assert_eq!(
        chain(&err),
        "the credential provider was not enabled: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// EnvironmentProvider

#[test]
fn environment_provider_reads_the_key_pair() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-ENV-1");
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-1");
    assert_eq!(keys(&EnvironmentProvider::load().unwrap()), ("AKID-ENV-1", "SECRET-ENV-1", None));
}

#[test]
fn environment_provider_reads_the_session_token() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-ENV-1");
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-1");
    env.set("AWS_SESSION_TOKEN", "TOKEN-ENV-1");
    assert_eq!(EnvironmentProvider::load().unwrap().session_token(), Some("TOKEN-ENV-1"));
    env.set("AWS_SESSION_TOKEN", "");
    assert_eq!(EnvironmentProvider::load().unwrap().session_token(), None);
}

#[test]
fn environment_provider_with_only_the_key_id_says_the_secret_is_missing() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-ENV-1");
    let err = EnvironmentProvider::load().unwrap_err();
    assert!(chain(&err).contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
}

#[test]
fn environment_provider_with_nothing_set_fails() {
    let _env = EnvGuard::clean();
    let err = EnvironmentProvider::load().unwrap_err();
    assert!(chain(&err).contains("are not set"), "{err}");
}

#[test]
fn environment_provider_with_only_the_secret_fails_without_showing_it() {
    let env = EnvGuard::clean();
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-1");
    let err = EnvironmentProvider::load().unwrap_err();
    assert!(!chain(&err).contains("SECRET-ENV-1"), "{err}");
}

#[test]
fn environment_provider_treats_empty_values_as_unset() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "");
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-1");
    assert!(EnvironmentProvider::load().is_err());
    env.set("AWS_ACCESS_KEY_ID", "AKID-ENV-1");
    env.set("AWS_SECRET_ACCESS_KEY", "");
    assert!(EnvironmentProvider::load().is_err());
}

#[test]
fn environment_provider_as_a_provider() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-ENV-2");
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-2");
    let c = block_on(EnvironmentProvider.provide_credentials()).unwrap();
    assert_eq!(c.access_key_id(), "AKID-ENV-2");
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing the shared files

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

#[test]
fn keys_are_lower_cased_and_whitespace_is_trimmed() {
    let p = parse_profile_file("  [ default ]  \n\tAWS_Access_Key_ID   =   AKID  \r\n", false);
    assert_eq!(p["default"]["aws_access_key_id"], "AKID");
}

#[test]
fn a_value_may_contain_equals_signs() {
    let p = parse_profile_file("[default]\naws_secret_access_key = abc=def==\n", false);
    assert_eq!(p["default"]["aws_secret_access_key"], "abc=def==");
}

#[test]
fn comment_lines_and_lines_outside_a_section_are_ignored() {
    let p =
        parse_profile_file("orphan = 1\n# a = b\n; c = d\n[default]\n# region = no\nregion = yes\nnot a pair\n", false);
    assert_eq!(p.len(), 1);
    assert_eq!(p["default"].len(), 1);
    assert_eq!(p["default"]["region"], "yes");
}

#[test]
fn the_credentials_file_takes_section_names_literally() {
    let p = parse_profile_file("[profile work]\nregion = r\n", false);
    assert!(p.contains_key("profile work") && !p.contains_key("work"));
}

#[test]
fn the_config_file_accepts_profile_default() {
    let p = parse_profile_file("[profile default]\nregion = r\n", true);
    assert_eq!(p["default"]["region"], "r");
}

#[test]
fn a_repeated_section_merges_and_later_keys_win() {
    let p = parse_profile_file("[a]\nx = 1\ny = 1\n[b]\nz = 1\n[a]\ny = 2\n", false);
    assert_eq!(p["a"]["x"], "1");
    assert_eq!(p["a"]["y"], "2");
}

#[test]
fn a_comment_after_a_section_header_is_ignored() {
    // From the AWS SDKs' shared profile-file test suite: "Pound sign comments are ignored." and "Semicolon sign
    // comments are ignored."
    let config = "[default]\naws_access_key_id = DEFAULT\n[profile work] # my work account\naws_access_key_id = WORK\n";
    let p = parse_profile_file(config, true);
    assert_eq!(p["default"]["aws_access_key_id"], "DEFAULT");
    assert_eq!(p["work"]["aws_access_key_id"], "WORK");
    let p = parse_profile_file("[profile foo] ; Comment\nname = value\n", true);
    assert_eq!(p["foo"]["name"], "value");
}

#[test]
fn a_comment_after_a_value_is_ignored() {
    // From the AWS SDKs' shared profile-file test suite: `name = value # Comment with # sign` gives `value`.
    let p = parse_profile_file("[profile foo]\nname = value # Comment with # sign\nother = v2 ; Comment\n", true);
    assert_eq!(p["foo"]["name"], "value");
    assert_eq!(p["foo"]["other"], "v2");
}

// ---------------------------------------------------------------------------------------------------------------
// ProfileProvider

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKID-FILE-DEFAULT
aws_secret_access_key = SECRET-FILE-DEFAULT

[work]
aws_access_key_id = AKID-FILE-WORK
aws_secret_access_key = SECRET-FILE-WORK
aws_session_token = TOKEN-FILE-WORK
";

const CONFIG: &str = "\
[default]
region = xx-file-default

[profile regional]
region = xx-file-regional

[profile config-keys]
aws_access_key_id = AKID-CONFIG
aws_secret_access_key = SECRET-CONFIG

[profile work]
aws_access_key_id = AKID-CONFIG-WORK
";

/// The environment, locked, with both shared files.
fn with_files() -> (EnvGuard, TempFile, TempFile) {
    let env = EnvGuard::clean();
    let credentials = TempFile::new("credentials", CREDENTIALS);
    let config = TempFile::new("config", CONFIG);
    env.credentials_file(&credentials);
    env.config_file(&config);
    (env, credentials, config)
}

#[test]
fn profile_provider_reads_the_default_profile() {
    let _files = with_files();
    let c = ProfileProvider::default().load().unwrap();
    assert_eq!(keys(&c), ("AKID-FILE-DEFAULT", "SECRET-FILE-DEFAULT", None));
}

#[test]
fn profile_provider_follows_aws_profile() {
    let files = with_files();
    files.0.set("AWS_PROFILE", "work");
    let c = ProfileProvider::default().load().unwrap();
    assert_eq!(c.access_key_id(), "AKID-FILE-WORK");
    assert_eq!(c.session_token(), Some("TOKEN-FILE-WORK"));
}

#[test]
fn a_named_profile_wins_over_aws_profile() {
    let files = with_files();
    files.0.set("AWS_PROFILE", "default");
    let c = ProfileProvider::with_profile("work").load().unwrap();
    assert_eq!(c.access_key_id(), "AKID-FILE-WORK");
}

#[test]
fn the_credentials_file_wins_over_the_config_file() {
    let _files = with_files();
    // `work` has a key id in both files.
    assert_eq!(ProfileProvider::with_profile("work").load().unwrap().access_key_id(), "AKID-FILE-WORK");
}

#[test]
fn keys_in_the_config_file_are_read() {
    let _files = with_files();
    let c = ProfileProvider::with_profile("config-keys").load().unwrap();
    assert_eq!(keys(&c), ("AKID-CONFIG", "SECRET-CONFIG", None));
}

#[test]
fn a_missing_profile_is_an_error_naming_it() {
    let _files = with_files();
    let err = ProfileProvider::with_profile("nope-xyz").load().unwrap_err();
    assert!(chain(&err).contains("`nope-xyz`"), "{err}");
}

#[test]
fn a_profile_without_keys_is_an_error() {
    let _files = with_files();
    let err = ProfileProvider::with_profile("regional").load().unwrap_err();
    assert!(chain(&err).contains("no static access key"), "{err}");
}

#[test]
fn missing_files_are_an_error() {
    let _env = EnvGuard::clean();
    assert!(ProfileProvider::default().load().is_err());
}

#[test]
fn profile_errors_do_not_show_secrets() {
    let env = EnvGuard::clean();
    let file = TempFile::new("credentials", "[half]\naws_secret_access_key = SECRET-HALF\n");
    env.credentials_file(&file);
    let err = ProfileProvider::with_profile("half").load().unwrap_err();
    assert!(!chain(&err).contains("SECRET-HALF"), "{err}");
}

#[test]
fn load_profiles_merges_both_files() {
    let _files = with_files();
    let p = load_profiles();
    assert_eq!(p["default"]["region"], "xx-file-default");
    assert_eq!(p["default"]["aws_access_key_id"], "AKID-FILE-DEFAULT");
    assert_eq!(p["work"]["aws_access_key_id"], "AKID-FILE-WORK");
}

#[test]
fn profile_name_is_aws_profile_or_default() {
    let env = EnvGuard::clean();
    assert_eq!(profile_name(), "default");
    env.set("AWS_PROFILE", "");
    assert_eq!(profile_name(), "default");
    env.set("AWS_PROFILE", "xx-profile");
    assert_eq!(profile_name(), "xx-profile");
}

// ---------------------------------------------------------------------------------------------------------------
// DefaultChain

#[test]
fn default_chain_prefers_the_environment_over_the_files() {
    let files = with_files();
    files.0.set("AWS_ACCESS_KEY_ID", "AKID-ENV-3");
    files.0.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-3");
    let c = block_on(DefaultChain::new().provide_credentials()).unwrap();
    assert_eq!(keys(&c), ("AKID-ENV-3", "SECRET-ENV-3", None));
}

#[test]
fn default_chain_falls_back_to_the_files() {
    let files = with_files();
    files.0.set("AWS_PROFILE", "work");
    let c = block_on(DefaultChain::new().provide_credentials()).unwrap();
    assert_eq!(c.access_key_id(), "AKID-FILE-WORK");
}

#[test]
fn default_chain_with_half_the_environment_falls_back_to_the_files() {
    let files = with_files();
    files.0.set("AWS_ACCESS_KEY_ID", "AKID-ENV-3");
    let c = block_on(DefaultChain::new().provide_credentials()).unwrap();
    assert_eq!(c.access_key_id(), "AKID-FILE-DEFAULT");
}

#[test]
fn default_chain_without_any_source_gives_both_reasons() {
    let env = EnvGuard::clean();
    env.set("AWS_PROFILE", "xx-absent");
    let err = block_on(DefaultChain::new().provide_credentials()).unwrap_err();
    let shown = chain(&err);
    assert!(shown.contains("AWS_ACCESS_KEY_ID"), "{shown}");
    assert!(shown.contains("`xx-absent`"), "{shown}");
}

#[test]
fn a_default_config_uses_the_default_chain() {
    let env = EnvGuard::clean();
    env.set("AWS_ACCESS_KEY_ID", "AKID-ENV-4");
    env.set("AWS_SECRET_ACCESS_KEY", "SECRET-ENV-4");
    let config = crate::config::Config::builder().build();
    assert_eq!(block_on(config.credentials.provide_credentials()).unwrap().access_key_id(), "AKID-ENV-4");
}
