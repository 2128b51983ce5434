//! The exported schema is the checked-in `schema.graphql`, contains every
//! item of the public contract, v1 and the v2 additions (bar those still
//! pending), and documents every type, field and argument.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql_parser::{
    parse_schema,
    types::{ServiceDocument, TypeKind, TypeSystemDefinition},
};

fn root(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

/// Every item of a schema, with what a client relies on: a field's type, an
/// argument's or input field's type and default, a type's kind.
fn items(doc: &ServiceDocument) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let ty = &ty.node;
        let name = ty.name.node.to_string();
        let input_value =
            |v: &async_graphql_parser::types::InputValueDefinition| match &v.default_value {
                Some(d) => format!("{} = {}", v.ty.node, d.node),
                None => v.ty.node.to_string(),
            };
        match &ty.kind {
            TypeKind::Scalar => {
                out.insert(name, "scalar".into());
            }
            TypeKind::Object(obj) => {
                out.insert(name.clone(), "type".into());
                for f in &obj.fields {
                    let f = &f.node;
                    let field = format!("{name}.{}", f.name.node);
                    out.insert(field.clone(), f.ty.node.to_string());
                    for a in &f.arguments {
                        out.insert(
                            format!("{field}({})", a.node.name.node),
                            input_value(&a.node),
                        );
                    }
                }
            }
            TypeKind::Enum(e) => {
                out.insert(name.clone(), "enum".into());
                for v in &e.values {
                    out.insert(format!("{name}.{}", v.node.value.node), String::new());
                }
            }
            TypeKind::InputObject(i) => {
                out.insert(name.clone(), "input".into());
                for f in &i.fields {
                    out.insert(format!("{name}.{}", f.node.name.node), input_value(&f.node));
                }
            }
            TypeKind::Interface(_) => {
                out.insert(name, "interface".into());
            }
            TypeKind::Union(_) => {
                out.insert(name, "union".into());
            }
        }
    }
    out
}

/// Every item of the contract: v1 and what v2 adds to it.
fn contract() -> BTreeMap<String, String> {
    let mut all = BTreeMap::new();
    for file in [
        "tests/contract-v1.graphql",
        "tests/contract-v2-additions.graphql",
    ] {
        let doc = parse_schema(read(file)).unwrap_or_else(|e| panic!("{file} parses: {e}"));
        all.extend(items(&doc));
    }
    all
}

fn pending() -> BTreeSet<String> {
    read("tests/contract-pending.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Whether `item` is pending, itself or through its type.
fn is_pending(pending: &BTreeSet<String>, item: &str) -> bool {
    let ty = item.split(['.', '(']).next().unwrap_or(item);
    let field = item.split('(').next().unwrap_or(item);
    pending.contains(item) || pending.contains(ty) || pending.contains(field)
}

#[test]
fn schema_file_matches_the_exported_schema() {
    let exported = advocacy::graphql::sdl();
    let file = read("schema.graphql");
    assert!(
        exported == file,
        "schema.graphql is stale: run `cargo run -- export-schema > schema.graphql`"
    );
}

#[test]
fn schema_contains_every_contract_item_not_pending() {
    let contract = contract();
    let schema = items(&parse_schema(advocacy::graphql::sdl()).expect("schema parses"));
    let pending = pending();
    let mut problems = Vec::new();
    for (item, expected) in &contract {
        let actual = schema.get(item);
        if is_pending(&pending, item) {
            continue;
        }
        match actual {
            None => problems.push(format!("missing: {item}")),
            Some(actual) if actual != expected => problems.push(format!(
                "differs: {item}: contract {expected:?}, schema {actual:?}"
            )),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn contract_pending_lists_only_what_is_still_missing() {
    let contract = contract();
    let schema = items(&parse_schema(advocacy::graphql::sdl()).expect("schema parses"));
    let stale: Vec<String> = pending()
        .into_iter()
        .filter(|p| {
            let in_contract = contract.contains_key(p);
            let done = contract
                .iter()
                .filter(|(item, _)| is_pending(&BTreeSet::from([p.clone()]), item))
                .all(|(item, expected)| schema.get(item) == Some(expected));
            !in_contract || done
        })
        .collect();
    assert!(
        stale.is_empty(),
        "remove from tests/contract-pending.txt (done, or not in the contract): {stale:?}"
    );
}

#[test]
fn every_type_field_and_argument_is_documented() {
    let doc = parse_schema(advocacy::graphql::sdl()).expect("schema parses");
    let mut undocumented = Vec::new();
    for def in &doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let ty = &ty.node;
        let name = ty.name.node.to_string();
        if ty.description.is_none() {
            undocumented.push(name.clone());
        }
        match &ty.kind {
            TypeKind::Object(obj) => {
                for f in &obj.fields {
                    let field = format!("{name}.{}", f.node.name.node);
                    if f.node.description.is_none() {
                        undocumented.push(field.clone());
                    }
                    for a in &f.node.arguments {
                        if a.node.description.is_none() {
                            undocumented.push(format!("{field}({})", a.node.name.node));
                        }
                    }
                }
            }
            TypeKind::InputObject(i) => {
                for f in &i.fields {
                    if f.node.description.is_none() {
                        undocumented.push(format!("{name}.{}", f.node.name.node));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(undocumented.is_empty(), "undocumented: {undocumented:#?}");
}

#[test]
fn custom_scalars_carry_their_specification_urls() {
    let sdl = advocacy::graphql::sdl();
    for (scalar, url) in [
        (
            "DateTime",
            "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
        ),
        (
            "Date",
            "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
        ),
        ("Long", "/docs/scalars#long"),
    ] {
        let line = format!("scalar {scalar} @specifiedBy(url: \"{url}\")");
        assert!(
            sdl.lines().any(|l| l == line),
            "missing in the exported schema: {line}"
        );
    }
}
