// End to end: a second launch on the same database brings the running window forward and
// exits, instead of running a second scheduler on the same file; another data folder (a
// training copy) runs beside it. Needs a D-Bus session bus, as a desktop has: this test
// starts its own.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { APP, dataDir } from "./webdriver.mjs";

function sessionBus() {
  return new Promise((resolve, reject) => {
    const daemon = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "ignore"] });
    daemon.stdout.once("data", (chunk) => resolve({ daemon, address: chunk.toString().trim() }));
    daemon.once("error", reject);
  });
}

function launch(dir, env) {
  const child = spawn(APP, ["--data-dir", dir], { env, stdio: "ignore" });
  child.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  return child;
}

/** Resolves with the exit code, or "running" if the process is still up after `ms`. */
function outcomeWithin(child, ms) {
  return Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve("running"), ms))]);
}

async function until(check, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function log(dir) {
  const folder = join(dir, "logs");
  if (!existsSync(folder)) return "";
  return readdirSync(folder).map((f) => readFileSync(join(folder, f), "utf8")).join("");
}

describe("one window per database", () => {
  let bus;
  const running = [];
  const folders = [];
  before(async () => {
    bus = await sessionBus();
  });
  after(() => {
    for (const child of running) child.kill("SIGTERM");
    bus?.daemon.kill();
    for (const data of folders) data.remove();
  });

  it("forwards a second launch on the same file to the first, and lets another folder run", async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
    const clinic = dataDir();
    const training = dataDir();
    folders.push(clinic, training);

    const first = launch(clinic.dir, env);
    running.push(first);
    await until(() => log(clinic.dir).includes("database opened"), "the first window");
    // The name is taken in the plugin's set-up, right after the database opens.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const second = launch(clinic.dir, env);
    running.push(second);
    assert.equal(await outcomeWithin(second, 20_000), 0, "the second launch handed over and ended");

    const other = launch(training.dir, env);
    running.push(other);
    assert.equal(await outcomeWithin(other, 4000), "running", "another data folder is another window");
    assert.equal(await outcomeWithin(first, 0), "running", "the first window is still there");
  });
});
