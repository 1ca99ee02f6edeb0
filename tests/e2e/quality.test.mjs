// End to end, the service-quality half: a patient answers the survey on the kiosk (full
// screen, in their language, left only with the staff PIN); the answer shows in Insights; a
// scenario for tomorrow is run beside the plan.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { cli, dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const NOW = "2026-11-24T08:30:00Z";

describe("service quality", () => {
  let data;
  let app;
  let patient;
  before(async () => {
    data = dataDir({ demo: true, now: NOW });
    // A feedback task whose visit has no answers yet, from the same call list the window shows.
    const list = JSON.parse(cli(data.dir, ["tasks", "list", "--json"], NOW));
    patient = list.rows.find((r) => r.records_survey && r.section !== "upcoming").patient_name;
    app = await Session.start(data.dir, { now: NOW });
    await app.call("POST", "/window/rect", { width: 1280, height: 800 });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  const npsAnswers = async () => {
    await app.click("[data-testid=nav-insights]");
    const text = await app.text("[data-testid=rate-nps]");
    return Number(/\((\d+)\)|(\d+) cases/.exec(text).slice(1).find(Boolean));
  };

  it("records a survey on the kiosk, sees it in Insights, and runs a scenario", async () => {
    const before = await npsAnswers();

    await app.click("[data-testid=nav-today]");
    await app.type("[data-testid=call-search]", patient);
    await app.waitFor(
      () => app.script(`const row = [...document.querySelectorAll("[data-testid=call-row]")].find((r) => r.dataset.reason === "Feedback survey"); row?.click(); return !!row;`),
      "the feedback task",
    );
    await app.click("[data-testid=open-kiosk]");
    await app.type("[data-testid=kiosk-pin]", "12");
    await app.click("[data-testid=kiosk-start]");
    assert.match(await app.text("[data-testid=survey-error]"), /4 to 8 digits/);
    await app.type("[data-testid=kiosk-pin]", "4711");
    await app.click("[data-testid=kiosk-start]");

    // The kiosk: nothing of the app around it, the patient's own visit only.
    await app.find("[data-testid=kiosk]");
    assert.equal(await app.script("return document.querySelector('[data-testid=nav-today]')"), null, "no navigation on the kiosk");
    assert.match(await app.text("[data-testid=kiosk] h1"), new RegExp(patient.split(" ")[0]));
    await app.click("[data-testid=nps-9]");
    await app.click("[data-testid=csat-5]");
    if (SHOTS) await app.screenshot(join(SHOTS, "kiosk.png"));
    await app.click("[data-testid=survey-submit]");
    await app.find("[data-testid=kiosk-thanks]");
    await app.click("[data-testid=kiosk-staff]");
    await app.type("[data-testid=kiosk-exit-pin]", "0000");
    await app.click("[data-testid=kiosk-exit]");
    await app.waitFor(async () => /tries left/.test(await app.text("[data-testid=kiosk-error]")), "the wrong PIN refused");
    await app.type("[data-testid=kiosk-exit-pin]", "4711");
    await app.click("[data-testid=kiosk-exit]");
    await app.find("[data-testid=nav-today]");

    // One more answer in the report.
    await app.waitFor(async () => (await npsAnswers()) === before + 1, "the survey in Insights");
    if (SHOTS) await app.screenshot(join(SHOTS, "insights.png"));

    // Tomorrow as planned and with one more front-desk person.
    await app.click("[data-testid=forecast-run]");
    const lines = await app.waitFor(async () => {
      const found = await app.texts("[data-testid=forecast-bottleneck]");
      return found.length === 2 ? found : null;
    }, "the forecast and its scenario");
    assert.match(lines[0], /As planned/);
    assert.match(lines[1], /front-desk/);
    if (SHOTS) await app.screenshot(join(SHOTS, "forecast.png"));
  });

  it("rewords a standard in Settings, refused when blank, kept after a restart", async () => {
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-quality]");
    await app.click("[data-testid=standard-edit]");
    if (SHOTS) {
      for (const language of ["ru", "uk", "zh", "en"]) {
        await app.choose("[data-testid=language]", language);
        await app.screenshot(join(SHOTS, `${language}-standard-edit.png`));
      }
    }
    await app.type("[data-testid=standard-edit-text]", "  ");
    await app.click("[data-testid=standard-save]");
    assert.match(await app.text("[data-testid=standard-editing] .field-error"), /Required/);
    await app.type("[data-testid=standard-edit-text]", "Greeted by name at the desk");
    await app.click("[data-testid=standard-save]");
    await app.waitFor(async () => /saved/.test(await app.text("[data-testid=quality-notice]")), "the standard saved");
    const rows = async () => (await app.texts("[data-testid=standard-row]")).join("\n");
    assert.match(await rows(), /Greeted by name at the desk/);

    await app.stop();
    app = await Session.start(data.dir, { now: NOW });
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-quality]");
    await app.waitFor(async () => /Greeted by name at the desk/.test(await rows()), "the new wording after a restart");
  });
});
