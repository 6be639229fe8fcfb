//! The spec's digest, which the generated crate records: SHA-256 of its content in a canonical
//! JSON form.

/// SHA-256 of the spec's content: its JSON form with object keys sorted, so that formatting,
/// comments and the order of keys do not change it (and do not change the generated crate).
pub fn content_digest(document: &serde_json::Value) -> String {
    use sha2::Digest;
    let mut canonical = Canonical {
        hasher: sha2::Sha256::new(),
        buffer: Vec::with_capacity(Canonical::FLUSH_AT + 4096),
    };
    canonical.value(document);
    canonical.flush();
    canonical
        .hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes the canonical JSON form of a value into a hash, through a buffer.
struct Canonical {
    hasher: sha2::Sha256,
    buffer: Vec<u8>,
}

impl Canonical {
    const FLUSH_AT: usize = 64 * 1024;

    fn value(&mut self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                self.buffer.push(b'{');
                for (i, (key, value)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        self.buffer.push(b',');
                    }
                    self.scalar(key);
                    self.buffer.push(b':');
                    self.value(value);
                }
                self.buffer.push(b'}');
            }
            Value::Array(items) => {
                self.buffer.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.buffer.push(b',');
                    }
                    self.value(item);
                }
                self.buffer.push(b']');
            }
            scalar => self.scalar(scalar),
        }
        if self.buffer.len() >= Self::FLUSH_AT {
            self.flush();
        }
    }

    /// A string or other scalar as JSON (writing into a `Vec` cannot fail).
    fn scalar(&mut self, scalar: &(impl serde::Serialize + ?Sized)) {
        let _ = serde_json::to_writer(&mut self.buffer, scalar);
    }

    fn flush(&mut self) {
        use sha2::Digest;
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_digest_ignores_key_order_and_formatting() {
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        let a = parse(r#"{"b": [1, {"y": 2, "x": "s"}], "a": null}"#);
        let b = parse("{\n  \"a\": null,\n  \"b\": [1, {\"x\": \"s\", \"y\": 2}]\n}");
        let c = parse(r#"{"a": null, "b": [1, {"x": "t", "y": 2}]}"#);
        assert_eq!(content_digest(&a), content_digest(&b));
        assert_ne!(content_digest(&a), content_digest(&c));
        assert_eq!(content_digest(&a).len(), 64);
    }
}
