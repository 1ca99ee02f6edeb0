// End to end, a clinic day in the real window, on the demo clinic with its clock set to a
// Tuesday morning (Europe/Riga): reschedule, cancel and mark a no-show from the schedule; move a
// patient across the flow board and read the stage times in their journey timeline.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const DAY = "2026-11-24";
/** Riga is UTC+2 in November. */
const at = (localTime) => `${DAY}T${localTime}:00+02:00`;

/** Today's appointments, as the CLI lists them. */
function appointmentsOn(dir, now) {
  return JSON.parse(cli(dir, ["appointments", "list", "--date", DAY, "--json"], now));
}

async function openToday(app) {
  await app.click("[data-testid=nav-schedule]");
  await app.waitFor(async () => (await app.findAll("[data-testid=appointment-card]")).length > 0, "today's appointments");
}

async function openCard(app, appointmentId) {
  await app.click(`[data-testid=appointment-card][data-appointment-id="${appointmentId}"]`);
  await app.find("[data-testid=appointment-dialog]");
}

const cardOf = (app, id) => app.script(
  "const c = document.querySelector(`[data-testid=appointment-card][data-appointment-id=\"${arguments[0]}\"]`); return c ? c.innerText : null;",
  id,
);

describe("rescheduling, cancelling and no-shows", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir({ demo: true, now: at("10:30") });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  it("moves a visit to a free slot, cancels one with a reason, and marks a missed one a no-show", async () => {
    const open = appointmentsOn(data.dir, at("10:30")).filter((a) => ["booked", "confirmed"].includes(a.appointment.status));
    const later = open.filter((a) => a.start_time >= "12:00");
    assert.ok(later.length >= 2, "the demo has open bookings this afternoon");
    // A patient due at 10:45 who will not come: the app is opened at 11:05.
    const missed = open.find((a) => a.start_time >= "10:31" && a.start_time <= "11:00");
    assert.ok(missed, "the demo has an open booking at 10:31–11:00 to miss");
    app = await Session.start(data.dir, { now: at("11:05") });
    await openToday(app);

    const [moving, cancelling] = later;
    await openCard(app, moving.appointment.id);
    await app.click("[data-testid=appointment-reschedule]");
    await app.click("[data-testid=find-slots]");
    await app.waitFor(async () => (await app.findAll("[data-testid=free-slot]")).length > 0, "free slots");
    const [slotDate, slotTime] = await app.script(
      "const s = document.querySelector('[data-testid=free-slot]'); return [s.dataset.date, s.dataset.time];",
    );
    await app.click("[data-testid=free-slot]");
    await app.click("[data-testid=move-submit]");
    assert.match(await app.text("[data-testid=booking-notice]"), new RegExp(`Moved ${moving.patient_name}`));
    const moved = JSON.parse(cli(data.dir, ["appointments", "list", "--date", slotDate, "--json"]))
      .find((a) => a.appointment.id === moving.appointment.id);
    assert.equal(moved.start_time, slotTime, "the store has the new time");

    await openCard(app, cancelling.appointment.id);
    await app.click("[data-testid=appointment-cancel]");
    await app.click("[data-testid=cancel-submit]");
    assert.equal(await app.text("[data-testid=appointment-error]"), "Say why the appointment is cancelled.");
    await app.type("[data-testid=cancel-reason]", "Patient is travelling");
    await app.click("[data-testid=cancel-submit]");
    assert.match(await app.text("[data-testid=booking-notice]"), new RegExp(`Cancelled the appointment of ${cancelling.patient_name}`));
    await app.waitFor(async () => (await cardOf(app, cancelling.appointment.id)) === null, "the cancelled card leaves the grid");

    await openCard(app, missed.appointment.id);
    await app.click("[data-testid=appointment-noshow]");
    await app.waitFor(async () => (await cardOf(app, missed.appointment.id))?.includes("No-show"), "the no-show card");
    const statuses = Object.fromEntries(appointmentsOn(data.dir).map((a) => [a.appointment.id, a.appointment]));
    assert.equal(statuses[cancelling.appointment.id].status, "cancelled");
    assert.equal(statuses[cancelling.appointment.id].cancel_reason, "Patient is travelling");
    assert.equal(statuses[missed.appointment.id].status, "noshow");
    if (SHOTS) await app.screenshot(join(SHOTS, "schedule-day.png"));
  });
});

