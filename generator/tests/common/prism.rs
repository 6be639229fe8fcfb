//! The Prism mock server (`@stoplight/prism-cli`, pinned in `tests/prism/package-lock.json` and
//! installed by `.ci/run`), started on a free port of 127.0.0.1 for one spec and stopped when
//! dropped.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to load a spec and listen.
const STARTUP: Duration = Duration::from_secs(120);

/// A running Prism mock server.
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

/// Where `npm ci --prefix tests/prism` puts Prism.
pub fn binary() -> PathBuf {
    super::repo_root().join("tests/prism/node_modules/.bin/prism")
}

/// Prism, if it is installed. Without it, a test is skipped, except under CI, where it must be
/// there (`.ci/run` installs it), so the test fails.
pub fn available() -> bool {
    if binary().is_file() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "Prism is not installed: run `npm ci --prefix tests/prism` (as .ci/run does)"
    );
    eprintln!("skipping: Prism is not installed (npm ci --prefix tests/prism)");
    false
}

impl Prism {
    /// Starts `prism mock` for `spec` and waits until it listens.
    pub fn start(spec: &Path, log_dir: &Path) -> Prism {
        let port = free_port();
        std::fs::create_dir_all(log_dir).expect("log folder");
        let log = log_dir.join(format!("prism-{port}.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let child = Command::new(binary())
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("Prism starts");
        let mut prism = Prism { child, port, log };
        prism.wait_until_listening();
        prism
    }

    /// The base URL to give a client.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What Prism printed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_until_listening(&mut self) {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let started = Instant::now();
        while started.elapsed() < STARTUP {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Prism exited ({status}) before listening:\n{}", self.log());
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("Prism did not listen within {STARTUP:?}:\n{}", self.log());
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}
