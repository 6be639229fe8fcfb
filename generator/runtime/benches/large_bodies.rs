//! A 1 GiB download and a 1 GiB upload through the runtime, against a server on 127.0.0.1 in
//! the same process, with the peak resident memory of the process after each (Linux `VmHWM`).
//! The download is read with `bytes_stream()` and written to a sink; the upload is a
//! `Binary::from_stream` of 64 KiB chunks made as they are sent. Run with
//!
//!     cargo bench -p sdkgen-runtime --bench large_bodies

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Instant;

use sdkgen_runtime::runtime::{Binary, Call, Client, Method, Request, decode_json, decode_text};

const SIZE: u64 = 1 << 30;
const CHUNK: usize = 64 * 1024;

/// Answers `GET` with `SIZE` bytes (in chunks from one buffer) and `POST` by reading the body
/// (chunked) and answering with its length.
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || answer(stream));
        }
    });
    url
}

fn answer(stream: std::net::TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut chunked = false;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        if header
            .to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
        {
            chunked = true;
        }
        if header == "\r\n" {
            break;
        }
    }
    if line.starts_with("GET") {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {SIZE}\r\n\r\n"
        );
        writer.write_all(head.as_bytes()).unwrap();
        let buffer = vec![7u8; CHUNK];
        let mut sent = 0u64;
        while sent < SIZE {
            writer.write_all(&buffer).unwrap();
            sent += CHUNK as u64;
        }
        return;
    }
    assert!(chunked, "the upload is sent chunked, as it is made");
    let mut received = 0u64;
    let mut buffer = vec![0u8; CHUNK];
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        let mut left = size + 2;
        while left > 0 {
            let n = reader.read(&mut buffer[..left.min(CHUNK)]).unwrap();
            left -= n;
        }
        received += size as u64;
        if size == 0 {
            break;
        }
    }
    let body = received.to_string();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    writer.write_all(head.as_bytes()).unwrap();
}

/// The process's peak resident memory, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kib / 1024.0
}

#[tokio::main]
async fn main() {
    let url = server();
    let client = Client::new(url).unwrap();
    println!("before: peak resident memory {:.1} MiB", peak_mib());

    let started = Instant::now();
    let request = Request::new(Method::GET, "/download".to_owned());
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(&client, request, decode_json, decode_json);
    let body = call.bytes_stream().await.unwrap().into_body();
    let written = body.write_to(&mut tokio::io::sink()).await.unwrap();
    assert_eq!(written, SIZE);
    println!(
        "download of {} MiB: {:.2} s, peak resident memory {:.1} MiB",
        SIZE >> 20,
        started.elapsed().as_secs_f64(),
        peak_mib()
    );

    let started = Instant::now();
    let chunks = futures_util::stream::iter(
        (0..SIZE / CHUNK as u64).map(|_| Ok::<_, std::io::Error>(vec![9u8; CHUNK])),
    );
    let mut request = Request::new(Method::POST, "/upload".to_owned());
    request.binary(&Binary::from_stream(chunks), "application/octet-stream");
    let call: Call<'_, String, String> = Call::new(&client, request, decode_text, decode_text);
    let received = call.await.unwrap().into_body();
    assert_eq!(received, SIZE.to_string());
    println!(
        "upload of {} MiB: {:.2} s, peak resident memory {:.1} MiB",
        SIZE >> 20,
        started.elapsed().as_secs_f64(),
        peak_mib()
    );
}
