//! Generation benchmark: the time and peak memory of each stage of `sdkgen::generate` on large
//! real specs, beside the time to only parse the spec (the floor), and how generation time grows
//! with the number of operations across the whole corpus.
//!
//! ```sh
//! cargo bench -p sdkgen --bench generation                  # the four large specs
//! cargo bench -p sdkgen --bench generation -- --corpus      # time per operation, every spec
//! cargo bench -p sdkgen --bench generation -- path/to/spec  # any spec
//! ```
//!
//! Specs are read from `../shared/specs/corpus` beside the repository (`SDKGEN_CORPUS` overrides
//! it). Memory is what the allocator hands out (live heap bytes allocated from the start of
//! `generate` on; the spec's bytes, read before, are not counted), counted by a wrapper around
//! the same allocator the `sdkgen` command uses, in a run of its own;
//! the peak of a stage is the highest it reached during that stage. Times are the median of three
//! more runs (`SDKGEN_BENCH_RUNS` sets how many), without counting.

use std::alloc::{GlobalAlloc, Layout};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sdkgen::{Options, Stage};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Counting makes every allocation touch shared counters, which slows threads down; timed runs
/// turn it off.
static COUNTING: AtomicBool = AtomicBool::new(false);

// SAFETY: every call is forwarded unchanged to mimalloc; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is mimalloc's.
        let ptr = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is mimalloc's.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is mimalloc's.
        let ptr = unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is mimalloc's.
        let new = unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

fn grew(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

/// Memory allocated before counting started and freed while it runs was never added: taking it
/// off makes `LIVE` (and so the peaks) slightly low, and saturating keeps it at or above zero.
fn shrank(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let _ = LIVE.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |live| {
            Some(live.saturating_sub(size))
        });
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Starts a new peak from what is live now.
fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

const MIB: f64 = 1024.0 * 1024.0;

/// The specs the performance targets name, and what each must meet (seconds, MiB).
const LARGE: [(&str, Option<f64>, Option<f64>); 4] = [
    ("oxide.computer__nexus.json", None, None),
    ("github.com__api.github.com.json", Some(1.0), None),
    ("stripe.com__spec3.yaml", None, None),
    ("microsoft.com__graph.json", Some(10.0), Some(2048.0)),
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--bench"))
        .collect();
    let corpus = corpus_dir();
    if args.iter().any(|a| a == "--corpus") {
        scaling(&corpus);
        return;
    }
    let specs: Vec<(PathBuf, Option<f64>, Option<f64>)> = if args.is_empty() {
        LARGE
            .iter()
            .map(|(name, time, memory)| (corpus.join(name), *time, *memory))
            .collect()
    } else {
        args.iter()
            .map(|a| (PathBuf::from(a), None, None))
            .collect()
    };
    println!("{}", machine());
    println!(
        "| spec | MB | operations | parse (floor) | load | lower | passes | codegen | render | generate (median of {}) | target | peak heap by stage (load / lower / passes / codegen+render), MiB | peak | target |",
        timed_runs()
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (path, time_target, memory_target) in specs {
        match stage_row(&path, time_target, memory_target) {
            Ok(row) => println!("{row}"),
            Err(message) => println!("| {} | {message} |", path.display()),
        }
    }
}

fn stage_row(
    path: &Path,
    time_target: Option<f64>,
    memory_target: Option<f64>,
) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let floor = median(3, || time(|| parse_only(&name, &bytes)).0);
    // Memory: one run, counting every allocation from zero.
    let stage_peaks = std::sync::Mutex::new(Vec::new());
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    let observer = |_: Stage| {
        let peak = PEAK.load(Ordering::Relaxed);
        if let Ok(mut peaks) = stage_peaks.lock() {
            peaks.push(peak);
        }
        reset_peak();
    };
    let counted = sdkgen::generate_observed(&name, &bytes, &options(path), &observer);
    COUNTING.store(false, Ordering::Relaxed);
    counted.map_err(|f| format!("generation failed: {} diagnostics", f.diagnostics.len()))?;
    let peaks = stage_peaks.into_inner().unwrap_or_default();
    // Time: three runs (or `SDKGEN_BENCH_RUNS`) without counting.
    let mut runs = Vec::new();
    for _ in 0..timed_runs() {
        let (elapsed, result) = time(|| sdkgen::generate(&name, &bytes, &options(path)));
        let generated = result
            .map_err(|f| format!("generation failed: {} diagnostics", f.diagnostics.len()))?;
        runs.push((elapsed, generated.report));
    }
    runs.sort_by_key(|run| run.0);
    let (total, report) = &runs[runs.len() / 2];
    let s = &report.seconds;
    let peak = peaks.iter().copied().max().unwrap_or(0) as f64 / MIB;
    let peaks_text: Vec<String> = peaks
        .iter()
        .map(|p| format!("{:.0}", *p as f64 / MIB))
        .collect();
    Ok(format!(
        "| {name} | {:.1} | {} | {:.3} s | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | **{:.3} s** | {} | {} | **{peak:.0}** | {} |",
        bytes.len() as f64 / 1e6,
        report.operations,
        floor.as_secs_f64(),
        s.load,
        s.lower,
        s.passes,
        s.codegen,
        s.render,
        total.as_secs_f64(),
        verdict(time_target.map(|t| (total.as_secs_f64(), t, "s"))),
        peaks_text.join(" / "),
        verdict(memory_target.map(|t| (peak, t, "MiB"))),
    ))
}

/// How many timed runs each spec gets: `SDKGEN_BENCH_RUNS`, or 3.
fn timed_runs() -> usize {
    std::env::var("SDKGEN_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3)
}

/// `< target: met` or `< target: MISSED`, or `-` without a target.
fn verdict(measured: Option<(f64, f64, &str)>) -> String {
    match measured {
        Some((value, target, unit)) if value < target => format!("< {target} {unit}: met"),
        Some((_, target, unit)) => format!("< {target} {unit}: MISSED"),
        None => "-".to_owned(),
    }
}

/// Reads the spec into a tree and nothing more: what any generator must at least do. A spec
/// that does not parse has no floor.
fn parse_only(name: &str, bytes: &[u8]) {
    match sdkgen::load::Syntax::detect(name, bytes) {
        sdkgen::load::Syntax::Yaml => {
            let value: serde_yaml::Value = serde_yaml::from_slice(bytes).expect("the spec parses");
            std::hint::black_box(value);
        }
        sdkgen::load::Syntax::Json => {
            let value: serde_json::Value = serde_json::from_slice(bytes).expect("the spec parses");
            std::hint::black_box(value);
        }
    }
}

/// Generation time against the number of operations, for every spec of the corpus.
fn scaling(corpus: &Path) {
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus)
        .map(|dir| dir.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        )
    });
    names.sort();
    println!("{}", machine());
    println!(
        "| spec | MB | operations | types | generate (median of 3; one run above 5 MB) | µs per operation |"
    );
    println!("|---|---|---|---|---|---|");
    let mut points = Vec::new();
    for path in names {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let runs = if bytes.len() > 5_000_000 { 1 } else { 3 };
        let mut report = None;
        let elapsed = median(runs, || {
            let (elapsed, result) = time(|| sdkgen::generate(&name, &bytes, &options(&path)));
            report = result.ok().map(|g| g.report);
            elapsed
        });
        let Some(report) = report.filter(|r| r.operations > 0) else {
            continue;
        };
        let per_op = elapsed.as_secs_f64() * 1e6 / report.operations as f64;
        println!(
            "| {name} | {:.2} | {} | {} | {:.3} s | {per_op:.0} |",
            bytes.len() as f64 / 1e6,
            report.operations,
            report.types,
            elapsed.as_secs_f64()
        );
        points.push((report.operations as f64, elapsed.as_secs_f64()));
    }
    summarize_scaling(&mut points);
}

