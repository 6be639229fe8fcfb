//! What a generated crate costs to check, against OpenAPI Generator's Rust crate for the same
//! spec, measured side by side in one run: `cargo check` of the crate alone (dependencies
//! already checked, debug, `CARGO_INCREMENTAL=0`), its wall time and the peak resident memory
//! of the compiler, for sdkgen's crate with its default features, with all features and with
//! one group alone.
//!
//! ```sh
//! cargo bench -p sdkgen --bench compile_cost                 # GitHub
//! cargo bench -p sdkgen --bench compile_cost -- --graph      # and Microsoft Graph (sdkgen only)
//! cargo bench -p sdkgen --bench compile_cost -- --rounds 2   # alternate twice
//! ```
//!
//! OpenAPI Generator (the pinned `openapi-generator-cli` from PyPI, which carries its jar; Java
//! must be installed) is put into a virtual environment under `target/bench-tools` when it is
//! not there yet. Its crate is checked with its `rustls` feature, so that no system TLS
//! library is needed; that changes its dependencies only. GNU `time` reports the peak memory.

use std::path::{Path, PathBuf};
use std::process::Command;

const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";

/// One crate and the feature set it is checked with.
struct Config {
    label: String,
    dir: PathBuf,
    args: Vec<String>,
}

/// Wall seconds and peak resident KiB of one `cargo check`.
#[derive(Clone, Copy)]
struct Cost {
    seconds: f64,
    kib: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let with_graph = args.iter().any(|a| a == "--graph");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = std::env::var_os("SDKGEN_CORPUS")
        .map_or_else(|| repo.join("../shared/specs/corpus"), PathBuf::from);
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo.join("target"), PathBuf::from);
    let work = target.join("bench-compile-cost");
    let generator = match openapi_generator(&target) {
        Ok(path) => path,
        Err(message) => fail(&format!("cannot install openapi-generator-cli: {message}")),
    };
    let mut specs = vec![("github", "github.com__api.github.com.json", "repos")];
    if with_graph {
        specs.push(("graph", "microsoft.com__graph.json", "users-user"));
    }
    println!(
        "sdkgen {} against OpenAPI Generator {OPENAPI_GENERATOR_VERSION} (rust); cargo check of the crate alone, debug, CARGO_INCREMENTAL=0\n",
        env!("CARGO_PKG_VERSION")
    );
    for (name, file, group) in specs {
        let spec = corpus.join(file);
        let ours = work.join(format!("sdkgen-{name}"));
        generate_sdkgen(&spec, &ours);
        // Graph's targets are absolute (OpenAPI Generator's crate for it is too large for this
        // machine): only sdkgen's crate is checked.
        let theirs = (name != "graph").then(|| work.join(format!("oag-{name}")));
        if let Some(theirs) = &theirs {
            generate_openapi_generator(&generator, &spec, theirs);
        }
        let configs = configs(&ours, theirs.as_deref(), group);
        // Checks each crate's dependencies (and the crate once, with its first feature set:
        // features do not change the dependencies), so that what is measured is the crate alone.
        for (i, config) in configs.iter().enumerate() {
            if configs[..i].iter().all(|c| c.dir != config.dir) {
                measure(config, &work);
            }
        }
        let mut costs: Vec<Vec<Cost>> = vec![Vec::new(); configs.len()];
        for _ in 0..rounds {
            for (config, costs) in configs.iter().zip(&mut costs) {
                costs.push(measure(config, &work));
            }
        }
        report(file, &configs, &costs);
    }
}

/// The feature sets measured: OpenAPI Generator's crate (when there is one), then sdkgen's
/// with its defaults, with one group alone, and with every feature.
fn configs(ours: &Path, theirs: Option<&Path>, group: &str) -> Vec<Config> {
    let strings = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut configs: Vec<Config> = theirs
        .map(|theirs| Config {
            label: "OpenAPI Generator".into(),
            dir: theirs.to_path_buf(),
            args: strings(&["--no-default-features", "--features", "rustls"]),
        })
        .into_iter()
        .collect();
    configs.extend([
        Config {
            label: "sdkgen, default features".into(),
            dir: ours.to_path_buf(),
            args: Vec::new(),
        },
        Config {
            label: format!("sdkgen, `{group}` alone"),
            dir: ours.to_path_buf(),
            args: strings(&["--no-default-features", "--features", group]),
        },
    ]);
    configs.push(Config {
        label: "sdkgen, all features".into(),
        dir: ours.to_path_buf(),
        args: strings(&["--all-features"]),
    });
    configs
}

