//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder (as an
//! unprivileged user when the tests run as root, which PostgreSQL refuses), started on a free
//! loopback port with TLS (a self-signed certificate) and scram-sha-256 passwords, and
//! stopped and removed by a small watcher once the test process has ended. One per test
//! process; each test takes a database and a desk role of its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use super::ServerAddress;

pub struct Cluster {
    port: u16,
    superuser_password: String,
    /// What stopping and starting it again takes.
    folder: PathBuf,
    programs: PathBuf,
    options: String,
    as_root: bool,
}

/// `nobody`: who runs the cluster when the tests run as root.
const UNPRIVILEGED: u32 = 65534;

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);
static CLUSTERS: AtomicU32 = AtomicU32::new(0);

/// The test process's cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER
        .get_or_init(|| Cluster::start(false).unwrap_or_else(|e| panic!("the throwaway PostgreSQL did not start: {e}")))
}

/// A cluster of the calling test's alone, for a test that stops the server (`stop_now`): each
/// COMMIT is acknowledged once its log is written, as on a clinic's server (the shared one
/// answers before that, for speed, and may lose its last commits in a crash).
pub fn separate_cluster() -> Cluster {
    Cluster::start(true).unwrap_or_else(|e| panic!("a throwaway PostgreSQL did not start: {e}"))
}

