// End to end, backups: the administrator takes a copy from Settings, the clinic changes (here
// from the command line), and restoring the copy after its preview brings the clinic back; a
// file that is no backup is refused beside the field with Rust's reason.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;

describe("backup and restore", () => {
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

  /** Waits until the element's text matches `pattern` (the page updates after Rust answers). */
  const textMatching = (css, pattern) =>
    app.waitFor(async () => pattern.test(await app.text(css)), `${css} to read ${pattern}`);
  const clinicName = () => JSON.parse(cli(data.dir, ["clinic", "show", "--json"])).name;

  it("takes a copy, previews it and restores it", async () => {
    const original = clinicName();
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-backup]");
    await app.find("[data-testid=backup-page]");
    // The default folder is beside the database: the page says what that risks.
    await app.find("[data-testid=backup-same-disk]");

    await app.click("[data-testid=backup-now]");
    await textMatching("[data-testid=backup-notice]", /Backup written and checked: .*clinic-journey-\d{8}-\d{6}/);
    await textMatching("[data-testid=backup-last]", /Last backup: .*checked/);

    // A file that is no backup: refused beside the field, nothing shown to restore.
    await app.type("[data-testid=backup-other-file]", join(data.dir, "clinic-journey.sqlite3"));
    await app.script(`document.querySelector("[data-testid=backup-other-file]").form.requestSubmit();`);
    await textMatching("[data-testid=backup-file-error]", /the clinic's own database, not a copy of it/);

    cli(data.dir, ["clinic", "set", "--name", "Renamed after the backup"]);
    // The newest copy is the one just taken (the list is newest first).
    await app.click("[data-testid=backup-restore-pick]");
    await app.find("[data-testid=backup-preview]");
    assert.equal(await app.text("[data-testid=backup-preview-clinic]"), `${original} (Europe/Riga)`);
    assert.equal(await app.text("[data-testid=backup-preview-patients]"), "40");
    if (SHOTS) await app.screenshot(join(SHOTS, "backup-preview.png"));
    await app.click("[data-testid=backup-restore]");
    await textMatching("[data-testid=backup-notice]", /Restored\. What the clinic had before is kept in .*-before-restore\.sqlite3/);
    assert.equal(clinicName(), original);
    if (SHOTS) await app.screenshot(join(SHOTS, "backup-restored.png"));
  });
});
