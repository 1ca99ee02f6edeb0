// A throwaway PostgreSQL for the end-to-end tests of the clinic server: its own folder, port
// and socket; run as `nobody` when the tests run as root (PostgreSQL refuses root). Local
// trust and no TLS: these tests are about desks sharing one clinic (the Rust tests cover the
// server's sign-in and encryption).
import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function programs() {
  const versions = readdirSync("/usr/lib/postgresql").map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  if (!versions.length) throw new Error("PostgreSQL's server is not installed (make test installs it)");
  return join("/usr/lib/postgresql", String(versions.at(-1)), "bin");
}

function run(program, args) {
  const [command, prefix] = asRoot
    ? ["setpriv", ["--reuid", String(NOBODY), "--regid", String(NOBODY), "--clear-groups", "--", program]]
    : [program, []];
  return execFileSync(command, [...prefix, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a cluster with an empty database `clinic`; `url` is a desk's address of it. */
export async function startPostgres() {
  const bin = programs();
  const folder = mkdtempSync(join(tmpdir(), "clinic-journey-e2e-postgres-"));
  if (asRoot) chownSync(folder, NOBODY, NOBODY);
  const data = join(folder, "data");
  run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${folder} -c fsync=off`;
  const ctl = (...args) => run(join(bin, "pg_ctl"), ["-D", data, "-l", join(folder, "log"), ...args]);
  const start = () => ctl("-o", options, "-w", "start");
  start();
  run(join(bin, "psql"), ["-h", folder, "-p", String(port), "-U", "postgres", "-c", "CREATE DATABASE clinic"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/clinic?sslmode=disable`,
    /** The server gone at once, as a power cut leaves it. */
    stopNow: () => ctl("stop", "-m", "immediate"),
    start,
    remove() {
      try {
        ctl("stop", "-m", "immediate");
      } catch {
        // Stopped already.
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
