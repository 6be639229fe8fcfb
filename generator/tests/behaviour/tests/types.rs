//! How generated types encode and decode: unions (order and discriminators), null versus
//! absent, defaults, read-only and write-only fields, formats and open enums.

use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("decodes")
}

mod unions {
    use super::*;
    use composition::types::{
        Cat, Closed, ClosedType, Event, Id, MappedPet, Opened, Payment, Pet, Shape,
    };

    #[test]
    fn a_variant_selected_by_one_tag_fills_it_in() {
        // `Opened` and `Closed` are each selected by one tag: their constructors do not ask for
        // it, and what they send names the right variant.
        let opened = Event::from(Opened::new("ann"));
        let sent = serde_json::to_value(&opened).unwrap();
        assert_eq!(sent, json!({"type": "opened", "by": "ann"}));
        assert!(matches!(decode::<Event>(sent), Event::Opened(o) if o.by == "ann"));
        let closed = Closed::new("done");
        assert_eq!(closed.r#type, ClosedType::Closed);
        let sent = serde_json::to_value(Event::from(closed)).unwrap();
        assert_eq!(sent, json!({"type": "closed", "reason": "done"}));
        // `Dog` is `Dog` in one union and `canine` in another: its constructor still asks.
        let cat = Cat::new("Tom", "Cat");
        assert_eq!(cat.pet_type, "Cat");
    }

    #[test]
    fn untagged_alternatives_are_tried_in_spec_order() {
        assert!(matches!(decode::<Id>(json!("abc")), Id::String(s) if s == "abc"));
        assert!(matches!(decode::<Id>(json!(5)), Id::Integer(5)));
        assert!(matches!(
            decode::<Id>(json!(true)),
            Id::Other(Value::Bool(true))
        ));
    }

    #[test]
    fn alternatives_of_distinct_types_convert_into_the_union() {
        let text: Id = "abc".into();
        assert!(matches!(&text, Id::String(s) if s == "abc"));
        assert!(matches!(Id::from(5_i64), Id::Integer(5)));
        assert!(matches!(Id::from("x".to_owned()), Id::String(_)));
        let cat = Cat::new("Tom", "Cat");
        assert!(matches!(Pet::from(cat), Pet::Cat(_)));
    }

    #[test]
    fn an_ambiguous_payload_takes_the_first_alternative_that_decodes() {
        // Matches both Circle (radius) and Square (side): Circle comes first in the spec.
        assert!(matches!(
            decode::<Shape>(json!({"radius": 1.0, "side": 2.0})),
            Shape::Circle(_)
        ));
        assert!(matches!(
            decode::<Shape>(json!({"side": 2.0})),
            Shape::Square(_)
        ));
        assert!(matches!(decode::<Shape>(json!({})), Shape::Other(_)));
        // Both payment alternatives accept any object with `amount`: the first (Card) wins.
        assert!(matches!(
            decode::<Payment>(json!({"amount": 5, "iban": "X"})),
            Payment::Card(_)
        ));
    }

    #[test]
    fn a_discriminator_chooses_the_variant() {
        match decode::<Pet>(json!({"pet_type": "Dog", "name": "Rex", "good": true})) {
            Pet::Dog(dog) => assert_eq!((dog.name.as_str(), dog.good), ("Rex", Some(true))),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode::<Pet>(json!({"pet_type": "Fish", "name": "Nemo"})),
            Pet::Other(_)
        ));
        assert!(
            serde_json::from_value::<Pet>(json!({"pet_type": "Cat"})).is_err(),
            "a Cat needs a name"
        );
    }

    #[test]
    fn a_mapping_renames_the_discriminator_values() {
        assert!(matches!(
            decode::<MappedPet>(json!({"pet_type": "feline", "name": "Tom"})),
            MappedPet::Cat(_)
        ));
        assert!(matches!(
            decode::<MappedPet>(json!({"pet_type": "Cat", "name": "Tom"})),
            MappedPet::Other(_)
        ));
        let cat = MappedPet::Cat(Cat::new("Tom", "feline").with_lives(9));
        let json = serde_json::to_value(&cat).unwrap();
        assert_eq!(
            json,
            json!({"name": "Tom", "pet_type": "feline", "lives": 9})
        );
        assert_eq!(decode::<MappedPet>(json), cat);
    }

    #[test]
    fn all_of_merges_properties_through_references() {
        let cat: Cat =
            decode(json!({"name": "Tom", "pet_type": "Cat", "created": "2024-01-02T03:04:05Z"}));
        assert_eq!(
            cat.created.unwrap().to_rfc3339(),
            "2024-01-02T03:04:05+00:00"
        );
    }
}

mod null_and_absent {
    use super::*;
    use nullable::types::{Owner, Patch};

