//! The small HTTP/1.1 server under `serve`, built to stay up whatever clients do.
//!
//! One thread reads request heads from every connection at once (`mio`), so a thousand idle
//! connections cost a thousand buffers, not a thousand threads; a head must arrive within
//! [`HEAD_TIMEOUT`] and fit in [`MAX_HEAD`] bytes (431 past it). Complete requests go to a
//! fixed pool of [`WORKERS`] threads through a bounded queue (503 when it is full). Each
//! connection carries one request and is closed after the answer (`Connection: close`), so
//! pipelined requests cannot queue up work, and an answer that the client stops reading is
//! abandoned after [`WRITE_TIMEOUT`].

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};
use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest request line plus headers, in bytes.
pub const MAX_HEAD: usize = 16 * 1024;
/// Connections whose request head is still being read; past it the oldest is closed.
pub const MAX_PENDING: usize = 1024;
/// Time a client has to send its whole request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Time an answer may go without the client taking any of it before the client is given up
/// (a slow download that keeps reading is never cut: its headers promised the whole length).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Threads that answer requests.
pub const WORKERS: usize = 4;
/// Answers being written at once, each on a thread of its own, so a client that reads slowly
/// or not at all never holds a worker; past it a request is answered 503.
pub const MAX_WRITERS: usize = 256;
/// Requests waiting for a worker; past it a request is answered 503 at once.
const QUEUE: usize = 256;

/// A parsed request head.
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The request target as sent (`/reports/2026-10/`).
    pub target: String,
    /// The `Host` header, if there is exactly one.
    pub host: Option<String>,
}

/// What to send back.
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// The body.
    pub body: Body,
}

/// An answer's body: bytes in memory (a page), or a file streamed from disk as the client reads
/// it (a static file: never held in memory, never copied per request).
pub enum Body {
    /// Bytes to send.
    Bytes(Vec<u8>),
    /// A file to send, opened when the answer is written.
    File(std::path::PathBuf),
}

impl Response {
    /// A plain-text answer.
    pub fn text(status: u16, body: &str) -> Response {
        Response { status, content_type: "text/plain; charset=utf-8", body: Body::Bytes(body.as_bytes().to_vec()) }
    }
}

/// What the reading thread hands to a worker.
enum Job {
    /// A complete head to parse and answer.
    Answer(std::net::TcpStream, Vec<u8>),
    /// A connection to refuse with this answer.
    Refuse(std::net::TcpStream, Response),
}

/// Answers requests: called from several worker threads.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// Serves `listener` with `handler` on background threads and returns.
pub fn spawn(listener: std::net::TcpListener, handler: Handler) -> std::io::Result<()> {
    raise_file_limit();
    listener.set_nonblocking(true)?;
    let listener = TcpListener::from_std(listener);
    let poll = Poll::new()?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
    let rx = Arc::new(Mutex::new(rx));
    let writers = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..WORKERS {
        let (rx, handler, writers) = (Arc::clone(&rx), Arc::clone(&handler), Arc::clone(&writers));
        std::thread::spawn(move || worker(&rx, &handler, &writers));
    }
    std::thread::spawn(move || read_heads(poll, listener, tx));
    Ok(())
}

/// Raises the soft limit on open files to the hard one (at most 65,536), so the pending
/// connections fit beside the files a rebuild opens.
fn raise_file_limit() {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `lim` is a valid rlimit for the kernel to fill in and read.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
                let want = lim.rlim_max.min(65_536);
                if lim.rlim_cur < want {
                    lim.rlim_cur = want;
                    libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
                }
            }
        }
    }
}

struct Pending {
    stream: mio::net::TcpStream,
    buf: Vec<u8>,
    since: Instant,
}

const LISTENER: Token = Token(0);

/// Where the head ends (just past the blank line), if it has arrived; `from` is where new
/// bytes start, so each byte is searched about once.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    buf[start..].windows(4).position(|w| w == b"\r\n\r\n").map(|i| start + i + 4).or_else(|| {
        let start = from.saturating_sub(1);
        buf[start..].windows(2).position(|w| w == b"\n\n").map(|i| start + i + 2)
    })
}

enum Progress {
    Waiting,
    Complete,
    TooLarge,
    Gone,
}

