// Two desks on one clinic server, each its own app window: both show the clinic; a booking
// made in one appears in the other without a click; with the server gone both say since when
// and refuse changes, and once it is back they go on by themselves.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startPostgres } from "./postgres.mjs";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;

/** A weekday three weeks ahead on which the clinic is open (the demo closes on holidays). */
function freeWeekday(dir) {
  const closed = JSON.parse(cli(dir, ["closed-days", "list", "--json"])).map((day) => day.date.slice(5));
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + 21);
  const isClosed = () => [0, 6].includes(date.getUTCDay()) || closed.includes(date.toISOString().slice(5, 10));
  while (isClosed()) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** A second tauri-driver (its own WebKit driver), for the second window. */
async function secondDriver() {
  const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444) + 10;
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/status`).then(() => true, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => driver.kill("SIGTERM") };
}

async function openSchedule(app, date) {
  await app.click("[data-testid=nav-schedule]");
  await app.choose("[data-testid=schedule-date]", date);
  await app.waitFor(async () => (await app.findAll("[data-testid=column-head]")).length > 0, "provider columns");
}

async function book(app, date, time) {
  await app.click("[data-testid=new-appointment]");
  await app.find("[data-testid=booking-dialog]");
  await app.type("[data-testid=booking-patient]", "an");
  await app.waitFor(async () => (await app.findAll("[data-testid=booking-patient-option]")).length > 0, "patient options");
  const [option] = await app.findAll("[data-testid=booking-patient-option]");
  await app.call("POST", `/element/${option}/click`, {});
  await app.find("[data-testid=booking-patient-chosen]");
  await app.choose("[data-testid=booking-date]", date);
  await app.type("[data-testid=booking-time]", time);
  await app.click("[data-testid=booking-submit]");
}

const cards = (app) => app.texts("[data-testid=appointment-card]");

describe("two desks on one clinic server", () => {
  let server;
  let clinic;
  let desks = [];
  let reception;
  let room;
  let driver;
  let date;
  before(async () => {
    server = await startPostgres();
    clinic = dataDir({ demo: true });
    cli(clinic.dir, ["server", "move", "--server", server.url]);
    date = freeWeekday(clinic.dir);
    driver = await secondDriver();
    desks = [dataDir(), dataDir()];
    reception = await Session.start(desks[0].dir, { args: ["--server", server.url] });
    room = await Session.start(desks[1].dir, { args: ["--server", server.url], driver: driver.url });
  });
  after(async () => {
    await reception?.stop();
    await room?.stop();
    driver?.stop();
    for (const desk of desks) desk.remove();
    clinic?.remove();
    server?.remove();
  });

  it("shows the one clinic at both desks, and a booking at one appears at the other without a click", async () => {
    for (const desk of [reception, room]) {
      assert.equal(await desk.text("[data-testid=clinic-name]"), "Riverside Family Clinic");
      assert.match(await desk.text("[data-testid=clinic-server]"), /On the clinic server postgres@127\.0\.0\.1:\d+\/clinic/);
    }
    await openSchedule(room, date);
    await openSchedule(reception, date);
    const before = await cards(room);
    await book(reception, date, "11:00");
    await reception.find("[data-testid=booking-notice]");
    const booked = Date.now();
    const shown = await room.waitFor(async () => {
      const now = await cards(room);
      return now.length > before.length && now;
    }, "the other desk's booking", 5000);
    assert.ok(Date.now() - booked < 3000, `it took ${Date.now() - booked} ms`);
    assert.ok(shown.some((t) => t.includes("11:00–")), shown.join(" | "));
    if (SHOTS) await room.screenshot(join(SHOTS, "server-two-desks.png"));
  });

  it("says since when the server is gone, keeps what it shows, refuses changes meanwhile, and goes on once it is back", async () => {
    await reception.click("[data-testid=nav-today]");
    await reception.choose("[data-testid=filter-kind]", "call");
    const task = await reception.waitFor(
      () => reception.script(`return document.querySelector("[data-testid=call-row]")?.dataset.taskId ?? null;`),
      "a call on the list",
    );
    const row = `[data-testid=call-row][data-task-id="${task}"]`;
    const attempts = () => {
      const list = JSON.parse(cli(clinic.dir, ["tasks", "list", "--server", server.url, "--json"]));
      return list.rows.find((r) => r.task_id === task)?.attempts;
    };
    const attemptsBefore = attempts();
    await reception.click(row);

    server.stopNow();
    for (const desk of [reception, room]) {
      const banner = await desk.waitFor(
        async () => (await desk.findAll("[data-testid=server-cut-off]")).length && desk.text("[data-testid=server-cut-off]"),
        "the cut-off banner",
        15_000,
      );
      assert.match(banner, /No connection to the clinic server since \d\d:\d\d: showing what was read at \d\d:\d\d/);
    }
    // What each desk read stays on its screen.
    assert.ok((await reception.findAll("[data-testid=call-row]")).length > 0);
    assert.ok((await cards(room)).some((t) => t.includes("11:00–")));
    await reception.click("[data-testid=outcome-no_answer]");
    await reception.waitFor(
      async () => (await reception.texts(".error-panel")).some((t) => /changes are paused until it answers again/.test(t)),
      "the refusal of the change",
    );
    if (SHOTS) await reception.screenshot(join(SHOTS, "server-cut-off.png"));
    // Screens open again with what the desk read before, and the day's call sheet still prints.
    await reception.click("[data-testid=nav-schedule]");
    await reception.click("[data-testid=nav-today]");
    await reception.waitFor(async () => (await reception.findAll("[data-testid=call-row]")).length > 0, "the call list shown again");
    await reception.click("[data-testid=print-sheet]");
    const saved = await reception.waitFor(
      async () => (await reception.findAll("[data-testid=export-notice]")).length && reception.text("[data-testid=export-notice]"),
      "the call sheet saved while cut off",
    );
    assert.match(saved, /call-list[^ ]*\.html/);
    if (SHOTS) await reception.screenshot(join(SHOTS, "server-cut-off-sheet.png"));

    server.start();
    for (const desk of [reception, room]) {
      await desk.waitFor(async () => (await desk.findAll("[data-testid=server-cut-off]")).length === 0, "the banner gone", 15_000);
    }
    // The list read again: the call chosen once more (as the desk would), then its outcome.
    await reception.waitFor(async () => (await reception.findAll(row)).length === 1, "the call listed again");
    await reception.click(row);
    await reception.waitFor(async () => (await reception.findAll(`${row}.selected`)).length === 1, "the call chosen");
    await reception.click("[data-testid=outcome-no_answer]");
    await reception
      .waitFor(async () => attempts() === attemptsBefore + 1, "the attempt recorded once on the server")
      .catch(async (e) => {
        throw new Error(`${e.message}; the window said: ${(await reception.texts(".error-panel, [role=status]")).join(" | ")}`);
      });
  });

  it("backs the clinic server up from the Backup page, into the desk's own folder", async () => {
    await reception.click("[data-testid=nav-settings]");
    await reception.click("[data-testid=settings-backup]");
    assert.match(await reception.text("[data-testid=backup-on-server]"), /put back on the server's PC with pg_restore/);
    assert.equal((await reception.findAll("[data-testid=backup-same-disk]")).length, 0);
    await reception.click("[data-testid=backup-now]");
    const notice = await reception.waitFor(
      async () => (await reception.findAll("[data-testid=backup-notice]")).length && reception.text("[data-testid=backup-notice]"),
      "the dump written and read back",
      30_000,
    );
    assert.match(notice, /server-backups\/clinic-server-\d{8}-\d{6}\.dump/);
    assert.ok(notice.includes(desks[0].dir), notice);
    // Listed with the daily one, which the desk that plans the clinic's day took at its start.
    await reception.waitFor(
      async () => (await reception.texts("[data-testid=backup-files] tbody tr")).some((row) => row.includes("By hand")),
      "the dump listed",
    );
    assert.equal((await reception.findAll("[data-testid=backup-restore-pick]")).length, 0, "restored on the server's PC");
    if (SHOTS) {
      for (const language of ["en", "ru", "uk", "zh"]) {
        await reception.choose("[data-testid=language]", language);
        await reception.screenshot(join(SHOTS, `server-backup-${language}.png`));
      }
      await reception.choose("[data-testid=language]", "en");
    }
  });

  it("a desk chooses the server in Settings, tested first, and keeps the choice at its next start", async () => {
    await reception.stop();
    reception = null;
    const { hostname, port } = new URL(server.url.replace("postgres://", "http://"));
    let desk = await Session.start(clinic.dir);
    await desk.click("[data-testid=nav-settings]");
    await desk.click("[data-testid=settings-server]");
    assert.match(await desk.text("[data-testid=server-where]"), /its own database file/);
    await desk.type("[data-testid=server-host]", hostname);
    await desk.type("[data-testid=server-port]", port);
    await desk.type("[data-testid=server-role]", "postgres");
    await desk.click("[data-testid=server-without-tls]");
    await desk.click("[data-testid=server-check]");
    assert.match(await desk.text("[data-testid=server-found]"), /Riverside Family Clinic/);
    if (SHOTS) await desk.screenshot(join(SHOTS, "server-settings.png"));
    await desk.click("[data-testid=server-use]");
    await desk.waitFor(async () => (await desk.findAll("[data-testid=clinic-server]")).length, "working on the server");
    await desk.stop();

    desk = await Session.start(clinic.dir);
    assert.match(await desk.text("[data-testid=clinic-server]"), /On the clinic server postgres@127\.0\.0\.1/);
    await desk.click("[data-testid=nav-settings]");
    await desk.click("[data-testid=settings-server]");
    await desk.click("[data-testid=server-leave]");
    await desk.waitFor(async () => (await desk.findAll("[data-testid=clinic-server]")).length === 0, "back on its own file");
    await desk.stop();
  });
});
