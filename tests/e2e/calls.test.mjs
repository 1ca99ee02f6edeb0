// End to end, the front desk's call list: a visit booked in the window brings its
// confirmation call on the right day; "no answer" twice and "confirmed" once confirm the visit.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
/** Riga is UTC+2 in November; the demo clinic opens Mon–Fri 08–19 and Sat 09–14. */
const at = (day, time) => `${day}T${time}:00+02:00`;
const BOOKED_ON = at("2026-11-24", "10:30"); // Tuesday
const CALL_DAY = at("2026-11-28", "10:05"); // Saturday: two working days before Tuesday 1 December

const rowOf = (app, patient) =>
  app.script(
    `const row = [...document.querySelectorAll("[data-testid=call-row]")]
       .find((r) => r.dataset.patient === arguments[0] && r.dataset.reason === "Confirmation call");
     return row ? { section: row.dataset.section, task: row.dataset.taskId, attempts: row.querySelector("[data-testid=call-attempts]")?.innerText ?? "" } : null;`,
    patient,
  );

describe("the call list", () => {
  let data;
  let app;
  before(() => {
    data = dataDir({ demo: true, now: BOOKED_ON });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  it("shows a new visit's confirmation call on its day, retries no-answers and confirms the visit", async () => {
    app = await Session.start(data.dir, { now: BOOKED_ON });
    await app.find("[data-testid=today-view]");
    await app.click("[data-testid=nav-patients]");
    await app.click("[data-testid=new-patient]");
    await app.type("[data-testid=patient-given_name]", "Rasma");
    await app.type("[data-testid=patient-family_name]", "Zvaigzne");
    await app.type("[data-testid=patient-phone]", "+371 2955 0202");
    await app.click("[data-testid=save-patient]");
    await app.click("[data-testid=book-visit]");
    await app.find("[data-testid=booking-dialog]");
    await app.choose("[data-testid=booking-date]", "2026-12-01");
    await app.type("[data-testid=booking-time]", "14:00");
    await app.click("[data-testid=booking-submit]");
    assert.match(await app.text("[data-testid=booking-notice]"), /Rasma Zvaigzne/);
    await app.stop();

    // Saturday morning: the call is on today's list.
    app = await Session.start(data.dir, { now: CALL_DAY });
    await app.find("[data-testid=today-view]");
    await app.find("[data-testid=call-row]");
    if (SHOTS) await app.screenshot(join(SHOTS, "call-list.png"));
    await app.type("[data-testid=call-search]", "Zvaigzne");
    const due = await app.waitFor(() => rowOf(app, "Rasma Zvaigzne"), "the confirmation call on Saturday's list");
    assert.equal(due.section, "today");
    assert.match(due.attempts, /0/);
    if (SHOTS) await app.screenshot(join(SHOTS, "call-list-search.png"));

    const row = `[data-testid=call-row][data-task-id="${due.task}"]`;
    await app.click(row);
    await app.click("[data-testid=outcome-no_answer]");
    await app.waitFor(async () => /1/.test((await rowOf(app, "Rasma Zvaigzne"))?.attempts ?? ""), "first attempt counted");
    await app.click(row);
    await app.click("[data-testid=outcome-no_answer]");
    await app.waitFor(async () => /2/.test((await rowOf(app, "Rasma Zvaigzne"))?.attempts ?? ""), "second attempt counted");
    await app.click(row);
    await app.click("[data-testid=outcome-confirmed]");
    await app.waitFor(async () => (await rowOf(app, "Rasma Zvaigzne")) === null, "the call leaves the list");

    const visits = JSON.parse(cli(data.dir, ["appointments", "list", "--date", "2026-12-01", "--json"], CALL_DAY));
    const visit = visits.find((v) => v.patient_name === "Rasma Zvaigzne");
    assert.equal(visit.appointment.status, "confirmed");
  });

  it("gives a task to one person, and that person's filter shows only what is theirs", async () => {
    await app.choose("[data-testid=call-search]", "");
    await app.choose("[data-testid=filter-kind]", "call");
    const first = await app.waitFor(
      () => app.script(`return document.querySelector("[data-testid=call-row]")?.dataset.taskId ?? null;`),
      "a call on the list",
    );
    await app.click(`[data-testid=call-row][data-task-id="${first}"]`);
    const person = await app.script(
      `const option = document.querySelector("[data-testid=task-assignee] option[value]:not([value=''])");
       return option ? { id: option.value, name: option.innerText.split(" · ")[0] } : null;`,
    );
    assert.ok(person, "the clinic has staff to give tasks to");
    await app.choose("[data-testid=task-assignee]", person.id);
    await app.waitFor(async () => (await app.text("[data-testid=export-notice]")).includes(person.name), "the hand-over confirmed");

    await app.choose("[data-testid=filter-assignee]", person.id);
    const theirs = await app.waitFor(async () => {
      const ids = await app.script(`return [...document.querySelectorAll("[data-testid=call-row]")].map((r) => r.dataset.taskId);`);
      return ids.length === 1 ? ids : null;
    }, "only the given task under that person's filter");
    assert.deepEqual(theirs, [first]);
    await app.click("[data-testid=clear-filters]");
    await app.waitFor(async () => (await app.findAll("[data-testid=call-row]")).length > 1, "the whole list back");
  });
});
