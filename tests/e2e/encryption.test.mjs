// End to end, encryption at rest from the window: the administrator encrypts the clinic's
// data on the Backups page, changes its passphrase and stores it plain again; the window goes
// on working after each step, and the file is what the page says (the command line reads its
// header). Mismatched passphrases are refused beside the field with Rust's reason.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const FIRST = "a long first passphrase";
const SECOND = "and a second, longer one";

describe("encryption from the window", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir({ demo: true });
    app = await Session.start(data.dir);
    await app.call("POST", "/window/rect", { width: 1280, height: 900 });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  const textMatching = (css, pattern) =>
    app.waitFor(async () => pattern.test(await app.text(css)), `${css} to read ${pattern}`, 30_000);
  const encrypted = () => JSON.parse(cli(data.dir, ["encryption", "status", "--json"])).encrypted;

  it("encrypts, changes the passphrase and decrypts, the window working throughout", async () => {
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-backup]");
    await app.find("[data-testid=encryption-panel]");

    await app.type("[data-testid=encryption-new]", FIRST);
    await app.type("[data-testid=encryption-repeat]", "something else entirely");
    await app.click("[data-testid=encryption-enable]");
    await textMatching("[data-testid=encryption-field-error]", /The two new passphrases differ/);
    assert.equal(encrypted(), false);

    await app.type("[data-testid=encryption-repeat]", FIRST);
    await app.click("[data-testid=encryption-enable]");
    await textMatching("[data-testid=encryption-notice]", /encrypted now/);
    assert.equal(encrypted(), true);
    if (SHOTS) await app.screenshot(join(SHOTS, "encryption-on.png"));

    // The window reads and writes the encrypted clinic: a backup now, from the same page.
    await app.click("[data-testid=backup-now]");
    await textMatching("[data-testid=backup-notice]", /Backup written and checked/);

    await app.type("[data-testid=encryption-current]", "not the passphrase");
    await app.type("[data-testid=encryption-new]", SECOND);
    await app.type("[data-testid=encryption-repeat]", SECOND);
    await app.click("[data-testid=encryption-rekey]");
    await textMatching("[data-testid=encryption-field-error]", /does not open the clinic's data/);
    await app.type("[data-testid=encryption-current]", FIRST);
    await app.click("[data-testid=encryption-rekey]");
    await textMatching("[data-testid=encryption-notice]", /passphrase is changed/);
    const opened = cli(data.dir, ["patients", "list", "--limit", "1", "--json"], null, { CLINIC_JOURNEY_PASSPHRASE: SECOND });
    assert.ok(JSON.parse(opened).total > 0);

    await app.type("[data-testid=encryption-current]", SECOND);
    await app.click("[data-testid=encryption-disable]");
    await textMatching("[data-testid=encryption-notice]", /unencrypted now/);
    assert.equal(encrypted(), false);
    await app.click("[data-testid=nav-today]");
    await app.find("[data-testid=nav-today][aria-current=page]");
  });
});