describe("flow board and journey timeline", () => {
  let data;
  let app;
  before(() => {
    data = dataDir({ demo: true, now: at("08:00") });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  /** Opens the app at a local time and moves the patient one column on. */
  async function stepAt(time, appointmentId, expectColumn) {
    await app?.stop();
    app = await Session.start(data.dir, { now: at(time) });
    await app.click("[data-testid=nav-flow]");
    const card = `[data-testid=flow-card][data-appointment-id="${appointmentId}"]`;
    await app.find(card);
    // Scrolled columns may hide the card from a pointer click; a user would scroll to it.
    await app.script("document.querySelector(arguments[0]).scrollIntoView(); document.querySelector(arguments[0]).click();", `${card} [data-testid=flow-advance]`);
    await app.waitFor(
      async () => (await app.script(`return document.querySelector(arguments[0])?.dataset.column`, card)) === expectColumn,
      `the card in ${expectColumn}`,
    );
  }

  it("moves a patient through the visit and shows each stage's time in the journey", async () => {
    // A morning patient, booked at 09:00 through the CLI (as a script would) for a second visit
    // after noon, when they are free.
    const today = appointmentsOn(data.dir, at("09:00"));
    const busyAfter11 = new Set(today.filter((a) => a.start_time >= "11:00").map((a) => a.appointment.patient_id));
    const someone = today.find((a) => a.start_time < "10:00" && !busyAfter11.has(a.appointment.patient_id));
    const free = JSON.parse(
      cli(data.dir, ["slots", "--service", someone.appointment.service_type_id, "--from", at("12:00"), "--count", "1", "--json"], at("09:00")),
    )[0];
    assert.equal(free.date, DAY, `a free slot today (${JSON.stringify(free)})`);
    const booked = JSON.parse(
      cli(
        data.dir,
        ["appointments", "book", "--patient", someone.appointment.patient_id, "--service", someone.appointment.service_type_id,
          "--provider", free.provider_id, "--room", free.room_id, "--start", free.starts_at, "--json"],
        at("09:00"),
      ),
    );
    assert.equal(booked.status, "booked");
    const start = free.start_time; // e.g. 12:15
    const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    const clock = (m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    const t0 = minutes(start) - 10;

    await stepAt(clock(t0), booked.id, "arrived"); // checked in 10 minutes early
    await stepAt(clock(t0 + 3), booked.id, "waiting"); // 3 minutes at the desk
    if (SHOTS) await app.screenshot(join(SHOTS, "flow-board.png"));
    await stepAt(clock(t0 + 17), booked.id, "with_clinician"); // 14 minutes in the waiting room
    await stepAt(clock(t0 + 55), booked.id, "check_out"); // 38 minutes with the clinician
    await stepAt(clock(t0 + 59), booked.id, "done"); // 4 minutes at check-out

    await app.script("document.querySelector(arguments[0]).click();", `[data-testid=flow-card][data-appointment-id="${booked.id}"] [data-testid=flow-journey]`);
    await app.find("[data-testid=journey-stage]");
    const stages = await app.script(
      `return Array.from(document.querySelectorAll("[data-testid=journey-stage]"), (s) => [s.dataset.key, s.dataset.state,
        s.querySelector("[data-testid=journey-stage-minutes]")?.innerText ?? ""]);`,
    );
    const byKey = Object.fromEntries(stages.map(([key, state, text]) => [key, { state, minutes: Number(/(\d+)/.exec(text)?.[1]) }]));
    // Each step runs in a session whose clock starts at the set time and then ticks in real
    // time, so a stage may read a minute less or more than planned.
    const near = (actual, planned) => Math.abs(actual - planned) <= 1;
    const clinical = stages.find(([key]) => key === "consultation" || key === "treatment");
    for (const [key, planned] of [["check_in", 3], ["waiting", 14], ["check_out", 4], [clinical[0], 38]]) {
      assert.equal(byKey[key].state, "done", `${key} done`);
      assert.ok(near(byKey[key].minutes, planned), `${key}: ${byKey[key].minutes} min, planned ${planned}`);
    }
    if (SHOTS) await app.screenshot(join(SHOTS, "journey.png"));
  });
});
