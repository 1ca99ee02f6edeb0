// End to end: a database the app cannot open still gets a window that says what happened and
// what to do, in the window's language, and opens the app once the problem is gone.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openSync, readSync, rmSync, closeSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { APP, cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const DATABASE = "clinic-journey.sqlite3";

describe("a database that cannot be opened", () => {
  const folders = [];
  let app;
  after(async () => {
    await app?.stop();
    for (const data of folders) data.remove();
  });

  it("names a damaged file, says what to do, and opens a new database once the file is gone", async () => {
    const data = dataDir();
    folders.push(data);
    writeFileSync(join(data.dir, DATABASE), "These are not the records you are looking for. ".repeat(200));
    app = await Session.start(data.dir);
    const problem = await app.find("[data-testid=startup-problem]");
    assert.ok(problem);
    assert.match(await app.text("[data-testid=startup-message]"), /The database file is damaged/);
    const page = await app.text("[data-testid=startup-problem]");
    assert.match(page, /restore your latest backup/);
    assert.ok(page.includes(join(data.dir, DATABASE)), page);
    if (SHOTS) await app.screenshot(join(SHOTS, "startup-damaged.png"));

    // The damaged file is moved away; Try again opens a new database with the welcome card.
    rmSync(join(data.dir, DATABASE));
    await app.click("[data-testid=startup-retry]");
    await app.find("[data-testid=welcome]");
    assert.deepEqual(await app.findAll("[data-testid=startup-problem]"), []);
    await app.stop();
    app = null;
  });

  it("tells a database from a newer version apart, in Russian too", async () => {
    const data = dataDir();
    folders.push(data);
    cli(data.dir, ["info"]);
    // user_version lives at byte 60 of the header: make it a version this app does not know.
    const file = openSync(join(data.dir, DATABASE), "r+");
    const header = Buffer.alloc(100);
    readSync(file, header, 0, 100, 0);
    header.writeUInt32BE(99, 60);
    writeSync(file, header, 0, 100, 0);
    closeSync(file);

    app = await Session.start(data.dir);
    await app.find("[data-testid=startup-problem]");
    assert.match(await app.text("[data-testid=startup-message]"), /newer version of Clinic Journey \(database version 99/);
    await app.choose("[data-testid=language]", "ru");
    await app.waitFor(async () => /более новой версией/.test(await app.text("[data-testid=startup-message]")), "the Russian message");
    if (SHOTS) await app.screenshot(join(SHOTS, "startup-newer-ru.png"));
    // The language is kept on this desk: back to English for the tests after this one.
    await app.choose("[data-testid=language]", "en");
  });

  it("asks for the passphrase of an encrypted clinic, refuses a wrong one and opens with the right one", async () => {
    const data = dataDir({ demo: true });
    folders.push(data);
    const passphrase = "the clinic's long passphrase";
    execFileSync(APP, ["encryption", "enable", "--data-dir", data.dir], {
      env: { ...process.env, CLINIC_JOURNEY_NEW_PASSPHRASE: passphrase },
    });
    await app?.stop();
    app = await Session.start(data.dir);
    await app.find("[data-testid=startup-passphrase]");
    assert.match(await app.text("[data-testid=startup-message]"), /encrypted: enter its passphrase/);
    await app.type("[data-testid=startup-passphrase]", "not the passphrase");
    await app.click("[data-testid=startup-retry]");
    await app.waitFor(async () => /does not open/.test(await app.text("[data-testid=startup-message]")), "the wrong passphrase refused");
    if (SHOTS) await app.screenshot(join(SHOTS, "startup-locked.png"));
    await app.type("[data-testid=startup-passphrase]", passphrase);
    await app.click("[data-testid=startup-retry]");
    await app.find("[data-testid=nav-today]");
    assert.deepEqual(await app.findAll("[data-testid=startup-problem]"), []);
  });
});
