//! The corpus check, run by hand (it takes tens of minutes, so it is ignored by default):
//!
//! ```text
//! cargo test -p sdkgen --release --test corpus -- --ignored --nocapture
//! ```
//!
//! For every spec in `../shared/specs/corpus/` it generates a crate with the release build of
//! `sdkgen` (timing it and measuring its peak memory), runs `cargo check --all-features` and `cargo check` with the default features on the crate (one
//! shared target directory, a memory cap and a timeout per spec), runs the crate's example check
//! (the spec's own `example` values decoded into their generated types), and writes the table to
//! `generator/CORPUS.md`. `CORPUS_FILTER=<text>[,<text>...]` runs the specs whose file name
//! contains one of the texts;
//! `CORPUS_NO_COMPILE=1` only generates.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Virtual memory cap for `cargo check` and the example run (`ulimit -v`, in KiB).
const MEMORY_CAP_KIB: u64 = 20 * 1024 * 1024;
/// Time limits, in seconds.
const GENERATE_TIMEOUT: u32 = 300;
const CHECK_TIMEOUT: u32 = 3600;

#[derive(Default)]
struct Row {
    spec: String,
    version: String,
    generated: bool,
    error: Option<String>,
    generate_seconds: f64,
    generate_mib: f64,
    report: serde_json::Value,
    compiled: Option<bool>,
    check_seconds: f64,
    check_mib: f64,
    /// `cargo check` with the default features (the complete API is checked with all).
    default_check: Option<(f64, f64)>,
    examples: Option<(u64, u64)>,
}

#[test]
#[ignore = "takes tens of minutes; run by hand (see the module docs)"]
fn corpus() {
    let shared = common::shared_specs().expect("../shared/specs is needed");
    let corpus = shared.join("corpus");
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus");
    let crates = work.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    std::fs::create_dir_all(&crates).unwrap();
    let tool = build_tool(&work);
    let filter = std::env::var("CORPUS_FILTER").unwrap_or_default();
    let compile = std::env::var_os("CORPUS_NO_COMPILE").is_none();
    let index = std::fs::read_to_string(corpus.join("index.tsv")).expect("index.tsv");
    let mut rows = Vec::new();
    for (spec, version) in index.lines().skip(1).filter_map(|l| {
        let fields: Vec<&str> = l.split('\t').collect();
        Some((fields.first()?.to_string(), fields.get(3)?.to_string()))
    }) {
        if !filter.split(',').any(|part| spec.contains(part)) {
            continue;
        }
        let row = run_one(
            &tool,
            &corpus.join(&spec),
            &crates,
            &work.join("target"),
            &spec,
            &version,
            compile,
        );
        eprintln!("{}", row_text(&row));
        rows.push(row);
    }
    let table = render(&rows);
    if filter.is_empty() && compile {
        std::fs::write(common::generator_dir().join("CORPUS.md"), &table).unwrap();
    }
    println!("{table}");
}

fn build_tool(work: &Path) -> PathBuf {
    let target = work.join("tool-target");
    let mut build = common::nested_cargo(&common::repo_root());
    build
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "sdkgen",
            "--bin",
            "sdkgen",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS");
    common::run_ok(&mut build);
    target.join("release/sdkgen")
}

