//! Field errors null the nearest nullable parent, as the GraphQL spec
//! requires. async-graphql 7.2 leaves a failed field out of its parent
//! object instead (the key is missing, whatever the field's type), so a
//! non-null field such as `socialAccounts: [SocialAccount!]!` would reach a
//! client absent rather than nulling its parent. After execution, each
//! error's path is followed through the document and the schema: the
//! failed position becomes null and, while its type is non-null, so does
//! the position above it, up to `data` itself.

use async_graphql::{
    Name, PathSegment, Response, Value,
    parser::types::{
        BaseType, DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
        Type,
    },
};

use super::schema_types::SchemaTypes;

pub fn propagate(
    types: &SchemaTypes,
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    response: &mut Response,
) {
    if response.errors.iter().all(|e| e.path.is_empty()) {
        return;
    }
    let operation = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    let Some(operation) = operation else {
        return;
    };
    let root = match operation.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => return,
    };
    // Execution ran: a null `data` then means every root field failed, and
    // the nullable ones among them must still appear.
    let mut data_nulled = false;
    if response.data == Value::Null {
        response.data = Value::Object(Default::default());
    }
    let paths: Vec<Vec<PathSegment>> = response
        .errors
        .iter()
        .filter(|e| !e.path.is_empty())
        .map(|e| e.path.clone())
        .collect();
    for path in paths {
        if data_nulled {
            break;
        }
        let nullable = nullability(types, doc, root, &operation.node.selection_set.node, &path);
        data_nulled = null_out(&mut response.data, &path, &nullable);
    }
    if data_nulled {
        response.data = Value::Null;
    }
}

/// Whether each position along `path` may be null; positions the schema
/// does not describe count as nullable, so propagation stops there.
fn nullability(
    types: &SchemaTypes,
    doc: &ExecutableDocument,
    root: &str,
    root_set: &SelectionSet,
    path: &[PathSegment],
) -> Vec<bool> {
    let mut out = Vec::with_capacity(path.len());
    let mut parent = root.to_owned();
    let mut sets: Vec<&SelectionSet> = vec![root_set];
    let mut current: Option<&Type> = None;
    for segment in path {
        match segment {
            PathSegment::Field(key) => {
                let mut field_name = None;
                let mut next_sets = Vec::new();
                for set in &sets {
                    collect(doc, set, key, &mut field_name, &mut next_sets);
                }
                let ty = field_name
                    .and_then(|f| types.field(&parent, f))
                    .map(|f| &f.ty);
                current = ty;
                sets = next_sets;
                if let Some(ty) = ty {
                    parent = super::schema_types::named(ty).to_owned();
                }
            }
            PathSegment::Index(_) => {
                current = current.and_then(|t| match &t.base {
                    BaseType::List(inner) => Some(&**inner),
                    BaseType::Named(_) => None,
                });
            }
        }
        out.push(current.is_none_or(|t| t.nullable));
    }
    out
}

/// The fields of `set` (fragments included) answering under `key`.
fn collect<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    key: &str,
    field_name: &mut Option<&'a str>,
    out: &mut Vec<&'a SelectionSet>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(f) => {
                if f.node.response_key().node == key {
                    field_name.get_or_insert(f.node.name.node.as_str());
                    out.push(&f.node.selection_set.node);
                }
            }
            Selection::InlineFragment(i) => {
                collect(doc, &i.node.selection_set.node, key, field_name, out)
            }
            Selection::FragmentSpread(s) => {
                if let Some(fragment) = doc.fragments.get(&s.node.fragment_name.node) {
                    collect(doc, &fragment.node.selection_set.node, key, field_name, out);
                }
            }
        }
    }
}

