//! The operations commands, run as a person would run them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftermarket-ledger"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{db}?mode=rwc"))
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("writes stdin");
    child.wait_with_output().expect("the binary ends")
}

fn temp_db(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("al-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("ledger.db").display().to_string();
    (dir, db)
}

#[test]
fn create_admin_reads_the_password_from_stdin_and_applies_the_policy() {
    let (_dir, db) = temp_db("admin");
    let ok = run(&db, &["create-admin", "--email", "ops@test.example", "--name", "Ops"], "an-ops-password-77\n");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let weak = run(&db, &["create-admin", "--email", "ops2@test.example", "--name", "Ops"], "short\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password: must be at least 12 characters"));
    let again = run(&db, &["create-admin", "--email", "ops@test.example", "--name", "Ops"], "an-ops-password-77\n");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn seed_demo_if_empty_writes_once_and_verify_ledger_finds_tampering() {
    let (_dir, db) = temp_db("seed");
    assert!(run(&db, &["seed-demo", "--if-empty"], "").status.success());
    let second = run(&db, &["seed-demo", "--if-empty"], "");
    assert!(String::from_utf8_lossy(&second.stdout).contains("already has users"));

    let verified = run(&db, &["verify-ledger"], "");
    assert!(verified.status.success());
    assert!(String::from_utf8_lossy(&verified.stdout).starts_with("ledger ok"));

    // Tamper through a plain SQLite connection, as an attacker with file access would.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = sea_orm::Database::connect(format!("sqlite://{db}")).await.expect("opens");
        conn.execute_unprepared("UPDATE ledger_entries SET entity_id = 99 WHERE seq = 5").await.expect("tampers");
    });
    let broken = run(&db, &["verify-ledger"], "");
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stdout).contains("first bad seq 5"));
}

#[test]
fn backup_writes_a_consistent_copy_and_never_overwrites() {
    let (dir, db) = temp_db("backup");
    assert!(run(&db, &["seed-demo"], "").status.success());
    let target = dir.join("copy.db").display().to_string();
    assert!(run(&db, &["backup", &target], "").status.success());
    let copy_verified = run(&target, &["verify-ledger"], "");
    assert!(copy_verified.status.success(), "the copy is a whole, verifiable database");
    let again = run(&db, &["backup", &target], "");
    assert!(!again.status.success());
}
