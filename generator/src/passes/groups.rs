//! Groups: sorts every operation into one group, as a hand-written SDK sorts its methods into
//! resource handles (`client.pets().list()`).
//!
//! An operation's group comes from its first tag: a tag that declares a `parent` (OpenAPI 3.2)
//! nests under it, and a tag with dots or slashes (`users.user`, `system/networking`) nests at
//! them. An operation without tags is grouped by its path: the first segment that is neither a
//! parameter nor a version (`v1`, `2024-06-01`), after the segments every untagged path starts
//! with (`/api`), when every one of them has a segment after those. One with no such segment
//! is in the group `other`. Groups are identified by their words, so `Magic Links` and
//! `magic-links` are one group. Naming gives groups their Rust names; this pass only decides
//! their shape, which depends on the spec alone.

use std::collections::BTreeMap;

use crate::ident;
use crate::ir::{Api, Group, Operation};

/// The group of operations that neither tags nor paths place.
const FALLBACK: &str = "other";

/// How deep groups nest at most: the levels of a deeper tag are joined into its last one.
const MAX_DEPTH: usize = 6;

pub fn run(api: &mut Api) {
    let tags: BTreeMap<&str, &crate::ir::Tag> =
        api.tags.iter().map(|t| (t.name.as_str(), t)).collect();
    let untagged_base = untagged_base(api, &tags);
    // Every group by its key (the words of each level), with the words as first written.
    let mut groups: BTreeMap<Vec<String>, Group> = BTreeMap::new();
    let mut placed: Vec<Vec<String>> = Vec::with_capacity(api.operations.len());
    for op in api.operations.values() {
        let (path, tag) = match first_tag(op, &tags) {
            Some((path, tag)) => (path, Some(tag)),
            None => (path_group(&op.path, untagged_base), None),
        };
        let key = key_of(&path);
        for depth in 1..=key.len() {
            let entry = groups
                .entry(key[..depth].to_vec())
                .or_insert_with(|| Group {
                    path: path[..depth].to_vec(),
                    ..Group::default()
                });
            if depth == key.len() && entry.tag.is_none() {
                entry.tag = tag.map(str::to_owned);
            }
        }
        placed.push(key);
    }
    // A group that only encloses others (`users` of `users.keys`) takes the declared tag of
    // the same words, if there is one.
    let declared: BTreeMap<Vec<String>, &str> = api
        .tags
        .iter()
        .map(|t| (key_of(&tag_path(&t.name, &tags)), t.name.as_str()))
        .collect();
    for (key, group) in groups.iter_mut() {
        if group.tag.is_none() {
            group.tag = declared.get(key).map(|t| t.to_string());
        }
        group.description = group
            .tag
            .as_deref()
            .and_then(|t| tags.get(t))
            .and_then(|t| t.description.clone());
    }
    let index: BTreeMap<Vec<String>, usize> = groups
        .keys()
        .enumerate()
        .map(|(i, key)| (key.clone(), i))
        .collect();
    api.groups = groups
        .into_iter()
        .map(|(key, mut group)| {
            group.parent = (key.len() > 1).then(|| index[&key[..key.len() - 1]]);
            group
        })
        .collect();
    for i in 0..api.groups.len() {
        if let Some(parent) = api.groups[i].parent {
            api.groups[parent].children.push(i);
        }
    }
    for (op, key) in api.operations.values_mut().zip(placed) {
        op.group = index[&key];
    }
}

/// The key of a group path: the key of each level.
fn key_of(path: &[String]) -> Vec<String> {
    path.iter().map(|level| level_key(level)).collect()
}

/// The key of one level of a group: its words, lower case, joined with `_`.
fn level_key(level: &str) -> String {
    ident::words(level).join("_").to_ascii_lowercase()
}

/// The group path of an operation's first usable tag, and that tag.
fn first_tag<'a>(
    op: &'a Operation,
    tags: &BTreeMap<&str, &crate::ir::Tag>,
) -> Option<(Vec<String>, &'a str)> {
    op.tags.iter().find_map(|tag| {
        let path = tag_path(tag, tags);
        (!path.is_empty()).then_some((path, tag.as_str()))
    })
}

/// The levels of a tag: its `parent` chain (OpenAPI 3.2) if it declares one, else its parts
/// between dots and slashes. Levels without words are left out.
fn tag_path(tag: &str, tags: &BTreeMap<&str, &crate::ir::Tag>) -> Vec<String> {
    let mut chain = vec![tag];
    let mut at = tag;
    while let Some(parent) = tags.get(at).and_then(|t| t.parent.as_deref()) {
        // A parent chain that loops, or names an undeclared tag, ends there.
        if chain.contains(&parent) || chain.len() > tags.len() {
            break;
        }
        chain.push(parent);
        at = parent;
    }
    let levels: Vec<&str> = if chain.len() > 1 {
        chain.into_iter().rev().collect()
    } else {
        tag.split(['.', '/']).collect()
    };
    let mut levels: Vec<String> = levels
        .into_iter()
        .filter(|level| !level_key(level).is_empty())
        .map(str::to_owned)
        .collect();
    if levels.len() > MAX_DEPTH {
        let rest = levels.split_off(MAX_DEPTH - 1).join(" ");
        levels.push(rest);
    }
    levels
}

