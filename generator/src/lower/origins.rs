//! Where the pieces of a rewritten document came from, so that diagnostics about the rewritten
//! document point into the user's file (the 3.1 and 2.0 front ends rewrite before lowering).

use crate::pointer::Pointer;

/// Where each rewritten piece came from: pairs of (pointer in the 3.0 layout, pointer in the
/// 2.0 file). A diagnostic's pointer is mapped through the longest prefix that matches.
#[derive(Debug, Default)]
pub struct Origins {
    pairs: Vec<(Pointer, Pointer)>,
}

impl Origins {
    pub(super) fn record(&mut self, new: Pointer, old: Pointer) {
        self.pairs.push((new, old));
    }

    /// The pointer in the 2.0 file for a pointer in the rewritten document.
    pub fn original(&self, pointer: &Pointer) -> Pointer {
        let text = pointer.as_str();
        let best = self
            .pairs
            .iter()
            .filter(|(new, _)| {
                let prefix = new.as_str();
                text.starts_with(prefix)
                    && matches!(text.as_bytes().get(prefix.len()), None | Some(b'/'))
            })
            .max_by_key(|(new, _)| new.as_str().len());
        match best {
            Some((new, old)) => {
                Pointer::from_escaped(&format!("{}{}", old.as_str(), &text[new.as_str().len()..]))
            }
            None => pointer.clone(),
        }
    }
}

/// How the 2.0 front end renamed references; messages that quote a reference are put back in
/// the file's words.
const RENAMED: [(&str, &str); 3] = [
    ("#/components/schemas/", "#/definitions/"),
    ("#/components/responses/", "#/responses/"),
    ("#/components/parameters/", "#/parameters/"),
];

/// A message about the rewritten 2.0 document in the words of the 2.0 file.
pub fn swagger2_message(message: &str) -> String {
    RENAMED.iter().fold(message.to_owned(), |text, (new, old)| {
        text.replace(new, old)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_map_through_the_longest_recorded_prefix() {
        let mut origins = Origins::default();
        let p = |text: &str| Pointer::from_escaped(text);
        origins.record(p("/components/schemas"), p("/definitions"));
        origins.record(
            p("/paths/~1a/get/requestBody"),
            p("/paths/~1a/get/parameters/0"),
        );
        origins.record(
            p("/paths/~1a/get/requestBody/content/application~1json/schema"),
            p("/paths/~1a/get/parameters/0/schema"),
        );
        assert_eq!(
            origins.original(&p("/components/schemas/Pet/properties/a")),
            p("/definitions/Pet/properties/a")
        );
        assert_eq!(
            origins.original(&p(
                "/paths/~1a/get/requestBody/content/application~1json/schema/items"
            )),
            p("/paths/~1a/get/parameters/0/schema/items")
        );
        assert_eq!(
            origins.original(&p("/paths/~1a/get/requestBody/required")),
            p("/paths/~1a/get/parameters/0/required")
        );
        // `/components/schemasX` is not under `/components/schemas`.
        assert_eq!(
            origins.original(&p("/components/schemasX")),
            p("/components/schemasX")
        );
        assert_eq!(
            swagger2_message("`#/components/schemas/Pet` does not resolve"),
            "`#/definitions/Pet` does not resolve"
        );
    }
}
