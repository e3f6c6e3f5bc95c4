//! Every Rust name the generator produces is decided here, and only here.
//!
//! - Types and enum variants: UpperCamelCase (heck), `Self` gets a `_` suffix.
//! - Fields, methods and modules: snake_case (heck); Rust keywords become raw identifiers (`r#type`), and the four
//!   words that cannot be raw (`self`, `super`, `crate`, `Self`) get a `_` suffix instead.
//! - Names that generated code uses for its own methods are reserved and get a `_value` suffix when a model member
//!   would take them.
//!
//! - Derived names (builders, client-side types, accessors, default functions) are composed here too.
//!
//! Callers detect collisions (two model names mapping to one Rust name) and report them as codegen errors.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2021 (and the 2018+ `async`, `await`, `dyn`, `try`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Member names that would clash with methods the generator emits on structures and builders.
pub const RESERVED_METHODS: &[&str] =
    &["builder", "build", "validate", "send", "send_with", "customize", "config", "config_override", "as_input"];

/// The methods of the runtime's `config::Builder` (`runtime/src/config.rs`; a test keeps this list complete), which
/// a setter generated for a client context parameter must not take.
pub const CONFIG_BUILDER_METHODS: &[&str] = &[
    "account_id_endpoint_mode",
    "app_name",
    "behavior_version",
    "behavior_version_latest",
    "build",
    "credentials_provider",
    "disable_request_compression",
    "endpoint_url",
    "http_client",
    "interceptor",
    "max_response_size",
    "new",
    "push_interceptor",
    "region",
    "request_min_compression_size_bytes",
    "retry_config",
    "set_account_id_endpoint_mode",
    "set_client_context",
    "set_credentials_provider",
    "set_endpoint_url",
    "set_http_client",
    "set_interceptors",
    "set_region",
    "set_retry_config",
    "set_timeout_config",
    "skip_constraint",
    "sleep_impl",
    "time_source",
    "timeout_config",
    "use_dual_stack",
    "use_fips",
    "validate_inputs",
];

/// Enum variant names that the generator emits itself.
pub const RESERVED_VARIANTS: &[&str] = &["Unknown"];

/// Make `name` a usable identifier: raw form for keywords, `_` suffix where a raw identifier is impossible.
pub fn escape(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Remove a raw-identifier prefix, for building derived names such as `set_type`.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

fn leading_digit_guard(s: String, prefix: &str) -> String {
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) || s.is_empty() {
        format!("{prefix}{s}")
    } else {
        s
    }
}

/// The Rust type name for a shape name.
pub fn type_name(shape_name: &str) -> String {
    let camel = leading_digit_guard(shape_name.to_upper_camel_case(), "T");
    escape(&camel)
}

/// A field name for a structure or union member (also the base of its accessor and builder methods).
pub fn field_name(member: &str) -> String {
    let snake = leading_digit_guard(member.to_snake_case(), "n");
    if RESERVED_METHODS.contains(&snake.as_str()) {
        return format!("{snake}_value");
    }
    escape(&snake)
}

/// The `config::Builder` setters of a client context parameter (`smithy.rules#clientContextParams`): `x` and
/// `set_x`, with `_param` added to the base when either would be a method the builder already has.
pub fn client_context_setters(param: &str) -> (String, String) {
    let mut base = unraw(&field_name(param)).to_owned();
    if CONFIG_BUILDER_METHODS.contains(&base.as_str())
        || CONFIG_BUILDER_METHODS.contains(&format!("set_{base}").as_str())
    {
        base.push_str("_param");
    }
    (escape(&base), format!("set_{base}"))
}

/// A module name for an operation.
pub fn module_name(operation: &str) -> String {
    escape(&leading_digit_guard(operation.to_snake_case(), "op_"))
}

/// A method name on the client for an operation.
pub fn method_name(operation: &str) -> String {
    field_name(operation)
}

/// An enum variant name for an enum member (or a union member).
pub fn variant_name(member: &str) -> String {
    let camel = leading_digit_guard(member.to_upper_camel_case(), "V");
    if RESERVED_VARIANTS.contains(&camel.as_str()) {
        return format!("{camel}Value");
    }
    escape(&camel)
}

/// The setter (`set_x`) and getter (`get_x`) names for a field.
pub fn setter_getter(field: &str) -> (String, String) {
    let base = unraw(field);
    (format!("set_{base}"), format!("get_{base}"))
}

