//! Every string a request hands the API, as a literal in the document or in
//! its variables, at any depth of input objects and lists, is checked here
//! once: control characters are refused (a NUL cannot be stored on
//! PostgreSQL, and none of them belongs in a name, an id or a text), except
//! tab anywhere and new lines in the texts meant to hold several lines.

use std::{cell::RefCell, collections::HashSet};

use async_graphql::{
    Pos, Value as ConstValue, Variables,
    parser::types::{
        BaseType, ExecutableDocument, OperationType, Selection, SelectionSet, Type,
        VariableDefinition,
    },
    parser::{Positioned, types::OperationDefinition},
};
use async_graphql_value::Value;

use super::schema_types::{SchemaTypes, named};
use crate::error::AppError;

/// Inputs whose text may span lines (`Type.field` of an input object, or
/// `Type.field(argument)`).
pub const MULTI_LINE: &[&str] = &[
    "ContentInput.body",
    "ContentInput.summary",
    "RecordShareInput.comment",
    "SuggestedTextInput.text",
    "Mutation.inviteAmbassadors(message)",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Several,
}

fn lines_of(coordinate_owner: &str, name: &str, argument: Option<&str>) -> Lines {
    let several = MULTI_LINE.iter().any(|c| match argument {
        None => {
            c.strip_prefix(coordinate_owner)
                .and_then(|r| r.strip_prefix('.'))
                == Some(name)
        }
        Some(arg) => {
            c.strip_prefix(coordinate_owner)
                .and_then(|r| r.strip_prefix('.'))
                .and_then(|r| r.strip_prefix(name))
                .and_then(|r| r.strip_prefix('('))
                .and_then(|r| r.strip_suffix(')'))
                == Some(arg)
        }
    });
    if several { Lines::Several } else { Lines::One }
}

/// The first refused character of `s`, if any.
fn refused_char(s: &str, lines: Lines) -> Option<char> {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_control() || c == '\t' {
            continue;
        }
        if lines == Lines::Several {
            if c == '\n' {
                continue;
            }
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
                continue;
            }
        }
        return Some(c);
    }
    None
}

/// Where a refused string stands, for the message: argument or variable,
/// then input fields and list positions.
struct Trail<'a> {
    start: String,
    steps: Vec<&'a str>,
}

pub fn check(
    types: &SchemaTypes,
    doc: &ExecutableDocument,
    variables: &Variables,
) -> Result<(), AppError> {
    let checked = RefCell::new(HashSet::new());
    for (_, op) in doc.operations.iter() {
        let root = match op.node.ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => continue,
        };
        let walker = Walker {
            types,
            variables,
            definitions: vec![op],
            checked: &checked,
        };
        walker.selection_set(root, &op.node.selection_set.node)?;
    }
    for fragment in doc.fragments.values() {
        let walker = Walker {
            types,
            variables,
            definitions: doc.operations.iter().map(|(_, op)| op).collect(),
            checked: &checked,
        };
        let on = fragment.node.type_condition.node.on.node.as_str();
        walker.selection_set(on, &fragment.node.selection_set.node)?;
    }
    Ok(())
}

struct Walker<'a> {
    types: &'a SchemaTypes,
    variables: &'a Variables,
    /// The operations whose variable definitions (defaults) apply: the one
    /// walked, or for a fragment every operation of the document.
    definitions: Vec<&'a Positioned<OperationDefinition>>,
    checked: &'a RefCell<HashSet<(String, String, bool)>>,
}

