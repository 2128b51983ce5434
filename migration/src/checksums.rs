//! Landed migrations are never edited: each file's SHA-256 is recorded in
//! `migration/checksums.txt`, and a test fails when a file differs from its
//! line, has none, or is gone.

use std::{collections::BTreeMap, path::Path};

use sha2::{Digest, Sha256};

const LIST: &str = "migration/checksums.txt";

/// What is wrong with the migrations in `dir` against `recorded` (the text
/// of the checksum list), one message each.
fn problems(dir: &Path, recorded: &str) -> Vec<String> {
    let mut expected = BTreeMap::new();
    let mut out = Vec::new();
    for line in recorded.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            [hash, name] => {
                let name = name.trim_start_matches('*');
                if expected
                    .insert(name.to_owned(), hash.to_lowercase())
                    .is_some()
                {
                    out.push(format!("{LIST} lists {name} twice"));
                }
            }
            _ => out.push(format!("{LIST}: {line:?} is not `<sha256>  <file name>`")),
        }
    }
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("read the migrations' directory")
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| name.into_string().ok())
        .filter(|name| is_migration(name))
        .collect();
    files.sort();
    for name in &files {
        let bytes = std::fs::read(dir.join(name)).expect("read a migration");
        let actual = format!("{:x}", Sha256::digest(&bytes));
        match expected.remove(name) {
            Some(hash) if hash == actual => {}
            Some(_) => out.push(format!(
                "migration/src/{name} differs from its hash in {LIST}. A migration that has \
                 landed is never edited (databases that ran it will not run it again): undo \
                 the edit and make the change in a new migration (a new file \
                 mYYYYMMDD_NNNNNN_name.rs, listed in Migrator::migrations), then record the \
                 new file with `cd migration/src && sha256sum <new file> >> ../checksums.txt`."
            )),
            None => out.push(format!(
                "migration/src/{name} has no hash in {LIST}. A new migration is recorded \
                 once written: `cd migration/src && sha256sum {name} >> ../checksums.txt`; \
                 from then on it is never edited. If it replaces a landed migration, restore \
                 that one and add a new migration instead."
            )),
        }
    }
    for name in expected.keys() {
        out.push(format!(
            "{name} is recorded in {LIST} but not in migration/src: a landed migration is \
             never removed or renamed; restore it and add a new migration instead."
        ));
    }
    out
}

/// `m20261126_000001_foundation.rs` and the like.
fn is_migration(name: &str) -> bool {
    name.strip_prefix('m')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        && name.ends_with(".rs")
}

#[test]
fn landed_migrations_are_never_edited() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let recorded = std::fs::read_to_string(root.join("checksums.txt")).expect("read checksums.txt");
    let problems = problems(&root.join("src"), &recorded);
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n\n"));
}

#[test]
fn an_edited_unrecorded_or_removed_migration_is_reported() {
    let dir = std::env::temp_dir().join(format!("migration-checksums-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hash = |text: &str| format!("{:x}", Sha256::digest(text.as_bytes()));
    std::fs::write(dir.join("m20260101_000001_kept.rs"), "kept").unwrap();
    std::fs::write(dir.join("m20260101_000002_edited.rs"), "edited later").unwrap();
    std::fs::write(dir.join("m20260101_000003_new.rs"), "new").unwrap();
    std::fs::write(dir.join("lib.rs"), "not a migration").unwrap();
    let recorded = format!(
        "# comment\n{}  m20260101_000001_kept.rs\n{}  m20260101_000002_edited.rs\n{}  m20260101_000004_gone.rs\n",
        hash("kept"),
        hash("as it landed"),
        hash("gone"),
    );
    let problems = problems(&dir, &recorded);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].contains("m20260101_000002_edited.rs differs"));
    assert!(problems[0].contains("never edited") && problems[0].contains("new migration"));
    assert!(problems[1].contains("m20260101_000003_new.rs has no hash"));
    assert!(problems[1].contains("sha256sum m20260101_000003_new.rs >> ../checksums.txt"));
    assert!(problems[2].contains("m20260101_000004_gone.rs is recorded"));
}
