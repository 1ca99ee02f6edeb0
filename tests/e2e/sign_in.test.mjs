// End to end, sign-in and roles: two staff members sign in in turn at one desk; the front desk
// is refused a journey edit with Rust's reason, the administrator's edit goes through and shows
// in the audit log under their name. Nothing of the clinic shows before anyone signs in.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;

describe("sign-in and roles", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir({ demo: true });
    cli(data.dir, ["staff", "add", "--name", "Marta Ozola", "--role", "admin"]);
    cli(data.dir, ["staff", "add", "--name", "Ilze Kalna", "--role", "front_desk"]);
    cli(data.dir, ["staff", "pin", "--name", "Marta Ozola"], null, { CLINIC_JOURNEY_NEW_PIN: "2468" });
    cli(data.dir, ["--as", "Marta Ozola", "staff", "pin", "--name", "Ilze Kalna"], null, {
      CLINIC_JOURNEY_PIN: "2468",
      CLINIC_JOURNEY_NEW_PIN: "1357",
    });
    app = await Session.start(data.dir);
    await app.call("POST", "/window/rect", { width: 1280, height: 900 });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  const textMatching = (css, pattern) =>
    app.waitFor(async () => pattern.test(await app.text(css)), `${css} to read ${pattern}`);

  const signedInAs = (name) =>
    app.waitFor(async () => (await app.texts("[data-testid=signed-in-name]"))[0] === name, `${name} signed in`);

  async function signIn(name, pin) {
    await app.find("[data-testid=sign-in]");
    await app.script(
      "Array.from(document.querySelectorAll('[data-testid=sign-in-person]')).find((b) => b.innerText.includes(arguments[0])).click();",
      name,
    );
    await app.type("[data-testid=sign-in-pin]", pin);
    await app.click("[data-testid=sign-in-submit]");
  }

  async function renameFirstJourney(name) {
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-journeys]");
    await app.click("[data-testid=journey-rename-start]");
    await app.type("[data-testid=journey-rename]", name);
    await app.click("[data-testid=journey-rename-save]");
  }

  it("the front desk is refused a journey edit, the administrator's edit is in the audit log", async () => {
    // Before sign-in: only the sign-in screen, no navigation and no clinic data.
    await app.find("[data-testid=sign-in]");
    assert.equal(await app.script("return document.querySelectorAll('[data-testid=nav-today]').length"), 0);
    if (SHOTS) await app.screenshot(join(SHOTS, "sign-in.png"));

    await signIn("Ilze Kalna", "0000");
    await textMatching("[data-testid=sign-in-error]", /not Ilze Kalna's PIN \(4 tries left/);
    await app.type("[data-testid=sign-in-pin]", "1357");
    await app.click("[data-testid=sign-in-submit]");
    await signedInAs("Ilze Kalna");

    await renameFirstJourney("Renamed at the front desk");
    await app.waitFor(
      async () => /As Front desk you may not do this \(journeys and reminder rules\): ask an administrator/.test(
        await app.script("return document.querySelector('[data-testid=journeys-page] .field-error')?.innerText ?? ''"),
      ),
      "the role refusal beside the name",
    );
    // The audit log is not offered to the front desk.
    assert.equal(await app.script("return document.querySelectorAll('[data-testid=settings-audit]').length"), 0);
    if (SHOTS) await app.screenshot(join(SHOTS, "sign-in-refused.png"));

    await app.click("[data-testid=switch-user]");
    await signIn("Marta Ozola", "2468");
    await signedInAs("Marta Ozola");
    await renameFirstJourney("Check-up, renamed");
    await app.waitFor(
      async () => (await app.texts("[data-testid=journey-row] strong")).includes("Check-up, renamed"),
      "the renamed journey",
    );

    await app.click("[data-testid=settings-audit]");
    await app.find("[data-testid=audit-row]");
    const firstRename = await app.script(
      "const row = Array.from(document.querySelectorAll('[data-testid=audit-row]')).find((r) => r.querySelector('[data-testid=audit-action]').innerText === 'renamed'); return row ? row.querySelector('[data-testid=audit-who]').innerText : null;",
    );
    assert.equal(firstRename, "Marta Ozola");
    if (SHOTS) await app.screenshot(join(SHOTS, "audit-log.png"));
  });
});
