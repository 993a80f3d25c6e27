//! Rows under named columns: what a listing query answers and every output format renders.
//! Pure data (the store returns it, src/output/ writes it as a table, CSV or JSON), so the
//! store need not know about output and output need not know about the store.

use serde_json::{Map, Value};

/// One value in a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    List(Vec<String>),
}

impl Cell {
    /// The value as text for tables and CSV ("" for unknown).
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => format!("{f:.1}"),
            Cell::List(items) => items.join("; "),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Int(i) => Value::from(*i),
            Cell::Float(f) => Value::from((*f * 10.0).round() / 10.0),
            Cell::List(items) => Value::from(items.clone()),
        }
    }

    pub(crate) fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(_))
    }
}

impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        v.map_or(Cell::Null, Cell::Text)
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(v.to_string())
    }
}

impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Int(v)
    }
}

/// Rows under named columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Listing {
    pub fn new(columns: &[&'static str]) -> Listing {
        Listing {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn json_rows(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    let mut obj = Map::new();
                    for (col, cell) in self.columns.iter().zip(row) {
                        obj.insert((*col).to_string(), cell.json());
                    }
                    Value::Object(obj)
                })
                .collect(),
        )
    }
}

/// One entity in full: its facts, then tables of what hangs on it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: String,
    pub fields: Vec<(&'static str, Cell)>,
    pub sections: Vec<(&'static str, Listing)>,
}
