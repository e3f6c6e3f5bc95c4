//! Behaviour of the `endpoint_context` fixture crate's client context parameters (`smithy.rules#clientContextParams`):
//! the setters the generated crate adds to the configuration's builder steer every call of a client, a request's
//! `config_override` steers that request alone, and a parameter left unset keeps the rule set's default.

mod support;
use fixture_endpoint_context as fixture;

use fixture::config::{Credentials, Region};
use fixture::{Client, Config};
use support::{run, Wire};

fn client(wire: &Wire, builder: fixture::config::Builder) -> Client {
    Client::from_conf(
        builder
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .retry_config(fixture::config::retry::RetryConfig::disabled())
            .http_client(wire.clone())
            .build(),
    )
}

#[test]
fn client_context_parameters_steer_every_call_of_the_client() {
    let wire = Wire::answering(200, "{}");
    let turbo = client(&wire, Config::builder().turbo(true));
    let beta = client(&wire, Config::builder().stage("beta"));
    let plain = client(&wire, Config::builder());
    run(async {
        turbo.list().send().await.unwrap();
        beta.list().send().await.unwrap();
        plain.list().send().await.unwrap();
    });
    assert_eq!(
        wire.uris(),
        [
            "https://turbo.us-east-1.example.com/",
            "https://beta.service.us-east-1.example.com/",
            "https://service.us-east-1.example.com/",
        ]
    );
}

#[test]
fn a_request_override_sets_a_client_context_parameter_for_that_request_alone() {
    let wire = Wire::answering(200, "{}");
    let c = client(&wire, Config::builder().stage("beta"));
    run(async {
        c.list().customize().config_override(Config::builder().turbo(true)).send().await.unwrap();
        c.list().customize().config_override(Config::builder().stage("gamma")).send().await.unwrap();
        c.list().send().await.unwrap();
    });
    assert_eq!(
        wire.uris(),
        [
            "https://turbo.us-east-1.example.com/",
            "https://gamma.service.us-east-1.example.com/",
            "https://beta.service.us-east-1.example.com/",
        ]
    );
}

#[test]
fn a_cleared_parameter_falls_back_to_the_rules_default() {
    let wire = Wire::answering(200, "{}");
    let mut builder = Config::builder().stage("beta").turbo(true);
    builder.set_stage(None).set_turbo(None);
    let c = client(&wire, builder);
    run(async { c.list().send().await.unwrap() });
    assert_eq!(wire.uris(), ["https://service.us-east-1.example.com/"]);
}
