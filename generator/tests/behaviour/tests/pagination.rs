//! Streaming methods of paginated operations against a real HTTP server on 127.0.0.1: Dropshot
//! page tokens, a cursor nested in the body, and `Link` headers.

use pagination::Client;
use pagination::types::{ListMembersParams, ListReposParams, ProjectListParams, ProjectListSortBy};
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
        .project_list_stream(&params)
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
    let mut members = client.orgs().list_members_stream("acme", &params);
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
        .list_stream(&ListReposParams::new().with_per_page(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(repos, ["r1", "r2"]);
}
