//! Tests of `endpoint_lib`: the endpoint and resolution error types, and `partition()`'s lookup order.

use crate::endpoint_lib::*;
use crate::validation::Pattern;

static AWS_REGIONS: Pattern = Pattern::new("^(us|eu|ap)\\-\\w+\\-\\d+$", &[("^(us|eu|ap)\\-\\w+\\-\\d+$", true)], None);
static CN_REGIONS: Pattern = Pattern::new("^cn\\-\\w+\\-\\d+$", &[("^cn\\-\\w+\\-\\d+$", true)], None);
// Deliberately broad: matches every `us-…` region, so listing must win over it.
static GOV_REGIONS: Pattern = Pattern::new("^us\\-", &[("^us\\-", true)], None);

const fn outputs(name: &'static str, dns_suffix: &'static str) -> PartitionResult {
    PartitionResult {
        name,
        dns_suffix,
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    }
}

/// Partitions in table order: `aws-us-gov` comes first and its pattern overlaps `aws`'s.
static TABLE: [Partition; 3] = [
    Partition {
        id: "aws-us-gov",
        region_regex: &GOV_REGIONS,
        regions: &["us-gov-west-1", "us-gov-east-1"],
        outputs: outputs("aws-us-gov", "amazonaws.com"),
    },
    Partition {
        id: "aws",
        region_regex: &AWS_REGIONS,
        regions: &["us-east-1", "eu-west-1", "aws-global"],
        outputs: outputs("aws", "amazonaws.com"),
    },
    Partition {
        id: "aws-cn",
        region_regex: &CN_REGIONS,
        regions: &["cn-north-1"],
        outputs: outputs("aws-cn", "amazonaws.com.cn"),
    },
];

fn name_of(region: &str) -> Option<&'static str> {
    partition(region, &TABLE).map(|p| p.name)
}

#[test]
fn a_listed_region_gives_its_partition() {
    assert_eq!(name_of("cn-north-1"), Some("aws-cn"));
    assert_eq!(name_of("us-gov-west-1"), Some("aws-us-gov"));
}

#[test]
fn a_listed_region_wins_over_an_earlier_partitions_pattern() {
    // `us-east-1` matches `aws-us-gov`'s pattern, which comes first, but `aws` lists it.
    assert_eq!(name_of("us-east-1"), Some("aws"));
    // A listed region that no pattern matches.
    assert_eq!(name_of("aws-global"), Some("aws"));
}

#[test]
fn an_unlisted_region_goes_to_the_first_partition_whose_pattern_matches() {
    assert_eq!(name_of("cn-southwest-9"), Some("aws-cn"));
    assert_eq!(name_of("eu-central-7"), Some("aws"));
    // Both `aws-us-gov` and `aws` match; `aws-us-gov` is first in the table.
    assert_eq!(name_of("us-west-9"), Some("aws-us-gov"));
}

#[test]
fn a_region_no_partition_knows_goes_to_aws() {
    assert_eq!(name_of("mars-north-1"), Some("aws"));
    assert_eq!(name_of(""), Some("aws"));
}

#[test]
fn the_partitions_outputs_are_returned() {
    let p = partition("cn-north-1", &TABLE).unwrap();
    assert_eq!(p, outputs("aws-cn", "amazonaws.com.cn"));
}

static NO_AWS: [Partition; 1] = [Partition {
    id: "aws-cn",
    region_regex: &CN_REGIONS,
    regions: &["cn-north-1"],
    outputs: outputs("aws-cn", "amazonaws.com.cn"),
}];

#[test]
fn without_an_aws_partition_an_unknown_region_has_none() {
    assert_eq!(partition("mars-north-1", &NO_AWS), None);
    assert_eq!(partition("cn-north-1", &NO_AWS).map(|p| p.name), Some("aws-cn"));
}

#[test]
fn an_empty_table_has_no_partition() {
    assert_eq!(partition("us-east-1", &[]), None);
}

#[test]
fn endpoint_and_resolve_error() {
    assert_eq!(Endpoint::new("https://a.example.com").url(), "https://a.example.com");
    let e = ResolveError::new("Invalid Configuration: FIPS and custom endpoint are not supported");
    assert_eq!(e.message(), "Invalid Configuration: FIPS and custom endpoint are not supported");
    assert_eq!(
        e.to_string(),
        "cannot resolve the endpoint: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
}
