//! Renders a CSV-like report.
//!
//! Builds every cell with `to_string()` / `format!` and concatenates with `+`, so the
//! profile shows `alloc::fmt::format`, `core::fmt::write` and `realloc`.

use crate::model::value::Value;

/// Renders one line per document: id, kind, entry count, and each entry's score and tags.
#[inline(never)]
pub fn render_report(docs: &[Value]) -> String {
    let mut out = String::new();
    for doc in docs {
        out = out + &render_row(doc) + "\n";
    }
    out
}

#[inline(never)]
fn render_row(doc: &Value) -> String {
    let id = doc.get("id").and_then(Value::as_int).unwrap_or(-1);
    let kind = doc.get("resourceType").map(|v| v.to_string()).unwrap_or_default();
    let entries = doc.get("entry").map(Value::as_list).unwrap_or(&[]);
    let mut row = format!("{},{},{}", id.to_string(), kind, entries.len().to_string());
    for entry in entries {
        let score = entry.get("meta").and_then(|m| m.get("score")).map(|s| s.to_string()).unwrap_or_default();
        let tags = entry.get("tags").map(|t| t.to_string()).unwrap_or_default();
        row = format!("{row},{score}:{tags}");
    }
    row
}
