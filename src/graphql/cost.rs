//! The size of a document, counted before async-graphql expands a single
//! fragment spread. async-graphql's own depth and complexity checks walk
//! every spread where it stands, so a document of 25 fragments that each
//! spread the next twice costs 2^25 steps to refuse. Here each fragment is
//! measured once and its figures reused wherever it is spread: time linear
//! in the document's size. The figures are those async-graphql computes
//! (every field but `__typename` costs 1, depth counts fields), so its
//! limits keep their meaning; they also count what it would walk
//! (selections, and how deep fragments spread into fragments), which its
//! limits do not bound.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use super::{MAX_COMPLEXITY, MAX_DEPTH};
use crate::error::AppError;

/// Selections (fields, `__typename`, spreads, inline fragments) after
/// expanding every fragment: bounds what validation and execution walk
/// even where fields cost nothing.
pub const MAX_SELECTIONS: u64 = 2_000;
/// Fragments spread inside fragments spread inside ...: bounds recursion.
pub const MAX_FRAGMENT_NESTING: u64 = 32;

/// What a selection set amounts to once every fragment is expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// async-graphql's complexity: fields, `__typename` excepted.
    pub cost: u64,
    /// async-graphql's depth: nested fields, `__typename` excepted.
    pub depth: u64,
    pub selections: u64,
    pub fragment_nesting: u64,
}

impl Measure {
    fn add(&mut self, other: Measure) {
        self.cost = self.cost.saturating_add(other.cost);
        self.depth = self.depth.max(other.depth);
        self.selections = self.selections.saturating_add(other.selections);
        self.fragment_nesting = self.fragment_nesting.max(other.fragment_nesting);
    }
}

/// Measures the whole document (async-graphql sums the complexity of every
/// operation in it, and takes the deepest) and refuses it when over a limit.
pub fn check(doc: &ExecutableDocument) -> Result<Measure, AppError> {
    let fragments = fragment_measures(doc)?;
    let mut total = Measure::default();
    for (_, operation) in doc.operations.iter() {
        total.add(measure(&operation.node.selection_set.node, &fragments));
    }
    refuse_over_limits(total)?;
    // A fragment no operation uses is refused by validation, but validation
    // walks it first.
    for m in fragments.values() {
        refuse_over_limits(*m)?;
    }
    Ok(total)
}

fn refuse_over_limits(m: Measure) -> Result<(), AppError> {
    let max_cost = MAX_COMPLEXITY as u64;
    let message = if m.cost > max_cost {
        format!(
            "the query is too complex: it costs {} (fields after expanding fragments), above the maximum of {max_cost}",
            m.cost
        )
    } else if m.depth > MAX_DEPTH as u64 {
        format!(
            "the query is nested too deep: {} levels of fields, above the maximum of {MAX_DEPTH}",
            m.depth
        )
    } else if m.selections > MAX_SELECTIONS {
        format!(
            "the query is too complex: {} selections after expanding fragments, above the maximum of {MAX_SELECTIONS}",
            m.selections
        )
    } else if m.fragment_nesting > MAX_FRAGMENT_NESTING {
        format!(
            "the query is too complex: fragments spread {} deep into one another, above the maximum of {MAX_FRAGMENT_NESTING}",
            m.fragment_nesting
        )
    } else {
        return Ok(());
    };
    Err(AppError::TooComplex {
        message,
        cost: m.cost,
        max_cost,
    })
}

/// Each fragment's measure, dependencies first (an explicit stack: spread
/// chains may be as long as the document). A cycle is a validation error.
fn fragment_measures(doc: &ExecutableDocument) -> Result<HashMap<&str, Measure>, AppError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let spreads: HashMap<&str, Vec<&str>> = doc
        .fragments
        .iter()
        .map(|(name, f)| {
            let mut out = Vec::new();
            spreads_in(&f.node.selection_set.node, &mut out);
            (name.as_str(), out)
        })
        .collect();
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    let mut measures: HashMap<&str, Measure> = HashMap::new();
    for start in spreads.keys() {
        if marks.contains_key(start) {
            continue;
        }
        // (fragment, index of the next spread to follow)
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::Open);
        while let Some((name, next)) = stack.last_mut() {
            let name: &str = name;
            let targets = &spreads[name];
            if let Some(&target) = targets.get(*next) {
                *next += 1;
                if !spreads.contains_key(target) {
                    // Unknown: validation reports it.
                    continue;
                }
                match marks.get(target) {
                    Some(Mark::Open) => {
                        return Err(AppError::ValidationFailed(format!(
                            "fragment \"{target}\" spreads itself"
                        )));
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(target, Mark::Open);
                        stack.push((target, 0));
                    }
                }
            } else {
                let fragment = &doc.fragments[name];
                let m = measure(&fragment.node.selection_set.node, &measures);
                measures.insert(name, m);
                marks.insert(name, Mark::Done);
                stack.pop();
            }
        }
    }
    Ok(measures)
}

fn spreads_in<'a>(set: &'a SelectionSet, out: &mut Vec<&'a str>) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(f) => spreads_in(&f.node.selection_set.node, out),
            Selection::InlineFragment(i) => spreads_in(&i.node.selection_set.node, out),
            Selection::FragmentSpread(s) => out.push(s.node.fragment_name.node.as_str()),
        }
    }
}