/// An `UPPER_SNAKE` constant name.
pub fn const_name(name: &str) -> String {
    use heck::ToShoutySnakeCase;
    leading_digit_guard(name.to_shouty_snake_case(), "C_")
}

/// The builder of a type: `NameBuilder` (`SelfBuilder` for `Self_`).
pub fn builder_name(type_name: &str) -> String {
    format!("{}Builder", unraw(type_name).trim_end_matches('_'))
}

/// The client-side type names of an operation whose input is `<base>Input`: its error enum, fluent builder, page
/// paginator and item paginator (aws-sdk-rust's names).
pub fn operation_client_types(base: &str) -> [String; 4] {
    let base = unraw(base).trim_end_matches('_');
    [
        format!("{base}Error"),
        format!("{base}FluentBuilder"),
        format!("{base}Paginator"),
        format!("{base}PaginatorItems"),
    ]
}

/// The names of a waiter (`PipelineExecutionComplete`), as aws-sdk-rust has them: its module under `waiters`
/// (`pipeline_execution_complete`), the client method (`wait_until_pipeline_execution_complete`), its fluent builder
/// (`PipelineExecutionCompleteFluentBuilder`), the final-poll alias (`PipelineExecutionCompleteFinalPoll`) and the
/// error alias (`WaitUntilPipelineExecutionCompleteError`).
pub fn waiter_names(waiter: &str) -> [String; 5] {
    let module = module_name(waiter);
    let base = unraw(&type_name(waiter)).trim_end_matches('_').to_owned();
    [
        format!("wait_until_{}", unraw(&module)),
        module,
        format!("{base}FluentBuilder"),
        format!("{base}FinalPoll"),
        format!("WaitUntil{base}Error"),
    ]
}

/// The `is_x` method of an operation error enum for an error code (`is_resource_not_found`).
pub fn is_method(name: &str) -> String {
    format!("is_{}", unraw(&field_name(name)).trim_end_matches('_'))
}

/// The `as_x` and `is_x` accessors of a union member.
pub fn union_accessors(member: &str) -> (String, String) {
    let base = unraw(&field_name(member)).trim_end_matches('_').to_owned();
    (format!("as_{base}"), format!("is_{base}"))
}

/// The private function giving a field's default, in the module of its type (`default_parameter_value`).
pub fn default_fn(type_module: &str, field: &str) -> String {
    format!("default_{}_{}", unraw(type_module), unraw(field))
}

