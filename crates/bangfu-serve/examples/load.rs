//! A small load client for `bangfu serve` (负载测试): N keep-alive HTTP/1.1 connections on
//! loopback, each a thread sending `POST /v1/decisions` (one sending-warmth request) in a
//! loop for the given seconds; prints the decisions per second and the p50, p99 and max
//! latency. Every answer must be 200.
//!
//! ```text
//! cargo run --release -p bangfu-serve --example load -- ADDR [CONNECTIONS] [SECONDS] [PER_REQUEST]
//! ```
//!
//! `PER_REQUEST` (default 1) decisions are sent in each request as a list.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::float_arithmetic
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const ONE: &str = r#"{"kind":"sending_warmth","id":"w-1","file":{"case":"c-1","household":"h-1","tier":"national","degree":"subsistence","household_size":3,"status":"active"},"claim":{"id":"w-1","date":"2018-01-20"}}"#;

/// One connection's loop: the latency of each request, in microseconds.
fn client(addr: SocketAddr, until: Instant, body: &str) -> Vec<u32> {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let request = format!(
        "POST /v1/decisions HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut latencies = Vec::with_capacity(100_000);
    let mut line = String::new();
    let mut buf = Vec::new();
    while Instant::now() < until {
        let start = Instant::now();
        writer.write_all(request.as_bytes()).unwrap();
        line.clear();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "answer: {line}");
        let mut length = 0usize;
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap();
            }
        }
        buf.resize(length, 0);
        reader.read_exact(&mut buf).unwrap();
        let micros = start.elapsed().as_micros();
        latencies.push(u32::try_from(micros).unwrap_or(u32::MAX));
    }
    latencies
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr: SocketAddr = args
        .get(1)
        .expect("usage: load ADDR [CONNECTIONS] [SECONDS] [PER_REQUEST]")
        .parse()
        .unwrap();
    let connections: usize = args.get(2).map_or(64, |a| a.parse().unwrap());
    let seconds: u64 = args.get(3).map_or(10, |a| a.parse().unwrap());
    let per: usize = args.get(4).map_or(1, |a| a.parse().unwrap());
    let body = if per == 1 {
        ONE.to_owned()
    } else {
        format!("[{}]", vec![ONE; per].join(","))
    };
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let body = body.clone();
            std::thread::spawn(move || client(addr, until, &body))
        })
        .collect();
    let mut all: Vec<u32> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: usize| {
        all.get((all.len() * p / 100).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let requests = all.len();
    let decisions = requests * per;
    println!(
        "{connections} connections, {seconds} s, {per} decisions a request: {requests} requests, {decisions} decisions, {:.0} decisions/s, {:.0} requests/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        decisions as f64 / elapsed,
        requests as f64 / elapsed,
        f64::from(pct(50)) / 1000.0,
        f64::from(pct(99)) / 1000.0,
        f64::from(all.last().copied().unwrap_or(0)) / 1000.0,
    );
}
