//! The comparison every part of the diff makes: two maps by key, each key's entry removed, kept
//! or added.

use std::collections::BTreeMap;

/// A key's entries in the old and the new map.
pub(super) enum Entry<'a, V> {
    Removed(&'a V),
    Kept(&'a V, &'a V),
    Added(&'a V),
}

/// The entries of `old` and `new` by key: the old map's keys in order (removed or kept), then
/// the keys only the new map has, in order.
pub(super) fn keyed<'a, K: Ord, V>(
    old: &'a BTreeMap<K, V>,
    new: &'a BTreeMap<K, V>,
) -> impl Iterator<Item = (&'a K, Entry<'a, V>)> {
    let before = old.iter().map(move |(key, a)| {
        let entry = match new.get(key) {
            Some(b) => Entry::Kept(a, b),
            None => Entry::Removed(a),
        };
        (key, entry)
    });
    let added = new
        .iter()
        .filter(move |(key, _)| !old.contains_key(*key))
        .map(|(key, b)| (key, Entry::Added(b)));
    before.chain(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_and_kept_keys_come_in_old_order_then_added_ones() {
        let old = BTreeMap::from([(1, "a"), (3, "c"), (4, "d")]);
        let new = BTreeMap::from([(0, "z"), (3, "C"), (5, "e")]);
        let seen: Vec<String> = keyed(&old, &new)
            .map(|(key, entry)| match entry {
                Entry::Removed(a) => format!("-{key}{a}"),
                Entry::Kept(a, b) => format!("={key}{a}{b}"),
                Entry::Added(b) => format!("+{key}{b}"),
            })
            .collect();
        assert_eq!(seen, ["-1a", "=3cC", "-4d", "+0z", "+5e"]);
    }
}
