//! A serde [`Deserializer`] over the position tree of [`super::yaml`], so content kinds are
//! plain `#[derive(Deserialize, JsonSchema)]` structs (see [`super::content`]) while every
//! mistake is still reported at its file, line and column, and every mistake of a file in one
//! run.
//!
//! It never stops at the first mistake. A value that is wrong is reported where it was
//! written and read as "not there" (the leaf types below hold an `Option`); an unknown or
//! repeated field is reported and skipped; a missing required field is reported at its
//! record (one diagnostic per record naming every missing field, by [`FileReader::finish`])
//! and read as "not there". The checks that need more than one value (a stage the site does
//! not know, a due month before the start) happen afterwards in [`super::kinds`], with the
//! positions kept by [`At`].

use super::reader::FileReader;
use super::yaml::{Node, Value};
use crate::diagnostics::Kind;
use crate::model::calendar::{self, Month};
use jiff::civil::Date;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

/// Where a value was written: line and column from 1, and how many characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub col: usize,
    /// Characters to underline (at least 1).
    pub width: usize,
}

impl Loc {
    /// The position of a node; a scalar's first line is underlined whole, quotes included.
    pub fn of(n: &Node) -> Loc {
        Loc { line: n.pos.line, col: n.pos.col, width: super::reader::width_of(n) }
    }
}

/// A value with where it was written, and where its field name was (for a field).
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where the value starts.
    pub loc: Loc,
    /// Where its `name:` is, when the value belongs to a field of a record.
    pub key: Option<Loc>,
}

/// Text: any scalar, as written (`None` when it was not a scalar; reported).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text(pub Option<String>);
/// An id of lowercase letters, digits and `-` (goal, persona and checklist ids).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Id(pub Option<String>);
/// An id that may also hold `_` (stage ids, theme names).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Key(pub Option<String>);
/// A whole number of 0 or more.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Count(pub Option<u64>);
/// A finite number of 0 or more (money, durations).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Amount(pub Option<f64>);
/// Any finite number.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Number(pub Option<f64>);
/// `true` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Flag(pub Option<bool>);
/// A month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MonthOf(pub Option<Month>);
/// A real calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Day(pub Option<Date>);

/// A list whose emptiness matters (a goal's owners, the site's stages): `None` when what was
/// written is not a list (reported) or is missing, so "empty" is never confused with "wrong".
#[derive(Debug, Clone, PartialEq)]
pub struct List<T>(pub Option<Vec<T>>);

/// A map whose keys are free (team keys, stage ids, channel names), in file order; a key
/// written twice is reported and its second value skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Entries<V>(pub Vec<(At<String>, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

/// Reads `node` as a `T`, reporting every mistake into `r`. `what` names the value in
/// messages ("goal", "site settings").
///
/// Every mistake is reported where it is found and read as absent, so `None` comes only from a
/// mismatch between a content struct and this deserializer (a bug); it is reported as an error
/// at the node rather than a crash or a silent gap.
pub fn read<T: de::DeserializeOwned>(r: &mut FileReader, node: &Node, what: &str) -> Option<T> {
    let cell = RefCell::new(&mut *r);
    let de = De { r: &cell, src: Src::Node(node), what: what.to_string(), key: None };
    let got = T::deserialize(de);
    match got {
        Ok(v) => Some(v),
        Err(e) => {
            r.error(
                node,
                format!("{what} could not be read ({e}): this is a bug in smarketing"),
                "please report it with this file",
            );
            None
        }
    }
}

/// Names by which the leaf types ask this deserializer for their value.
mod leaf {
    pub const TEXT: &str = "$text";
    pub const ID: &str = "$id";
    pub const KEY: &str = "$key";
    pub const COUNT: &str = "$count";
    pub const AMOUNT: &str = "$amount";
    pub const NUMBER: &str = "$number";
    pub const FLAG: &str = "$flag";
    pub const MONTH: &str = "$month";
    pub const DAY: &str = "$day";
    pub const AT: &str = "$at";
    pub const LIST: &str = "$list";
    pub const NODE: &str = "$node";
}

/// The error type: only ever made by serde's derived code for shapes this deserializer does
/// not produce (see [`read`]).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Error {}
impl de::Error for Error {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Error(msg.to_string())
    }
}