/// `base`, or `base_2`, `base_3`, … when an earlier name of the same namespace took it; the result is taken too.
pub fn unique(base: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// The module defining a shared type: snake case of its Rust name, escaped like any identifier.
pub fn type_module(type_name: &str) -> String {
    module_name(unraw(type_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let table = [
            ("Parameter", "Parameter"),
            ("PipelineExecutionStatus", "PipelineExecutionStatus"),
            ("AWSManagedHumanLoopRequestSource", "AwsManagedHumanLoopRequestSource"),
            ("S3DataSource", "S3DataSource"),
            ("lowercase", "Lowercase"),
            ("Self", "Self_"),
            ("3dThing", "T3dThing"),
        ];
        for (input, want) in table {
            assert_eq!(type_name(input), want, "type_name({input})");
        }
    }

    #[test]
    fn field_names() {
        let table = [
            ("PipelineName", "pipeline_name"),
            ("NextToken", "next_token"),
            ("ARN", "arn"),
            ("PipelineArn", "pipeline_arn"),
            ("type", "r#type"),
            ("Type", "r#type"),
            ("in", "r#in"),
            ("True", "r#true"),
            ("Continue", "r#continue"),
            ("self", "self_"),
            ("Super", "super_"),
            ("crate", "crate_"),
            ("builder", "builder_value"),
            ("Build", "build_value"),
            ("Validate", "validate_value"),
            ("SendWith", "send_with_value"),
            ("S3Uri", "s3_uri"),
            ("4Eyes", "n4eyes"),
        ];
        for (input, want) in table {
            assert_eq!(field_name(input), want, "field_name({input})");
        }
    }

    #[test]
    fn variant_names() {
        let table = [
            ("EXECUTING", "Executing"),
            ("STOPPING", "Stopping"),
            ("ml_m5_large", "MlM5Large"),
            ("Unknown", "UnknownValue"),
            ("UNKNOWN", "UnknownValue"),
            ("SELF", "Self_"),
            ("1X", "V1x"),
        ];
        for (input, want) in table {
            assert_eq!(variant_name(input), want, "variant_name({input})");
        }
    }

    #[test]
    fn client_context_setters_avoid_the_builders_own_methods() {
        for (param, setter, set) in [
            ("ForcePathStyle", "force_path_style", "set_force_path_style"),
            ("UseArnRegion", "use_arn_region", "set_use_arn_region"),
            ("Region", "region_param", "set_region_param"),
            ("UseFIPS", "use_fips_param", "set_use_fips_param"),
            ("TimeSource", "time_source_param", "set_time_source_param"),
            ("Type", "r#type", "set_type"),
        ] {
            assert_eq!(client_context_setters(param), (setter.to_owned(), set.to_owned()), "{param}");
        }
    }

    /// `CONFIG_BUILDER_METHODS` names every method of the runtime's `config::Builder`, read from its source.
    #[test]
    fn config_builder_methods_are_complete() {
        let text = include_str!("../../runtime/src/config.rs");
        let start = text.find("\nimpl Builder {").expect("impl Builder");
        let end = start + text[start..].find("\n}\n").expect("end of impl Builder");
        let mut found: Vec<&str> = text[start..end]
            .lines()
            .filter_map(|l| {
                l.trim_start().strip_prefix("pub fn ").or_else(|| l.trim_start().strip_prefix("pub(crate) fn "))
            })
            .filter_map(|l| l.split(['(', '<']).next())
            .collect();
        found.sort_unstable();
        assert!(found.len() > 20, "{found:?}");
        let listed: Vec<&str> = CONFIG_BUILDER_METHODS.to_vec();
        assert_eq!(found, listed);
    }

    #[test]
    fn module_and_method_names() {
        assert_eq!(module_name("StartPipelineExecution"), "start_pipeline_execution");
        assert_eq!(module_name("Match"), "r#match");
        assert_eq!(method_name("ListPipelines"), "list_pipelines");
        assert_eq!(setter_getter("r#type"), ("set_type".to_string(), "get_type".to_string()));
        assert_eq!(setter_getter("self_"), ("set_self_".to_string(), "get_self_".to_string()));
        assert_eq!(const_name("PipelineExecutionArn"), "PIPELINE_EXECUTION_ARN");
    }

    #[test]
    fn every_keyword_is_escaped_to_a_valid_identifier() {
        for kw in KEYWORDS {
            let escaped = escape(kw);
            let parsed: Result<syn::Ident, _> = syn::parse_str(&escaped);
            assert!(parsed.is_ok(), "`{escaped}` (from `{kw}`) is not a valid identifier");
        }
    }

    #[test]
    fn unique_names_count_up() {
        let mut taken = std::collections::BTreeSet::new();
        assert_eq!(unique("A".into(), &mut taken), "A");
        assert_eq!(unique("A".into(), &mut taken), "A_2");
        assert_eq!(unique("A".into(), &mut taken), "A_3");
        assert_eq!(unique("A_2".into(), &mut taken), "A_2_2");
    }

    #[test]
    fn derived_names() {
        assert_eq!(builder_name("Parameter"), "ParameterBuilder");
        assert_eq!(builder_name("Self_"), "SelfBuilder");
        assert_eq!(builder_name("r#Type"), "TypeBuilder");
        assert_eq!(
            operation_client_types("ListPipelines"),
            [
                "ListPipelinesError",
                "ListPipelinesFluentBuilder",
                "ListPipelinesPaginator",
                "ListPipelinesPaginatorItems"
            ]
        );
        assert_eq!(is_method("ResourceNotFound"), "is_resource_not_found");
        assert_eq!(is_method("Type"), "is_type");
        assert_eq!(is_method("Self"), "is_self");
        assert_eq!(union_accessors("S3Uri"), ("as_s3_uri".to_owned(), "is_s3_uri".to_owned()));
        assert_eq!(union_accessors("type"), ("as_type".to_owned(), "is_type".to_owned()));
        assert_eq!(default_fn("r#type", "r#match"), "default_type_match");
        assert_eq!(type_module("PipelineSummary"), "pipeline_summary");
        assert_eq!(type_module("Type"), "r#type");
    }
}
