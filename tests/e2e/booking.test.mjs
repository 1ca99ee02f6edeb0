// End to end, in the real window: create a patient, book them, see the booking on the
// schedule; a clashing booking is refused with the reason. Each test has its own data folder.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;

/** A weekday three weeks ahead: past the demo's bookings, inside Dr Ivanova's week. */
/** A weekday three weeks ahead on which the clinic in `dir` is open (the demo closes on its
 * country's holidays, e.g. Christmas Eve, which three weeks from early December falls on). */
function freeWeekday(dir) {
  const closed = JSON.parse(cli(dir, ["closed-days", "list", "--json"])).map((day) => day.date.slice(5));
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + 21);
  const isClosed = () => [0, 6].includes(date.getUTCDay()) || closed.includes(date.toISOString().slice(5, 10));
  while (isClosed()) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

async function openSchedule(app, date) {
  await app.click("[data-testid=nav-schedule]");
  await app.choose("[data-testid=schedule-date]", date);
  await app.waitFor(async () => (await app.findAll("[data-testid=column-head]")).length > 0, "provider columns");
}

async function cardTexts(app) {
  return app.texts("[data-testid=appointment-card]");
}

describe("patients and booking", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir({ demo: true });
    app = await Session.start(data.dir);
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  it("creates a patient, refusing a bad phone first, books them and shows the booking", async () => {
    await app.click("[data-testid=nav-patients]");
    await app.click("[data-testid=new-patient]");
    await app.type("[data-testid=patient-given_name]", "Marta");
    await app.type("[data-testid=patient-family_name]", "Testere");
    await app.type("[data-testid=patient-birth_date]", "1990-05-17");
    await app.type("[data-testid=patient-phone]", "12ab");
    await app.click("[data-testid=save-patient]");
    const refusal = await app.text("[data-testid=field-error]");
    assert.match(refusal, /“a” is not allowed in a phone number/);

    await app.type("[data-testid=patient-phone]", "+371 2955 0101");
    await app.click("[data-testid=save-patient]");
    await app.find("[data-testid=book-visit]");
    await app.type("[data-testid=patient-search]", "testere");
    await app.waitFor(async () => (await app.texts("[data-testid=patient-row]")).some((t) => t.includes("Testere, Marta")), "patient in list");
    if (SHOTS) await app.screenshot(join(SHOTS, "patients.png"));

    const date = freeWeekday(data.dir);
    await app.click("[data-testid=book-visit]");
    await app.find("[data-testid=booking-dialog]");
    assert.match(await app.text("[data-testid=booking-patient-chosen]"), /Marta Testere/);
    await app.choose("[data-testid=booking-date]", date);
    await app.type("[data-testid=booking-time]", "10:00");
    await app.click("[data-testid=booking-submit]");
    assert.match(await app.text("[data-testid=booking-notice]"), /Marta Testere/);

    await openSchedule(app, date);
    const cards = await app.waitFor(async () => {
      const texts = await cardTexts(app);
      return texts.some((t) => t.includes("Marta Testere")) && texts;
    }, "the new booking on the schedule");
    const card = cards.find((t) => t.includes("Marta Testere"));
    assert.match(card, /10:00–10:40/);
    assert.match(card, /First consultation/);
  });

  it("shows a booking made on the command line without a click", async () => {
    const date = freeWeekday(data.dir);
    await openSchedule(app, date);
    const before = await cardTexts(app);
    const service = cli(data.dir, ["blueprint", "list"]).split(/\s+/)[0];
    const [slot] = JSON.parse(cli(data.dir, ["slots", "--service", service, "--from", date, "--count", "1", "--json"]));
    const patient = JSON.parse(cli(data.dir, ["appointments", "list", "--date", date, "--json"]))[0]?.appointment.patient_id
      ?? JSON.parse(cli(data.dir, ["appointments", "list", "--date", new Date().toISOString().slice(0, 10), "--json"]))[0].appointment.patient_id;
    const booked = Date.now();
    cli(data.dir, ["appointments", "book", "--patient", patient, "--service", service, "--provider", slot.provider_id,
      "--room", slot.room_id, "--start", `${slot.date}T${slot.start_time}`]);
    const cards = await app.waitFor(async () => {
      const texts = await cardTexts(app);
      return texts.length > before.length && texts;
    }, "the command line's booking on the open schedule", 5000);
    assert.ok(Date.now() - booked < 3000, `it took ${Date.now() - booked} ms`);
    assert.ok(cards.some((t) => t.includes(slot.start_time)), cards.join(" | "));
  });
});

describe("clashing bookings", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir({ demo: true });
    app = await Session.start(data.dir);
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  async function book(date, time, patientIndex) {
    await app.click("[data-testid=new-appointment]");
    await app.find("[data-testid=booking-dialog]");
    await app.type("[data-testid=booking-patient]", "an");
    await app.waitFor(async () => (await app.findAll("[data-testid=booking-patient-option]")).length > patientIndex, "patient options");
    const options = await app.findAll("[data-testid=booking-patient-option]");
    await app.call("POST", `/element/${options[patientIndex]}/click`, {});
    await app.find("[data-testid=booking-patient-chosen]");
    await app.choose("[data-testid=booking-date]", date);
    await app.type("[data-testid=booking-time]", time);
    await app.click("[data-testid=booking-submit]");
  }

  it("refuses a booking that overlaps the provider's existing one, saying with whom", async () => {
    const date = freeWeekday(data.dir);
    await openSchedule(app, date);
    await book(date, "11:00", 0);
    await app.find("[data-testid=booking-notice]");
    const first = await app.waitFor(async () => (await cardTexts(app)).find((t) => t.includes("11:00–11:40")), "first booking");

    await book(date, "11:15", 1);
    const refusal = await app.text("[data-testid=booking-error]");
    const [, patientName] = /^Dr Elena Ivanova already has (.+) 11:00–11:40\.$/.exec(refusal) ?? [];
    assert.ok(patientName, `unexpected refusal: ${refusal}`);
    assert.ok(first.includes(patientName), `the refusal names ${patientName}, the booking shows ${first}`);
    if (SHOTS) await app.screenshot(join(SHOTS, "clash.png"));

    await app.click("[data-testid=booking-cancel]");
    const texts = await cardTexts(app);
    assert.equal(texts.filter((t) => t.includes("11:")).length, 1, "only the first booking is on the schedule");
  });
});
