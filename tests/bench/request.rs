//! Runtime benchmark: the generated `api_magic_v1_create` call against a hand-written reqwest
//! call doing the same (same HTTP client, same request and response types), both against a
//! server on 127.0.0.1 in another process.
//!
//! ```sh
//! cargo bench --bench request
//! ```
//!
//! It counts client-side instructions per request under `valgrind --tool=callgrind` (which is
//! repeatable on a shared machine, unlike requests per second): each client runs `FEW` and then
//! `MANY` requests, and the difference divided by `MANY - FEW` leaves out start-up. Allocations
//! per request are counted in-process by a wrapper around the system allocator, over `MANY`
//! requests after a warm-up.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use stytch_magic_links::Client;
use stytch_magic_links::types::{ApiMagicV1CreateRequest, ApiMagicV1CreateResponse};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const FEW: u64 = 20;
const MANY: u64 = 220;
const TARGET_OVERHEAD: f64 = 0.05;
const PROJECT_ID: &str = "project-test-00000000-0000-0000-0000-000000000000";
const SECRET: &str = "secret-test-benchmark-not-a-real-secret=";
const RESPONSE: &str = r#"{"request_id":"request-id-test-55c1f5ea-2b6e-4b2b-8b0c-000000000001","user_id":"user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6","token":"DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=","status_code":200}"#;

#[derive(Clone, Copy)]
enum Kind {
    Generated,
    HandWritten,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Generated => "generated",
            Kind::HandWritten => "hand-written",
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("client") => {
            let kind = match args.get(1).map(String::as_str) {
                Some("generated") => Kind::Generated,
                Some("hand-written") => Kind::HandWritten,
                other => panic!("unknown client kind {other:?}"),
            };
            let count = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(FEW);
            let port = args.get(3).cloned().unwrap_or_default();
            let allocations = client(kind, count, &port);
            println!("allocations {allocations}");
        }
        _ => drive(),
    }
}

/// Starts the server, runs each client under callgrind and directly, and prints the table.
fn drive() {
    let me = std::env::current_exe().expect("the benchmark's own path");
    let mut server = Command::new(&me)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    let stdout = server.stdout.take().expect("the server's output");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server's port");
    let port = line.trim().to_owned();
    let server = KillOnDrop(server);
    let has_valgrind = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut rows = Vec::new();
    for kind in [Kind::HandWritten, Kind::Generated] {
        let instructions = has_valgrind.then(|| {
            let few = callgrind(&me, kind, FEW, &port);
            let many = callgrind(&me, kind, MANY, &port);
            (many - few) as f64 / (MANY - FEW) as f64
        });
        let allocations = direct(&me, kind, MANY, &port) as f64 / MANY as f64;
        rows.push((kind, instructions, allocations));
    }
    drop(server);
    println!("| client | instructions per request | allocations per request |");
    println!("|---|---|---|");
    for (kind, instructions, allocations) in &rows {
        let instructions =
            instructions.map_or("valgrind not installed".to_owned(), |i| format!("{i:.0}"));
        println!("| {} | {instructions} | {allocations:.1} |", kind.name());
    }
    if let [(_, Some(hand), _), (_, Some(generated), _)] = rows.as_slice() {
        let overhead = generated / hand - 1.0;
        let verdict = if overhead <= TARGET_OVERHEAD {
            "met"
        } else {
            "MISSED"
        };
        println!(
            "\nThe generated client's overhead: {:+.1}% instructions per request (target ≤ +{:.0}%: {verdict}).",
            overhead * 100.0,
            TARGET_OVERHEAD * 100.0
        );
    }
}

/// Stops the server however the driver ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Instructions the client process executes in all, under callgrind.
fn callgrind(me: &std::path::Path, kind: Kind, count: u64, port: &str) -> u64 {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(me)
        .args(["client", kind.name(), &count.to_string(), port])
        .output()
        .expect("valgrind runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Callgrind reports a count even for a client that failed: that count would mean nothing.
    assert!(
        output.status.success(),
        "the client failed under callgrind:\n{stderr}"
    );
    stderr
        .lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no instruction count from callgrind:\n{stderr}"))
}

/// Allocations the client makes over `count` requests after its warm-up.
fn direct(me: &std::path::Path, kind: Kind, count: u64, port: &str) -> u64 {
    let output = Command::new(me)
        .args(["client", kind.name(), &count.to_string(), port])
        .output()
        .expect("the client runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("allocations "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "the client failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
}

/// Makes one warm-up request and then `count` more; the allocations of the `count`.
fn client(kind: Kind, count: u64, port: &str) -> u64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let client = Client::builder(base.clone())
            .http_client(http.clone())
            .basic_auth(PROJECT_ID, SECRET)
            .build()
            .expect("a client");
        let url = format!("{base}/v1/magic_links");
        let request =
            ApiMagicV1CreateRequest::new("user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6")
                .with_expiration_minutes(60);
        let one = || async {
            let token = match kind {
                Kind::Generated => {
                    client
                        .magic()
                        .create(&request)
                        .await
                        .expect("created")
                        .into_body()
                        .token
                }
                Kind::HandWritten => hand_written(&http, &url, &request).await,
            };
            assert_eq!(token.len(), 44);
        };
        one().await;
        let before = ALLOCATIONS.load(Ordering::Relaxed);
        for _ in 0..count {
            one().await;
        }
        ALLOCATIONS.load(Ordering::Relaxed) - before
    })
}

/// What an application would write with reqwest alone: the same body, Basic authentication,
/// the status checked, the body decoded.
async fn hand_written(
    http: &reqwest::Client,
    url: &str,
    request: &ApiMagicV1CreateRequest,
) -> String {
    let body = serde_json::to_vec(request).expect("serializable");
    let response = http
        .post(url)
        .basic_auth(PROJECT_ID, Some(SECRET))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("a body");
    let decoded: ApiMagicV1CreateResponse = serde_json::from_slice(&bytes).expect("decoded");
    decoded.token
}

/// An HTTP/1.1 server with keep-alive that answers every request with the created link.
fn serve() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("an address").port();
    println!("{port}");
    let _ = std::io::stdout().flush();
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || connection(stream));
    }
}

fn connection(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut writer = match stream.try_clone() {
        Ok(writer) => writer,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{RESPONSE}",
            RESPONSE.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
