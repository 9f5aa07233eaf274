//! A serde serializer that feeds a value's data straight into a
//! [`Xxh3`] hasher: what the value holds, in order, each piece tagged with
//! its kind and strings with their length, so that two different values
//! feed different bytes — without the cost of writing JSON (escaping
//! strings, formatting numbers) or of building anything.
//!
//! Sequences and maps of unknown length (`#[serde(flatten)]`) are closed
//! by an end mark rather than counted, which the JSON-shaped serializers
//! of crates such as `hashing-serializer` refuse.

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// Tags that keep values of different kinds apart.
mod tag {
    pub(super) const NONE: u8 = 0;
    pub(super) const SOME: u8 = 1;
    pub(super) const UNIT: u8 = 2;
    pub(super) const BOOL: u8 = 3;
    pub(super) const INT: u8 = 4;
    pub(super) const UINT: u8 = 5;
    pub(super) const FLOAT: u8 = 6;
    pub(super) const CHAR: u8 = 7;
    pub(super) const STR: u8 = 8;
    pub(super) const BYTES: u8 = 9;
    pub(super) const SEQ: u8 = 10;
    pub(super) const MAP: u8 = 11;
    pub(super) const END: u8 = 12;
    pub(super) const VARIANT: u8 = 13;
}

/// Never happens: feeding a hasher cannot fail. Serde needs a type.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value could not be fingerprinted")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

/// Feeds what it serializes into the hasher, a few kilobytes at a time
/// (the pieces are small: a tag and a number, a field's name).
pub struct Feed<'a> {
    hasher: &'a mut Xxh3,
    buffer: Vec<u8>,
}

impl<'a> Feed<'a> {
    pub fn new(hasher: &'a mut Xxh3) -> Self {
        Feed {
            hasher,
            buffer: Vec::with_capacity(BUFFER),
        }
    }

    /// Feed what is buffered to the hasher.
    pub fn finish(mut self) {
        self.flush();
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }

    fn bytes(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > BUFFER {
            self.flush();
        }
        if bytes.len() > BUFFER {
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    fn put(&mut self, tag: u8, bytes: &[u8]) {
        self.bytes(&[tag]);
        self.bytes(bytes);
    }

    fn str(&mut self, s: &str) {
        self.put(tag::STR, &(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }
}

/// How much is buffered before it is fed to the hasher.
const BUFFER: usize = 4096;

type Done = Result<(), Never>;

impl<'a, 'b> ser::Serializer for &'b mut Feed<'a> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.put(tag::BOOL, &[u8::from(v)]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.put(tag::INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.put(tag::INT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.put(tag::UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.put(tag::UINT, &v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.put(tag::FLOAT, &v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.put(tag::CHAR, &u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.put(tag::BYTES, &(v.len() as u64).to_le_bytes());
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.put(tag::NONE, &[]);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.put(tag::SOME, &[]);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.put(tag::UNIT, &[]);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, i: u32, _: &'static str) -> Done {
        self.put(tag::VARIANT, &i.to_le_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Done {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        v: &T,
    ) -> Done {
        self.put(tag::VARIANT, &i.to_le_bytes());
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.put(tag::SEQ, &[]);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.put(tag::VARIANT, &i.to_le_bytes());
        self.put(tag::SEQ, &[]);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.put(tag::MAP, &[]);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.put(tag::VARIANT, &i.to_le_bytes());
        self.serialize_map(None)
    }
}

/// Every compound ends with the same mark, after its elements.
macro_rules! compound {
    ($($trait:ident: $($method:ident($($key:ident: $kt:ty),*)),+;)+) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Never;
            $(fn $method<T: Serialize + ?Sized>(&mut self, $($key: $kt,)* value: &T) -> Done {
                $(let _ = $key; self.str_key($key);)*
                value.serialize(&mut **self)
            })+
            fn end(self) -> Done {
                self.put(tag::END, &[]);
                Ok(())
            }
        }
    )+};
}

impl Feed<'_> {
    /// A struct field's name, so that two fields of the same value differ.
    fn str_key(&mut self, key: &'static str) {
        self.str(key);
    }
}

compound! {
    SerializeSeq: serialize_element();
    SerializeTuple: serialize_element();
    SerializeTupleStruct: serialize_field();
    SerializeTupleVariant: serialize_field();
    SerializeStruct: serialize_field(key: &'static str);
    SerializeStructVariant: serialize_field(key: &'static str);
}

impl ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.put(tag::END, &[]);
        Ok(())
    }
}
