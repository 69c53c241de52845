//! The `os2pm` binary as a newcomer starts it: bad settings stop the start with the variable's
//! name, a busy port is reported before anything is written, `serve --help` lists the
//! environment, and logs are plain text off a terminal or JSON on request.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed set-up is a failed test

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `os2pm` in an empty folder, with only `vars` set of the service's variables.
fn os2pm(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_os2pm"));
    command.current_dir(dir).args(args);
    for (name, _) in std::env::vars() {
        if name.starts_with("OS2PM_") || name == "DATABASE_URL" || name == "RUST_LOG" {
            command.env_remove(name);
        }
    }
    command.envs(vars.iter().copied());
    command
}

fn run(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    os2pm(dir, args, vars)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn bad_settings_stop_the_start_with_the_variable_and_what_it_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("OS2PM_WORKERS", "0", "at least 1"),
        ("OS2PM_DB_POOL_SIZE", "0", "at least 1"),
        (
            "DATABASE_URL",
            "mysql://root@localhost/os2pm",
            "postgres://",
        ),
        ("OS2PM_BIND", "notaport", "HOST:PORT"),
    ];
    for (variable, value, accepted) in cases {
        let output = run(dir.path(), &["serve"], &[(variable, value)]);
        let message = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{variable}={value}: {message}"
        );
        assert!(
            message.starts_with(&format!("os2pm: {variable}: ")) && message.contains(accepted),
            "{variable}={value}: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
    }
    // Nothing was created on the way out.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_busy_port_is_reported_before_migrations_or_a_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = busy.local_addr().unwrap().to_string();
    let output = run(dir.path(), &["serve"], &[("OS2PM_BIND", &bind)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!("cannot listen on {bind}")),
        "{message}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "the failed start left {left:?}");
}

#[test]
fn serve_help_lists_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["serve", "--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for variable in [
        "OS2PM_BIND",
        "DATABASE_URL",
        "OS2PM_WORKERS",
        "OS2PM_LOG_FORMAT",
    ] {
        assert!(help.contains(variable), "{variable} missing from:\n{help}");
    }
}

/// Starts `os2pm serve` with stderr piped (not a terminal), waits for its first log line that
/// says it listens, and stops it.
fn first_log_lines(vars: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let bind = format!("127.0.0.1:{}", free_port());
    let mut all = vars.to_vec();
    all.push(("OS2PM_BIND", &bind));
    let mut child = os2pm(dir.path(), &["serve"], &all)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let listening = line.contains("os2pm is listening");
        lines.push(line);
        if listening || Instant::now() > deadline {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lines.iter().any(|l| l.contains("os2pm is listening")),
        "{lines:#?}"
    );
    lines
}

#[test]
fn logs_off_a_terminal_carry_no_colour_codes() {
    for line in first_log_lines(&[]) {
        assert!(!line.contains('\u{1b}'), "colour codes in {line:?}");
    }
}

#[test]
fn json_logs_are_one_object_a_line() {
    for line in first_log_lines(&[("OS2PM_LOG_FORMAT", "json")]) {
        let object: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        assert!(
            object["level"].is_string() && object["fields"].is_object(),
            "{line}"
        );
    }
}
