//! Abuse over a real socket: oversized and deeply nested bodies, thousands of query parameters,
//! huge headers, invalid UTF-8 and slow-loris clients. Each is bounded, refused with
//! problem+json where HTTP allows it, and the service keeps serving everyone else.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use os2pm_tests::TestApp;

/// Sends raw bytes and reads the answer until the server closes or 5 s pass.
fn raw(address: &str, request: Vec<u8>) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The server may answer and close before it has read everything: that is fine.
    let _ = stream.write_all(&request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

async fn send_raw(address: &str, request: Vec<u8>) -> String {
    let address = address.to_owned();
    actix_web::rt::task::spawn_blocking(move || raw(&address, request))
        .await
        .unwrap()
}

fn status(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:.200}"))
}

fn post(path: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer nonsense\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

fn get(path: &str, extra_headers: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra_headers}\r\n")
        .into_bytes()
}

/// The service still answers a plain request, quickly.
async fn still_serving(address: &str) {
    let started = Instant::now();
    let answer = send_raw(address, get("/health/live", "")).await;
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[actix_web::test]
async fn hostile_requests_are_bounded_and_refused_and_others_are_still_served() {
    let app = TestApp::new();
    let base = app.listen();
    let address = base.trim_start_matches("http://").to_owned();
    let token = app.token(&[os2pm_api::auth::Role::MunicipalityUser], Some("751"));
    let authorised = |request: Vec<u8>| {
        String::from_utf8_lossy(&request)
            .replace("Bearer nonsense", &format!("Bearer {token}"))
            .into_bytes()
    };

    // A body far over the limit: 413 problem+json, without reading it all.
    let huge = vec![b'x'; 4 * 1024 * 1024];
    let answer = send_raw(
        &address,
        authorised(post("/api/v1/projects", "application/json", &huge)),
    )
    .await;
    assert_eq!(status(&answer), 413, "{answer:.300}");
    assert!(answer.contains("application/problem+json"), "{answer:.300}");
    still_serving(&address).await;

    // JSON nested 20,000 deep (within the size limit): a clear 4xx, not a crashed worker.
    let nested = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let answer = send_raw(
        &address,
        authorised(post(
            "/api/v1/projects",
            "application/json",
            nested.as_bytes(),
        )),
    )
    .await;
    let code = status(&answer);
    assert!(code == 400 || code == 422, "{answer:.300}");
    assert!(answer.contains("application/problem+json"), "{answer:.300}");
    still_serving(&address).await;

    // Invalid UTF-8 in a JSON body, and in the path.
    let answer = send_raw(
        &address,
        authorised(post(
            "/api/v1/projects",
            "application/json",
            b"{\"title\": \"\xff\xfe\"}",
        )),
    )
    .await;
    let code = status(&answer);
    assert!(code == 400 || code == 422, "{answer:.300}");
    assert!(answer.contains("application/problem+json"), "{answer:.300}");
    let answer = send_raw(&address, get("/api/v1/projects/%FF%FE", "")).await;
    assert_eq!(status(&answer), 404, "{answer:.300}");
    assert!(answer.contains("application/problem+json"), "{answer:.300}");
    let mut raw_path =
        b"GET /api/v1/projects/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec();
    let answer = send_raw(&address, std::mem::take(&mut raw_path)).await;
    assert!((400..500).contains(&status(&answer)), "{answer:.300}");
    still_serving(&address).await;

    // 10,000 query parameters: refused or answered, bounded either way.
    let query: Vec<String> = (0..10_000).map(|i| format!("p{i}=1")).collect();
    let started = Instant::now();
    let answer = send_raw(
        &address,
        get(&format!("/api/v1/projects?{}", query.join("&")), ""),
    )
    .await;
    let code = status(&answer);
    assert!((200..500).contains(&code), "{answer:.300}");
    assert!(started.elapsed() < Duration::from_secs(3));
    still_serving(&address).await;

    // A 256 KB header: refused at the door (the request head is capped at 128 KB; the HTTP
    // layer answers 431 before the application, so not as problem+json).
    let long = format!("X-Padding: {}\r\n", "a".repeat(256 * 1024));
    let answer = send_raw(&address, get("/health/live", &long)).await;
    let code = status(&answer);
    assert!(code == 431 || code == 400, "{answer:.300}");
    still_serving(&address).await;
}

#[actix_web::test]
async fn slow_loris_clients_are_cut_off_and_do_not_starve_others() {
    let app = TestApp::new();
    let base = app.listen();
    let address = base.trim_start_matches("http://").to_owned();

    // Fifty connections that send half a request head and then nothing.
    let slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut stream = TcpStream::connect(&address).unwrap();
            stream
                .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            stream
        })
        .collect();
    still_serving(&address).await;

    // Each is closed once the request timeout has passed.
    let limit = os2pm_api::server::CLIENT_REQUEST_TIMEOUT + Duration::from_secs(5);
    let closed = actix_web::rt::task::spawn_blocking(move || {
        slow.into_iter()
            .map(|mut stream| {
                stream.set_read_timeout(Some(limit)).unwrap();
                let mut answer = Vec::new();
                // Closed (EOF) or answered 408: either ends the connection.
                stream.read_to_end(&mut answer).is_ok()
            })
            .filter(|closed| *closed)
            .count()
    })
    .await
    .unwrap();
    assert_eq!(closed, 50, "every stalled connection was cut off");
    still_serving(&address).await;
}
