// End to end, the service blueprint on the demo clinic: the drawing with its lanes and lines,
// the live overlay marking the bottleneck, and an edited duty saved as a new version.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const NOW = "2026-11-24T10:30:00+02:00";

describe("the service blueprint", () => {
  let data;
  let app;
  before(() => {
    data = dataDir({ demo: true, now: NOW });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  it("draws the blueprint, marks the bottleneck with the overlay on, and saves an edited duty as a new version", async () => {
    app = await Session.start(data.dir, { now: NOW });
    await app.click("[data-testid=nav-blueprint]");
    await app.find("[data-testid=blueprint-canvas] svg");
    const labels = await app.script(`return [...document.querySelectorAll("[data-testid=blueprint-canvas] svg g.line text")].map((t) => t.textContent);`);
    assert.deepEqual(labels, ["Line of interaction", "Line of visibility", "Line of internal interaction"]);
    assert.equal(await app.text("[data-testid=blueprint-version]"), "Version 1");
    if (SHOTS) await app.screenshot(join(SHOTS, "blueprint.png"));

    await app.click("[data-testid=blueprint-overlay]");
    const marked = await app.waitFor(
      () => app.script(`return document.querySelector("[data-testid=blueprint-canvas] svg g.stage.bottleneck")?.dataset.stageKey ?? null;`),
      "a stage marked as the bottleneck",
    );
    assert.match(await app.text("[data-testid=bottleneck-chip]"), /Bottleneck/);
    await app.click("[data-testid=bottleneck-chip]");
    assert.match(await app.text("[data-testid=stage-figures]"), /Bottleneck/);
    if (SHOTS) await app.screenshot(join(SHOTS, "blueprint-overlay.png"));

    // Edit the first duty of the bottleneck stage and save: version 2.
    await app.type("[data-testid=cell-text]", "Tell waiting patients how long the delay is, every 10 minutes");
    await app.click("[data-testid=blueprint-save]");
    await app.waitFor(async () => (await app.text("[data-testid=blueprint-version]")) === "Version 2", "version 2 after saving");
    assert.match(await app.text("[data-testid=blueprint-notice]"), /version 2/);
    const drawn = await app.script(`return document.querySelector("[data-testid=blueprint-canvas] svg").textContent;`);
    assert.ok(drawn.includes("Tell waiting patients how long"), `the new text is drawn (bottleneck was ${marked})`);
  });
});
