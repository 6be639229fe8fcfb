//! Side-by-side benchmark against progenitor: both generators on the same specs in one run,
//! alternating, then the generated Oxide nexus crates compiled with a shared dependency cache.
//!
//! ```sh
//! cargo bench -p sdkgen --bench compare
//! ```
//!
//! `cargo-progenitor` (the pinned version) is installed from crates.io into `target/bench-tools`
//! when it is not there yet. Generated crates go to a memory-backed folder when there is one (`/dev/shm`), so the
//! disk's noise does not decide: sdkgen writes one file per type, progenitor one file in all.
//! Compile times are of the generated crate alone (`cargo build -p`, debug, `CARGO_INCREMENTAL=0`),
//! after its dependencies are built.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PROGENITOR_VERSION: &str = "0.15.1";
const ROUNDS: usize = 5;
const COMPILE_ROUNDS: usize = 3;

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = std::env::var_os("SDKGEN_CORPUS")
        .map_or_else(|| repo.join("../shared/specs/corpus"), PathBuf::from);
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo.join("target"), PathBuf::from);
    let work = target.join("bench-compare");
    let sdkgen = PathBuf::from(env!("CARGO_BIN_EXE_sdkgen"));
    let progenitor = match progenitor(&target) {
        Ok(path) => path,
        Err(message) => {
            eprintln!("cannot install cargo-progenitor: {message}");
            std::process::exit(2);
        }
    };
    let scratch = scratch_dir(&work);
    println!(
        "sdkgen {} against cargo-progenitor {PROGENITOR_VERSION}; output under {}\n",
        env!("CARGO_PKG_VERSION"),
        scratch.display()
    );
    println!("## Generation (wall time, median of {ROUNDS}, alternating)\n");
    println!("| spec | sdkgen | progenitor (builder) | ratio | target |");
    println!("|---|---|---|---|---|");
    for (spec, target) in [
        ("oxide.computer__nexus.json", Some(3.0)),
        ("github.com__api.github.com.json", None),
        ("stripe.com__spec3.yaml", None),
    ] {
        let path = corpus.join(spec);
        let ours = |dir: &Path| {
            run(Command::new(&sdkgen)
                .arg("generate")
                .arg(&path)
                .arg("--out")
                .arg(dir))
        };
        let theirs = |dir: &Path| {
            run(Command::new(&progenitor)
                .args([
                    "progenitor",
                    "--interface",
                    "builder",
                    "-n",
                    "bench",
                    "-v",
                    "0.1.0",
                    "-i",
                ])
                .arg(&path)
                .arg("-o")
                .arg(dir))
        };
        let (a, b) = alternate(&scratch, &ours, &theirs);
        println!("{}", generation_row(spec, a, b, target));
    }
    println!(
        "\n## Compiling the generated nexus crate (crate only, debug, CARGO_INCREMENTAL=0, median of {COMPILE_ROUNDS}, alternating)\n"
    );
    match compile(
        &work,
        &corpus.join("oxide.computer__nexus.json"),
        &sdkgen,
        &progenitor,
    ) {
        Ok(rows) => println!("{rows}"),
        Err(message) => println!("compile comparison failed: {message}"),
    }
    if scratch.starts_with("/dev/shm") {
        let _ = std::fs::remove_dir_all(&scratch);
    }
}

/// Runs both generators `ROUNDS` times, alternating, each into a fresh folder; the median time
/// of each, or the error of its first failure.
fn alternate(
    scratch: &Path,
    ours: &dyn Fn(&Path) -> Result<Duration, String>,
    theirs: &dyn Fn(&Path) -> Result<Duration, String>,
) -> (Result<Duration, String>, Result<Duration, String>) {
    let mut results = [Vec::new(), Vec::new()];
    for _ in 0..ROUNDS {
        for (i, generator) in [ours, theirs].into_iter().enumerate() {
            let dir = scratch.join(format!("out-{i}"));
            let _ = std::fs::remove_dir_all(&dir);
            results[i].push(generator(&dir));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let [a, b] = results;
    (median_of(a), median_of(b))
}

fn median_of(runs: Vec<Result<Duration, String>>) -> Result<Duration, String> {
    let mut times = Vec::new();
    for run in runs {
        times.push(run?);
    }
    times.sort();
    Ok(times[times.len() / 2])
}

fn generation_row(
    spec: &str,
    ours: Result<Duration, String>,
    theirs: Result<Duration, String>,
    target: Option<f64>,
) -> String {
    let show = |r: &Result<Duration, String>| match r {
        Ok(d) => format!("{:.3} s", d.as_secs_f64()),
        Err(e) => format!("fails: {e}"),
    };
    let (ratio, verdict) = match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            let speedup = b.as_secs_f64() / a.as_secs_f64();
            let verdict = match target {
                Some(t) if speedup >= t => format!("≥ {t}× faster: met"),
                Some(t) => format!("≥ {t}× faster: MISSED"),
                None => "-".to_owned(),
            };
            (format!("{speedup:.1}× faster"), verdict)
        }
        _ => ("-".to_owned(), "-".to_owned()),
    };
    format!(
        "| {spec} | {} | {} | {ratio} | {verdict} |",
        show(&ours),
        show(&theirs)
    )
}