impl Cluster {
    fn start(durable: bool) -> Result<Cluster, String> {
        let bin = server_programs()?;
        let n = CLUSTERS.fetch_add(1, Ordering::Relaxed);
        let folder = std::env::temp_dir().join(format!("clinic-journey-postgres-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
        let as_root = is_root();
        let data = folder.join("data");
        let superuser_password = uuid::Uuid::new_v4().simple().to_string();
        std::fs::write(folder.join("password"), &superuser_password).map_err(|e| e.to_string())?;
        self_signed_certificate(&folder)?;
        if as_root {
            for entry in ["", "password", "server.key", "server.crt"] {
                std::os::unix::fs::chown(folder.join(entry), Some(UNPRIVILEGED), Some(UNPRIVILEGED))
                    .map_err(|e| e.to_string())?;
            }
        }
        run(
            as_root,
            &folder,
            bin.join("initdb"),
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                &format!("--pwfile={}", folder.join("password").display()),
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        )?;
        let port = free_port()?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c ssl=on \
             -c ssl_cert_file={folder}/server.crt -c ssl_key_file={folder}/server.key -c fsync=off \
             -c synchronous_commit={commit} -c full_page_writes=off",
            folder = folder.display(),
            commit = if durable { "on" } else { "off" },
        );
        run(
            as_root,
            &folder,
            bin.join("pg_ctl"),
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &folder.join("log").to_string_lossy(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        )?;
        stop_when_done(as_root, &bin, &folder)?;
        Ok(Cluster { port, superuser_password, folder, programs: bin, options, as_root })
    }

    /// Stops the server at once, as a power cut or a crash does (`pg_ctl stop -m immediate`):
    /// every connection ends, and what was not committed is gone.
    pub fn stop_now(&self) {
        self.pg_ctl(&["stop", "-m", "immediate"]).expect("the server stops");
    }

    /// Starts the server again on its port (it recovers from its log first).
    pub fn restart(&self) {
        self.pg_ctl(&["-o", &self.options, "-w", "start"]).expect("the server starts again");
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let data = self.folder.join("data");
        let log = self.folder.join("log");
        let mut all = vec!["-D", data.to_str().unwrap_or_default(), "-l", log.to_str().unwrap_or_default()];
        all.extend_from_slice(args);
        run(self.as_root, &self.folder, self.programs.join("pg_ctl"), &all)
    }

    /// The cluster's superuser on its `postgres` database (to make roles and databases).
    pub fn superuser(&self) -> ServerAddress {
        self.address("postgres", "postgres", &self.superuser_password)
    }

    /// A new empty database owned by a new role of its own that may create roles (the
    /// administrator's, as the README's set-up makes it); the address carries its password.
    pub fn new_database(&self) -> ServerAddress {
        let n = DATABASES.fetch_add(1, Ordering::Relaxed);
        let (role, database) = (format!("owner_{n}"), format!("clinic_{n}"));
        let password = uuid::Uuid::new_v4().simple().to_string();
        let mut admin = super::connect(&self.superuser()).expect("superuser connects");
        // One statement each: CREATE DATABASE cannot share a transaction.
        admin.batch_execute(&format!("CREATE ROLE {role} LOGIN CREATEROLE PASSWORD '{password}'")).expect("role made");
        admin.batch_execute(&format!("CREATE DATABASE {database} OWNER {role}")).expect("database made");
        self.address(&role, &database, &password)
    }

    pub fn address(&self, role: &str, database: &str, password: &str) -> ServerAddress {
        ServerAddress::parse(&format!("postgres://{role}@127.0.0.1:{}/{database}", self.port), Some(password))
            .expect("a throwaway address parses")
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

/// Debian keeps each major version's programs in /usr/lib/postgresql/N/bin; the newest wins.
fn server_programs() -> Result<PathBuf, String> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| "PostgreSQL's server is not installed (`make test` installs the postgresql package)".to_string())?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin".to_string())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.starts_with(b"0\n"))
}

/// Runs a PostgreSQL program, as `nobody` when the tests run as root.
fn run(as_root: bool, folder: &Path, program: PathBuf, args: &[&str]) -> Result<(), String> {
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid", &UNPRIVILEGED.to_string(), "--regid", &UNPRIVILEGED.to_string(), "--clear-groups", "--"]);
        c.arg(&program);
        c
    } else {
        Command::new(&program)
    };
    let out = command
        .args(args)
        .current_dir(folder)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(folder.join("log")).unwrap_or_default();
        return Err(format!(
            "{} failed: {}{}\n{log}",
            program.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

fn self_signed_certificate(folder: &Path) -> Result<(), String> {
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"])
        .args(["-keyout", "server.key", "-out", "server.crt"])
        .current_dir(folder)
        .output()
        .map_err(|e| format!("openssl: {e}"))?;
    if !out.status.success() {
        return Err(format!("openssl req failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(folder.join("server.key"), std::fs::Permissions::from_mode(0o600))
        .map_err(|e| e.to_string())
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A watcher outside the test process: when the process has gone, the cluster stops at once
/// and its folder is removed (tests have no hook that runs after the last one).
fn stop_when_done(as_root: bool, bin: &Path, folder: &Path) -> Result<(), String> {
    let stop = format!(
        "{} {}/pg_ctl -D {}/data stop -m immediate",
        if as_root {
            format!("setpriv --reuid {UNPRIVILEGED} --regid {UNPRIVILEGED} --clear-groups --")
        } else {
            String::new()
        },
        bin.display(),
        folder.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {folder}",
        pid = std::process::id(),
        folder = folder.display()
    );
    Command::new("sh")
        .args(["-c", &script])
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| format!("the cluster's watcher: {e}"))
}

/// A loopback link between a desk and the cluster that a test can cut: the way a network
/// cable is pulled or a switch restarts. It passes bytes both ways and counts those the desk
/// sends; cut, it drops every open connection (and any new one) until restored.
#[derive(Clone)]
pub struct Link {
    port: u16,
    state: std::sync::Arc<LinkState>,
}

#[derive(Default)]
struct LinkState {
    cut: std::sync::atomic::AtomicBool,
    /// Bytes from desks to the server so far; cut when it reaches `cut_at` (0: never).
    sent: std::sync::atomic::AtomicU64,
    cut_at: std::sync::atomic::AtomicU64,
    /// Drop the desk's side of its connection once its next bytes are delivered.
    drop_after_send: std::sync::atomic::AtomicBool,
    open: std::sync::Mutex<Vec<std::net::TcpStream>>,
}

impl LinkState {
    fn cut_all(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for stream in self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

impl Link {
    /// A link to the test process's cluster.
    pub fn to_cluster() -> Link {
        Link::to(cluster())
    }

    /// A link to `cluster`.
    pub fn to(cluster: &Cluster) -> Link {
        let upstream = cluster.port;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let state = std::sync::Arc::new(LinkState::default());
        let shared = state.clone();
        std::thread::spawn(move || {
            for desk in listener.incoming().flatten() {
                if shared.cut.load(Ordering::SeqCst) {
                    continue;
                }
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else { continue };
                // As a switch would: each packet passed on at once (no Nagle delay added).
                let _ = (desk.set_nodelay(true), server.set_nodelay(true));
                let mut open = shared.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                open.extend([desk.try_clone(), server.try_clone()].into_iter().flatten());
                drop(open);
                pump(desk.try_clone().ok(), server.try_clone().ok(), Some(shared.clone()));
                pump(Some(server), Some(desk), None);
            }
        });
        Link { port, state }
    }

    /// `address`, reached through this link.
    pub fn address(&self, address: &ServerAddress) -> ServerAddress {
        let password = address.config().get_password().map(|p| String::from_utf8_lossy(p).into_owned());
        ServerAddress::parse(
            &format!("postgres://{}@127.0.0.1:{}/{}", address.role(), self.port, address.database()),
            password.as_deref(),
        )
        .expect("a link's address parses")
    }

    /// Pulls the cable: every connection through the link ends, and new ones are dropped.
    pub fn cut(&self) {
        self.state.cut_all();
    }

    /// Pulls the cable once the desks have sent `bytes` more.
    pub fn cut_after(&self, bytes: u64) {
        self.state.cut_at.store(self.sent() + bytes, Ordering::SeqCst);
    }

    pub fn restore(&self) {
        self.state.cut_at.store(0, Ordering::SeqCst);
        self.state.cut.store(false, Ordering::SeqCst);
    }

    /// Puts the cable back after `wait`, from another thread.
    pub fn restore_after(&self, wait: std::time::Duration) {
        let state = self.state.clone();
        std::thread::spawn(move || {
            std::thread::sleep(wait);
            state.cut_at.store(0, Ordering::SeqCst);
            state.cut.store(false, Ordering::SeqCst);
        });
    }

    /// Lets the next bytes a desk sends reach the server, then drops that desk's connection
    /// before any reply gets back (the reply to a COMMIT lost on its way); new connections go
    /// through.
    pub fn drop_reply_to_next_send(&self) {
        self.state.drop_after_send.store(true, Ordering::SeqCst);
    }

    /// Bytes the desks have sent through the link so far.
    pub fn sent(&self) -> u64 {
        self.state.sent.load(Ordering::SeqCst)
    }
}

/// Copies one direction of a connection; the desk-to-server side counts (and may cut).
fn pump(
    from: Option<std::net::TcpStream>,
    to: Option<std::net::TcpStream>,
    counted: Option<std::sync::Arc<LinkState>>,
) {
    let (Some(mut from), Some(mut to)) = (from, to) else { return };
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if let Some(state) = &counted {
                let sent = state.sent.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
                let cut_at = state.cut_at.load(Ordering::SeqCst);
                if state.cut.load(Ordering::SeqCst) || (cut_at > 0 && sent >= cut_at) {
                    state.cut_all();
                    break;
                }
            }
            // A reply to lose: the desk's side goes first, so no reply can reach it however fast
            // the server answers; the server still gets the bytes, and its side ends once it has
            // replied (as a lost packet would leave it).
            let lose_reply = counted.as_ref().is_some_and(|s| s.drop_after_send.swap(false, Ordering::SeqCst));
            if lose_reply {
                let _ = from.shutdown(std::net::Shutdown::Both);
            }
            if to.write_all(&buffer[..n]).is_err() {
                break;
            }
            if lose_reply {
                return;
            }
        }
        let _ = to.shutdown(std::net::Shutdown::Both);
        let _ = from.shutdown(std::net::Shutdown::Both);
    });
}
