import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { ImportReport, ImportRequest, MappingProposal } from "../../lib/bindings";
import { setLocale } from "../../lib/i18n/index.svelte";
import ImportPage from "./ImportPage.svelte";

// jsdom lays nothing out: a report that scrolls itself into view has nowhere to go.
beforeAll(() => {
  Element.prototype.scrollIntoView ??= () => {};
});

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

const CSV = "Surname;Vorname;Mobile;DOB\nBērziņa;Anna;+371 2000 0001;1980-01-02\n";

// As Rust proposes it: "Vorname" is no name it knows, so the first name is not mapped.
const proposal: MappingProposal = {
  kind: "patients",
  columns: ["Surname", "Vorname", "Mobile", "DOB"],
  fields: ["id", "given_name", "family_name", "full_name", "birth_date", "phone", "phone_alt", "email", "preferred_channel", "preferred_language", "consent_reminders", "do_not_contact", "notes"],
  required: [["given_name", "full_name"], ["family_name", "full_name"], ["phone"]],
  mapping: { family_name: "Surname", phone: "Mobile", birth_date: "DOB" },
  remembered: false,
  encoding: "UTF-8",
  separator: "semicolon",
  rows: 1,
  first_rows: [["Bērziņa", "Anna", "+371 2000 0001", "1980-01-02"]],
};

const clean: ImportReport = {
  rows: 1,
  patients_added: 1,
  patients_merged: 0,
  patients_skipped: 0,
  appointments_added: 0,
  appointments_unchanged: 0,
  ignored: {},
  problems: [],
  duplicates: [],
  sample: [{ line: 2, values: [["given_name", "Anna"], ["family_name", "Bērziņa"], ["birth_date", "1980-01-02"], ["phone", "+371 2000 0001"], ["email", ""], ["preferred_language", "lv"]] }],
  applied: false,
};

const unmapped: ImportReport = {
  ...clean,
  patients_added: 0,
  sample: [],
  problems: [{ line: 1, column: "", value: "given_name", reason: { reason: "field_not_mapped", field: "given_name" } }],
};

