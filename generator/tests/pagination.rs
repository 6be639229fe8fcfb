//! The pagination pass's decisions as `--report` gives them: what the spec states is taken as
//! stated; what it does not state is read from the shapes, and where two readings fit, no
//! streaming method is made and the report says why. (`behaviour/tests/pagination.rs` drives
//! the streams that were made against a loopback server.)

mod common;

use sdkgen::PaginationReport;

fn decisions() -> Vec<PaginationReport> {
    let spec = common::generator_dir().join("tests/fixtures/pagination.yaml");
    let generated = common::generate_fixture(&spec, &common::golden_dir("pagination"));
    generated.report.pagination
}

fn decision(operation: &str) -> PaginationReport {
    let all = decisions();
    let found: Vec<&PaginationReport> = all.iter().filter(|d| d.operation == operation).collect();
    assert_eq!(found.len(), 1, "{operation}: {all:#?}");
    found[0].clone()
}

/// Whether the generated crate has a streaming method in the operation's file.
fn has_stream(group_file: &str) -> bool {
    let spec = common::generator_dir().join("tests/fixtures/pagination.yaml");
    let generated = common::generate_fixture(&spec, &common::golden_dir("pagination"));
    let file = &generated.files[group_file];
    String::from_utf8_lossy(file).contains("_stream(")
}

#[test]
fn stated_pagination_is_reported_as_stated() {
    let dropshot = decision("#/paths/~1projects/get");
    assert!(dropshot.streams);
    assert!(
        dropshot.reading.contains("x-dropshot-pagination"),
        "{dropshot:?}"
    );
    let broken = decision("#/paths/~1broken/get");
    assert!(!broken.streams);
}

#[test]
fn the_last_item_id_is_read_only_beside_has_more() {
    let charges = decision("#/paths/~1charges/get");
    assert!(charges.streams, "{charges:?}");
    assert_eq!(
        charges.reading,
        "streams `data`, sending the last item's `id` as `starting_after` while `has_more` is true"
    );
    assert!(has_stream("src/operations/charges/list.rs"));
}

#[test]
fn a_cursor_field_in_the_page_or_an_object_in_it_is_read() {
    let assistants = decision("#/paths/~1assistants/get");
    assert!(
        assistants.reading.contains("`/last_id` as `after`"),
        "{assistants:?}"
    );
    let files = decision("#/paths/~1files/get");
    assert!(
        files.reading.contains("`/nextPageToken` as `pageToken`"),
        "{files:?}"
    );
    let channels = decision("#/paths/~1channels/get");
    assert!(
        channels
            .reading
            .contains("`/response_metadata/next_cursor` as `cursor`"),
        "{channels:?}"
    );
}

#[test]
fn two_readings_that_fit_give_no_stream() {
    let events = decision("#/paths/~1events/get");
    assert!(!events.streams);
    assert!(
        events
            .reading
            .contains("`/next_cursor` and `/next_page_token`"),
        "{events:?}"
    );
    assert!(!has_stream("src/operations/events/list.rs"));
    let logs = decision("#/paths/~1logs/get");
    assert!(!logs.streams);
    assert!(
        logs.reading.contains("`entries` and `warnings`"),
        "{logs:?}"
    );
    assert!(!has_stream("src/operations/logs/list.rs"));
}

#[test]
fn operations_without_a_cursor_parameter_are_not_reported() {
    // `/search` declares a `Link` header on an object body and has no cursor parameter.
    assert!(
        decisions()
            .iter()
            .all(|d| d.operation != "#/paths/~1search/get"),
        "{:#?}",
        decisions()
    );
}

#[test]
fn what_may_be_null_on_the_way_to_a_cursor_is_not_read() {
    let tasks = decision("#/paths/~1tasks/get");
    assert!(!tasks.streams, "{tasks:?}");
    assert!(tasks.reading.contains("no string `id`"), "{tasks:?}");
    let jobs = decision("#/paths/~1jobs/get");
    assert!(!jobs.streams, "{jobs:?}");
    assert!(
        jobs.reading
            .contains("no field of the response holds the next cursor"),
        "{jobs:?}"
    );
    let queues = decision("#/paths/~1queues/get");
    assert!(queues.streams, "{queues:?}");
}
