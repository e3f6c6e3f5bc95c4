//! Support for the endpoint resolver generated from the model's rule set: the resolved endpoint, resolution
//! errors, and the `aws.partition` function over the partition table carried into this crate.

use std::fmt;

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
}

impl Endpoint {
    pub(crate) fn new(url: impl Into<String>) -> Self {
        Endpoint { url: url.into() }
    }

    /// The URL requests are sent to.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// The rules rejected the parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ResolveError { message: message.into() }
    }

    /// The rule set's message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot resolve the endpoint: {}", self.message)
    }
}

impl std::error::Error for ResolveError {}

/// What `aws.partition` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionResult {
    /// Partition name (`aws`, `aws-cn`, …).
    pub name: &'static str,
    /// DNS suffix.
    pub dns_suffix: &'static str,
    /// Dual-stack DNS suffix.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether FIPS endpoints exist.
    pub supports_fips: bool,
    /// Whether dual-stack endpoints exist.
    pub supports_dual_stack: bool,
    /// The region global endpoints are in.
    pub implicit_global_region: &'static str,
}

/// One partition of the table.
#[allow(dead_code)] // Used only by rule sets that call `aws.partition`.
#[derive(Debug)]
pub(crate) struct Partition {
    pub(crate) id: &'static str,
    pub(crate) region_regex: &'static crate::validation::Pattern,
    pub(crate) regions: &'static [&'static str],
    pub(crate) outputs: PartitionResult,
}

#[allow(dead_code)] // Used only by rule sets that call `aws.partition`.
/// `aws.partition(region)`: the partition listing the region, else the first whose region pattern matches, else
/// the `aws` partition.
pub(crate) fn partition(region: &str, table: &'static [Partition]) -> Option<PartitionResult> {
    table
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| table.iter().find(|p| p.region_regex.is_match(region)))
        .or_else(|| table.iter().find(|p| p.id == "aws"))
        .map(|p| p.outputs.clone())
}