/// Where a value comes from: a node, a required field that is missing (reported once, then
/// read as absent), or nothing to report (inside a value already reported as wrong).
#[derive(Clone, Copy)]
enum Src<'n> {
    Node(&'n Node),
    Missing { record: &'n Node, kind: &'static str, field: &'static str },
    Silent(&'n Node),
}

struct De<'r, 'a, 'n> {
    r: &'r RefCell<&'r mut FileReader<'a>>,
    src: Src<'n>,
    /// How the value is named in messages ("goal id", "stage `leads`").
    what: String,
    /// The key node of the field the value belongs to.
    key: Option<&'n Node>,
}

impl<'r, 'a, 'n> De<'r, 'a, 'n> {
    fn child(&self, src: Src<'n>, what: String, key: Option<&'n Node>) -> Self {
        De { r: self.r, src, what, key }
    }

    /// The node the value is at, or (missing) the record it is missing from.
    fn anchor(&self) -> &'n Node {
        match self.src {
            Src::Node(n) | Src::Silent(n) => n,
            Src::Missing { record, .. } => record,
        }
    }

    /// Reports a missing required field (once), and says whether the value is absent.
    fn absent(&self) -> bool {
        match self.src {
            Src::Node(_) => false,
            Src::Missing { record, kind, field } => {
                self.r.borrow_mut().missing_field(record, kind, field);
                true
            }
            Src::Silent(_) => true,
        }
    }

    /// After a missing field was reported, the rest of it is read silently.
    fn silenced(&self) -> Self {
        self.child(Src::Silent(self.anchor()), self.what.clone(), self.key)
    }
}

/// Reads leaves: a visitor that accepts what [`De`] hands it for a leaf.
struct LeafVisitor<T>(PhantomData<T>);

macro_rules! leaf_type {
    ($ty:ident, $name:expr, $inner:ty, $visit:ident, $arg:ty, $conv:expr, $schema:expr) => {
        impl<'de> de::Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_newtype_struct($name, LeafVisitor::<$ty>(PhantomData))
            }
        }
        impl<'de> Visitor<'de> for LeafVisitor<$ty> {
            type Value = $ty;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(stringify!($ty))
            }
            fn visit_none<E: de::Error>(self) -> Result<$ty, E> {
                Ok($ty(None))
            }
            fn $visit<E: de::Error>(self, v: $arg) -> Result<$ty, E> {
                let conv: fn($arg) -> Option<$inner> = $conv;
                Ok($ty(conv(v)))
            }
        }
        impl JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

leaf_type!(Text, leaf::TEXT, String, visit_str, &str, |s| Some(s.to_string()), text_schema());
leaf_type!(
    Id,
    leaf::ID,
    String,
    visit_str,
    &str,
    |s| Some(s.to_string()),
    json_schema!({"type": "string", "pattern": "^[a-z0-9-]+$"})
);
leaf_type!(
    Key,
    leaf::KEY,
    String,
    visit_str,
    &str,
    |s| Some(s.to_string()),
    json_schema!({"type": "string", "pattern": "^[a-z0-9_-]+$"})
);
leaf_type!(Count, leaf::COUNT, u64, visit_u64, u64, Some, json_schema!({"type": "integer", "minimum": 0}));
leaf_type!(Amount, leaf::AMOUNT, f64, visit_f64, f64, Some, json_schema!({"type": "number", "minimum": 0}));
leaf_type!(Number, leaf::NUMBER, f64, visit_f64, f64, Some, json_schema!({"type": "number"}));
leaf_type!(Flag, leaf::FLAG, bool, visit_bool, bool, Some, json_schema!({"type": "boolean"}));
leaf_type!(
    MonthOf,
    leaf::MONTH,
    Month,
    visit_str,
    &str,
    Month::parse,
    json_schema!({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "A month, YYYY-MM"})
);
leaf_type!(
    Day,
    leaf::DAY,
    Date,
    visit_str,
    &str,
    calendar::parse_date,
    json_schema!({"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", "description": "A date, YYYY-MM-DD"})
);