fn run_one(
    tool: &Path,
    spec: &Path,
    crates: &Path,
    target: &Path,
    name: &str,
    version: &str,
    compile: bool,
) -> Row {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let words: Vec<String> = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let crate_name = format!("corpus-{}", words.join("-"));
    let dir = crates.join(stem);
    let report = crates.join(format!("{stem}.report.json"));
    let mut row = Row {
        spec: name.to_owned(),
        version: version.to_owned(),
        ..Row::default()
    };
    let mut generate = Command::new("timeout");
    generate
        .arg(GENERATE_TIMEOUT.to_string())
        .arg("/usr/bin/time")
        .args(["-f", "%e %M"])
        .arg(tool)
        .arg("generate")
        .arg(spec.file_name().expect("a file name"))
        .arg("--out")
        .arg(&dir)
        .args(["--name", &crate_name, "--example-check", "--report"])
        .arg(&report);
    generate.current_dir(spec.parent().expect("a folder"));
    let output = generate.output().expect("sdkgen runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    (row.generate_seconds, row.generate_mib) = time_and_memory(&stderr);
    row.generated = output.status.success();
    if !row.generated {
        row.error = stderr
            .lines()
            .find(|l| l.starts_with("error:"))
            .map(str::to_owned);
        if stderr.contains("panicked") {
            row.error = Some(format!("PANIC: {stderr}"));
        }
        return row;
    }
    row.report = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    if !compile {
        return row;
    }
    let row = check_and_decode(row, &dir, target);
    // Dependencies stay in the shared target folder; each crate's own artifacts (a GiB for the
    // largest) go, so that a whole run fits on a small disk.
    capped(&dir, target, &["clean", "--quiet", "-p", &crate_name]);
    row
}

/// `cargo check` of a generated crate, then its example program on the spec's examples.
fn check_and_decode(mut row: Row, dir: &Path, target: &Path) -> Row {
    // Each crate is its own workspace, with the repository's lockfile for its dependency versions.
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).unwrap();
    std::fs::copy(
        common::repo_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
    let check = capped(dir, target, &["check", "--quiet", "--all-features"]);
    let check_err = String::from_utf8_lossy(&check.stderr);
    (row.check_seconds, row.check_mib) = time_and_memory(&check_err);
    row.compiled = Some(check.status.success());
    if !check.status.success() {
        // The first real error (not cargo's summary), or what stopped the compiler.
        row.error = check_err
            .lines()
            .find(|l| l.starts_with("error") && !l.contains("could not compile"))
            .or_else(|| {
                check_err
                    .lines()
                    .find(|l| l.contains("memory") || l.contains("signal"))
            })
            .or_else(|| check_err.lines().rev().find(|l| !l.trim().is_empty()))
            .map(str::to_owned);
        return row;
    }
    let default = capped(dir, target, &["check", "--quiet"]);
    row.default_check = default
        .status
        .success()
        .then(|| time_and_memory(&String::from_utf8_lossy(&default.stderr)));
    if row.report["examples"].as_u64().unwrap_or(0) > 0 {
        let run = capped(
            dir,
            target,
            &[
                "run",
                "--quiet",
                "--all-features",
                "--example",
                "decode_examples",
            ],
        );
        let stdout = String::from_utf8_lossy(&run.stdout);
        row.examples = stdout.lines().find_map(|l| {
            let rest = l.strip_prefix("decoded ")?;
            let (ok, total) = rest.split_once(" of ")?;
            Some((ok.parse().ok()?, total.trim().parse().ok()?))
        });
        let failures: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with("failed"))
            .take(3)
            .collect();
        if !failures.is_empty() {
            eprintln!("  {}", failures.join("\n  "));
        }
    }
    row
}

