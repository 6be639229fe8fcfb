//! Helpers shared by the generator's integration tests: fixtures, generation, and running cargo
//! in a nested workspace with its own target directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sdkgen::{Generated, Options, output};

pub mod diff;
pub mod prism;

/// The repository's root folder (this module serves the tests of the generator and of the root
/// package).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if here.join("generator").is_dir() {
        here
    } else {
        here.join("..")
    }
}

/// The generator's folder.
pub fn generator_dir() -> PathBuf {
    repo_root().join("generator")
}

/// Fixture specs by name (file stem), sorted.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = generator_dir().join("tests/fixtures");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The golden folder of a fixture.
pub fn golden_dir(name: &str) -> PathBuf {
    generator_dir().join("tests/golden").join(name)
}

/// Generates a fixture as if its crate lived in its golden folder.
pub fn generate_fixture(spec: &Path, crate_dir: &Path) -> Generated {
    generate(spec, crate_dir, false)
}

/// Generates the crate of `spec` as if it lived in `crate_dir`, with the program that calls
/// every operation when `call_check` is set.
pub fn generate(spec: &Path, crate_dir: &Path, call_check: bool) -> Generated {
    let bytes = std::fs::read(spec).expect("spec readable");
    let options = Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: sdkgen::spec_label(crate_dir, spec),
        folders: sdkgen::bundle::Folders::for_spec(spec),
        example_check: false,
        call_check,
        ..Default::default()
    };
    let name = spec.file_name().unwrap().to_string_lossy().into_owned();
    match sdkgen::generate(&name, &bytes, &options) {
        Ok(generated) => generated,
        Err(failed) => panic!("{name} does not generate: {:#?}", failed.diagnostics),
    }
}

/// Files of a generated crate other than the runtime copy (the same in every crate).
pub fn without_runtime(files: &output::Files) -> output::Files {
    files
        .iter()
        .filter(|(path, _)| !path.starts_with("src/runtime/"))
        .map(|(p, c)| (p.clone(), c.clone()))
        .collect()
}

/// Warnings as the CLI prints them, one per line.
pub fn warnings_text(source: &str, generated: &Generated) -> String {
    generated
        .warnings
        .iter()
        .map(|w| format!("{}\n", w.display_in(source)))
        .collect()
}

/// The folder `../shared/specs` next to the repository, if present. Under `CI` it must be.
pub fn shared_specs() -> Option<PathBuf> {
    let dir = repo_root().join("../shared/specs");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing; CI runs with ../shared beside the repository",
            dir.display()
        );
    }
    eprintln!("skipping: {} is not present", dir.display());
    None
}

/// Set to skip the tests that run cargo builds of their own (the edit-loop test sets it for the
/// test run inside its copy of the repository).
pub const SKIP_NESTED_BUILDS: &str = "SDKGEN_SKIP_NESTED_BUILDS";

/// Whether to skip tests that run nested cargo builds; says so when it does.
pub fn skip_nested_builds() -> bool {
    let skip = std::env::var_os(SKIP_NESTED_BUILDS).is_some();
    if skip {
        eprintln!("skipping: {SKIP_NESTED_BUILDS} is set");
    }
    skip
}

/// A scratch folder under Cargo's target directory for integration tests, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// A cargo command for a nested workspace. It gets a target directory of its own (sharing the
/// outer one would wait forever on the outer build's lock), kept between runs so dependencies are
/// compiled once, and denies warnings in the generated crates. Nested builds are built once and
/// thrown away, so they skip incremental state and debug info: both cost disk (gigabytes for the
/// whole test run) and time, and no test reads them.
pub fn nested_cargo(workspace: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .current_dir(workspace)
        .env(
            "CARGO_TARGET_DIR",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("nested-target"),
        )
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER");
    command
}

/// The package name of a crate.
pub fn package_name(crate_dir: &Path) -> String {
    let manifest = manifest(crate_dir);
    manifest["package"]["name"]
        .as_str()
        .expect("a package name")
        .to_owned()
}

fn manifest(crate_dir: &Path) -> toml::Table {
    let text = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("Cargo.toml");
    text.parse().expect("Cargo.toml parses")
}

/// The features of a generated crate that compile part of its API: every one its
/// `Cargo.toml` declares but `default` and `full-serde`, in order.
pub fn crate_features(crate_dir: &Path) -> Vec<String> {
    manifest(crate_dir)
        .get("features")
        .and_then(|f| f.as_table())
        .map(|table| {
            table
                .keys()
                .filter(|k| *k != "default" && *k != "full-serde")
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Every `.rs` file under `dir`, at any depth, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Writes a workspace of the given crate folders (relative names) with the repository's
/// lockfile, so that the nested build uses the dependency versions already resolved.
pub fn write_workspace(root: &Path, members: &[String]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("workspace manifest");
    let lock = repo_root().join("Cargo.lock");
    std::fs::copy(lock, root.join("Cargo.lock")).expect("lockfile copied");
}

/// Runs a command and panics with its output if it fails. Cargo's progress lines are left out of
/// the panic message, so that the error is not buried under hundreds of `Compiling` lines.
pub fn run_ok(command: &mut Command) -> String {
    let output = command.output().expect("command starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{command:?} failed ({})\n--- stderr, without cargo's progress lines\n{}\n--- stdout\n{stdout}",
        output.status,
        without_progress(&stderr),
    );
    format!("{stdout}{stderr}")
}

/// Cargo's output without the lines that only report progress (`Compiling`, `Downloaded`, ...).
fn without_progress(stderr: &str) -> String {
    const PROGRESS: &[&str] = &[
        "Compiling ",
        "Checking ",
        "Downloaded ",
        "Downloading ",
        "Locking ",
        "Adding ",
        "Updating ",
        "Blocking ",
    ];
    stderr
        .lines()
        .filter(|line| !PROGRESS.iter().any(|p| line.trim_start().starts_with(p)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Copies a folder recursively, leaving out entries named in `skip` (at any depth).
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).expect("folder created");
    for entry in std::fs::read_dir(from).expect("folder readable") {
        let entry = entry.expect("entry");
        if skip.iter().any(|s| entry.file_name() == *s) {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target, skip);
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

/// The files of a folder by relative path (`/` separators), leaving out entries named in `skip`.
pub fn read_tree(root: &Path, skip: &[&str]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.expect("entry");
            if skip.iter().any(|s| entry.file_name() == *s) {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .expect("inside root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(relative, std::fs::read(&path).expect("file readable"));
            }
        }
    }
    out
}