/// The schema of text: YAML may write it unquoted as a number or `true` (a title `2026`).
pub fn text_schema() -> Schema {
    json_schema!({"type": ["string", "number", "boolean"]})
}

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AtVisitor<T>(PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for AtVisitor<T> {
            type Value = At<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a positioned value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<At<T>, A::Error> {
                let mut numbers = [0usize; 6];
                for x in &mut numbers {
                    *x = s.next_element::<u64>()?.ok_or_else(|| de::Error::custom("position"))? as usize;
                }
                let [line, col, width, key_line, key_col, key_width] = numbers;
                let value = s.next_element::<T>()?.ok_or_else(|| de::Error::custom("value"))?;
                let key = (key_line > 0).then_some(Loc { line: key_line, col: key_col, width: key_width });
                Ok(At { value, loc: Loc { line, col, width }, key })
            }
        }
        d.deserialize_tuple_struct(leaf::AT, 7, AtVisitor(PhantomData))
    }
}

/// A YAML value read as it is, positions included: for a field that may take several shapes
/// (the import map's stages and joins), which the reader then tells apart itself.
impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut next = || -> Result<usize, A::Error> {
                    Ok(s.next_element::<u64>()?.ok_or_else(|| de::Error::custom("node part"))? as usize)
                };
                let (line, col, kind) = (next()?, next()?, next()?);
                let missing = || de::Error::custom("node payload");
                let value = match kind {
                    1 | 2 => {
                        Value::Scalar { text: s.next_element::<String>()?.ok_or_else(missing)?, quoted: kind == 2 }
                    }
                    3 => Value::Seq(s.next_element::<Vec<Node>>()?.ok_or_else(missing)?),
                    4 => {
                        let flat = s.next_element::<Vec<Node>>()?.ok_or_else(missing)?;
                        let mut it = flat.into_iter();
                        let mut pairs = Vec::new();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            pairs.push((k, v));
                        }
                        Value::Map(pairs)
                    }
                    _ => Value::Null,
                };
                Ok(Node { value, pos: super::yaml::Pos { line, col } })
            }
        }
        d.deserialize_tuple_struct(leaf::NODE, 4, NodeVisitor)
    }
}

impl JsonSchema for Node {
    fn schema_name() -> Cow<'static, str> {
        "Value".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({})
    }
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        g.subschema_for::<T>()
    }
}

impl<'de, V: de::Deserialize<'de>> de::Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: de::Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<At<Text>>()? {
                    let v = m.next_value::<V>()?;
                    if let Some(key) = k.value.0 {
                        out.push((At { value: key, loc: k.loc, key: None }, v));
                    }
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);
        impl<'de, T: de::Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_none<E: de::Error>(self) -> Result<List<T>, E> {
                Ok(List(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<List<T>, D::Error> {
                <Vec<T> as de::Deserialize>::deserialize(d).map(|v| List(Some(v)))
            }
        }
        d.deserialize_newtype_struct(leaf::LIST, ListVisitor(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for List<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Vec::<T>::schema_name()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        g.subschema_for::<Vec<T>>()
    }
}

impl<V: JsonSchema> JsonSchema for Entries<V> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Entries_{}", V::schema_name()).into()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let v = g.subschema_for::<V>();
        json_schema!({"type": "object", "additionalProperties": v})
    }
}

/// How a field's value is named in messages: the field name, with a few names that read
/// better in a sentence ("goal id", "customers.start", "marketing spend").
fn field_label(kind: &str, field: &str) -> String {
    match (kind, field) {
        // The import map's columns and settings, named as its reader names them.
        ("import map", "channel" | "amount") => format!("the {field}"),
        ("import map", "unique") => "the unique key".into(),
        ("import map", "from" | "to") => format!("`{field}`"),
        ("import map", "date_format") => "the date format".into(),
        ("import map", "decimal") => "the decimal mark".into(),
        ("events", f) => format!("the events' {f}"),
        ("join", "csv") => "the joined CSV's path".into(),
        ("join", "as") => "the join's alias".into(),
        ("join key", f) => format!("the join's {f} key"),
        ("cycle", _) => "a stage id".into(),
        (_, "id") => format!("{kind} id"),
        ("site settings", "theme") => "theme name".into(),
        ("team", "name") => "team name".into(),
        ("customers", f) => format!("customers.{f}"),
        ("spend", f) => format!("{f} spend"),
        _ => field.to_string(),
    }
}

/// How an item of a list is named: a list of owners holds an owner.
fn item_label(list: &str) -> String {
    match list {
        "owners" => "owner".into(),
        "checked" => "checked item".into(),
        "stages" => "stage id".into(),
        other => other.to_string(),
    }
}