fn report(spec: &str, configs: &[Config], costs: &[Vec<Cost>]) {
    println!("## {spec}\n");
    println!(
        "| crate | check (s) | peak memory (MiB) | time / OpenAPI Generator | memory / OpenAPI Generator |"
    );
    println!("|---|---|---|---|---|");
    let median = |costs: &[Cost]| {
        let mut seconds: Vec<f64> = costs.iter().map(|c| c.seconds).collect();
        let mut kib: Vec<u64> = costs.iter().map(|c| c.kib).collect();
        seconds.sort_by(f64::total_cmp);
        kib.sort_unstable();
        Cost {
            seconds: seconds[seconds.len() / 2],
            kib: kib[kib.len() / 2],
        }
    };
    let reference = (configs[0].label == "OpenAPI Generator").then(|| median(&costs[0]));
    for (config, costs) in configs.iter().zip(costs) {
        let cost = median(costs);
        let all: Vec<String> = costs.iter().map(|c| format!("{:.1}", c.seconds)).collect();
        let ratios = match reference {
            Some(r) => format!(
                "{:.2} | {:.2}",
                cost.seconds / r.seconds,
                cost.kib as f64 / r.kib as f64
            ),
            None => "- | -".to_owned(),
        };
        println!(
            "| {} | {:.1} ({}) | {} | {ratios} |",
            config.label,
            cost.seconds,
            all.join(", "),
            cost.kib / 1024,
        );
    }
    println!();
}

/// Touches the crate's root and checks it, under GNU `time`.
fn measure(config: &Config, work: &Path) -> Cost {
    let lib = config.dir.join("src/lib.rs");
    let text = std::fs::read(&lib).unwrap_or_else(|e| fail(&format!("{}: {e}", lib.display())));
    std::fs::write(&lib, text).unwrap_or_else(|e| fail(&format!("{}: {e}", lib.display())));
    let target = work.join(format!(
        "target-{}",
        config
            .dir
            .file_name()
            .map_or("x".into(), |n| n.to_string_lossy())
    ));
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "cargo", "check", "--quiet"])
        .args(&config.args)
        .current_dir(&config.dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot run /usr/bin/time (GNU time): {e}")));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        fail(&format!("{} did not check:\n{stderr}", config.label));
    }
    let last = stderr.lines().last().unwrap_or("");
    let mut parts = last.split_whitespace();
    let seconds = parts.next().and_then(|s| s.parse().ok());
    let kib = parts.next().and_then(|s| s.parse().ok());
    match (seconds, kib) {
        (Some(seconds), Some(kib)) => Cost { seconds, kib },
        _ => fail(&format!("unexpected output of time: {last}")),
    }
}

fn generate_sdkgen(spec: &Path, out: &Path) {
    let bytes = std::fs::read(spec).unwrap_or_else(|e| fail(&format!("{}: {e}", spec.display())));
    let options = sdkgen::Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: sdkgen::spec_label(out, spec),
        folders: sdkgen::bundle::Folders::for_spec(spec),
        example_check: false,
        call_check: false,
        ..Default::default()
    };
    let name = spec.to_string_lossy();
    let generated = sdkgen::generate(&name, &bytes, &options)
        .unwrap_or_else(|_| fail(&format!("{name} did not generate")));
    sdkgen::output::write(out, &generated.files)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    standalone(out);
}

fn generate_openapi_generator(generator: &Path, spec: &Path, out: &Path) {
    if out.join("Cargo.toml").is_file() {
        return;
    }
    let status = Command::new(generator)
        .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
        .arg(spec)
        .arg("-o")
        .arg(out)
        .args(["--package-name", "oag_bench"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| fail(&format!("cannot run OpenAPI Generator: {e}")));
    if !status.success() {
        fail("OpenAPI Generator failed");
    }
    standalone(out);
}

/// Makes a crate its own workspace, so that no enclosing workspace applies.
fn standalone(dir: &Path) {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap_or_default();
    if !text.contains("[workspace]") {
        let _ = std::fs::write(&manifest, format!("{text}\n[workspace]\n"));
    }
}

/// OpenAPI Generator's command, installed from PyPI into a virtual environment when missing.
fn openapi_generator(target: &Path) -> Result<PathBuf, String> {
    let venv = target
        .join("bench-tools")
        .join(format!("openapi-generator-{OPENAPI_GENERATOR_VERSION}"));
    let command = venv.join("bin/openapi-generator-cli");
    if command.is_file() {
        return Ok(command);
    }
    let run = |command: &mut Command| match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{command:?}: {status}")),
        Err(e) => Err(format!("{command:?}: {e}")),
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        &format!("openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}"),
    ]))?;
    Ok(command)
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}
