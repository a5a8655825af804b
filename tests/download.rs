//! The download path against real HTTP servers on 127.0.0.1 (tiny_http), not a mocked client:
//! a good mirror, a corrupting mirror, fallback between them, and the offline error.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use burn_init::data::{DataError, MNIST_FILES, MnistSource, sha256_hex, verify};

fn shared_mnist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist")
}

/// Serves the real MNIST files from `dir` on a loopback port, flipping a byte in each file when
/// `corrupt`; returns the base URL. The server thread lives as long as the test process.
fn serve(dir: PathBuf, corrupt: bool) -> String {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
    let port = server.server_addr().to_ip().expect("an IP address").port();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let name = request.url().trim_start_matches('/').to_string();
            let response = match std::fs::read(dir.join(&name)) {
                Ok(mut bytes) if !name.contains('/') => {
                    if corrupt {
                        let middle = bytes.len() / 2;
                        bytes[middle] ^= 0xff;
                    }
                    tiny_http::Response::from_data(bytes).with_status_code(200)
                }
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn source(cache: &Path, mirrors: Vec<String>) -> MnistSource {
    MnistSource {
        data_dir: None,
        env_dir: None,
        cache_dir: Some(cache.to_path_buf()),
        mirrors,
        download: true,
        timeout: Duration::from_secs(10),
    }
}

#[test]
fn downloads_verify_and_land_in_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let paths = source(cache.path(), vec![serve(shared_mnist(), false)])
        .locate()
        .unwrap();
    assert_eq!(
        paths.train_images,
        cache.path().join("train-images-idx3-ubyte.gz")
    );
    for file in MNIST_FILES {
        let path = cache.path().join(file.name);
        verify(&path, file).unwrap();
        assert_eq!(sha256_hex(&path).unwrap(), file.sha256);
    }
    // Nothing but the four files: no partial downloads left behind.
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 4);
}

#[test]
fn a_corrupted_download_is_rejected_and_never_cached() {
    let cache = tempfile::tempdir().unwrap();
    let error = source(cache.path(), vec![serve(shared_mnist(), true)])
        .locate()
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, DataError::Unavailable(_)));
    assert!(
        message.contains("does not match the published"),
        "{message}"
    );
    assert!(message.contains("train-images-idx3-ubyte.gz"), "{message}");
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        0,
        "{message}"
    );
}

#[test]
fn a_bad_mirror_falls_back_to_the_next() {
    let cache = tempfile::tempdir().unwrap();
    let mirrors = vec![
        serve(shared_mnist(), true),
        "http://127.0.0.1:9/".to_string(), // nothing listens on the discard port
        serve(shared_mnist(), false),
    ];
    source(cache.path(), mirrors).locate().unwrap();
    for file in MNIST_FILES {
        verify(&cache.path().join(file.name), file).unwrap();
    }
}

#[test]
fn offline_errors_say_which_files_are_missing_and_how_to_provide_them() {
    let empty = tempfile::tempdir().unwrap();
    let mut offline = source(empty.path(), vec![]);
    offline.data_dir = Some(empty.path().join("nowhere"));
    offline.download = false;
    let message = offline.locate().unwrap_err().to_string();
    for needle in [
        "--data-dir",
        "MNIST_DIR",
        "t10k-labels-idx1-ubyte.gz",
        "downloading is turned off",
    ] {
        assert!(message.contains(needle), "{needle} missing from: {message}");
    }
}

#[test]
fn a_directory_with_the_files_is_used_without_downloading() {
    let mut local = source(Path::new("/nonexistent-cache"), vec![]);
    local.data_dir = Some(shared_mnist());
    local.download = false;
    let paths = local.locate().unwrap();
    assert_eq!(
        paths.test_labels,
        shared_mnist().join("t10k-labels-idx1-ubyte.gz")
    );
}

#[test]
fn a_corrupted_cache_file_is_detected_and_fetched_again() {
    let cache = tempfile::tempdir().unwrap();
    let mirror = serve(shared_mnist(), false);
    source(cache.path(), vec![mirror.clone()]).locate().unwrap();
    let damaged = cache.path().join("t10k-labels-idx1-ubyte.gz");
    let mut bytes = std::fs::read(&damaged).unwrap();
    bytes[100] ^= 0x01;
    std::fs::write(&damaged, bytes).unwrap();
    assert!(verify(&damaged, MNIST_FILES[3]).is_err());
    source(cache.path(), vec![mirror]).locate().unwrap();
    verify(&damaged, MNIST_FILES[3]).unwrap();
}

/// A server that accepts connections and never answers: the download times out with a clear
/// error instead of hanging, and nothing reaches the cache.
#[test]
fn a_stalled_server_times_out_with_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        // Hold every connection open, silently, for at most 60 s.
        let mut held = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        listener.set_nonblocking(true).unwrap();
        while std::time::Instant::now() < deadline {
            if let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
            thread::sleep(Duration::from_millis(20));
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let mut stalled = source(cache.path(), vec![format!("http://127.0.0.1:{port}/")]);
    stalled.timeout = Duration::from_secs(1);
    let started = std::time::Instant::now();
    let message = stalled.locate().unwrap_err().to_string();
    // Four files, one mirror each, one second each: well under a minute.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(message.contains("the server stalled"), "{message}");
    assert_eq!(
        std::fs::read_dir(cache.path()).unwrap().count(),
        0,
        "{message}"
    );
}
