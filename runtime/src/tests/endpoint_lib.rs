//! Tests of `endpoint_lib`: the endpoint and resolution error types, and `partition()`'s lookup order.

use crate::automaton::{byte_classes, rows, Automaton, Dfa};
use crate::endpoint_lib::*;
use crate::validation::Pattern;

// The region patterns are prefixes, so that their DFAs are small enough to write by hand.

/// `^(us|eu|ap)-`: `u`, `s`, `e`, `a`, `p` and `-` are classes 1 to 6. Rows: dead, matched, the start (`u`, `e` or
/// `a`), after `u` (then `s`), after `e` (then `u`), after `a` (then `p`), then `-` matches.
static AWS_REGIONS: Pattern = Pattern::new(
    "^(us|eu|ap)-",
    const {
        &[(
            Automaton::Dfa(Dfa {
                classes: &byte_classes(&[
                    0x00, 0, 0x2D, 6, 0x2E, 0, 0x61, 4, 0x62, 0, 0x65, 3, 0x66, 0, 0x70, 5, 0x71, 0, 0x73, 2, 0x74, 0,
                    0x75, 1, 0x76, 0,
                ]),
                stride: 8,
                start: 2,
                next: &rows::<56>("0*8, 1*8, 0 3 0 4 5 0*3, 0 0 6 0*5, 0 6 0*6, 0*5 6 0 0, 0*6 1 0", 8),
            }),
            true,
        )]
    },
    None,
);

/// `^` and three distinct bytes, as a DFA in which they are classes 1 to 3.
const fn prefix(classes: &'static [u8; 256]) -> Automaton {
    const NEXT: [u16; 25] = rows("0*5, 1*5, 0 3 0*3, 0 0 4 0 0, 0*3 1 0", 5);
    Automaton::Dfa(Dfa { classes, stride: 5, start: 2, next: &NEXT })
}

/// Byte classes in which `a`, `b` and `c` are classes 1 to 3.
const fn classes_of(a: u8, b: u8, c: u8) -> [u8; 256] {
    let mut classes = [0u8; 256];
    classes[a as usize] = 1;
    classes[b as usize] = 2;
    classes[c as usize] = 3;
    classes
}

const CN: [u8; 256] = classes_of(b'c', b'n', b'-');
static CN_REGIONS: Pattern = Pattern::new("^cn-", const { &[(prefix(&CN), true)] }, None);
// Deliberately broad: matches every `us-…` region, so listing must win over it.
const US: [u8; 256] = classes_of(b'u', b's', b'-');
static GOV_REGIONS: Pattern = Pattern::new("^us-", const { &[(prefix(&US), true)] }, None);

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
