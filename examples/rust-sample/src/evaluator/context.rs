//! Evaluation scopes.
//!
//! An [`EvaluationContext`] holds the variables visible to an expression. Scopes are
//! shared through `Arc`, but [`EvaluationContext::child`] copies the whole variable map
//! into a fresh `Arc` for every nested scope, and the engine makes one child per step and
//! per item. The copies and their drops (`Arc::drop_slow`, `drop_in_place`) are the
//! second hotspot of the sample.

use crate::model::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Variables and settings visible while evaluating an expression.
#[derive(Clone, Debug)]
pub struct EvaluationContext {
    variables: Arc<BTreeMap<String, Value>>,
    constants: Arc<BTreeMap<String, Value>>,
    depth: usize,
}

impl EvaluationContext {
    /// Creates a root scope holding `%resource` = `resource` and a few constants.
    pub fn new(resource: &Value) -> Self {
        let mut variables = BTreeMap::new();
        variables.insert("resource".to_string(), resource.clone());
        let mut constants = BTreeMap::new();
        for (i, name) in ["ucum", "sct", "loinc", "ward", "icu"].iter().enumerate() {
            constants.insert(name.to_string(), Value::Str(format!("http://example.org/{name}/{i}")));
        }
        EvaluationContext { variables: Arc::new(variables), constants: Arc::new(constants), depth: 0 }
    }

    /// Returns a nested scope in which `name` is bound to `value`.
    ///
    /// Copies both maps (deep clones of every bound value) instead of sharing the parent.
    #[inline(never)]
    pub fn child(&self, name: &str, value: Value) -> EvaluationContext {
        let mut variables = (*self.variables).clone();
        variables.insert(name.to_string(), value);
        EvaluationContext {
            variables: Arc::new(variables),
            constants: Arc::new((*self.constants).clone()),
            depth: self.depth + 1,
        }
    }

    /// Looks a variable up in this scope.
    pub fn lookup(&self, name: &str) -> Option<&Value> {
        self.variables.get(name).or_else(|| self.constants.get(name))
    }

    /// Nesting depth (0 for the root scope).
    pub fn depth(&self) -> usize {
        self.depth
    }
}