/// Runs cargo under the memory cap and the time limit, timed by `/usr/bin/time`.
fn capped(dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    let script = format!(
        "ulimit -v {MEMORY_CAP_KIB}; exec timeout {CHECK_TIMEOUT} /usr/bin/time -f '%e %M' cargo \"$@\""
    );
    Command::new("sh")
        .current_dir(dir)
        .args(["-c", &script, "sh"])
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// Seconds and MiB from the last line `/usr/bin/time -f '%e %M'` wrote.
fn time_and_memory(stderr: &str) -> (f64, f64) {
    let last = stderr.lines().rev().find(|l| {
        let parts: Vec<&str> = l.split_whitespace().collect();
        parts.len() == 2 && parts.iter().all(|p| p.parse::<f64>().is_ok())
    });
    let Some(last) = last else {
        return (0.0, 0.0);
    };
    let mut parts = last
        .split_whitespace()
        .map(|p| p.parse::<f64>().unwrap_or(0.0));
    (
        parts.next().unwrap_or(0.0),
        parts.next().unwrap_or(0.0) / 1024.0,
    )
}

fn count(row: &Row, key: &str) -> u64 {
    row.report[key].as_u64().unwrap_or(0)
}

/// Operations with a streaming method, and how many of them were read from the shapes.
fn streams(row: &Row) -> String {
    let Some(decisions) = row.report["pagination"].as_array() else {
        return "-".to_owned();
    };
    let streaming = decisions.iter().filter(|d| d["streams"] == true);
    let (all, shapes) = streaming.fold((0, 0), |(all, shapes), d| {
        let stated = d["reading"]
            .as_str()
            .is_some_and(|r| r.starts_with("as stated"));
        (all + 1, shapes + usize::from(!stated))
    });
    format!("{all} ({shapes})")
}

fn row_text(row: &Row) -> String {
    let yes = |b: bool| if b { "yes" } else { "**no**" };
    let compiled = row.compiled.map_or("-", |b| yes(b));
    let examples = row
        .examples
        .map_or("-".to_owned(), |(ok, total)| format!("{ok}/{total}"));
    let (ops, skipped) = (count(row, "operations"), count(row, "operations_skipped"));
    let (schemas, untyped) = (count(row, "schemas"), count(row, "untyped"));
    let check = if row.compiled.is_some() {
        format!("{:.1}", row.check_seconds)
    } else {
        "-".to_owned()
    };
    let check_mib = if row.compiled.is_some() {
        format!("{:.0}", row.check_mib)
    } else {
        "-".to_owned()
    };
    let (default_s, default_mib) = match row.default_check {
        Some((seconds, mib)) => (format!("{seconds:.1}"), format!("{mib:.0}")),
        None if row.compiled == Some(true) => ("**failed**".to_owned(), "-".to_owned()),
        None => ("-".to_owned(), "-".to_owned()),
    };
    let note = row
        .error
        .as_deref()
        .map(|e| e.replace('|', "\\|"))
        .unwrap_or_default();
    let note: String = note.chars().take(160).collect();
    format!(
        "| {} | {} | {} | {} | {:.2} | {:.0} | {}/{} | {} | {}/{} | {} | {} | {} | {} | {} | {} | {} |",
        row.spec,
        row.version,
        yes(row.generated),
        compiled,
        row.generate_seconds,
        row.generate_mib,
        ops,
        skipped,
        streams(row),
        untyped,
        schemas,
        count(row, "warnings"),
        examples,
        check,
        check_mib,
        default_s,
        default_mib,
        note
    )
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from("# Corpus check\n\n");
    let machine = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let date = Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Run on {date}, {cores} cores ({machine}), with `cargo test -p sdkgen --release --test corpus -- --ignored --nocapture`."
    );
    let _ = writeln!(
        out,
        "Each crate is generated by the release build of sdkgen with `--example-check`, then checked with `cargo check --all-features` (the complete API) and with its default features (shared target directory, `CARGO_INCREMENTAL=0`, {} GiB virtual memory cap, {CHECK_TIMEOUT} s limit); its example program decodes the spec's own `example` values into their generated types.\n",
        MEMORY_CAP_KIB / 1024 / 1024
    );
    out.push_str(&summary(rows));
    out.push_str("\nPaginated (from shapes): operations with a streaming method, and in brackets those whose pagination was read from the shapes of their parameters and response rather than stated by the spec.\n");
    out.push_str("\n| spec | version | generated | compiled | gen s | gen MiB | operations / skipped | paginated (from shapes) | untyped / schemas | warnings | examples decoded | check s | check MiB | default check s | default check MiB | note |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for row in rows {
        out.push_str(&row_text(row));
        out.push('\n');
    }
    out
}

fn summary(rows: &[Row]) -> String {
    let v30: Vec<&Row> = rows
        .iter()
        .filter(|r| r.version.starts_with("3.0"))
        .collect();
    let graph = |r: &&Row| r.spec.starts_with("microsoft.com__graph");
    let v30_no_graph: Vec<&Row> = v30.iter().copied().filter(|r| !graph(r)).collect();
    let compiled_no_skip = v30_no_graph
        .iter()
        .filter(|r| r.compiled == Some(true) && count(r, "operations_skipped") == 0)
        .count();
    let generated = rows.iter().filter(|r| r.generated).count();
    let panics = rows
        .iter()
        .filter(|r| r.error.as_deref().is_some_and(|e| e.starts_with("PANIC")))
        .count();
    let schemas: u64 = v30_no_graph.iter().map(|r| count(r, "schemas")).sum();
    let untyped: u64 = v30_no_graph.iter().map(|r| count(r, "untyped")).sum();
    let (ok, total) = v30_no_graph
        .iter()
        .filter_map(|r| r.examples)
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    let percent = |a: u64, b: u64| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let others = |prefix: &str| {
        let rows: Vec<&Row> = rows
            .iter()
            .filter(|r| r.version.starts_with(prefix))
            .collect();
        let compiled = rows.iter().filter(|r| r.compiled == Some(true)).count();
        (compiled, rows.len())
    };
    let (v31_compiled, v31) = others("3.1");
    let (v20_compiled, v20) = others("2.");
    format!(
        "**Summary**: {} specs, {generated} generated, {panics} panics. OpenAPI 3.0.x without Microsoft Graph: {compiled_no_skip} of {} compile with no operation skipped; {untyped} of {schemas} schemas ({:.2}%) fall back to untyped JSON; {ok} of {total} examples ({:.1}%) decode. OpenAPI 3.1: {v31_compiled} of {v31} compile. Swagger 2.0: {v20_compiled} of {v20} compile.\n",
        rows.len(),
        v30_no_graph.len(),
        percent(untyped, schemas),
        percent(ok, total),
    )
}
