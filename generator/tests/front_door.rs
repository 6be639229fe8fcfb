//! `sdkgen::Config`, the front door for build scripts, on real files in a temporary folder:
//! write, then check; an out-of-date folder, a broken spec and a missing spec as one
//! `sdkgen::Error` whose text says what to do; and the files a spec's references read.

mod common;

use sdkgen::{Config, Error};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Notes, version: '1'}
paths:
  /notes:
    get:
      operationId: listNotes
      responses:
        '200':
          description: the notes
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/Notes'}
"#;

const SCHEMAS: &str = "Notes:\n  type: array\n  items: {type: string}\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("api.yaml"), SPEC).unwrap();
    std::fs::write(dir.path().join("schemas.yaml"), SCHEMAS).unwrap();
    dir
}

#[test]
fn it_writes_then_a_check_passes_and_names_every_file_read() {
    let dir = project();
    let (spec, out) = (dir.path().join("api.yaml"), dir.path().join("sdk"));
    let written = Config::new(&spec, &out)
        .check_only(false)
        .generate()
        .expect("generated");
    assert!(
        written.written.iter().any(|f| f == "Cargo.toml"),
        "{written:?}"
    );
    let inputs: Vec<String> = written
        .inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(inputs, ["api.yaml", "schemas.yaml"]);
    let checked = Config::new(&spec, &out)
        .check_only(true)
        .generate()
        .expect("up to date");
    assert!(checked.written.is_empty());
}

#[test]
fn a_check_of_a_stale_folder_says_how_to_regenerate() {
    let dir = project();
    let (spec, out) = (dir.path().join("api.yaml"), dir.path().join("sdk"));
    Config::new(&spec, &out)
        .check_only(false)
        .generate()
        .unwrap();
    std::fs::write(&spec, SPEC.replace("listNotes", "allNotes")).unwrap();
    let error = Config::new(&spec, &out)
        .check_only(true)
        .regenerate_with("make sdk")
        .generate()
        .expect_err("out of date");
    assert!(matches!(error, Error::OutOfDate { .. }), "{error}");
    let text = error.to_string();
    assert!(text.contains("regenerate with `make sdk`"), "{text}");
    assert!(
        text.contains("missing: src/operations/notes/all.rs"),
        "{text}"
    );
    // `Debug` is the same text, so a build script's `main` can return the error.
    assert_eq!(format!("{error:?}"), text);
}

#[test]
fn a_broken_spec_lists_every_located_error_and_writes_nothing() {
    let dir = project();
    let spec = dir.path().join("api.yaml");
    let broken = SPEC
        .replace("schemas.yaml#/Notes", "schemas.yaml#/Missing")
        .replace(
            "      operationId: listNotes\n",
            "      operationId: listNotes\n      parameters: [{$ref: '#/nowhere'}]\n",
        );
    std::fs::write(&spec, broken).unwrap();
    let out = dir.path().join("sdk");
    let error = Config::new(&spec, &out)
        .check_only(false)
        .generate()
        .expect_err("broken");
    let text = error.to_string();
    assert!(matches!(error, Error::Spec { .. }), "{text}");
    assert!(text.contains("#/paths/~1notes/get/parameters/0"), "{text}");
    assert!(text.contains("Missing"), "{text}");
    assert!(!out.exists(), "something was written");
}

#[test]
fn a_missing_spec_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("absent.yaml");
    let error = Config::new(&spec, dir.path().join("sdk"))
        .generate()
        .expect_err("no spec");
    assert!(matches!(error, Error::Io { .. }));
    assert!(error.to_string().contains("absent.yaml"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
}

/// The configuration file's keys set on the builder give the same crate, and the file and the
/// overlay it names are among the files read.
#[test]
fn the_builder_takes_the_configuration_files_keys() {
    let dir = project();
    let config = "[crate]\nname = \"notes\"\nversion = \"2.0.0\"\n\n[spec]\noverlays = [\"fix.yaml\"]\n\n[rename.operations]\nallNotes = \"notes\"\n\n[derives]\nNote = [\"Eq\"]\n";
    let schemas = "Notes:\n  type: array\n  items: {$ref: '#/Note'}\nNote:\n  type: object\n  properties: {text: {type: string}}\n";
    let overlay = "overlay: 1.0.0\nactions:\n- target: $.paths['/notes'].get\n  update: {operationId: allNotes}\n";
    std::fs::write(dir.path().join("schemas.yaml"), schemas).unwrap();
    std::fs::write(dir.path().join("sdkgen.toml"), config).unwrap();
    std::fs::write(dir.path().join("fix.yaml"), overlay).unwrap();
    let spec = dir.path().join("api.yaml");
    let from_file = Config::new(&spec, dir.path().join("a"))
        .check_only(false)
        .generate()
        .expect("generated");
    let inputs: Vec<String> = from_file
        .inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        inputs,
        ["api.yaml", "sdkgen.toml", "fix.yaml", "schemas.yaml"]
    );
    Config::new(&spec, dir.path().join("b"))
        .no_config_file()
        .check_only(false)
        .crate_name("notes")
        .crate_version("2.0.0")
        .overlay(dir.path().join("fix.yaml"))
        .rename_operation("allNotes", "notes")
        .derive("Note", "Eq")
        .generate()
        .expect("generated");
    let read = |name: &str| common::read_tree(&dir.path().join(name), &[]);
    let (a, b) = (read("a"), read("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        let other = String::from_utf8_lossy(&b[path]).replace("/b", "/a");
        assert_eq!(String::from_utf8_lossy(bytes), other, "{path}");
    }
    let note = String::from_utf8_lossy(&a["src/types/note.rs"]).into_owned();
    assert!(note.contains("#[derive(Eq)]"), "{note}");
    let renamed = a
        .iter()
        .filter(|(path, _)| path.starts_with("src/operations/"))
        .any(|(_, bytes)| {
            String::from_utf8_lossy(bytes).contains("pub fn notes(&self) -> runtime::Call")
        });
    assert!(renamed, "{:?}", a.keys().collect::<Vec<_>>());
}

/// A builder value that is not what its key takes is an error naming the method.
#[test]
fn a_bad_builder_value_names_its_method() {
    let dir = project();
    let error = Config::new(dir.path().join("api.yaml"), dir.path().join("sdk"))
        .check_only(false)
        .map_type("Notes", "not a type")
        .generate()
        .expect_err("refused");
    let text = error.to_string();
    assert!(
        text.contains("error: Config::map_type: `not a type` is not a Rust type"),
        "{text}"
    );
    assert!(!dir.path().join("sdk").exists());
}
