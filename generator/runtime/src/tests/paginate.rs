//! Listings read page by page from a real HTTP server on 127.0.0.1: cursors in the body, `Link`
//! headers, and the ways a listing ends.

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Deserialize;
use wiremock::matchers::{method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{
    Call, Client, Error, Paginated, Request, Response, Style, decode_json, next_link,
};

#[derive(Deserialize)]
struct Page {
    items: Vec<u32>,
    next_page: Option<String>,
}

fn cursor_listing(client: &Client) -> Paginated<'_, u32, serde_json::Value> {
    Paginated::new(
        move |_: &(), cursor: Option<String>| {
            let mut request = Request::new(Method::GET, "/things".to_owned());
            request.query_param("limit", &2, Style::form(true));
            if let Some(cursor) = &cursor {
                request.query_param("page_token", cursor, Style::form(true));
            }
            Call::new(client, request, decode_json, decode_json)
        },
        |response: &Response<Page>| response.next_page.clone(),
        |page: Page| page.items,
    )
}

fn page(items: &[u32], next: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": items, "next_page": next}))
}

#[tokio::test]
async fn a_cursor_listing_reads_every_page_lazily() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page_token"))
        .respond_with(page(&[1, 2], Some("p2")))
        .mount(&server)
        .await;
    Mock::given(query_param("page_token", "p2"))
        .respond_with(page(&[3, 4], Some("p3")))
        .mount(&server)
        .await;
    Mock::given(query_param("page_token", "p3"))
        .respond_with(page(&[5], None))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let mut listing = cursor_listing(&client);
    assert_eq!(listing.next().await.unwrap().unwrap(), 1);
    // Only the first page has been fetched so far.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let mut rest = Vec::new();
    while let Some(item) = listing.next().await {
        rest.push(item.unwrap());
    }
    assert_eq!(rest, [2, 3, 4, 5]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_repeated_cursor_or_an_empty_page_ends_the_listing() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page_token"))
        .respond_with(page(&[1], Some("same")))
        .mount(&server)
        .await;
    Mock::given(query_param("page_token", "same"))
        .respond_with(page(&[2], Some("same")))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    assert_eq!(cursor_listing(&client).try_collect().await.unwrap(), [1, 2]);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(&[], Some("more")))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    assert!(
        cursor_listing(&client)
            .try_collect()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_ends_the_listing_with_the_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page_token"))
        .respond_with(page(&[1], Some("p2")))
        .mount(&server)
        .await;
    Mock::given(query_param("page_token", "p2"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"e": 1})))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let mut listing = cursor_listing(&client);
    assert_eq!(listing.next().await.unwrap().unwrap(), 1);
    let err = listing.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Api(api) if api.status == 404),
        "{err:?}"
    );
    assert!(listing.next().await.is_none());
}

fn link_listing(client: &Client) -> Paginated<'_, u32, serde_json::Value> {
    Paginated::new(
        move |_: &(), url: Option<String>| {
            let call = Call::new(
                client,
                Request::new(Method::GET, "/repos".to_owned()),
                decode_json,
                decode_json,
            );
            match url {
                Some(url) => call.at_url(url),
                None => call,
            }
        },
        |response: &Response<Vec<u32>>| next_link(response.headers()),
        |page: Vec<u32>| page,
    )
}

#[tokio::test]
async fn link_headers_are_followed_on_the_same_origin_only() {
    let server = MockServer::start().await;
    let second = format!("{}/repos?page=2", server.uri());
    Mock::given(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json([1, 2])
                .insert_header(
                    "link",
                    format!("<{second}>; rel=\"next\", <{second}>; rel=\"last\""),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json([3])
                .insert_header("link", "</repos?page=3>; rel=\"next\""),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json([4])
                .insert_header("link", "<http://127.0.0.2:9/elsewhere>; rel=\"next\""),
        )
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let mut listing = link_listing(&client);
    let mut items = Vec::new();
    let err = loop {
        match listing.next().await {
            Some(Ok(item)) => items.push(item),
            Some(Err(err)) => break err,
            None => panic!("the cross-origin link must fail the listing"),
        }
    };
    assert_eq!(items, [1, 2, 3, 4]);
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("another origin"), "{err}");
}

#[test]
fn next_links_are_found_among_other_relations() {
    let mut headers = HeaderMap::new();
    assert_eq!(next_link(&headers), None);
    headers.insert(
        "link",
        HeaderValue::from_static(
            r#"<https://api.example.com/x?page=1>; rel="prev", <https://api.example.com/x?page=3>; rel="next last""#,
        ),
    );
    assert_eq!(
        next_link(&headers).as_deref(),
        Some("https://api.example.com/x?page=3")
    );
    headers.insert(
        "link",
        HeaderValue::from_static("<a>; rel=first, <b>;rel=NEXT"),
    );
    assert_eq!(next_link(&headers).as_deref(), Some("b"));
    headers.insert("link", HeaderValue::from_static("<broken; rel=next"));
    assert_eq!(next_link(&headers), None);
}

/// Optional parameters of a listing, as generated code declares them.
#[derive(Clone, Default)]
struct Filter {
    limit: Option<u32>,
}

fn filtered_listing(client: &Client) -> Paginated<'_, u32, serde_json::Value, Filter> {
    Paginated::new(
        move |filter: &Filter, cursor: Option<String>| {
            let mut request = Request::new(Method::GET, "/things".to_owned());
            if let Some(cursor) = &cursor {
                request.query_param("page_token", cursor, Style::form(true));
            }
            Call::new(client, request, decode_json, decode_json)
                .optional_params(|filter: &Filter, request: &mut Request| {
                    if let Some(limit) = &filter.limit {
                        request.query_param("limit", limit, Style::form(true));
                    }
                })
                .params(filter.clone())
        },
        |response: &Response<Page>| response.next_page.clone(),
        |page: Page| page.items,
    )
}

#[tokio::test]
async fn parameters_set_on_a_listing_reach_every_page() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page_token"))
        .and(query_param("limit", "7"))
        .respond_with(page(&[1], Some("p2")))
        .mount(&server)
        .await;
    Mock::given(query_param("page_token", "p2"))
        .and(query_param("limit", "7"))
        .respond_with(page(&[2], None))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let listing = filtered_listing(&client).params(Filter { limit: Some(7) });
    assert_eq!(listing.try_collect().await.unwrap(), [1, 2]);
    // Unset, they are not sent at all.
    let unfiltered = filtered_listing(&client).try_collect().await;
    assert!(matches!(unfiltered, Err(Error::Api(api)) if api.status == 404));
    let missing = server.received_requests().await.unwrap();
    assert!(!missing[2].url.query().unwrap_or("").contains("limit"));
}
