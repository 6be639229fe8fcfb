//! The public items of a generated crate as the diff names them (`ItemPath`), and the items a
//! wire change touches (`Touch`), which join it to the Rust changes of those items.

use std::fmt;

/// A public item of a generated crate, or a member of one: `types::Pet`, `types::Pet.name` (a
/// field), `types::Pet::new` (a function or a variant), `types::Pet impl Default` (a trait the
/// type implements). Paths order as their text does.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemPath {
    text: String,
    /// The length of the owning item's path: all of `text` for an item, the part before the
    /// member for a member.
    owner: usize,
}

impl ItemPath {
    /// An item by its path from the crate root: `operations::pets::Pets`, `Client`.
    pub fn new(path: impl Into<String>) -> ItemPath {
        let text = path.into();
        ItemPath {
            owner: text.len(),
            text,
        }
    }

    /// A generated type, which `types` re-exports: `types::Pet`.
    pub fn ty(name: &str) -> ItemPath {
        ItemPath::new(format!("types::{name}"))
    }

    /// A field of this item: `types::Pet.name`.
    pub fn field(&self, name: &str) -> ItemPath {
        self.member(".", name)
    }

    /// A function or variant of this item: `types::Pet::new`, `types::Kind::Dog`.
    pub fn assoc(&self, name: &str) -> ItemPath {
        self.member("::", name)
    }

    /// A trait this item implements: `types::Pet impl Default`.
    pub fn implements(&self, trait_name: &str) -> ItemPath {
        self.member(" impl ", trait_name)
    }

    fn member(&self, separator: &str, name: &str) -> ItemPath {
        ItemPath {
            text: format!("{}{separator}{name}", self.owner()),
            owner: self.owner,
        }
    }

    /// The path of the item itself, or of the item a member belongs to.
    pub fn owner(&self) -> &str {
        &self.text[..self.owner]
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for ItemPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for ItemPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl PartialEq<str> for ItemPath {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for ItemPath {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// A Rust item a wire change touches: the item alone, or the item and all its members (a type
/// that comes or goes with an operation, with its fields, functions and trait impls).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Touch {
    Item(ItemPath),
    WithMembers(ItemPath),
}

impl Touch {
    /// A generated type with all its members.
    pub(crate) fn whole_type(name: &str) -> Touch {
        Touch::WithMembers(ItemPath::ty(name))
    }

    /// Whether a change of `item` is this touch's.
    pub(crate) fn reaches(&self, item: &ItemPath) -> bool {
        match self {
            Touch::Item(path) => path == item,
            // `types::Pet` reaches `types::Pet.name` and `types::Pet::new`, not `types::PetList`.
            Touch::WithMembers(path) => path.as_str() == item.owner(),
        }
    }
}

impl From<ItemPath> for Touch {
    fn from(path: ItemPath) -> Touch {
        Touch::Item(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_owner() {
        let pet = ItemPath::ty("Pet");
        assert_eq!(pet.field("name"), "types::Pet.name");
        assert_eq!(pet.assoc("new"), "types::Pet::new");
        assert_eq!(pet.implements("Default"), "types::Pet impl Default");
        assert_eq!(pet.assoc("new").owner(), "types::Pet");
        assert_eq!(
            ItemPath::new("operations::pets::Pets").owner(),
            "operations::pets::Pets"
        );
    }

    #[test]
    fn a_whole_type_reaches_its_members_only() {
        let touch = Touch::whole_type("Pet");
        let pet = ItemPath::ty("Pet");
        assert!(touch.reaches(&pet));
        assert!(touch.reaches(&pet.field("name")));
        assert!(touch.reaches(&pet.implements("Default")));
        assert!(!touch.reaches(&ItemPath::ty("PetList")));
        assert!(!touch.reaches(&ItemPath::ty("PetList").assoc("new")));
        let field = Touch::Item(pet.field("name"));
        assert!(field.reaches(&pet.field("name")));
        assert!(!field.reaches(&pet));
    }

    #[test]
    fn paths_order_as_their_text() {
        let mut paths = [
            ItemPath::ty("Pet2"),
            ItemPath::ty("Pet").assoc("new"),
            ItemPath::ty("Pet").field("name"),
            ItemPath::ty("Pet").implements("Clone"),
            ItemPath::ty("Pet"),
        ];
        paths.sort();
        let texts: Vec<&str> = paths.iter().map(ItemPath::as_str).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
    }
}
