//! Serialization of generated structs, written once. A generated struct's `Serialize` is one
//! line per field calling a [`Writer`], which writes what `#[derive(Serialize)]` would: the same
//! `serialize_struct` with the same length and `skip_field` calls, or, for a struct that keeps
//! extra properties, the same `serialize_map` the derive's `flatten` makes.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

/// Where a struct's fields are written: a serializer's struct or map.
pub trait Fields {
    /// What the serializer returns at the end.
    type Ok;
    /// The serializer's error.
    type Error: serde::ser::Error;

    /// Writes one field.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error>;

    /// Tells the serializer a field was skipped because it is unset.
    fn skip(&mut self, key: &'static str) -> Result<(), Self::Error>;

    /// Ends the struct.
    fn end(self) -> Result<Self::Ok, Self::Error>;
}

/// The fields of a struct written with `serialize_struct`.
pub struct Struct<S>(S);

impl<S: SerializeStruct> Fields for Struct<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// The fields of a struct with extra properties, written with `serialize_map`.
pub struct Map<M>(M);

impl<M: SerializeMap> Fields for Map<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    fn skip(&mut self, _key: &'static str) -> Result<(), M::Error> {
        Ok(())
    }

    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

/// The fields of a struct being written. A write that fails is kept, the writes after it do
/// nothing, and [`Writer::end`] returns it: generated code writes one line per field, without a
/// `?` each.
pub struct Writer<F: Fields> {
    fields: F,
    error: Option<F::Error>,
}

/// Starts struct `name` whose fields are always written (`always` of them) or written when set
/// (`set`, one flag per optional field).
pub fn start<S: Serializer>(
    serializer: S,
    name: &'static str,
    always: usize,
    set: &[bool],
) -> Result<Writer<Struct<S::SerializeStruct>>, S::Error> {
    let len = always + set.iter().filter(|&&s| s).count();
    let fields = serializer.serialize_struct(name, len).map(Struct)?;
    Ok(Writer {
        fields,
        error: None,
    })
}

/// Starts a struct that keeps extra properties, as a map of unknown length.
pub fn start_map<S: Serializer>(serializer: S) -> Result<Writer<Map<S::SerializeMap>>, S::Error> {
    let fields = serializer.serialize_map(None).map(Map)?;
    Ok(Writer {
        fields,
        error: None,
    })
}

impl<F: Fields> Writer<F> {
    fn keep(&mut self, result: Result<(), F::Error>) {
        if let Err(error) = result {
            self.error = Some(error);
        }
    }

    /// Writes a field that is always written.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            let result = self.fields.field(key, value);
            self.keep(result);
        }
    }

    /// Writes an optional field if it is set.
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if self.error.is_none() {
            let result = match value {
                Some(_) => self.fields.field(key, value),
                None => self.fields.skip(key),
            };
            self.keep(result);
        }
    }

    /// Writes an optional field that may be `null` if it is set: `Some(None)` as `null`.
    pub fn nullable<T: Serialize>(&mut self, key: &'static str, value: &Option<Option<T>>) {
        if self.error.is_none() {
            let result = match value {
                Some(inner) => self.fields.field(key, inner),
                None => self.fields.skip(key),
            };
            self.keep(result);
        }
    }

    /// Ends the struct, or returns the first write that failed.
    pub fn end(self) -> Result<F::Ok, F::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.fields.end(),
        }
    }
}

impl<M: SerializeMap> Writer<Map<M>> {
    /// Writes the extra properties after the listed fields.
    pub fn extra<T: Serialize>(&mut self, extra: &BTreeMap<String, T>) {
        for (key, value) in extra {
            if self.error.is_some() {
                return;
            }
            let result = self.fields.0.serialize_entry(key, value);
            self.keep(result);
        }
    }
}
