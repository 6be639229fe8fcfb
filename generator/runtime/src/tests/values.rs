//! Byte values and union helpers.

use serde_json::json;

use crate::runtime::{Base64, Binary, discriminator, serialize_tagged, try_decode};

#[test]
fn base64_round_trips_and_reads_every_alphabet() {
    let value = Base64(vec![0xfb, 0xff, 0x00]);
    let text = serde_json::to_string(&value).unwrap();
    assert_eq!(text, r#""+/8A""#);
    assert_eq!(serde_json::from_str::<Base64>(&text).unwrap(), value);
    assert_eq!(serde_json::from_str::<Base64>(r#""-_8A""#).unwrap(), value);
    assert_eq!(
        serde_json::from_str::<Base64>(r#""+/8""#).unwrap(),
        Base64(vec![0xfb, 0xff])
    );
    assert!(serde_json::from_str::<Base64>(r#""not base64!""#).is_err());
    assert_eq!(format!("{value:?}"), "Base64(3 bytes)");
}

#[test]
fn binary_debug_shows_size_not_content() {
    let file = Binary::new(b"secret file".to_vec()).with_file_name("a.txt");
    let debug = format!("{file:?}");
    assert!(
        debug.contains("11") && debug.contains("a.txt") && !debug.contains("secret"),
        "{debug}"
    );
    assert_eq!(file.bytes().map(|b| b.len()), Some(11));
}

#[test]
fn a_streamed_binary_is_sent_once() {
    let file = Binary::from_body(reqwest::Body::from("data"));
    assert!(file.take_body().is_ok());
    assert!(file.take_body().unwrap_err().contains("only once"));
    assert!(serde_json::to_string(&file).is_err());
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
struct Cat {
    name: String,
}

#[test]
fn union_helpers() {
    let value = json!({"kind": "cat", "name": "Tom"});
    assert_eq!(discriminator(&value, "kind"), Some("cat"));
    assert_eq!(discriminator(&json!({"kind": 1}), "kind"), None);
    assert_eq!(try_decode::<Cat>(&value), Some(Cat { name: "Tom".into() }));
    assert_eq!(try_decode::<Cat>(&json!({"other": 1})), None);

    let mut out = Vec::new();
    serialize_tagged(
        &Cat { name: "Tom".into() },
        "kind",
        "cat",
        &mut serde_json::Serializer::new(&mut out),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out).unwrap(),
        value
    );
}
