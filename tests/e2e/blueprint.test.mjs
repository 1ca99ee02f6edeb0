// End to end, the service blueprint on the demo clinic: the drawing with its lanes and lines,
// the live overlay marking the bottleneck, an edited duty and an edited reminder rule each saved
// as a new version, and deleting a stage the flow board and other rules depend on.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readFileSync, rmSync } from "node:fs";
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

  it("edits a stage's reminder rule into the next version", async () => {
    await openStage("confirmation");
    assert.match(await app.text("[data-testid=rule-summary]"), /Confirmation call\s*Call · 2 working days before the visit starts · Front desk · up to 3 tries, every 2 h/);
    await app.click("[data-testid=rule-summary] button");
    await app.type("[data-testid=rule-amount]", "3");
    await app.type("[data-testid=rule-retry]", "90");
    if (SHOTS) await app.screenshot(join(SHOTS, "blueprint-rule-editor.png"));
    await app.click("[data-testid=rule-done]");
    assert.match(await app.text("[data-testid=rule-summary]"), /3 working days before the visit starts · Front desk · up to 3 tries, every 90 min/);
    if (SHOTS) await app.screenshot(join(SHOTS, "blueprint-rules.png"));
    await app.click("[data-testid=blueprint-save]");
    await app.waitFor(async () => (await app.text("[data-testid=blueprint-version]")) === "Version 3", "version 3 after saving the rule");

    await openStage("confirmation");
    assert.match(await app.text("[data-testid=rule-summary]"), /3 working days before .* every 90 min/, "the saved rule comes back from the store");
  });

  it("asks before deleting a stage the flow board follows, and refuses while other rules count from it", async () => {
    await openStage("check_out");
    await app.click("[data-testid=stage-delete]");
    const warning = await app.text("[data-testid=stage-delete-confirm]");
    assert.match(warning, /“Check-out” column follows this stage/);
    assert.match(warning, /First change “Follow-up call”/);
    assert.equal(await app.script(`return document.querySelector("[data-testid=stage-delete-yes]").disabled;`), true);
    if (SHOTS) await app.screenshot(join(SHOTS, "blueprint-delete.png"));
  });

  it("exports the blueprint as a PDF for the wall", async () => {
    await app.click("[data-testid=blueprint-export-pdf]");
    const notice = await app.waitFor(async () => {
      const [text, error] = await app.script(`return [document.querySelector("[data-testid=blueprint-notice]")?.innerText ?? "", document.querySelector(".error-panel")?.innerText ?? ""];`);
      if (error) throw new Error(error);
      return text.includes(".pdf") ? text : null;
    }, "the saved PDF's path");
    const path = notice.slice(notice.indexOf("/"));
    try {
      assert.equal(readFileSync(path).subarray(0, 5).toString(), "%PDF-");
    } finally {
      rmSync(path, { force: true });
    }
  });

  it("lists each role's duties for today, what is left first", async () => {
    await app.click("[data-testid=blueprint-duties]");
    const count = () => app.script(`return document.querySelectorAll("[data-testid=role-duties][data-role=front_desk] li").length;`);
    const left = await app.waitFor(count, "the front desk's duties");
    assert.equal(await app.script(`return document.querySelectorAll("[data-testid=duties-panel] li.done").length;`), 0, "done duties are hidden at first");
    assert.match(await app.text("[data-testid=role-duties][data-role=front_desk] h3"), new RegExp(`${left} of \\d+ to do`));
    await app.click("[data-testid=duties-show-done]");
    assert.ok((await count()) > left, "done duties shown on request");
  });

  /** Clicks a stage's heading in the drawing and waits for its panel. */
  async function openStage(key) {
    await app.script(
      `document.querySelector('[data-testid=blueprint-canvas] g.stage[data-stage-key="${key}"]').dispatchEvent(new MouseEvent("click", { bubbles: true }));`,
    );
    await app.find("[data-testid=stage-panel]");
  }
});