/** Picks `text` as the file in the page's file input. */
async function pickFile(text: string, name = "patients.csv") {
  const input = screen.getByTestId("import-file") as HTMLInputElement;
  const file = new File([text], name, { type: "text/csv" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  await fireEvent.change(input);
}

/** Rust's side of an import: the staged bytes, the proposal, and a report for each request. */
function mockRust(reportFor: (request: ImportRequest) => ImportReport) {
  const seen: { staged: Uint8Array | null; requests: ImportRequest[] } = { staged: null, requests: [] };
  mockIPC(
    (cmd, args) => {
      if (cmd === "stage_import_file") {
        seen.staged = args as unknown as Uint8Array;
        return seen.staged.length;
      }
      if (cmd === "import_mapping") return proposal;
      if (cmd === "run_import") {
        const request = (args as { request: ImportRequest }).request;
        seen.requests.push(request);
        return reportFor(request);
      }
    },
    { shouldMockEvents: true },
  );
  return seen;
}

describe("ImportPage: the mapping step", () => {
  it("shows Rust's proposal and sends the mapping as the user changed it", async () => {
    const seen = mockRust((request) => (request.mapping?.given_name ? clean : unmapped));
    render(ImportPage);
    await pickFile(CSV);

    await screen.findByTestId("import-mapping");
    // The file went over as its bytes, not as text.
    expect(seen.staged).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(seen.staged!)).toBe(CSV);
    const column = (field: string) => (screen.getByTestId(`import-column-${field}`) as HTMLSelectElement).value;
    expect(column("family_name")).toBe("Surname");
    expect(column("phone")).toBe("Mobile");
    expect(column("birth_date")).toBe("DOB");
    expect(column("given_name")).toBe("");
    // Rust's required fields are marked, and what it detected is said.
    const required = screen.getAllByTestId("import-field").filter((row) => row.querySelector("[data-testid=import-required]"));
    expect(required.map((row) => row.querySelector("select")?.id)).toEqual(["import-column-given_name", "import-column-family_name", "import-column-phone"]);
    expect(screen.getByTestId("import-detected").textContent).toContain("UTF-8, separated by semicolons, 1 rows");
    expect(screen.getByTestId("import-detected").textContent).toContain("guessed");
    expect(screen.getByTestId("import-first-rows").textContent).toContain("Bērziņa");

    await fireEvent.change(screen.getByTestId("import-column-given_name"), { target: { value: "Vorname" } });
    await fireEvent.click(screen.getByTestId("import-preview"));
    await screen.findByTestId("import-report");
    expect(seen.requests).toEqual([
      {
        format: "csv",
        kind: "patients",
        mapping: { given_name: "Vorname", family_name: "Surname", phone: "Mobile", birth_date: "DOB" },
        on_duplicate: "merge",
        choices: {},
        dry_run: true,
      },
    ]);
    expect(screen.getByTestId("import-counts-patientsAdded").textContent).toContain("1");
    expect(screen.getByTestId("import-sample").textContent).toContain("First name");
  });

  it("drops the preview when a column changes, so the next preview is of the new mapping", async () => {
    mockRust(() => clean);
    render(ImportPage);
    await pickFile(CSV);
    await fireEvent.click(await screen.findByTestId("import-preview"));
    await screen.findByTestId("import-report");
    await fireEvent.change(screen.getByTestId("import-column-email"), { target: { value: "Mobile" } });
    expect(screen.queryByTestId("import-report")).toBeNull();
    expect(screen.queryByTestId("import-apply")).toBeNull();
    expect(screen.getByTestId("import-preview")).toBeTruthy();
  });
});

describe("ImportPage: the Import button", () => {
  it("is disabled exactly when Rust's report has problems", async () => {
    mockRust((request) => (request.mapping?.given_name ? clean : unmapped));
    render(ImportPage);
    await pickFile(CSV);
    await fireEvent.click(await screen.findByTestId("import-preview"));
    const apply = () => screen.getByTestId("import-apply") as HTMLButtonElement;
    await screen.findByTestId("import-problems");
    expect(apply().disabled).toBe(true);

    await fireEvent.change(screen.getByTestId("import-column-given_name"), { target: { value: "Vorname" } });
    await fireEvent.click(screen.getByTestId("import-preview"));
    await screen.findByTestId("import-no-problems");
    expect(screen.queryByTestId("import-problems")).toBeNull();
    expect(apply().disabled).toBe(false);
  });

  it("imports with progress, then starts over and shows what was written", async () => {
    let finish: (report: ImportReport) => void = () => {};
    const seen = mockRust((request) => (request.dry_run ? clean : (new Promise<ImportReport>((resolve) => (finish = resolve)) as unknown as ImportReport)));
    render(ImportPage);
    await pickFile(CSV);
    await fireEvent.change(await screen.findByTestId("import-column-given_name"), { target: { value: "Vorname" } });
    await fireEvent.click(screen.getByTestId("import-preview"));
    await fireEvent.click(await screen.findByTestId("import-apply"));

    await screen.findByTestId("import-progress");
    await emit("import-progress", { done: 250, total: 1000 });
    await vi.waitFor(() => expect(screen.getByTestId("import-progress").textContent).toContain("250 of 1000"));
    expect(seen.requests.at(-1)).toMatchObject({ dry_run: false, mapping: { given_name: "Vorname" } });

    finish({ ...clean, applied: true });
    const done = await screen.findByTestId("import-done");
    expect(done.textContent).toContain("New patients: 1");
    expect(screen.queryByTestId("import-mapping")).toBeNull();
    expect(screen.queryByTestId("import-report")).toBeNull();
    expect(screen.queryByTestId("import-file-name")).toBeNull();
  });
});

describe("ImportPage: cancelling", () => {
  it("asks Rust to stop, shows its refusal, and keeps the preview to import again", async () => {
    let refuse: (error: unknown) => void = () => {};
    let cancelled = false;
    mockIPC(
      (cmd, args) => {
        if (cmd === "stage_import_file") return 1;
        if (cmd === "import_mapping") return { ...proposal, mapping: { ...proposal.mapping, given_name: "Vorname" }, remembered: true };
        if (cmd === "cancel_import") {
          cancelled = true;
          refuse({ kind: "invalid", message: "cancelled", field: null, refusal: { reason: "import_cancelled" }, occurrence: null, details: {} });
          return null;
        }
        if (cmd === "run_import") {
          const request = (args as { request: ImportRequest }).request;
          return request.dry_run ? clean : new Promise((_, reject) => (refuse = reject));
        }
      },
      { shouldMockEvents: true },
    );
    render(ImportPage);
    await pickFile(CSV);
    expect((await screen.findByTestId("import-detected")).textContent).toContain("chose last time");
    await fireEvent.click(screen.getByTestId("import-preview"));
    await fireEvent.click(await screen.findByTestId("import-apply"));
    await fireEvent.click(await screen.findByTestId("import-cancel"));
    expect((await screen.findByTestId("import-error")).textContent).toBe("The import was cancelled: nothing was imported.");
    expect(cancelled).toBe(true);
    expect(screen.queryByTestId("import-progress")).toBeNull();
    expect((screen.getByTestId("import-apply") as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId("import-report")).toBeTruthy();
  });
});

describe("ImportPage: problems", () => {
  it("lists each problem with its line, column, value and Rust's reason in the user's words", async () => {
    const problems: ImportReport = {
      ...clean,
      patients_added: 0,
      problems: [
        { line: 3, column: "DOB", value: "31.02.1980", reason: { reason: "bad_date", value: "31.02.1980" } },
        { line: 4, column: "Mobile", value: "12", reason: { reason: "phone_length", value: "12", digits: 2 } },
        { line: 1, column: "", value: "given_name", reason: { reason: "field_not_mapped", field: "given_name" } },
      ],
    };
    mockRust(() => problems);
    render(ImportPage);
    await pickFile(CSV);
    await fireEvent.click(await screen.findByTestId("import-preview"));
    await screen.findByTestId("import-problems");
    expect(screen.getByTestId("import-problem-count").textContent).toContain("Problems: 3");
    const rows = screen.getAllByTestId("import-problem").map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ["3", "DOB", "31.02.1980", "“31.02.1980” is not a real date (YYYY-MM-DD)."],
      ["4", "Mobile", "12", "This number has 2 digits; a phone number has 7 to 15."],
      ["1", "(the whole row)", "given_name", "No column of the file is chosen for “First name”."],
    ]);

    setLocale("ru");
    await vi.waitFor(() => expect(screen.getAllByTestId("import-problem-reason")[2].textContent).toBe("Для поля «Имя» не выбран столбец файла."));
  });

  it("sends a duplicate's own choice back for a new preview", async () => {
    const withDuplicate: ImportReport = {
      ...clean,
      duplicates: [{ line: 2, name: "Anna Bērziņa", existing_id: "p1", existing_name: "Anna Bērziņa", reason: "name_and_birth_date", choice: "merge" }],
    };
    const seen = mockRust(() => withDuplicate);
    render(ImportPage);
    await pickFile(CSV);
    await fireEvent.click(await screen.findByTestId("import-preview"));
    const choice = (await screen.findByTestId("import-duplicate-choice")) as HTMLSelectElement;
    expect(choice.value).toBe("merge");
    await fireEvent.change(choice, { target: { value: "keep_both" } });
    await vi.waitFor(() => expect(seen.requests).toHaveLength(2));
    expect(seen.requests[1]).toMatchObject({ choices: { 2: "keep_both" }, on_duplicate: "merge", dry_run: true });
  });
});
