//! Streaming methods of paginated operations against a real HTTP server on 127.0.0.1: Dropshot
//! page tokens, a cursor nested in the body, and `Link` headers, as the spec states them; and
//! the conventions read from the shapes alone: the last item's `id` while `has_more`, a
//! `last_id`, and a camelCase `nextPageToken`.

use pagination::Client;
use pagination::types::{
    ListChargesParams, ListMembersParams, ListReposParams, ProjectListParams, ProjectListSortBy,
};
use serde_json::json;
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn dropshot_pages_send_the_token_and_the_limit_only() {
    let server = MockServer::start().await;
    Mock::given(path("/projects"))
        .and(query_param_is_missing("page_token"))
        .and(query_param("sort_by", "name_ascending"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}],
            "next_page": "tok-2"
        })))
        .mount(&server)
        .await;
    Mock::given(path("/projects"))
        .and(query_param("page_token", "tok-2"))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("sort_by"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "3", "name": "c"}],
            "next_page": null
        })))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let params = ProjectListParams::new()
        .with_limit(2u32)
        .with_sort_by(ProjectListSortBy::NameAscending);
    let names: Vec<String> = client
        .projects()
        .project_list_stream()
        .params(params)
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_nested_cursor_keeps_the_other_parameters() {
    let server = MockServer::start().await;
    Mock::given(path("/orgs/acme/members"))
        .and(query_param_is_missing("after"))
        .and(query_param("role", "admin"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": ["ann", "bob"], "meta": {"next": "c2"}})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/orgs/acme/members"))
        .and(query_param("after", "c2"))
        .and(query_param("role", "admin"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": ["cy"], "meta": {}})))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let params = ListMembersParams::new().with_role("admin");
    let mut members = client.orgs().list_members_stream("acme").params(params);
    let mut seen = Vec::new();
    while let Some(member) = members.next().await {
        seen.push(member.unwrap());
    }
    assert_eq!(seen, ["ann", "bob", "cy"]);
}

#[tokio::test]
async fn link_headers_lead_to_the_next_page() {
    let server = MockServer::start().await;
    Mock::given(path("/repos"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(["r1"])
                .insert_header("link", "</repos?page=2&per_page=1>; rel=\"next\""),
        )
        .mount(&server)
        .await;
    Mock::given(path("/repos"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["r2"]))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let repos = client
        .repos()
        .list_stream()
        .params(ListReposParams::new().with_per_page(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(repos, ["r1", "r2"]);
}

#[tokio::test]
async fn the_last_id_continues_a_listing_while_has_more_says_so() {
    let server = MockServer::start().await;
    Mock::given(path("/charges"))
        .and(query_param_is_missing("starting_after"))
        .and(query_param("customer", "cus_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "url": "/charges", "has_more": true,
            "data": [{"id": "ch_1", "amount": 5}, {"id": "ch_2", "amount": 7}]
        })))
        .mount(&server)
        .await;
    Mock::given(path("/charges"))
        .and(query_param("starting_after", "ch_2"))
        .and(query_param("customer", "cus_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "url": "/charges", "has_more": false,
            "data": [{"id": "ch_3", "amount": 9}]
        })))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let amounts: Vec<i64> = client
        .charges()
        .list_stream()
        .params(ListChargesParams::new().with_customer("cus_1"))
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.amount)
        .collect();
    assert_eq!(amounts, [5, 7, 9]);
    // `has_more: false` ends the listing: no request after the last page.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_last_id_in_the_page_is_the_cursor_until_has_more_is_false() {
    let server = MockServer::start().await;
    Mock::given(path("/assistants"))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "data": [{"id": "a1"}], "first_id": "a1", "last_id": "a1",
            "has_more": true
        })))
        .mount(&server)
        .await;
    Mock::given(path("/assistants"))
        .and(query_param("after", "a1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "data": [{"id": "a2"}], "first_id": "a2", "last_id": "a2",
            "has_more": false
        })))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let ids: Vec<String> = client
        .assistants()
        .list_stream()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, ["a1", "a2"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_camel_case_page_token_ends_when_the_page_has_none() {
    let server = MockServer::start().await;
    Mock::given(path("/files"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"files": ["f1", "f2"], "nextPageToken": "p2"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/files"))
        .and(query_param("pageToken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"files": ["f3"]})))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let files = client.files().list_stream().try_collect().await.unwrap();
    assert_eq!(files, ["f1", "f2", "f3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_optional_has_more_left_out_lets_the_cursor_decide() {
    let server = MockServer::start().await;
    Mock::given(path("/queues"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": ["q1"], "next_cursor": "c2"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/queues"))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": ["q2"], "has_more": false, "next_cursor": "c3"
        })))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let queues = client.queues().list_stream().try_collect().await.unwrap();
    assert_eq!(queues, ["q1", "q2"]);
    // `has_more: false` ends the listing even though the page names a cursor.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