/// The segments of a path that can name a group: neither parameters nor versions.
fn candidates(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.contains('{') && !ident::is_version_word(s))
        .filter(|s| !ident::words(s).is_empty())
        .collect()
}

/// How many leading candidate segments every untagged operation's path shares, when every one
/// of them has a segment after those (`/api/pets`, `/api/users`: 1); otherwise 0.
fn untagged_base(api: &Api, tags: &BTreeMap<&str, &crate::ir::Tag>) -> usize {
    let paths: Vec<Vec<&str>> = api
        .operations
        .values()
        .filter(|op| first_tag(op, tags).is_none())
        .map(|op| candidates(&op.path))
        .collect();
    let Some(first) = paths.first() else {
        return 0;
    };
    let mut common = first.len();
    for path in &paths[1..] {
        common = common.min(first.iter().zip(path).take_while(|(a, b)| a == b).count());
    }
    while common > 0 && paths.iter().any(|p| p.len() <= common) {
        common -= 1;
    }
    common
}

/// The group of an untagged operation, from its path.
fn path_group(path: &str, base: usize) -> Vec<String> {
    let segments = candidates(path);
    let segment = segments.get(base).or(segments.first()).copied();
    vec![segment.unwrap_or(FALLBACK).to_owned()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{HttpMethod, Tag};
    use crate::pointer::Pointer;

    fn op(path: &str, tags: &[&str]) -> Operation {
        Operation {
            operation_id: None,
            rename: None,
            name: String::new(),
            method_name: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            group: usize::MAX,
            handle_path: String::new(),
            module: String::new(),
            params_module: String::new(),
            method: HttpMethod::Get,
            path: path.to_owned(),
            doc: Default::default(),
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            security: Vec::new(),
            scopes: Default::default(),
            params_type: String::new(),
            success: Default::default(),
            error: Default::default(),
            idempotent: None,
            headers: Vec::new(),
            headers_type: String::new(),
            headers_module: String::new(),
            pagination_hint: None,
            pagination: None,
            stream: None,
        }
    }

    fn grouped(ops: &[(&str, &[&str])], tags: Vec<Tag>) -> Vec<String> {
        let mut api = Api {
            tags,
            ..Api::default()
        };
        for (i, (path, op_tags)) in ops.iter().enumerate() {
            let at = Pointer::root().push("paths").push(&format!("{i:03}"));
            api.operations.insert(at, op(path, op_tags));
        }
        run(&mut api);
        api.operations
            .values()
            .map(|op| {
                let group = &api.groups[op.group];
                assert_eq!(api.group_chain(op.group).len(), group.path.len());
                group.path.join(" > ")
            })
            .collect()
    }

    #[test]
    fn the_first_tag_decides_and_dots_and_slashes_nest() {
        let groups = grouped(
            &[
                ("/a", &["Magic Links", "Other"]),
                ("/b", &["users.user"]),
                ("/c", &["system/networking"]),
                ("/d", &["magic-links"]),
                ("/e", &["...", "pets"]),
            ],
            Vec::new(),
        );
        assert_eq!(
            groups,
            [
                "Magic Links",
                "users > user",
                "system > networking",
                "Magic Links",
                "pets"
            ]
        );
    }

    #[test]
    fn a_declared_parent_nests_a_tag() {
        let tags = vec![
            Tag {
                name: "Email".into(),
                parent: Some("Magic Links".into()),
                ..Tag::default()
            },
            Tag {
                name: "Loop".into(),
                parent: Some("Loop".into()),
                ..Tag::default()
            },
        ];
        let groups = grouped(&[("/a", &["Email"]), ("/b", &["Loop"])], tags);
        assert_eq!(groups, ["Magic Links > Email", "Loop"]);
    }

    #[test]
    fn untagged_operations_are_grouped_by_their_path() {
        let groups = grouped(
            &[
                ("/v1/payment_intents/{intent}/capture", &[]),
                ("/v1/customers", &[]),
                ("/2024-06-01/{id}", &[]),
            ],
            Vec::new(),
        );
        assert_eq!(groups, ["payment_intents", "customers", "other"]);
        let shared = grouped(&[("/api/pets/{id}", &[]), ("/api/users", &[])], Vec::new());
        assert_eq!(shared, ["pets", "users"]);
        let nested = grouped(&[("/pets", &[]), ("/pets/{id}/photos", &[])], Vec::new());
        assert_eq!(nested, ["pets", "pets"]);
    }

    #[test]
    fn groups_nest_at_most_six_deep() {
        let deep = "a.b.c.d.e.f.g.h";
        let groups = grouped(&[("/x", &[deep])], Vec::new());
        assert_eq!(groups, ["a > b > c > d > e > f g h"]);
    }

    #[test]
    fn versions_are_recognised() {
        for version in ["v1", "V2", "v2beta1", "v1.0", "2024-06-01", "1.0"] {
            assert!(ident::is_version_word(version), "{version}");
        }
        for segment in ["vault", "v", "users", "2fa", "404s"] {
            assert!(!ident::is_version_word(segment), "{segment}");
        }
    }
}
