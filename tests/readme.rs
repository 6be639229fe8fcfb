//! The README's examples are real code: they are compiled here, and the README must show them
//! verbatim.

#[allow(dead_code)]
mod example {
    include!("examples/create_link.rs");

    /// Compiled, never run: the example's function has the signature the README shows.
    pub fn signature_check() {
        let _future = create_link("user-1");
    }
}

#[allow(dead_code)]
mod call_options {
    include!("examples/call_options.rs");

    pub fn signature_check(client: &Client) {
        let _future = create_with_options(client);
    }
}

#[test]
fn the_readme_shows_the_compiled_examples() {
    let readme = include_str!("../README.md");
    for (file, example) in [
        ("create_link.rs", include_str!("examples/create_link.rs")),
        ("call_options.rs", include_str!("examples/call_options.rs")),
    ] {
        assert!(
            readme.contains(example),
            "README.md must contain tests/examples/{file} verbatim"
        );
    }
}
