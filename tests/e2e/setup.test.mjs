// End to end, a new clinic sets itself up through the window alone: from an empty database,
// the set-up steps add the clinic, a receptionist, a room, two providers and a service; a
// visit booked with them brings its confirmation call to Today; shorter hours then list the
// visit to move. No demo, no CLI.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
/** Tuesday morning in Riga (UTC+2 in November). */
const NOW = "2026-11-24T08:30:00+02:00";

async function addRow(app, { page, fields, selects = {}, save, rows, name }) {
  await app.click(`[data-testid=${page}-new]`);
  for (const [field, value] of Object.entries(fields)) await app.type(`[data-testid=${field}]`, value);
  for (const [field, value] of Object.entries(selects)) await app.choose(`[data-testid=${field}]`, value);
  await app.click(`[data-testid=${save}]`);
  await app.waitFor(async () => (await app.texts(`[data-testid=${rows}]`)).some((t) => t.includes(name)), `${name} in the list`);
}

describe("setting up a clinic", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir();
    app = await Session.start(data.dir, { now: NOW });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  it("sets up a clinic with two providers, a room and a service, books a visit and lists its confirmation call", async () => {
    await app.click("[data-testid=set-up-clinic]");

    // 1. The clinic: a wrong time zone is refused beside its field, then corrected.
    await app.type("[data-testid=clinic-name-input]", "Saule Family Clinic");
    await app.type("[data-testid=clinic-address]", "Brīvības iela 10, Rīga");
    await app.type("[data-testid=clinic-phone]", "+371 6700 0000");
    await app.type("[data-testid=clinic-time-zone]", "Europe/Rigga");
    await app.click("[data-testid=save-clinic]");
    assert.match(await app.text("[data-testid=field-error]"), /Europe\/Rigga/);
    await app.type("[data-testid=clinic-time-zone]", "Europe/Riga");
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-clinic.png"));
    await app.click("[data-testid=save-clinic]");
    await app.waitFor(async () => (await app.text("[data-testid=clinic-name]")) === "Saule Family Clinic", "the clinic's new name in the sidebar");

    // 2. Staff.
    await addRow(app, { page: "staff-page", fields: { "staff-name": "Ilze Kalniņa" }, selects: { "staff-role": "front_desk" }, save: "save-staff", rows: "staff-row", name: "Ilze Kalniņa" });
    await app.click("[data-testid=setup-next]");

    // 3. A room, then two providers; hours outside the clinic's are refused.
    await addRow(app, { page: "rooms-page", fields: { "room-name": "Room 1" }, save: "save-room", rows: "room-row", name: "Room 1" });
    await app.click("[data-testid=providers-page-new]");
    await app.type("[data-testid=provider-name]", "Dr Anna Ozola");
    await app.click("[data-testid=provider-hours-add-6]");
    await app.click("[data-testid=save-provider]");
    assert.match(await app.text("[data-testid=providers-page] [data-testid=field-error]"), /closed|outside|hours/i);
    await app.click("[data-testid=provider-hours] .icon-button");
    await app.choose("[data-testid=provider-room]", await app.script(`return [...document.querySelectorAll("[data-testid=provider-room] option")].find((o) => o.textContent === "Room 1").value;`));
    await app.click("[data-testid=save-provider]");
    await app.waitFor(async () => (await app.texts("[data-testid=provider-row]")).some((t) => t.includes("Dr Anna Ozola")), "the first provider");
    await addRow(app, { page: "providers-page", fields: { "provider-name": "Dr Jānis Bērziņš", "provider-specialty": "Cardiologist" }, save: "save-provider", rows: "provider-row", name: "Dr Jānis Bērziņš" });
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-providers.png"));
    await app.click("[data-testid=setup-next]");

    // 4. A service following the first-consultation journey.
    await addRow(app, { page: "services-page", fields: { "service-name": "Family doctor visit", "service-duration": "30" }, selects: { "service-journey": "first_consultation" }, save: "save-service", rows: "service-row", name: "Family doctor visit" });
    await app.click("[data-testid=setup-next]");
    assert.match(await app.text("[data-testid=setup-done]"), /2 providers, 1 rooms and \d+ services/);

    // Book a visit on Thursday at 10:00 for a new patient.
    await app.click("[data-testid=nav-patients]");
    await app.click("[data-testid=new-patient]");
    await app.type("[data-testid=patient-given_name]", "Līga");
    await app.type("[data-testid=patient-family_name]", "Saulīte");
    await app.type("[data-testid=patient-phone]", "+371 2955 0303");
    await app.click("[data-testid=save-patient]");
    await app.click("[data-testid=book-visit]");
    await app.find("[data-testid=booking-dialog]");
    const option = (select, text) =>
      app.script(`return [...document.querySelectorAll("[data-testid=${select}] option")].find((o) => o.textContent.includes(arguments[0]))?.value;`, text);
    await app.choose("[data-testid=booking-service]", await option("booking-service", "Family doctor visit"));
    await app.choose("[data-testid=booking-provider]", await option("booking-provider", "Dr Anna Ozola"));
    await app.choose("[data-testid=booking-date]", "2026-11-26");
    await app.type("[data-testid=booking-time]", "10:00");
    await app.click("[data-testid=booking-submit]");
    assert.match(await app.text("[data-testid=booking-notice]"), /Līga Saulīte/);

    // Two working days before Thursday 10:00 is today, 10:00 (after the booking at 08:30):
    // the call is due on Today.
    await app.click("[data-testid=nav-today]");
    const call = await app.waitFor(
      () =>
        app.script(
          `const row = [...document.querySelectorAll("[data-testid=call-row]")].find((r) => r.dataset.patient === "Līga Saulīte" && r.dataset.reason === "Confirmation call");
           return row ? { section: row.dataset.section, kind: row.dataset.kind ?? "call" } : null;`,
        ),
      "the confirmation call on Today",
    );
    assert.equal(call.section, "today");
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-today.png"));

    // Her hours shrink to Monday mornings: Settings lists the Thursday visit to move, with why.
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-providers]");
    await app.click("[data-testid=provider-row] td");
    await app.waitFor(async () => (await app.script("return document.querySelector('[data-testid=provider-name]').value;")) === "Dr Anna Ozola", "her form");
    await app.click("[data-testid=provider-hours-add-1]");
    await app.click("[data-testid=save-provider]");
    const stranded = await app.waitFor(async () => (await app.texts("[data-testid=visit-to-move]")).join("\n"), "the visit to move");
    assert.match(stranded, /Līga Saulīte/);
    assert.match(stranded, /Dr Anna Ozola/);
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-visits-to-move.png"));
    // Handed to the front desk: a call to rebook it, marked on the list.
    await app.click("[data-testid=ask-rebook-calls]");
    await app.waitFor(async () => (await app.texts("[data-testid=rebook-asked]")).length === 1, "the call on the list");
    assert.match(await app.text("[data-testid=rebook-notice]"), /1/);
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-rebook-asked.png"));

    // A training morning on Thursday: blocked, and the visit it hits is listed again.
    await app.choose("[data-testid=blocked-from]", "2026-11-26T08:00");
    await app.choose("[data-testid=blocked-to]", "2026-11-26T12:00");
    await app.type("[data-testid=blocked-reason]", "Training");
    await app.click("[data-testid=add-blocked]");
    await app.waitFor(async () => (await app.texts("[data-testid=blocked-period]")).some((t) => t.includes("Training")), "the blocked period");
    await app.waitFor(async () => (await app.texts("[data-testid=blocked-periods] [data-testid=visit-to-move]")).some((t) => t.includes("Līga Saulīte")), "the visit the block hits");
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-blocked.png"));

    // A journey of the clinic's own, from a default; the one its service follows cannot retire.
    await app.click("[data-testid=settings-journeys]");
    await app.type("[data-testid=journey-name]", "Vaccination");
    await app.click("[data-testid=create-journey]");
    await app.waitFor(async () => (await app.texts("[data-testid=journey-row]")).some((t) => t.includes("Vaccination")), "the new journey");
    const firstRow = await app.script(
      "return [...document.querySelectorAll('[data-testid=journey-row]')].findIndex((r) => r.innerText.includes('Family doctor visit'));",
    );
    await app.click(`[data-testid=journey-row]:nth-child(${firstRow + 1}) [data-testid=journey-retire]`);
    assert.match(await app.text("[data-testid=journeys-error]"), /Family doctor visit/);
    await app.click("[data-testid=settings-rules]");
    await app.waitFor(async () => (await app.texts("[data-testid=rule-row]")).some((t) => t.includes("Confirmation call")), "the rules table");
    if (SHOTS) await app.screenshot(join(SHOTS, "setup-rules.png"));

    // The front desk finds the call to rebook on Today, with its own words.
    await app.click("[data-testid=nav-today]");
    await app.waitFor(
      () =>
        app.script(
          `return [...document.querySelectorAll("[data-testid=call-row]")].some((r) => r.dataset.patient === "Līga Saulīte" && r.dataset.reason === "Visit needs a new time");`,
        ),
      "the call to rebook on Today",
    );
  });
});
