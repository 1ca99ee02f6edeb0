// End to end, importing patients from another system's CSV file: from the demo clinic,
// Settings › Import reads the file (its bytes, so Rust finds the encoding and separator), Rust
// guesses every column but one, which is chosen by hand; the preview first shows the problem
// of the unmapped column, then Rust's counts; the import writes both patients, who are then in
// the Patients view. The same header is mapped as remembered the next time, and its patients
// are found as already in the clinic.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

// "Surname", "Mobile" and "DOB" are among the names Rust knows for the family name, phone and
// birth date (interchange/csv_in.rs); "Vorname" is not among those of the first name.
const CSV = [
  "Surname;Vorname;Mobile;DOB",
  "Importa;Aina;+371 2999 1001;14.03.1981",
  "Importējs;Pēteris;+371 2999 1002;1975-11-30",
  "",
].join("\r\n");

describe("importing patients from a CSV file", () => {
  let data;
  let app;
  let file;
  before(async () => {
    data = dataDir({ demo: true });
    file = join(data.dir, "other-system-patients.csv");
    writeFileSync(file, CSV);
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
  const value = (css) => app.script("return document.querySelector(arguments[0]).value;", css);
  /** A table's rendered text, cells apart (WebDriver's element text runs them together). */
  const tableText = async (css) => (await app.texts(css))[0] ?? "";
  const isDisabled = (css) => app.script("return document.querySelector(arguments[0]).disabled;", css);

  /** Picks `path` in a file input as the user's file chooser would (WebDriver's file upload:
   * the path sent as the input's keys), and waits for `taken` to show the page read it. Should
   * this WebKitWebDriver not take a path, the same bytes are handed to the input through a
   * DataTransfer, which fires the same change event. */
  async function upload(css, path, taken) {
    const input = await app.find(css);
    const sent = await app.call("POST", `/element/${input}/value`, { text: path }).then(() => true, () => false);
    // The page empties the input once it has the file, so its own answer is what tells.
    const read = sent && (await app.waitFor(() => app.findAll(taken).then((found) => found.length > 0), taken, 3_000).catch(() => false));
    if (read) return;
    await app.script(
      `const [el, name, base64] = arguments;
       const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
       const transfer = new DataTransfer();
       transfer.items.add(new File([bytes], name, { type: "text/csv" }));
       el.files = transfer.files;
       el.dispatchEvent(new Event("change", { bubbles: true }));`,
      { [ELEMENT]: input },
      path.split("/").at(-1),
      readFileSync(path).toString("base64"),
    );
    await app.find(taken);
  }

  it("maps the one column Rust could not guess, previews and imports both patients", async () => {
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-import]");
    await app.find("[data-testid=import-page]");
    await app.choose("[data-testid=import-kind]", "patients");
    await upload("[data-testid=import-file]", file, "[data-testid=import-mapping]");

    // Rust's proposal: three columns guessed from the header, the first name left to the user.
    await app.find("[data-testid=import-mapping]");
    assert.equal(await value("[data-testid=import-column-family_name]"), "Surname");
    assert.equal(await value("[data-testid=import-column-phone]"), "Mobile");
    assert.equal(await value("[data-testid=import-column-birth_date]"), "DOB");
    assert.equal(await value("[data-testid=import-column-given_name]"), "");
    await textMatching("[data-testid=import-detected]", /guessed.*UTF-8, separated by semicolons, 2 rows/);
    assert.match(await tableText("[data-testid=import-first-rows]"), /Importa\s+Aina/);

    // Previewed as it is, the file has a problem, and nothing can be imported.
    await app.click("[data-testid=import-preview]");
    await textMatching("[data-testid=import-problem-count]", /Problems: 1\b/);
    assert.match(await app.text("[data-testid=import-problem-reason]"), /No column of the file is chosen for “First name”/);
    assert.equal(await isDisabled("[data-testid=import-apply]"), true);
    await app.find("[data-testid=import-problems-download]");
    if (SHOTS) await app.screenshot(join(SHOTS, "import-problems.png"));

    // The first name is in "Vorname": chosen by hand, the file previews clean.
    await app.choose("[data-testid=import-column-given_name]", "Vorname");
    await app.click("[data-testid=import-preview]");
    await app.find("[data-testid=import-no-problems]");
    await textMatching("[data-testid=import-counts-patientsAdded] dd", /^2$/);
    await textMatching("[data-testid=import-counts-rows] dd", /^2$/);
    assert.match(await tableText("[data-testid=import-sample]"), /Aina\s+Importa\s+1981-03-14/);
    assert.equal(await isDisabled("[data-testid=import-apply]"), false);
    if (SHOTS) await app.screenshot(join(SHOTS, "import-preview.png"));

    await app.click("[data-testid=import-apply]");
    await textMatching("[data-testid=import-done]", /New patients: 2, updated: 0/);
    // The stepper starts over for the next file.
    assert.equal((await app.findAll("[data-testid=import-mapping]")).length, 0);

    await app.click("[data-testid=nav-patients]");
    await app.type("[data-testid=patient-search]", "Importa");
    const row = await app.waitFor(async () => (await app.texts("[data-testid=patient-row]")).find((text) => text.includes("Importa, Aina")), "Aina Importa in the patients list");
    assert.match(row, /\+371 2999 1001/);
    assert.match(row, /1981-03-14/);
  });

  it("maps the same header as remembered the next time, and finds its patients in the clinic", async () => {
    await app.click("[data-testid=nav-settings]");
    await app.click("[data-testid=settings-import]");
    await upload("[data-testid=import-file]", file, "[data-testid=import-mapping]");
    await textMatching("[data-testid=import-detected]", /chose last time/);
    assert.equal(await value("[data-testid=import-column-given_name]"), "Vorname");

    await app.click("[data-testid=import-preview]");
    await app.find("[data-testid=import-report]");
    const duplicates = await app.waitFor(async () => {
      const rows = await app.texts("[data-testid=import-duplicate]");
      return rows.length === 2 && rows;
    }, "both rows found as patients the clinic has");
    assert.match(duplicates[0], /Aina Importa.*the same name and birth date/s);
    assert.equal(await value("[data-testid=import-duplicate-choice]"), "merge");
    await textMatching("[data-testid=import-counts-patientsMerged] dd", /^2$/);
    await textMatching("[data-testid=import-counts-patientsAdded] dd", /^0$/);
    if (SHOTS) await app.screenshot(join(SHOTS, "import-duplicates.png"));
  });
});
