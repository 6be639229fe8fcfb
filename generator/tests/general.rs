//! The generator is general: nothing in it or in the runtime it copies knows about a particular
//! API. What an SDK needs (servers, auth, sensitive fields) comes from its spec.

mod common;

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn generator_and_runtime_sources_never_mention_a_vendor() {
    let root = common::generator_dir();
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("runtime/src"), &mut files);
    assert!(files.len() > 20, "sources not found: {files:?}");
    let offending: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .expect("UTF-8 source")
                .to_lowercase()
                .contains("stytch")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offending.is_empty(),
        "vendor-specific knowledge in: {offending:?}"
    );
}