    #[test]
    fn optional_nullable_fields_tell_absent_from_null() {
        let patch = Patch::new("p1", None::<String>);
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"id": "p1", "note": null})
        );
        let cleared = patch.clone().clear_nickname();
        assert_eq!(
            serde_json::to_value(&cleared).unwrap(),
            json!({"id": "p1", "note": null, "nickname": null})
        );
        let set = patch.with_nickname("Bo");
        assert_eq!(serde_json::to_value(&set).unwrap()["nickname"], "Bo");

        assert_eq!(
            decode::<Patch>(json!({"id": "p", "note": null})).nickname,
            None
        );
        assert_eq!(
            decode::<Patch>(json!({"id": "p", "note": null, "nickname": null})).nickname,
            Some(None)
        );
        assert_eq!(
            decode::<Patch>(json!({"id": "p", "note": "n", "nickname": "x"})).nickname,
            Some(Some("x".into()))
        );
    }

    #[test]
    fn a_nullable_definition_is_nullable_where_used() {
        let patch: Patch = decode(json!({"id": "p", "note": null, "owner": null}));
        assert_eq!(patch.owner, Some(None));
        let patch: Patch = decode(json!({"id": "p", "note": null, "owner": {"name": "Ann"}}));
        assert_eq!(patch.owner, Some(Some(Owner::new().with_name("Ann"))));
    }
}

/// A type only responses carry has no use for telling absent from `null`: its optional nullable
/// fields are one `Option`, and both read as `None`.
mod received_only {
    use super::*;
    use pagination::types::ListMembersResponse200Meta;

    #[test]
    fn null_and_absent_both_read_as_none() {
        let absent: ListMembersResponse200Meta = decode(json!({}));
        let null: ListMembersResponse200Meta = decode(json!({"next": null}));
        let set: ListMembersResponse200Meta = decode(json!({"next": "/members?page=2"}));
        assert_eq!(absent.next, None);
        assert_eq!(null.next, None);
        assert_eq!(set.next.as_deref(), Some("/members?page=2"));
    }
}

mod read_write_and_defaults {
    use super::*;
    use read_write::types::Account;

    #[test]
    fn read_only_fields_are_not_sent_and_defaults_are_not_filled_in() {
        let account = Account::new("a@example.com", "hunter2").with_id("ignored");
        let json = serde_json::to_value(&account).unwrap();
        // `id` is read-only; `plan` has a default but is not sent when unset.
        assert_eq!(
            json,
            json!({"email": "a@example.com", "password": "hunter2"})
        );
        assert!(
            !format!("{account:?}").contains("hunter2"),
            "the password is format: password"
        );
    }

    #[test]
    fn responses_may_leave_out_write_only_fields() {
        let account: Account = decode(json!({"id": "acc_1", "email": "a@example.com"}));
        assert_eq!(account.id.as_deref(), Some("acc_1"));
        assert_eq!(account.password, None);
        // The default (`free`) is documentation: a missing plan stays missing.
        assert_eq!(account.plan, None);
    }
}

mod formats_and_enums {
    use super::*;
    use enums::types::{Locale, Mixed, Priority};
    use formats::types::Event;

    #[test]
    fn formatted_values_decode_into_their_types() {
        let event: Event = decode(json!({
            "id": "8f5d3f4e-1c2b-4a5d-9e8f-7a6b5c4d3e2f",
            "at": "2024-02-29T12:30:00+01:00",
            "day": "2024-02-29",
            "signature": "aGVsbG8=",
            "size": 18446744073709551615u64,
            "owners": {"a": "8f5d3f4e-1c2b-4a5d-9e8f-7a6b5c4d3e2f"}
        }));
        assert_eq!(event.at.offset().local_minus_utc(), 3600);
        assert_eq!(event.day.unwrap().to_string(), "2024-02-29");
        assert_eq!(event.signature.unwrap().as_bytes(), b"hello");
        assert_eq!(event.size, Some(u64::MAX));
        assert_eq!(event.id.to_string(), "8f5d3f4e-1c2b-4a5d-9e8f-7a6b5c4d3e2f");
        assert!(
            serde_json::from_value::<Event>(
                json!({"id": "not-a-uuid", "at": "2024-02-29T12:30:00Z"})
            )
            .is_err()
        );
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        assert_eq!(decode::<Locale>(json!("pt-br")), Locale::PtBr);
        let unknown: Locale = decode(json!("de"));
        assert_eq!(unknown, Locale::Unknown("de".to_owned()));
        assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("de"));
        assert_eq!(decode::<Priority>(json!(-1)), Priority::Minus1);
        assert_eq!(decode::<Priority>(json!(7)), Priority::Unknown(7));
        assert_eq!(decode::<Mixed>(json!(1)), Mixed::V1);
        assert_eq!(decode::<Mixed>(json!("auto")), Mixed::Auto);
        assert_eq!(decode::<Mixed>(json!("1")), Mixed::Unknown(json!("1")));
        assert_eq!(serde_json::to_value(Mixed::V2).unwrap(), json!(2));
    }
}