impl<'a> Walker<'a> {
    fn selection_set(&self, parent: &str, set: &'a SelectionSet) -> Result<(), AppError> {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let info = self.types.field(parent, name);
                    for (arg, value) in &field.node.arguments {
                        let arg = arg.node.as_str();
                        let Some(ty) = info.and_then(|i| i.args.get(arg)) else {
                            continue;
                        };
                        let lines = lines_of(parent, name, Some(arg));
                        let mut trail = Trail {
                            start: format!("argument {arg} of {name}"),
                            steps: Vec::new(),
                        };
                        self.value(&value.node, value.pos, ty, lines, &mut trail)?;
                    }
                    if let Some(info) = info {
                        self.selection_set(named(&info.ty), &field.node.selection_set.node)?;
                    }
                }
                Selection::InlineFragment(inline) => {
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent, |c| c.node.on.node.as_str());
                    self.selection_set(on, &inline.node.selection_set.node)?;
                }
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }

    fn value(
        &self,
        value: &'a Value,
        pos: Pos,
        ty: &Type,
        lines: Lines,
        trail: &mut Trail<'a>,
    ) -> Result<(), AppError> {
        match value {
            Value::Variable(var) => {
                // A variable used in many places is read once per kind of place.
                let usage = (var.to_string(), ty.to_string(), lines == Lines::Several);
                if !self.checked.borrow_mut().insert(usage) {
                    return Ok(());
                }
                let mut trail = Trail {
                    start: format!("variable ${var}"),
                    steps: Vec::new(),
                };
                if let Some(given) = self.variables.get(var) {
                    self.const_value(given, None, ty, lines, &mut trail)?;
                }
                // Defaults too: of the operation, or, in a fragment, of any
                // operation that may spread it.
                for op in &self.definitions {
                    if let Some(default) =
                        variable(op, var.as_str()).and_then(|d| d.node.default_value.as_ref())
                    {
                        self.const_value(&default.node, Some(default.pos), ty, lines, &mut trail)?;
                    }
                }
                Ok(())
            }
            Value::String(s) => refuse(s, lines, Some(pos), trail),
            Value::List(items) => {
                let inner = list_item(ty);
                for item in items {
                    self.value(item, pos, inner, lines, trail)?;
                }
                Ok(())
            }
            Value::Object(fields) => {
                let input = named(ty);
                let Some(defs) = self.types.input_fields(input) else {
                    return Ok(());
                };
                for (key, v) in fields {
                    let Some(fty) = defs.get(key.as_str()) else {
                        continue;
                    };
                    trail.steps.push(key.as_str());
                    self.value(v, pos, fty, lines_of(input, key, None), trail)?;
                    trail.steps.pop();
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn const_value(
        &self,
        value: &'a ConstValue,
        pos: Option<Pos>,
        ty: &Type,
        lines: Lines,
        trail: &mut Trail<'a>,
    ) -> Result<(), AppError> {
        match value {
            ConstValue::String(s) => refuse(s, lines, pos, trail),
            ConstValue::List(items) => {
                let inner = list_item(ty);
                for item in items {
                    self.const_value(item, pos, inner, lines, trail)?;
                }
                Ok(())
            }
            ConstValue::Object(fields) => {
                let input = named(ty);
                let Some(defs) = self.types.input_fields(input) else {
                    return Ok(());
                };
                for (key, v) in fields {
                    let Some(fty) = defs.get(key.as_str()) else {
                        continue;
                    };
                    trail.steps.push(key.as_str());
                    self.const_value(v, pos, fty, lines_of(input, key, None), trail)?;
                    trail.steps.pop();
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn variable<'a>(
    op: &'a Positioned<OperationDefinition>,
    name: &str,
) -> Option<&'a Positioned<VariableDefinition>> {
    op.node
        .variable_definitions
        .iter()
        .find(|d| d.node.name.node == name)
}

/// The type of a list's items; a single value given for a list stands for
/// a list of one.
fn list_item(ty: &Type) -> &Type {
    match &ty.base {
        BaseType::List(inner) => inner,
        BaseType::Named(_) => ty,
    }
}

fn refuse(s: &str, lines: Lines, pos: Option<Pos>, trail: &Trail<'_>) -> Result<(), AppError> {
    let Some(c) = refused_char(s, lines) else {
        return Ok(());
    };
    let mut at = trail.start.clone();
    for step in &trail.steps {
        at.push('.');
        at.push_str(step);
    }
    let allowed = match lines {
        Lines::One => "only tab is allowed here",
        Lines::Several => "only tab and new lines are allowed here",
    };
    let location = pos.map(|p| format!(" (line {}, column {})", p.line, p.column));
    Err(AppError::bad_input(format!(
        "{at}{} contains the control character U+{:04X}; {allowed}",
        location.unwrap_or_default(),
        u32::from(c)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_passes_everywhere_and_new_lines_in_multi_line_texts_only() {
        assert_eq!(refused_char("a\tb", Lines::One), None);
        assert_eq!(refused_char("a\nb", Lines::One), Some('\n'));
        assert_eq!(refused_char("a\nb\r\nc", Lines::Several), None);
        assert_eq!(refused_char("a\rb", Lines::Several), Some('\r'));
        for c in ['\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert_eq!(refused_char(&format!("x{c}"), Lines::Several), Some(c));
        }
        assert_eq!(refused_char("émoji 🎉 and ünïcode", Lines::One), None);
    }

    #[test]
    fn every_multi_line_input_exists_in_the_schema() {
        let types = SchemaTypes::from_sdl(&super::super::sdl());
        for c in MULTI_LINE {
            let (owner, rest) = c.split_once('.').unwrap();
            let found = match rest.split_once('(') {
                Some((field, arg)) => types
                    .field(owner, field)
                    .is_some_and(|f| f.args.contains_key(arg.trim_end_matches(')'))),
                None => types
                    .input_fields(owner)
                    .is_some_and(|f| f.contains_key(rest)),
            };
            assert!(found, "{c} is not in the schema");
            let lines = match rest.split_once('(') {
                Some((field, arg)) => lines_of(owner, field, Some(arg.trim_end_matches(')'))),
                None => lines_of(owner, rest, None),
            };
            assert!(lines == Lines::Several, "{c}");
        }
        assert!(lines_of("ContentInput", "title", None) == Lines::One);
        assert!(lines_of("Mutation", "inviteAmbassadors", Some("userIds")) == Lines::One);
    }
}
