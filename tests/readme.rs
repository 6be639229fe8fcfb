//! The README's example is real code: it is compiled here, and the README must show it verbatim.

#[allow(dead_code)]
mod example {
    include!("examples/create_link.rs");

    /// Compiled, never run: the example's function has the signature the README shows.
    pub fn signature_check() {
        let _future = create_link("user-1");
    }
}

#[test]
fn the_readme_shows_the_compiled_example() {
    let readme = include_str!("../README.md");
    let example = include_str!("examples/create_link.rs");
    assert!(
        readme.contains(example),
        "README.md must contain tests/examples/create_link.rs verbatim"
    );
}
