//! Request bodies of every encoding, sent to a real HTTP server on 127.0.0.1.

use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{body_string, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{Binary, Call, Client, Multipart, Request, decode_nothing};

async fn send(server: &MockServer, request: Request) {
    let client = Client::new(server.uri()).unwrap();
    let call: Call<'_, (), ()> = Call::new(&client, request, decode_nothing, decode_nothing);
    call.await.unwrap();
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=A+B%26C&tags=x&tags=y"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = Request::new(Method::POST, "/".to_owned());
    request.form(&json!({"name": "A B&C", "tags": ["x", "y"], "absent": null}));
    send(&server, request).await;
}

#[tokio::test]
async fn text_and_binary_bodies_carry_their_media_type() {
    let server = MockServer::start().await;
    Mock::given(header("content-type", "text/csv"))
        .and(body_string("a,b\n"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("content-type", "image/png"))
        .and(body_string("\u{1}PNG"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = Request::new(Method::POST, "/csv".to_owned());
    request.text("a,b\n", "text/csv");
    send(&server, request).await;
    let mut request = Request::new(Method::PUT, "/image".to_owned());
    request.binary(
        &Binary::new(b"\x01PNG".to_vec()).with_content_type("image/png"),
        "application/octet-stream",
    );
    send(&server, request).await;
}

#[tokio::test]
async fn multipart_bodies_have_fields_and_files() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let mut form = Multipart::new();
    form.field("title", "Holiday");
    form.field("count", &3);
    form.file(
        "photo",
        &Binary::new(b"JPEGDATA".to_vec())
            .with_file_name("p.jpg")
            .with_content_type("image/jpeg"),
    );
    let mut request = Request::new(Method::POST, "/upload".to_owned());
    request.multipart(form);
    send(&server, request).await;

    let received = &server.received_requests().await.unwrap()[0];
    let content_type = received
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&received.body);
    for expected in [
        "name=\"title\"\r\n\r\nHoliday",
        "name=\"count\"\r\n\r\n3",
        "name=\"photo\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA",
    ] {
        assert!(body.contains(expected), "{expected:?} not in {body}");
    }
}