/// How the value under a free key is named: a stage count is "stage `leads`".
fn entry_label(map: &str, key: &str) -> String {
    match map {
        // A channel holds stage counts and its `spend`.
        "by_channel" => "stages".into(),
        "stages" if key == "spend" => "channel spend".into(),
        "stages" => format!("stage `{key}`"),
        "stage_labels" => "stage label".into(),
        _ => map.to_string(),
    }
}

impl<'de, 'r, 'a, 'n> Deserializer<'de> for De<'r, 'a, 'n> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.src {
            Src::Node(Node { value: Value::Scalar { text, .. }, .. }) => v.visit_str(text),
            Src::Node(Node { value: Value::Seq(_), .. }) => self.deserialize_seq(v),
            Src::Node(Node { value: Value::Map(_), .. }) => self.deserialize_map(v),
            _ => {
                self.absent();
                v.visit_none()
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.src {
            Src::Node(Node { value: Value::Null, .. }) | Src::Missing { .. } | Src::Silent(_) => v.visit_none(),
            Src::Node(_) => v.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, Error> {
        let Src::Node(n) = self.src else {
            self.absent();
            return v.visit_none();
        };
        if name == leaf::LIST {
            return match &n.value {
                Value::Seq(_) | Value::Null => v.visit_some(self),
                _ => {
                    self.r.borrow_mut().error_of(
                        Kind::InvalidValue,
                        n,
                        format!("expected a list for {}, found {}", self.what, n.kind_name()),
                        "write a list as `[a, b]` or as lines starting with `- `",
                    );
                    v.visit_none()
                }
            };
        }
        /// A leaf's value on its way to the leaf's visitor.
        enum Got {
            S(String),
            U(u64),
            F(f64),
            B(bool),
        }
        let got = {
            let mut r = self.r.borrow_mut();
            let what = self.what.as_str();
            match name {
                leaf::TEXT => r.text(n, what).map(Got::S),
                leaf::ID => r.id(n, what, "").map(Got::S),
                leaf::KEY => r.id(n, what, "_").map(Got::S),
                leaf::COUNT => r.count(n, what).map(Got::U),
                leaf::AMOUNT => r.amount(n, what).map(Got::F),
                leaf::NUMBER => r.number(n, what).map(Got::F),
                leaf::FLAG => r.boolean(n, what).map(Got::B),
                leaf::MONTH => r.month(n, what).map(|m| Got::S(m.to_string())),
                leaf::DAY => r.date(n, what).map(|d| Got::S(d.to_string())),
                other => return Err(de::Error::custom(format!("unknown leaf type {other}"))),
            }
        };
        // A wrong value was reported by the reader and reads as absent.
        match got {
            None => v.visit_none(),
            Some(Got::S(s)) => v.visit_string(s),
            Some(Got::U(x)) => v.visit_u64(x),
            Some(Got::F(x)) => v.visit_f64(x),
            Some(Got::B(x)) => v.visit_bool(x),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        if name == leaf::NODE {
            // A missing node is reported (when required) and read as an empty value.
            let n = if self.absent() { None } else { Some(self.anchor()) };
            let at = self.anchor();
            return v.visit_seq(NodeParts { de: &self, node: n, at, step: 0 });
        }
        if name != leaf::AT {
            return Err(de::Error::custom(format!("unexpected tuple struct {name}")));
        }
        let inner = if self.absent() { self.silenced() } else { self.child(self.src, self.what.clone(), self.key) };
        let loc = Loc::of(inner.anchor());
        let key = self.key.map(Loc::of);
        let numbers = match key {
            Some(k) => [loc.line, loc.col, loc.width, k.line, k.col, k.width],
            None => [loc.line, loc.col, loc.width, 0, 0, 0],
        };
        v.visit_seq(AtSeq { numbers, next: 0, inner: Some(inner) })
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let items: &'n [Node] = match self.src {
            Src::Node(Node { value: Value::Seq(items), .. }) => items,
            Src::Node(Node { value: Value::Null, .. }) => &[],
            Src::Node(n) => {
                self.r.borrow_mut().error_of(
                    Kind::InvalidValue,
                    n,
                    format!("expected a list for {}, found {}", self.what, n.kind_name()),
                    "write a list as `[a, b]` or as lines starting with `- `",
                );
                &[]
            }
            _ => {
                self.absent();
                &[]
            }
        };
        let what = item_label(&self.what);
        v.visit_seq(ItemSeq { de: &self, items: items.iter(), what })
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let mut entries: Vec<(&'n Node, &'n Node)> = Vec::new();
        match self.src {
            Src::Node(Node { value: Value::Map(items), .. }) => {
                let mut seen: std::collections::HashSet<&str> = Default::default();
                for (k, val) in items {
                    match &k.value {
                        Value::Scalar { text, .. } => {
                            if !seen.insert(text.as_str()) {
                                self.r.borrow_mut().error_of(
                                    Kind::Duplicate,
                                    k,
                                    format!("`{text}` appears twice in {}", self.what),
                                    "keep one of them",
                                );
                                continue;
                            }
                        }
                        _ => {
                            self.r.borrow_mut().error_of(
                                Kind::InvalidValue,
                                k,
                                format!("a key in {} must be plain text", self.what),
                                "",
                            );
                            continue;
                        }
                    }
                    entries.push((k, val));
                }
            }
            Src::Node(Node { value: Value::Null, .. }) => {}
            Src::Node(n) => self.r.borrow_mut().error_of(
                Kind::InvalidValue,
                n,
                format!("expected a map for {}, found {}", self.what, n.kind_name()),
                "write it as `key: value` lines or `{key: value}`",
            ),
            _ => {
                self.absent();
            }
        }
        v.visit_map(EntryMap { de: &self, entries: entries.into_iter(), value: None })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        kind: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let mut present: Vec<(&'static str, &'n Node, Src<'n>)> = Vec::new();
        match self.src {
            Src::Node(n @ Node { value: Value::Map(items), .. }) => {
                let mut r = self.r.borrow_mut();
                // Fields an unknown key was taken for ("did you mean `title`?"): that error
                // says it, so they are not also reported missing.
                let mut misspelled: Vec<&'static str> = Vec::new();
                for (k, val) in items {
                    let Some(field) = r.field_name(k, kind, fields) else {
                        if let Value::Scalar { text, .. } = &k.value {
                            misspelled.extend(super::reader::suggest(text, fields));
                        }
                        continue;
                    };
                    if present.iter().any(|(f, _, _)| *f == field) {
                        r.error_of(
                            Kind::Duplicate,
                            k,
                            format!("field `{field}` appears twice in {kind}"),
                            "keep one of them",
                        );
                        continue;
                    }
                    // An empty value (`due:` or `due: ~`) counts as not written.
                    let src =
                        if val.value == Value::Null { Src::Missing { record: n, kind, field } } else { Src::Node(val) };
                    present.push((field, k, src));
                }
                for field in fields {
                    if !present.iter().any(|(f, _, _)| f == field) {
                        let src = if misspelled.contains(field) {
                            Src::Silent(n)
                        } else {
                            Src::Missing { record: n, kind, field }
                        };
                        present.push((field, n, src));
                    }
                }
            }
            Src::Node(n) => {
                self.r.borrow_mut().not_a_record(n, kind, fields);
                present = fields.iter().map(|f| (*f, n, Src::Silent(n))).collect();
            }
            _ => {
                self.absent();
                let n = self.anchor();
                present = fields.iter().map(|f| (*f, n, Src::Silent(n))).collect();
            }
        }
        v.visit_map(FieldMap { de: &self, kind, fields: present.into_iter(), value: None })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple enum identifier ignored_any
    }
}

/// The parts of an [`At`]: its position numbers, then the value.
struct AtSeq<'r, 'a, 'n> {
    numbers: [usize; 6],
    next: usize,
    inner: Option<De<'r, 'a, 'n>>,
}

impl<'de> SeqAccess<'de> for AtSeq<'_, '_, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.next < self.numbers.len() {
            self.next += 1;
            return seed.deserialize((self.numbers[self.next - 1] as u64).into_deserializer()).map(Some);
        }
        match self.inner.take() {
            Some(de) => seed.deserialize(de).map(Some),
            None => Ok(None),
        }
    }
}