/// Measures a selection set, with the fragments it spreads already measured.
fn measure(set: &SelectionSet, fragments: &HashMap<&str, Measure>) -> Measure {
    let mut m = Measure::default();
    for selection in &set.items {
        m.selections = m.selections.saturating_add(1);
        match &selection.node {
            Selection::Field(f) => {
                if f.node.name.node == "__typename" {
                    continue;
                }
                let inner = measure(&f.node.selection_set.node, fragments);
                m.add(Measure {
                    cost: inner.cost.saturating_add(1),
                    depth: inner.depth + 1,
                    ..inner
                });
            }
            Selection::InlineFragment(i) => m.add(measure(&i.node.selection_set.node, fragments)),
            Selection::FragmentSpread(s) => {
                if let Some(inner) = fragments.get(s.node.fragment_name.node.as_str()) {
                    m.add(Measure {
                        fragment_nesting: inner.fragment_nesting + 1,
                        ..*inner
                    });
                }
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn fan_out(levels: usize, leaf: &str) -> String {
        let mut q = String::from("query { me { ...F0 } }\n");
        for i in 0..levels {
            q.push_str(&format!(
                "fragment F{i} on User {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        q.push_str(&format!("fragment F{levels} on User {{ {leaf} }}\n"));
        q
    }

    fn measured(q: &str) -> Result<Measure, AppError> {
        check(&parse_query(q).unwrap())
    }

    #[test]
    fn figures_are_those_of_the_expanded_document() {
        let m = measured(
            "query { me { id ...A groups { id name } } } fragment A on User { email __typename ...B } fragment B on User { id }",
        )
        .unwrap();
        // me, id, groups, groups.id, groups.name, email, id
        assert_eq!(m.cost, 7);
        // me > groups > id
        assert_eq!(m.depth, 3);
        assert_eq!(m.fragment_nesting, 2);
        // me, id, ...A, groups, id, name, email, __typename, ...B, id
        assert_eq!(m.selections, 10);
    }

    /// async-graphql, limited to exactly the figure counted here, accepts the
    /// document, and refuses it one below.
    #[tokio::test]
    async fn figures_equal_async_graphqls_own() {
        use async_graphql::{EmptySubscription, Schema};

        use crate::graphql::{Mutation, Query};
        let docs = [
            "{ me { id email groups { id name memberCount } } }",
            "query { me { ...A } leaderboard { rank user { ...A } } } fragment A on User { id __typename displayName followedTopics { name ...T } } fragment T on Topic { id followedByViewer }",
            "query A { me { id } } query B { me { email roles } }",
            "mutation { logout(refreshToken: \"x\") a: logout(refreshToken: \"y\") }",
            "{ __typename me { __typename ... on User { id ... on User { email } } } }",
        ];
        for doc in docs {
            let m = measured(doc).unwrap();
            let run = |complexity: usize, depth: usize| {
                let schema =
                    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
                        .limit_complexity(complexity)
                        .limit_depth(depth)
                        .finish();
                let request = async_graphql::Request::new(doc).operation_name("A");
                async move { schema.execute(request).await.errors }
            };
            let refused = |errors: &Vec<async_graphql::ServerError>, what: &str| {
                errors.iter().any(|e| e.message.contains(what))
            };
            let (cost, depth) = (m.cost as usize, m.depth as usize);
            let at_limit = run(cost, depth).await;
            assert!(!refused(&at_limit, "too complex"), "{doc}: {at_limit:?}");
            assert!(!refused(&at_limit, "too deep"), "{doc}: {at_limit:?}");
            if cost > 0 {
                assert!(refused(&run(cost - 1, depth).await, "too complex"), "{doc}");
            }
            if depth > 0 {
                assert!(refused(&run(cost, depth - 1).await, "too deep"), "{doc}");
            }
        }
    }

    #[test]
    fn a_fan_out_of_doubled_spreads_is_refused_without_expanding_it() {
        let started = std::time::Instant::now();
        let err = measured(&fan_out(60, "id")).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        let AppError::TooComplex { cost, .. } = err else {
            panic!("{err:?}");
        };
        assert_eq!(cost, (1 << 60) + 1);
        // Fields that cost nothing are still counted as selections.
        assert!(matches!(
            measured(&fan_out(30, "__typename")),
            Err(AppError::TooComplex { cost: 1, .. })
        ));
    }

    #[test]
    fn cycles_and_long_spread_chains_are_refused() {
        assert!(matches!(
            measured(
                "query { me { ...A } } fragment A on User { id ...B } fragment B on User { ...A }"
            ),
            Err(AppError::ValidationFailed(_))
        ));
        let mut chain = String::from("query { me { ...F0 } }\n");
        for i in 0..10_000 {
            chain.push_str(&format!("fragment F{i} on User {{ ...F{} }}\n", i + 1));
        }
        chain.push_str("fragment F10000 on User { id }\n");
        assert!(matches!(measured(&chain), Err(AppError::TooComplex { .. })));
    }
}
