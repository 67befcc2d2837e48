//! The crate's modules depend on each other in one direction only, and exactly one of them talks
//! to the platform: `src/platform.rs` holds every foreign-function declaration (`crypto`,
//! `Reflect`). A cycle, or a second module declaring a foreign function (or reaching `fetch`),
//! fails here with the files named.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::Path;

/// Each module of `src/` with the `crate::` modules its text names (its tests included).
fn modules() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("crate::{"),
            "src/{name}.rs: name each module as crate::name"
        );
        let mut uses: Vec<String> = text
            .match_indices("crate::")
            .map(|(at, m)| {
                text[at + m.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect::<String>()
            })
            .filter(|used| !used.is_empty() && *used != name)
            .collect();
        uses.sort();
        uses.dedup();
        all.insert(name, uses);
    }
    all
}

/// A path `from → … → from`, if `from` can reach itself.
fn cycle_through(all: &BTreeMap<String, Vec<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_owned()]];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in all.get(last).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push(next.clone());
            if next == from {
                return Some(longer);
            }
            if all.contains_key(next) && seen.insert(next.clone()) {
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn the_modules_form_no_cycle() {
    let all = modules();
    assert!(all.len() > 10 && all.contains_key("platform"), "{all:?}");
    for name in all.keys() {
        if let Some(path) = cycle_through(&all, name) {
            panic!("a module cycle: {}", path.join(" → "));
        }
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut all = BTreeMap::new();
    all.insert("a".to_owned(), vec!["b".to_owned()]);
    all.insert("b".to_owned(), vec!["c".to_owned()]);
    all.insert("c".to_owned(), vec!["a".to_owned(), "text".to_owned()]);
    all.insert("text".to_owned(), vec![]);
    assert_eq!(cycle_through(&all, "a").unwrap(), ["a", "b", "c", "a"]);
    assert_eq!(cycle_through(&all, "text"), None);
}

#[test]
fn only_the_platform_module_declares_foreign_functions() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for name in modules().keys() {
        let text = std::fs::read_to_string(src.join(format!("{name}.rs"))).unwrap();
        let foreign = text.contains("extern \"C\"") || text.contains("js_name = fetch");
        assert_eq!(
            foreign,
            name == "platform",
            "src/{name}.rs: foreign functions (crypto, Reflect) belong in src/platform.rs"
        );
    }
}