/// A least-squares line through (operations, seconds) and the time per operation by size band.
fn summarize_scaling(points: &mut [(f64, f64)]) {
    if points.len() < 4 {
        return;
    }
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    let syy: f64 = points.iter().map(|(_, y)| (y - my).powi(2)).sum();
    let slope = sxy / sxx;
    let r2 = sxy * sxy / (sxx * syy);
    println!();
    println!(
        "Least squares over {} specs: time = {:.1} µs × operations + {:.1} ms; R² = {r2:.3}.",
        points.len(),
        slope * 1e6,
        (my - slope * mx) * 1e3
    );
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let quarter = points.len() / 4;
    for (label, band) in [
        ("smallest quarter", &points[..quarter]),
        ("largest quarter", &points[points.len() - quarter..]),
    ] {
        let (ops, secs) = band
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        println!(
            "- {label} by operations ({:.0} to {:.0}): {:.0} µs per operation overall.",
            band[0].0,
            band[band.len() - 1].0,
            secs * 1e6 / ops
        );
    }
}

fn options(path: &Path) -> Options {
    Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: "spec".to_owned(),
        folders: sdkgen::bundle::Folders::for_spec(path),
        example_check: false,
        call_check: false,
        ..Default::default()
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| f()).collect();
    times.sort();
    times[times.len() / 2]
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("SDKGEN_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/corpus"),
        PathBuf::from,
    )
}

/// The date, the processor and the number of cores, for the record.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown processor".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let date = std::process::Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d %H:%M UTC")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "{date}; {cpu}; {cores} cores; sdkgen {}\n",
        env!("CARGO_PKG_VERSION")
    )
}
