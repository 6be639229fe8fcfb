//! Byte values: `Base64` for `format: byte` (base64 text in JSON) and `Binary` for
//! `format: binary` (a request body or a file part, from bytes or a stream).

use std::fmt;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes, written as standard base64 in JSON (`format: byte`). Reading also accepts URL-safe
/// base64 and missing padding.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode_base64(&text)
            .map(Base64)
            .ok_or_else(|| serde::de::Error::custom("invalid base64"))
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text.trim()).ok())
}

/// Raw bytes for a request body or a multipart file part: held in memory, or a stream that is
/// read once when the request is sent. A file name and a media type may go with it.
///
/// In JSON (rare for binary data) it is base64 text. `Debug` shows only its size.
#[derive(Clone)]
pub struct Binary {
    data: Data,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Data {
    Bytes(bytes::Bytes),
    /// Taken when sent: a stream cannot be sent twice.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl Binary {
    /// Bytes held in memory.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Self {
        Binary {
            data: Data::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A body streamed when the request is sent (`reqwest::Body::wrap_stream`, or a file). A
    /// request with a stream cannot be sent twice.
    pub fn from_body(body: reqwest::Body) -> Self {
        Binary {
            data: Data::Stream(Arc::new(Mutex::new(Some(body)))),
            file_name: None,
            content_type: None,
        }
    }

    /// The file at `path`, read as the request is sent (never whole into memory), with its
    /// file name for a multipart part.
    pub async fn from_file(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await?;
        let binary = Binary::from_body(reqwest::Body::from(file));
        Ok(match path.file_name().and_then(|n| n.to_str()) {
            Some(name) => binary.with_file_name(name),
            None => binary,
        })
    }

    /// A stream of chunks, sent as they come.
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: futures_util::Stream<Item = Result<B, E>> + Send + 'static,
        bytes::Bytes: From<B>,
        B: 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        Binary::from_body(reqwest::Body::wrap_stream(stream))
    }

    /// Sets the file name sent with a multipart file part.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type sent with a multipart file part.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes, unless this is a stream.
    pub fn bytes(&self) -> Option<&bytes::Bytes> {
        match &self.data {
            Data::Bytes(bytes) => Some(bytes),
            Data::Stream(_) => None,
        }
    }

    pub(crate) fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    pub(crate) fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The body to send: the bytes, or the stream (once).
    pub(crate) fn take_body(&self) -> Result<reqwest::Body, String> {
        match &self.data {
            Data::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Data::Stream(stream) => stream
                .lock()
                .map_err(|_| "a stream's lock was poisoned".to_owned())?
                .take()
                .ok_or_else(|| "a streamed body can be sent only once".to_owned()),
        }
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Binary");
        match &self.data {
            Data::Bytes(bytes) => s.field("len", &bytes.len()),
            Data::Stream(_) => s.field("stream", &true),
        };
        s.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl PartialEq for Binary {
    fn eq(&self, other: &Self) -> bool {
        let same_data = match (&self.data, &other.data) {
            (Data::Bytes(a), Data::Bytes(b)) => a == b,
            (Data::Stream(a), Data::Stream(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_data && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl From<bytes::Bytes> for Binary {
    fn from(bytes: bytes::Bytes) -> Self {
        Binary::new(bytes)
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary::new(bytes)
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary::new(text)
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.data {
            Data::Bytes(bytes) => serializer.serialize_str(&STANDARD.encode(bytes)),
            Data::Stream(_) => Err(serde::ser::Error::custom(
                "a streamed body cannot be written as JSON",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = decode_base64(&text).unwrap_or_else(|| text.into_bytes());
        Ok(Binary::new(bytes))
    }
}