/// Generates the three nexus crates into one workspace, builds their dependencies, then times
/// each crate alone, alternating.
fn compile(work: &Path, spec: &Path, sdkgen: &Path, progenitor: &Path) -> Result<String, String> {
    let dir = work.join("compile");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    run(Command::new(sdkgen)
        .arg("generate")
        .arg(spec)
        .args(["--name", "nexus-sdkgen", "--out"])
        .arg(dir.join("sdkgen")))?;
    for mode in ["builder", "positional"] {
        run(Command::new(progenitor)
            .args(["progenitor", "--interface", mode, "-v", "0.1.0", "-n"])
            .arg(format!("nexus-{mode}"))
            .arg("-i")
            .arg(spec)
            .arg("-o")
            .arg(dir.join(mode)))?;
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"sdkgen\", \"builder\", \"positional\"]\nresolver = \"3\"\n",
    )
    .map_err(|e| e.to_string())?;
    let cargo = |package: &str| {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .args(["build", "--quiet", "-p", package]);
        command
    };
    for package in ["nexus-sdkgen", "nexus-builder", "nexus-positional"] {
        run(&mut cargo(package))?;
    }
    let packages = [
        ("nexus-sdkgen", "sdkgen"),
        ("nexus-builder", "builder"),
        ("nexus-positional", "positional"),
    ];
    let mut times: [Vec<Duration>; 3] = Default::default();
    for _ in 0..COMPILE_ROUNDS {
        for (i, (package, folder)) in packages.iter().enumerate() {
            touch(&dir.join(folder).join("src/lib.rs"))?;
            times[i].push(run(&mut cargo(package))?);
        }
    }
    let [ours, builder, positional] = times.map(|mut t| {
        t.sort();
        t[t.len() / 2].as_secs_f64()
    });
    let verdict = if ours / builder <= 0.6 {
        "met"
    } else {
        "MISSED"
    };
    Ok(format!(
        "| crate | compile | ratio of sdkgen's to it | target |\n|---|---|---|---|\n\
         | sdkgen | {ours:.1} s | - | - |\n\
         | progenitor, builder interface | {builder:.1} s | {:.2} | ≤ 0.6: {verdict} |\n\
         | progenitor, positional interface | {positional:.1} s | {:.2} | - |",
        ours / builder,
        ours / positional,
    ))
}

/// Runs a command to completion; its wall time, or why it failed.
fn run(command: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let output = command.output().map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    if output.status.success() {
        Ok(elapsed)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        // A panic's message is on the line after `panicked at`; else the first error line.
        let reason = lines
            .iter()
            .position(|l| l.contains("panicked at"))
            .and_then(|i| lines.get(i + 1))
            .or_else(|| {
                lines
                    .iter()
                    .find(|l| l.to_ascii_lowercase().contains("error"))
            })
            .or(lines.last())
            .copied()
            .unwrap_or("");
        Err(format!(
            "{} ({})",
            output.status,
            reason.trim().chars().take(120).collect::<String>()
        ))
    }
}

fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())
}

/// `cargo-progenitor`, the pinned version, installed into `target/bench-tools` if it is not
/// there yet. One on `PATH` is not used: its version would be unknown, and the report names it.
fn progenitor(target: &Path) -> Result<PathBuf, String> {
    let root = target.join("bench-tools");
    let installed = root.join("bin/cargo-progenitor");
    if !installed.exists() {
        eprintln!(
            "installing cargo-progenitor {PROGENITOR_VERSION} into {}",
            root.display()
        );
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "install",
                "--locked",
                "--version",
                PROGENITOR_VERSION,
                "cargo-progenitor",
                "--root",
            ])
            .arg(&root)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("cargo install exited with {status}"));
        }
    }
    Ok(installed)
}

/// Where generated crates go: a memory-backed folder if the machine has one.
fn scratch_dir(work: &Path) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.join(format!("sdkgen-bench-{}", std::process::id()))
    } else {
        work.join("generated")
    };
    let _ = std::fs::create_dir_all(&dir);
    dir
}
