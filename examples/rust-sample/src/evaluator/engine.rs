//! A tiny path language: `entry.where(status = 'icu').meta.score`.
//!
//! Each step clones its input collection ([`crate::model::value::Value::deep_clone`]) and
//! binds `$this` in a fresh child scope ([`EvaluationContext::child`]) for every item.

use super::context::EvaluationContext;
use crate::model::value::Value;

/// One step of a path expression.
#[derive(Clone, Debug)]
pub enum Step {
    /// Navigate to a member of every map in the input.
    Member(String),
    /// Keep items whose `field` equals the string `equals` (or contains it, for lists).
    Where { field: String, equals: String },
    /// Replace the input by its length.
    Count,
}

/// Parses `a.b.where(c = 'x').count()`; panics on malformed input (sample code).
pub fn parse(expr: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in expr.split('.') {
        if let Some(inner) = part.strip_prefix("where(").and_then(|p| p.strip_suffix(')')) {
            let (field, value) = inner.split_once('=').expect("where(field = 'value')");
            steps.push(Step::Where {
                field: field.trim().to_string(),
                equals: value.trim().trim_matches('\'').to_string(),
            });
        } else if part == "count()" {
            steps.push(Step::Count);
        } else {
            steps.push(Step::Member(part.to_string()));
        }
    }
    steps
}

/// Evaluates `steps` against `resource`, returning the resulting collection.
#[inline(never)]
pub fn evaluate(resource: &Value, steps: &[Step]) -> Vec<Value> {
    let root = EvaluationContext::new(resource);
    let mut current = vec![resource.deep_clone()];
    for step in steps {
        current = apply_step(&root, &current, step);
    }
    current
}

#[inline(never)]
fn apply_step(ctx: &EvaluationContext, input: &[Value], step: &Step) -> Vec<Value> {
    let mut out = Vec::new();
    match step {
        Step::Member(name) => {
            for item in input {
                let scope = ctx.child("this", item.deep_clone());
                if let Some(this) = scope.lookup("this") {
                    if let Some(member) = this.get(name) {
                        out.extend(member.as_list().iter().map(Value::deep_clone));
                    }
                }
            }
        }
        Step::Where { field, equals } => {
            for item in input {
                let scope = ctx.child("this", item.deep_clone());
                if matches_where(&scope, field, equals) {
                    out.push(item.deep_clone());
                }
            }
        }
        Step::Count => out.push(Value::Int(input.len() as i64)),
    }
    out
}

#[inline(never)]
fn matches_where(scope: &EvaluationContext, field: &str, equals: &str) -> bool {
    let this = if let Some(this) = scope.lookup("this") { this } else { return false };
    match this.get(field) {
        Some(Value::Str(s)) => s == equals,
        Some(Value::List(items)) => items.iter().any(|v| v.as_str() == Some(equals)),
        _ => false,
    }
}