/// The items of a list.
struct ItemSeq<'d, 'r, 'a, 'n> {
    de: &'d De<'r, 'a, 'n>,
    items: std::slice::Iter<'n, Node>,
    what: String,
}

impl<'de> SeqAccess<'de> for ItemSeq<'_, '_, '_, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(n) => seed.deserialize(self.de.child(Src::Node(n), self.what.clone(), None)).map(Some),
            None => Ok(None),
        }
    }
}

/// The entries of a free-key map.
struct EntryMap<'d, 'r, 'a, 'n> {
    de: &'d De<'r, 'a, 'n>,
    entries: std::vec::IntoIter<(&'n Node, &'n Node)>,
    value: Option<(&'n Node, &'n Node)>,
}

impl<'de> MapAccess<'de> for EntryMap<'_, '_, '_, '_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some((k, v));
                seed.deserialize(self.de.child(Src::Node(k), self.de.what.clone(), None)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (k, v) = self.value.take().ok_or_else(|| de::Error::custom("value before key"))?;
        let key = match &k.value {
            Value::Scalar { text, .. } => text.as_str(),
            _ => "",
        };
        seed.deserialize(self.de.child(Src::Node(v), entry_label(&self.de.what, key), Some(k)))
    }
}

/// The fields of a record: those written, then those missing.
struct FieldMap<'d, 'r, 'a, 'n> {
    de: &'d De<'r, 'a, 'n>,
    kind: &'static str,
    fields: std::vec::IntoIter<(&'static str, &'n Node, Src<'n>)>,
    value: Option<(&'static str, &'n Node, Src<'n>)>,
}

impl<'de> MapAccess<'de> for FieldMap<'_, '_, '_, '_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.fields.next() {
            Some(entry) => {
                self.value = Some(entry);
                let name: de::value::StrDeserializer<Error> = entry.0.into_deserializer();
                seed.deserialize(name).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (field, key, src) = self.value.take().ok_or_else(|| de::Error::custom("value before key"))?;
        let key = matches!(src, Src::Node(_)).then_some(key);
        seed.deserialize(self.de.child(src, field_label(self.kind, field), key))
    }
}

/// The parts of a [`Node`] as [`Node`]'s `Deserialize` reads them: line, column, kind, then
/// the text or the children (a map's keys and values alternate).
struct NodeParts<'d, 'r, 'a, 'n> {
    de: &'d De<'r, 'a, 'n>,
    node: Option<&'n Node>,
    at: &'n Node,
    step: usize,
}

impl<'de> SeqAccess<'de> for NodeParts<'_, '_, '_, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.step += 1;
        let kind = match self.node.map(|n| &n.value) {
            None | Some(Value::Null) => 0u64,
            Some(Value::Scalar { quoted: false, .. }) => 1,
            Some(Value::Scalar { quoted: true, .. }) => 2,
            Some(Value::Seq(_)) => 3,
            Some(Value::Map(_)) => 4,
        };
        let number = |x: usize| seed_number(x as u64);
        match self.step {
            1 => seed.deserialize(number(self.at.pos.line)).map(Some),
            2 => seed.deserialize(number(self.at.pos.col)).map(Some),
            3 => seed.deserialize(seed_number(kind)).map(Some),
            4 => match self.node.map(|n| &n.value) {
                Some(Value::Scalar { text, .. }) => {
                    let t: de::value::StrDeserializer<Error> = text.as_str().into_deserializer();
                    seed.deserialize(t).map(Some)
                }
                Some(Value::Seq(items)) => {
                    seed.deserialize(Children { de: self.de, nodes: items.iter().collect() }).map(Some)
                }
                Some(Value::Map(items)) => {
                    let nodes = items.iter().flat_map(|(k, v)| [k, v]).collect();
                    seed.deserialize(Children { de: self.de, nodes }).map(Some)
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }
}

fn seed_number(x: u64) -> de::value::U64Deserializer<Error> {
    x.into_deserializer()
}

/// The children of a list or map node, each read as a [`Node`].
struct Children<'d, 'r, 'a, 'n> {
    de: &'d De<'r, 'a, 'n>,
    nodes: Vec<&'n Node>,
}

impl<'de> Deserializer<'de> for Children<'_, '_, '_, '_> {
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let what = self.de.what.clone();
        v.visit_seq(ChildSeq { de: self.de, nodes: self.nodes.into_iter(), what })
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct ChildSeq<'d, 'r, 'a, 'n> {
    de: &'d De<'r, 'a, 'n>,
    nodes: std::vec::IntoIter<&'n Node>,
    what: String,
}

impl<'de> SeqAccess<'de> for ChildSeq<'_, '_, '_, '_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.nodes.next() {
            Some(n) => seed.deserialize(self.de.child(Src::Node(n), self.what.clone(), None)).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;

    fn parse(src: &str) -> Node {
        yaml::parse(src, 0).unwrap().unwrap()
    }

    #[derive(serde::Deserialize)]
    #[serde(rename = "goal", deny_unknown_fields)]
    struct Goal {
        id: At<Id>,
        target: Number,
        due: MonthOf,
    }

    #[test]
    fn an_unknown_field_is_reported_with_a_suggestion_and_the_rest_is_read() {
        let src = "id: a\ntraget: 1\ndue: 2026-10\n";
        let mut r = FileReader::new("g.yaml", src);
        let g: Goal = read(&mut r, &parse(src), "goal").unwrap();
        assert_eq!(g.id.value.0.as_deref(), Some("a"));
        assert_eq!((g.id.loc.line, g.id.loc.col), (1, 5));
        assert!(g.target.0.is_none(), "missing, so absent");
        assert_eq!(g.due.0.map(|m| m.to_string()).as_deref(), Some("2026-10"));
        let d = r.finish();
        let got: Vec<(usize, usize, &str)> = d.iter().map(|d| (d.line, d.column, d.message.as_str())).collect();
        // One mistake, one error: `target` is not also reported missing, since the unknown
        // field's hint names it.
        assert_eq!(got, vec![(2, 1, "unknown field `traget` in goal, expected one of `id`, `target`, `due`")]);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `target`?"));
        // A key nothing like a field leaves the field reported missing.
        let src = "id: a
zzz: 1
due: 2026-10
";
        let mut r = FileReader::new("g.yaml", src);
        let _: Goal = read(&mut r, &parse(src), "goal").unwrap();
        let d = r.finish();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[1].message, "missing field `target` in goal");
    }

    #[test]
    fn missing_fields_of_one_record_are_one_diagnostic() {
        let src = "- id: a\n- id: b\n  target: 2\n";
        let mut r = FileReader::new("g.yaml", src);
        let n = parse(src);
        let yaml::Value::Seq(items) = &n.value else { panic!() };
        for item in items {
            let g: Goal = read(&mut r, item, "goal").unwrap();
            assert!(g.due.0.is_none());
        }
        let d = r.finish();
        let got: Vec<(usize, usize, &str)> = d.iter().map(|d| (d.line, d.column, d.message.as_str())).collect();
        assert_eq!(
            got,
            vec![(1, 3, "missing fields `target` and `due` in goal"), (2, 3, "missing field `due` in goal")]
        );
        assert_eq!(d[0].hint.as_deref(), Some("add `target:` and `due:` to this goal"));
    }

    #[derive(serde::Deserialize)]
    #[serde(rename = "x", deny_unknown_fields)]
    struct Values {
        a: Count,
        b: Count,
        c: Day,
        d: MonthOf,
        e: Option<List<Text>>,
    }

    #[test]
    fn every_wrong_value_is_reported_at_its_place_and_read_as_absent() {
        let src = "a: -3\nb: 1.5\nc: 2026-02-30\nd: '2026-10'\ne: x\n";
        let mut r = FileReader::new("x.yaml", src);
        let v: Values = read(&mut r, &parse(src), "x").unwrap();
        assert_eq!((v.a.0, v.b.0, v.c.0), (None, None, None));
        assert_eq!(v.d.0.unwrap().to_string(), "2026-10");
        assert_eq!(v.e, Some(List(None)), "a scalar where a list belongs reads as no list");
        let d = r.finish();
        let at: Vec<(usize, usize)> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, vec![(1, 4), (2, 4), (3, 4), (5, 4)]);
        assert!(d[3].message.starts_with("expected a list for e"), "{}", d[3].message);
    }

    #[test]
    fn a_node_field_keeps_its_shape_and_positions() {
        #[derive(serde::Deserialize)]
        #[serde(rename = "m", deny_unknown_fields)]
        struct M {
            v: At<Node>,
        }
        let src = "v:\n  a: [1, 'two']\n  b: ~\n";
        let n = parse(src);
        let mut r = FileReader::new("m.yaml", src);
        let m: M = read(&mut r, &n, "m").unwrap();
        let yaml::Value::Map(items) = &n.value else { panic!() };
        assert_eq!(m.v.value, items[0].1, "the same tree, positions included");
        assert_eq!(m.v.key.map(|k| (k.line, k.col)), Some((1, 1)));
        assert!(r.finish().is_empty());
    }
}
