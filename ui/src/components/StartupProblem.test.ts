import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import StartupProblem from "./StartupProblem.svelte";
import LengthHint from "./LengthHint.svelte";
import { setLocale } from "../lib/i18n/index.svelte";
import type { StartupProblem as Problem } from "../lib/bindings";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

const busy: Problem = {
  error: { kind: "busy", message: "The database is busy", field: null, refusal: null, occurrence: null, details: {} },
  database_path: "/home/desk/.local/share/app.clinicjourney.desktop/clinic-journey.sqlite3",
  log_folder: "/home/desk/.local/share/app.clinicjourney.desktop/logs",
};

describe("StartupProblem", () => {
  it("says what happened, what to do and where the file and log are, in the window's language", async () => {
    render(StartupProblem, { props: { problem: busy, onopened: vi.fn() } });
    expect(screen.getByTestId("startup-message").textContent).toContain("another program is using it");
    expect(screen.getByTestId("startup-problem").textContent).toContain("Close it, then try again");
    expect(screen.getByTestId("startup-problem").textContent).toContain(busy.database_path);
    setLocale("ru");
    await vi.waitFor(() => expect(screen.getByTestId("startup-message").textContent).toContain("её использует другая программа"));
  });

  it("tries again, shows what still stands in the way, and opens the app once it can", async () => {
    const replies: (Problem | null)[] = [
      { ...busy, error: { kind: "disk_full", message: "The disk is full", field: null, refusal: null, occurrence: null, details: {} } },
      null,
    ];
    mockIPC((cmd) => (cmd === "retry_open" ? replies.shift() : undefined));
    const onopened = vi.fn();
    render(StartupProblem, { props: { problem: busy, onopened } });
    await fireEvent.click(screen.getByTestId("startup-retry"));
    await vi.waitFor(() => expect(screen.getByTestId("startup-problem").dataset.kind).toBe("disk_full"));
    expect(screen.getByTestId("startup-message").textContent).toContain("The disk is full");
    expect(onopened).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("startup-retry"));
    await vi.waitFor(() => expect(onopened).toHaveBeenCalledOnce());
  });
});

describe("LengthHint", () => {
  it("counts characters as Rust does and stays hidden on an empty field", () => {
    const { container } = render(LengthHint, { props: { value: "", max: 1000 } });
    expect(container.textContent?.trim()).toBe("");
    cleanup();
    render(LengthHint, { props: { value: "Zariņš 😀", max: 1000 } });
    expect(screen.getByTestId("length-hint").textContent?.trim()).toBe("8 / 1000");
  });
});
