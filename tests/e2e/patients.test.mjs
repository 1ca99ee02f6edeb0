// End to end, the patients list: every patient of a 400-patient clinic is reachable by
// scrolling, in the order Rust sorts them (the clinic language's alphabet).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { cli, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;

describe("the patients list", () => {
  let dir;
  let app;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "clinic-journey-e2e-"));
    cli(dir, ["demo", "--patients", "400", "--days", "2", "--seed", "11"]);
    app = await Session.start(dir);
    await app.call("POST", "/window/rect", { width: 1280, height: 800 });
  });
  after(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("scrolls to the last of 400 patients, in Rust's order", async () => {
    const all = JSON.parse(cli(dir, ["patients", "list", "--limit", "1000", "--json"]));
    assert.equal(all.total, 400);
    const last = all.items.at(-1).patient;
    const first = all.items[0].patient;

    await app.click("[data-testid=nav-patients]");
    await app.waitFor(async () => /400/.test(await app.text("[data-testid=patient-count]")), "the count of all 400");
    const firstRow = await app.waitFor(async () => (await app.texts("[data-testid=patient-row]"))[0], "the first row");
    assert.match(firstRow, new RegExp(`${first.family_name}, ${first.given_name}`));

    await app.script("const list = document.querySelector('[data-testid=patient-list]'); list.scrollTop = list.scrollHeight; list.dispatchEvent(new Event('scroll'));");
    const bottom = await app.waitFor(async () => {
      const texts = await app.texts("[data-testid=patient-row]");
      return texts.some((t) => t.includes(`${last.family_name}, ${last.given_name}`)) && texts;
    }, "the last patient after scrolling to the end");
    assert.ok(bottom.length < 60, `only the rows in view are drawn (${bottom.length})`);
    if (SHOTS) await app.screenshot(join(SHOTS, "patients-end.png"));
  });
});
