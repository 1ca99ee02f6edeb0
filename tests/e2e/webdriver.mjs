// A small W3C WebDriver client over fetch: enough to drive the app through tauri-driver.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const DRIVER = process.env.TAURI_DRIVER_URL ?? "http://127.0.0.1:4444";
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const APP = process.env.CLINIC_JOURNEY_BIN;

async function request(method, path, body, driver = DRIVER) {
  const response = await fetch(`${driver}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok || json.value?.error) {
    throw new Error(`${method} ${path}: ${json.value?.error ?? response.status} ${json.value?.message ?? ""}`);
  }
  return json.value;
}

/** A fresh data folder, optionally filled with the demo clinic by the app's own CLI (on a
 * clock set to `now`, an RFC 3339 instant, when given). */
export function dataDir({ demo = false, now = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "clinic-journey-e2e-"));
  if (demo) cli(dir, ["demo", "--patients", "40", "--days", "3", "--seed", "7"], now);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the app's CLI on a data folder; returns its standard output. `env` adds variables
 * (a PIN: never on the command line). */
export function cli(dir, args, now = null, env = {}) {
  const clock = now ? ["--now", now] : [];
  return execFileSync(APP, [...args, "--data-dir", dir, ...clock], { encoding: "utf8", env: { ...process.env, ...env } });
}

export class Session {
  /** Opens the app on `dir`; with `now`, its clock starts at that instant; `args` adds to its
   * command line (a clinic server); `driver` is another tauri-driver (a second window). */
  static async start(dir, { now = null, args: more = [], driver = DRIVER } = {}) {
    const args = ["--data-dir", dir, ...(now ? ["--now", now] : []), ...more];
    const value = await request(
      "POST",
      "/session",
      { capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application: APP, args } } } },
      driver,
    );
    const session = new Session(value.sessionId, driver);
    await session.waitFor(async () => (await session.script("return document.readyState")) === "complete");
    return session;
  }

  constructor(id, driver = DRIVER) {
    this.id = id;
    this.driver = driver;
  }

  call(method, path, body) {
    return request(method, `/session/${this.id}${path}`, body, this.driver);
  }

  async stop() {
    await this.call("DELETE", "").catch(() => {});
  }

  script(source, ...args) {
    return this.call("POST", "/execute/sync", { script: source, args });
  }

  /** Polls `check` until it returns something truthy; fails with `what` after `ms`. */
  async waitFor(check, what = "condition", ms = 10_000) {
    const deadline = Date.now() + ms;
    let last;
    while (Date.now() < deadline) {
      try {
        const value = await check();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
  }

  async find(css) {
    return this.waitFor(async () => {
      const found = await this.call("POST", "/elements", { using: "css selector", value: css });
      return found.length ? found[0][ELEMENT] : null;
    }, css);
  }

  async findAll(css) {
    const found = await this.call("POST", "/elements", { using: "css selector", value: css });
    return found.map((e) => e[ELEMENT]);
  }

  async click(css) {
    const element = await this.find(css);
    // Centred first: WebKitWebDriver's own scrolling leaves an element at the very edge of a
    // nested scroller, where it counts as not interactable.
    await this.script("arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });", { [ELEMENT]: element });
    await this.call("POST", `/element/${element}/click`, {});
  }

  /** Replaces a field's value the way typing would, firing input and change events. */
  async type(css, text) {
    const element = await this.find(css);
    await this.call("POST", `/element/${element}/clear`, {});
    await this.call("POST", `/element/${element}/value`, { text });
  }

  /** Sets a <select> or date input directly and tells the page, as a user's choice would. */
  async choose(css, value) {
    const element = await this.find(css);
    await this.script(
      "const el = arguments[0]; el.value = arguments[1]; el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
      { [ELEMENT]: element },
      value,
    );
  }

  async text(css) {
    return this.call("GET", `/element/${await this.find(css)}/text`);
  }

  /** The rendered text of every element matching `css` (also of those scrolled out of view). */
  async texts(css) {
    return this.script("return Array.from(document.querySelectorAll(arguments[0]), (e) => e.innerText);", css);
  }

  async screenshot(path) {
    // WebKitWebDriver takes the shot at the page's next paint, and a screen with no timer on
    // it (the start-up problem page) may never paint again: nudge a few frames meanwhile.
    await this.script(
      "let n = 0; const nudge = setInterval(() => { document.documentElement.style.opacity = n++ % 2 ? '1' : '0.999'; if (n > 60) { clearInterval(nudge); document.documentElement.style.opacity = ''; } }, 30);",
    );
    writeFileSync(path, Buffer.from(await this.call("GET", "/screenshot"), "base64"));
  }
}