/// Nulls the value at `path` and its non-null ancestors. Returns true when
/// the propagation reaches `data` itself.
fn null_out(data: &mut Value, path: &[PathSegment], nullable: &[bool]) -> bool {
    // Where the walk down stops: the failed position, or the first one
    // missing from the response (async-graphql dropped it for this error),
    // or one already null (an earlier error nulled it: nothing to do).
    let mut depth = 0;
    {
        let mut node = &*data;
        while depth < path.len() - 1 {
            let next = match (&path[depth], node) {
                (PathSegment::Field(k), Value::Object(map)) => map.get(k.as_str()),
                (PathSegment::Index(i), Value::List(items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(Value::Null) => return false,
                Some(v) => {
                    node = v;
                    depth += 1;
                }
                None => break,
            }
        }
    }
    // Null position `depth`, then climb while the nulled position is non-null.
    let mut at = depth;
    loop {
        if nullable[at] {
            set(data, &path[..=at], Value::Null);
            return false;
        }
        if at == 0 {
            return true;
        }
        at -= 1;
    }
}

fn set(data: &mut Value, path: &[PathSegment], value: Value) {
    let (last, parents) = path.split_last().expect("a path has a segment");
    let mut node = data;
    for segment in parents {
        node = match (segment, node) {
            (PathSegment::Field(k), Value::Object(map)) => match map.get_mut(k.as_str()) {
                Some(v) => v,
                None => return,
            },
            (PathSegment::Index(i), Value::List(items)) => match items.get_mut(*i) {
                Some(v) => v,
                None => return,
            },
            _ => return,
        };
    }
    match (last, node) {
        (PathSegment::Field(k), Value::Object(map)) => {
            map.insert(Name::new(k), value);
        }
        (PathSegment::Index(i), Value::List(items)) => {
            if let Some(slot) = items.get_mut(*i) {
                *slot = value;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{ServerError, parser::parse_query, value};

    use super::*;

    const SDL: &str = "type Query { a: A b: B! list: [A] }
        type A { x: [X!]! y: Int }
        type X { z: Int! w: Int }
        type B { v: Int u: Int! }";

    fn run(query: &str, data: Value, paths: &[Vec<PathSegment>]) -> Value {
        let types = SchemaTypes::from_sdl(SDL);
        let doc = parse_query(query).unwrap();
        let mut response = Response::new(data);
        for path in paths {
            let mut err = ServerError::new("failed", None);
            err.path = path.clone();
            response.errors.push(err);
        }
        propagate(&types, &doc, None, &mut response);
        response.data
    }

    fn f(k: &str) -> PathSegment {
        PathSegment::Field(k.to_owned())
    }

    #[test]
    fn a_non_null_field_nulls_its_parents_up_to_the_first_nullable_one() {
        // z failed (left out by async-graphql): item, list and `a` are nulled.
        let data = run(
            "{ a { x { z w } y } b { v } }",
            value!({ "a": { "x": [{ "w": 1 }], "y": 2 }, "b": { "v": 1 } }),
            &[vec![f("a"), f("x"), PathSegment::Index(0), f("z")]],
        );
        assert_eq!(data, value!({ "a": null, "b": { "v": 1 } }));
    }

    #[test]
    fn a_nullable_field_is_present_as_null() {
        let data = run(
            "{ a { y x { w } } }",
            value!({ "a": { "x": [] } }),
            &[vec![f("a"), f("y")]],
        );
        assert_eq!(data, value!({ "a": { "x": [], "y": null } }));
    }

    #[test]
    fn a_failed_non_null_root_field_nulls_data_and_aliases_and_fragments_are_followed() {
        let data = run(
            "{ a { y } other: b { ...F } } fragment F on B { u }",
            value!({ "a": { "y": 1 }, "other": {} }),
            &[vec![f("other"), f("u")]],
        );
        assert_eq!(data, Value::Null);
        // Every root field failed, the nullable one is still there.
        let data = run("{ a { y } }", Value::Null, &[vec![f("a")]]);
        assert_eq!(data, value!({ "a": null }));
    }

    #[test]
    fn nullable_list_items_stop_the_propagation() {
        let data = run(
            "{ list { x { z } } }",
            value!({ "list": [{ "x": [] }, {}] }),
            &[vec![f("list"), PathSegment::Index(1), f("x")]],
        );
        assert_eq!(data, value!({ "list": [{ "x": [] }, null] }));
    }
}