fn read_more(p: &mut Pending) -> Progress {
    let mut chunk = [0u8; 4096];
    loop {
        match p.stream.read(&mut chunk) {
            Ok(0) => return Progress::Gone,
            Ok(n) => {
                let from = p.buf.len();
                p.buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = head_end(&p.buf, from) {
                    // Anything after the head (a body, pipelined requests) is not read.
                    p.buf.truncate(end.min(MAX_HEAD));
                    return if end > MAX_HEAD { Progress::TooLarge } else { Progress::Complete };
                }
                if p.buf.len() > MAX_HEAD {
                    return Progress::TooLarge;
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Progress::Waiting,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Progress::Gone,
        }
    }
}

fn read_heads(mut poll: Poll, mut listener: TcpListener, tx: SyncSender<Job>) {
    if poll.registry().register(&mut listener, LISTENER, Interest::READABLE).is_err() {
        return;
    }
    let mut pending: HashMap<Token, Pending> = HashMap::new();
    let mut next = 1usize;
    let mut events = Events::with_capacity(1024);
    let hand_over = |poll: &Poll, mut p: Pending, job: fn(std::net::TcpStream, Vec<u8>) -> Job| {
        let _ = poll.registry().deregister(&mut p.stream);
        let stream = std::net::TcpStream::from(p.stream);
        if let Err(TrySendError::Full(job)) = tx.try_send(job(stream, p.buf)) {
            // Every worker is busy and the queue is full: say so at once, never block reading.
            let stream = match job {
                Job::Answer(s, _) | Job::Refuse(s, _) => s,
            };
            let _ = stream.set_nonblocking(true);
            let _ = write_response(&stream, &Response::text(503, "503 busy: try again\n"), false);
        }
    };
    loop {
        if let Err(e) = poll.poll(&mut events, Some(Duration::from_secs(1))) {
            if e.kind() != ErrorKind::Interrupted {
                std::thread::sleep(Duration::from_millis(100));
            }
            continue;
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                loop {
                    match listener.accept() {
                        Ok((mut stream, _)) => {
                            if pending.len() >= MAX_PENDING {
                                // Full of clients that connected and sent nothing: drop the oldest.
                                if let Some(oldest) = pending.iter().min_by_key(|(_, p)| p.since).map(|(t, _)| *t) {
                                    pending.remove(&oldest);
                                }
                            }
                            let token = Token(next);
                            next = next.wrapping_add(1).max(1);
                            if poll.registry().register(&mut stream, token, Interest::READABLE).is_ok() {
                                pending.insert(token, Pending { stream, buf: Vec::new(), since: Instant::now() });
                            }
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        // Out of file descriptors: close the oldest idle connection and try
                        // again, so idle clients can never lock the others out.
                        Err(_) => match pending.iter().min_by_key(|(_, p)| p.since).map(|(t, _)| *t) {
                            Some(oldest) => {
                                pending.remove(&oldest);
                            }
                            None => break,
                        },
                    }
                }
                continue;
            }
            let token = event.token();
            let Some(p) = pending.get_mut(&token) else { continue };
            match read_more(p) {
                Progress::Waiting => {}
                Progress::Gone => {
                    pending.remove(&token);
                }
                Progress::Complete => {
                    if let Some(p) = pending.remove(&token) {
                        hand_over(&poll, p, Job::Answer);
                    }
                }
                Progress::TooLarge => {
                    if let Some(p) = pending.remove(&token) {
                        hand_over(&poll, p, |s, _| {
                            Job::Refuse(
                                s,
                                Response::text(
                                    431,
                                    "431 request header fields too large: at most 16 KiB of request line and headers\n",
                                ),
                            )
                        });
                    }
                }
            }
        }
        pending.retain(|_, p| p.since.elapsed() < HEAD_TIMEOUT);
    }
}

fn worker(rx: &Mutex<Receiver<Job>>, handler: &Handler, writers: &Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::Ordering;
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
            match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        let (stream, response, head_only) = match job {
            Job::Refuse(stream, response) => (stream, response, false),
            Job::Answer(stream, head) => match parse(&head) {
                Some(req) => {
                    let head_only = req.method == "HEAD";
                    let response = handler(&req);
                    (stream, response, head_only)
                }
                None => (stream, Response::text(400, "400 bad request\n"), false),
            },
        };
        let _ = stream.set_nonblocking(false);
        // The answer is written on a thread of its own: a worker is free again at once,
        // whatever pace the client reads at.
        if writers.fetch_add(1, Ordering::SeqCst) >= MAX_WRITERS {
            writers.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_nonblocking(true);
            let _ = write_response(&stream, &Response::text(503, "503 busy: try again\n"), false);
            continue;
        }
        let done = Arc::clone(writers);
        let spawned = std::thread::Builder::new().spawn(move || {
            let _ = write_response(&stream, &response, head_only);
            let _ = stream.shutdown(std::net::Shutdown::Both);
            done.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            writers.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Parses a request head: the request line and the `Host` header. `None` for anything that
/// is not a well-formed HTTP/1.x head.
pub fn parse(head: &[u8]) -> Option<Request> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !version.starts_with("HTTP/1.")
        || method.is_empty()
        || !method.bytes().all(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    let mut hosts = Vec::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("host") {
            hosts.push(value.trim().to_string());
        }
    }
    let host = if hosts.len() == 1 { hosts.pop() } else { None };
    // The absolute form (`GET http://127.0.0.1:8000/a HTTP/1.1`), which HTTP/1.1 servers must
    // accept: its authority is the host (the Host header is ignored, RFC 9112 3.2.2), and is
    // checked like any Host.
    if let Some(rest) = target.get(..7).filter(|s| s.eq_ignore_ascii_case("http://")).map(|_| &target[7..]) {
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(split);
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        return Some(Request { method: method.to_string(), target: path, host: Some(authority.to_string()) });
    }
    Some(Request { method: method.to_string(), target: target.to_string(), host })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a whole answer; a client that takes nothing for [`WRITE_TIMEOUT`] is dropped, one
/// that keeps reading gets all of it. A file body is read from disk in chunks as it is sent.
fn write_response(mut stream: &std::net::TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut file = None;
    let (status, content_type, len) = match &r.body {
        Body::Bytes(b) => (r.status, r.content_type, b.len() as u64),
        Body::File(path) => match crate::load::open_regular_sized(path).map(|(f, len)| (len, f)) {
            Ok((len, f)) => {
                file = Some(f);
                (r.status, r.content_type, len)
            }
            // Removed or replaced since the site was built: the next rebuild settles it.
            Err(_) => {
                return write_response(stream, &Response::text(404, "404 not found: the file is gone\n"), head_only)
            }
        },
    };
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        reason(status),
    );
    stream.write_all(head.as_bytes())?;
    if head_only {
        return Ok(());
    }
    match (&r.body, file) {
        (Body::Bytes(b), _) => stream.write_all(b)?,
        (Body::File(_), Some(f)) => {
            // Exactly the promised length, even if the file grows meanwhile.
            let copied = std::io::copy(&mut f.take(len), &mut stream)?;
            if copied < len {
                return Err(ErrorKind::UnexpectedEof.into());
            }
        }
        (Body::File(_), None) => {}
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_strictly() {
        let r = parse(b"GET /a?b HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nX: y\r\n\r\n").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str(), r.host.as_deref()), ("GET", "/a?b", Some("127.0.0.1:8000")));
        assert!(parse(b"GET /a?b HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n").unwrap().host.is_none(), "two hosts");
        // The absolute form: the authority is the host, whatever the Host header says.
        for (head, target, host) in [
            (&b"GET http://127.0.0.1:8000/a?b HTTP/1.1\r\nHost: evil.example\r\n\r\n"[..], "/a?b", "127.0.0.1:8000"),
            (b"GET HTTP://evil.example HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n", "/", "evil.example"),
            (b"GET http://localhost:8000?x HTTP/1.1\r\n\r\n", "/?x", "localhost:8000"),
        ] {
            let r = parse(head).unwrap();
            assert_eq!((r.target.as_str(), r.host.as_deref()), (target, Some(host)));
        }
        for bad in [
            &b"GARBAGE\r\n\r\n"[..],
            b"GET / HTTP/2\r\n\r\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        ] {
            assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn the_head_end_is_found_across_reads() {
        let buf = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nrest";
        // Wherever the last read started, as long as it brought the head's last byte.
        for from in 0..buf.len() - 4 {
            assert_eq!(head_end(buf, from), Some(buf.len() - 4), "from {from}");
        }
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n", 0), None);
    }
}
