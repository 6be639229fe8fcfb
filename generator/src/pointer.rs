//! JSON pointers (RFC 6901): how the generator names every location in a spec, in diagnostics,
//! as the identity of a type, and when resolving a local `$ref`.

use std::fmt;

/// A JSON pointer into the spec document, such as `/paths/~1v1~1magic_links/post`.
///
/// It displays as a URI fragment (`#/paths/~1v1~1magic_links/post`), the form `$ref` uses.
/// Ordering is by the escaped text, which depends only on where a thing sits in the spec.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// The pointer to the child `segment` of this location.
    pub fn push(&self, segment: &str) -> Pointer {
        let mut text = String::with_capacity(self.0.len() + segment.len() + 1);
        text.push_str(&self.0);
        text.push('/');
        for c in segment.chars() {
            match c {
                '~' => text.push_str("~0"),
                '/' => text.push_str("~1"),
                c => text.push(c),
            }
        }
        Pointer(text)
    }

    /// Parses the fragment of a local `$ref` (`#/components/schemas/Pet`), decoding percent
    /// escapes. Returns `None` for anything that is not a local reference.
    pub fn from_ref(reference: &str) -> Option<Pointer> {
        let fragment = reference.strip_prefix('#')?;
        let decoded = percent_decode(fragment)?;
        if decoded.is_empty() || decoded.starts_with('/') {
            Some(Pointer(decoded))
        } else {
            None
        }
    }

    /// A pointer from its escaped text (`/a/b~1c`), as `as_str` gives it.
    pub fn from_escaped(text: &str) -> Pointer {
        Pointer(text.to_owned())
    }

    /// The escaped pointer text without the leading `#`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped segments.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|s| unescape(s).into_owned())
    }

    /// The number of segments.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The last segment, unescaped.
    pub fn last(&self) -> Option<String> {
        self.segments().last()
    }

    /// The location this pointer names in `value`, if any: what `serde_json`'s `pointer` finds,
    /// without allocating for segments that have no escapes (lowering resolves a pointer for
    /// every field of every schema).
    pub fn resolve<'a>(&self, value: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        use serde_json::Value;
        let Some(rest) = self.0.strip_prefix('/') else {
            return self.0.is_empty().then_some(value);
        };
        rest.split('/').try_fold(value, |target, segment| {
            let segment = unescape(segment);
            match target {
                Value::Object(map) => map.get(segment.as_ref()),
                Value::Array(list) => array_index(&segment).and_then(|i| list.get(i)),
                _ => None,
            }
        })
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The member of the main document under which bundling places the files a spec refers to, by
/// path relative to the spec's folder.
pub const EXTERNAL: &str = "x-sdkgen-external";

/// A pointer into a bundled file as the file's key and the pointer within it.
pub fn split_external(pointer: &Pointer) -> Option<(String, Pointer)> {
    let prefix = Pointer::root().push(EXTERNAL);
    let rest = pointer
        .as_str()
        .strip_prefix(prefix.as_str())?
        .strip_prefix('/')?;
    let (key, inner) = rest.split_once('/').map_or((rest, ""), |(k, i)| (k, i));
    let key = Pointer::from_escaped(&format!("/{key}")).last()?;
    let inner = if inner.is_empty() {
        String::new()
    } else {
        format!("/{inner}")
    };
    Some((key, Pointer::from_escaped(&inner)))
}

/// A pointer segment with `~1` and `~0` decoded (in that order, as RFC 6901 says).
fn unescape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// An array index as RFC 6901 writes it: decimal digits, no sign, no leading zero.
fn array_index(segment: &str) -> Option<usize> {
    let canonical = segment == "0" || !(segment.starts_with('0') || segment.starts_with('+'));
    canonical.then(|| segment.parse().ok()).flatten()
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn push_escapes_and_display_is_a_fragment() {
        let p = Pointer::root()
            .push("paths")
            .push("/v1/magic_links")
            .push("post");
        assert_eq!(p.to_string(), "#/paths/~1v1~1magic_links/post");
        assert_eq!(Pointer::root().push("a~b").as_str(), "/a~0b");
        assert_eq!(p.depth(), 3);
        assert_eq!(p.last().as_deref(), Some("post"));
    }

    #[test]
    fn from_ref_reads_local_fragments_only() {
        let p = Pointer::from_ref("#/components/schemas/Pet%20Store").unwrap();
        assert_eq!(p.as_str(), "/components/schemas/Pet Store");
        let segments: Vec<String> = Pointer::from_ref("#/a~1b/c~0d")
            .unwrap()
            .segments()
            .collect();
        assert_eq!(segments, ["a/b", "c~d"]);
        assert_eq!(Pointer::from_ref("#").unwrap(), Pointer::root());
        assert!(Pointer::from_ref("other.yaml#/x").is_none());
        assert!(Pointer::from_ref("https://example.com/x.json").is_none());
        assert!(Pointer::from_ref("#/bad%zz").is_none());
        assert!(Pointer::from_ref("#relative").is_none());
    }

    #[test]
    fn resolve_follows_escaped_segments() {
        let doc = serde_json::json!({"paths": {"/v1/x": {"post": 1}}});
        let p = Pointer::root().push("paths").push("/v1/x").push("post");
        assert_eq!(p.resolve(&doc), Some(&serde_json::json!(1)));
    }

    #[test]
    fn resolve_agrees_with_serde_json() {
        let doc = serde_json::json!({
            "a/b": {"c~d": 1, "~1": 2, "": {"": 3}},
            "list": [10, 11, 12],
            "0": "zero",
            "~": {"01": 4},
        });
        let pointers = [
            "",
            "/",
            "//",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/~01",
            "/a~1b/~1",
            "/a~1b//",
            "/list/0",
            "/list/2",
            "/list/3",
            "/list/01",
            "/list/+1",
            "/list/-",
            "/list/-0",
            "/list/",
            "/0",
            "/00",
            "/~0/01",
            "/~",
            "/~2",
            "x",
            "#/0",
            "/list/0/x",
            "/list/18446744073709551616",
        ];
        for text in pointers {
            let pointer = Pointer::from_escaped(text);
            assert_eq!(pointer.resolve(&doc), doc.pointer(text), "{text:?}");
        }
    }
}
