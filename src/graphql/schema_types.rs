//! The schema's types as the request checks need them (what a field
//! returns, what an argument or input field takes), read once from the
//! exported SDL.

use std::collections::HashMap;

use async_graphql::parser::{
    parse_schema,
    types::{BaseType, Type, TypeKind, TypeSystemDefinition},
};

/// A field of an object type.
pub struct FieldInfo {
    pub ty: Type,
    pub args: HashMap<String, Type>,
}

#[derive(Default)]
pub struct SchemaTypes {
    objects: HashMap<String, HashMap<String, FieldInfo>>,
    inputs: HashMap<String, HashMap<String, Type>>,
}

impl SchemaTypes {
    pub fn from_sdl(sdl: &str) -> Self {
        let mut types = Self::default();
        let Ok(doc) = parse_schema(sdl) else {
            tracing::error!("the exported schema does not parse");
            return types;
        };
        for def in doc.definitions {
            let TypeSystemDefinition::Type(ty) = def else {
                continue;
            };
            let ty = ty.node;
            let name = ty.name.node.to_string();
            match ty.kind {
                TypeKind::Object(obj) => {
                    let fields: Vec<(String, FieldInfo)> = obj
                        .fields
                        .into_iter()
                        .map(|f| {
                            let f = f.node;
                            let args = f
                                .arguments
                                .into_iter()
                                .map(|a| (a.node.name.node.to_string(), a.node.ty.node))
                                .collect();
                            (
                                f.name.node.to_string(),
                                FieldInfo {
                                    ty: f.ty.node,
                                    args,
                                },
                            )
                        })
                        .collect();
                    types.objects.entry(name).or_default().extend(fields);
                }
                TypeKind::InputObject(input) => {
                    let fields = input
                        .fields
                        .into_iter()
                        .map(|f| (f.node.name.node.to_string(), f.node.ty.node))
                        .collect();
                    types.inputs.insert(name, fields);
                }
                _ => {}
            }
        }
        types
    }

    pub fn field(&self, object: &str, field: &str) -> Option<&FieldInfo> {
        self.objects.get(object)?.get(field)
    }

    pub fn input_fields(&self, input: &str) -> Option<&HashMap<String, Type>> {
        self.inputs.get(input)
    }
}

/// The named type under any list and non-null wrappers.
pub fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}
