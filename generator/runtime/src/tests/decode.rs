//! Body decoders, path encoding and redaction helpers.

use reqwest::header::{HeaderMap, HeaderValue};

use reqwest::StatusCode;

use crate::runtime::{
    DecodeError, decode_bytes, decode_json, decode_nothing, decode_text, encode_path_segment,
    header_value, redacted,
};

const OK: StatusCode = StatusCode::OK;

fn bytes(b: &'static [u8]) -> bytes::Bytes {
    bytes::Bytes::from_static(b)
}

#[test]
fn empty_bodies_decode_as_null() {
    decode_json::<()>(OK, &bytes(b"")).unwrap();
    decode_json::<()>(OK, &bytes(b" \n")).unwrap();
    assert_eq!(decode_json::<Option<u8>>(OK, &bytes(b"")).unwrap(), None);
    assert!(decode_json::<u8>(OK, &bytes(b"")).is_err());
}

#[test]
fn decode_nothing_accepts_anything() {
    decode_nothing(OK, &bytes(b"<html>not json</html>")).unwrap();
}

#[test]
fn decode_errors_do_not_quote_the_body_in_display_or_debug() {
    let err: DecodeError = decode_json::<u32>(OK, &bytes(br#""secret-value""#)).unwrap_err();
    assert!(err.detail().contains("secret-value"), "{}", err.detail());
    assert!(!err.to_string().contains("secret-value"), "{err}");
    assert!(!format!("{err:?}").contains("secret-value"), "{err:?}");
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn path_segments_are_percent_encoded() {
    assert_eq!(encode_path_segment("a b/c?d#e%f"), "a%20b%2Fc%3Fd%23e%25f");
    assert_eq!(encode_path_segment("user-test_1.~x"), "user-test_1.~x");
    assert_eq!(encode_path_segment(&42), "42");
    assert_eq!(encode_path_segment("é"), "%C3%A9");
}

#[test]
fn redacted_hides_any_value() {
    assert_eq!(format!("{:?}", redacted("token")), "[redacted]");
    assert_eq!(format!("{:?}", redacted(&Some(3))), "[redacted]");
}

#[test]
fn sensitive_header_values_are_hidden_in_debug() {
    let mut headers = HeaderMap::new();
    headers.insert("set-cookie", HeaderValue::from_static("session=abc123"));
    headers.insert("x-request-id", HeaderValue::from_static("req-1"));
    let mut marked = HeaderValue::from_static("marked-value");
    marked.set_sensitive(true);
    headers.insert("x-custom", marked);
    let debug = format!("{:?}", crate::runtime::redact::RedactedHeaders(&headers));
    assert!(debug.contains("req-1"), "{debug}");
    assert!(!debug.contains("abc123"), "{debug}");
    assert!(!debug.contains("marked-value"), "{debug}");
}

#[test]
fn text_and_bytes_bodies() {
    assert_eq!(
        decode_text(OK, &bytes("héllo".as_bytes())).unwrap(),
        "héllo"
    );
    let err = decode_text(OK, &bytes(b"\xff\xfe")).unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    assert_eq!(
        &decode_bytes(OK, &bytes(b"\x00\x01")).unwrap()[..],
        b"\x00\x01"
    );
}

#[test]
fn declared_headers_parse_by_type_and_bad_values_are_none() {
    let mut headers = HeaderMap::new();
    headers.insert("x-rate-limit-remaining", HeaderValue::from_static("42"));
    headers.insert("x-request-id", HeaderValue::from_static("42"));
    headers.insert("x-enabled", HeaderValue::from_static("true"));
    headers.insert("x-ratio", HeaderValue::from_static("0.5"));
    headers.insert("x-broken", HeaderValue::from_static("soon"));
    headers.append("x-ids", HeaderValue::from_static("1, 2"));
    headers.append("x-ids", HeaderValue::from_static("3"));
    assert_eq!(
        header_value::<i64>(&headers, "x-rate-limit-remaining"),
        Some(42)
    );
    assert_eq!(
        header_value::<String>(&headers, "x-request-id").as_deref(),
        Some("42")
    );
    assert_eq!(header_value::<bool>(&headers, "X-Enabled"), Some(true));
    assert_eq!(header_value::<f64>(&headers, "x-ratio"), Some(0.5));
    assert_eq!(header_value::<i64>(&headers, "x-broken"), None);
    assert_eq!(header_value::<i64>(&headers, "x-missing"), None);
    assert_eq!(
        header_value::<Vec<u32>>(&headers, "x-ids"),
        Some(vec![1, 2, 3])
    );
    assert_eq!(
        header_value::<Vec<String>>(&headers, "x-ids"),
        Some(vec!["1".to_owned(), "2".to_owned(), "3".to_owned()])
    );
}
