import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Standard, StandardsSetup } from "../../lib/bindings";
import { setLocale } from "../../lib/i18n/index.svelte";
import QualityPage from "./QualityPage.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

const callBack: Standard = {
  id: "s1",
  family_key: "first_consultation",
  stage_key: "follow_up_call",
  kind: "measured",
  text: "Called back within 2 working hours",
  measure: "task_on_time",
  limit_minutes: 120,
  working_time: true,
  active: true,
};
const greeted: Standard = { ...callBack, id: "s2", stage_key: "check_in", kind: "checked", text: "Greeted by name", measure: null, limit_minutes: null, working_time: false };

function clinic(standards: Standard[]): StandardsSetup {
  return {
    standards,
    stages: [
      { family_key: "first_consultation", journey: "First consultation", stage_key: "check_in", name: "Check-in" },
      { family_key: "first_consultation", journey: "First consultation", stage_key: "follow_up_call", name: "Follow-up call" },
    ],
    kano_features: [],
    servqual_weights: [],
  };
}

describe("QualityPage: editing a standard", () => {
  it("sends the new wording and limit, and shows the standard as Rust saved it", async () => {
    let standards = [callBack, greeted];
    let sent: unknown = null;
    mockIPC((cmd, args) => {
      if (cmd === "standards_setup") return clinic(standards);
      if (cmd === "update_standard") {
        sent = args;
        const saved = { ...callBack, text: "Called back within 90 minutes", limit_minutes: 90 };
        standards = [saved, greeted];
        return saved;
      }
    });
    render(QualityPage);
    const edits = await screen.findAllByTestId("standard-edit");
    await fireEvent.click(edits[0]);
    await fireEvent.input(screen.getByTestId("standard-edit-text"), { target: { value: "Called back within 90 minutes" } });
    await fireEvent.input(screen.getByTestId("standard-edit-limit"), { target: { value: "90" } });
    await fireEvent.click(screen.getByTestId("standard-save"));
    expect((await screen.findByTestId("quality-notice")).textContent).toContain("Called back within 90 minutes");
    expect(sent).toEqual({ id: "s1", edit: { text: "Called back within 90 minutes", limit_minutes: 90, working_time: true } });
    expect(screen.queryByTestId("standard-editing")).toBeNull();
    await vi.waitFor(() => expect(screen.getAllByTestId("standard-row")[0].textContent).toContain("tasks within 90 minutes"));
  });

  it("offers a limit only for a standard that has one, and shows a refusal beside its field", async () => {
    mockIPC((cmd) => {
      if (cmd === "standards_setup") return clinic([callBack, greeted]);
      if (cmd === "update_standard") {
        throw { kind: "invalid", message: "The standard is required", field: "text", refusal: { reason: "required", what: "The standard" }, occurrence: null, details: {} };
      }
    });
    render(QualityPage);
    const edits = await screen.findAllByTestId("standard-edit");
    await fireEvent.click(edits[1]);
    expect(screen.queryByTestId("standard-edit-limit")).toBeNull();
    await fireEvent.input(screen.getByTestId("standard-edit-text"), { target: { value: " " } });
    await fireEvent.click(screen.getByTestId("standard-save"));
    const error = await screen.findByText(/required/i);
    expect(error.closest("label")?.querySelector("input")?.getAttribute("data-testid")).toBe("standard-edit-text");
    expect(screen.getByTestId("standard-editing")).toBeTruthy();
  });

  it("sends a limit Rust refuses and shows Rust's reason beside the limit", async () => {
    let sent: unknown = null;
    mockIPC((cmd, args) => {
      if (cmd === "standards_setup") return clinic([callBack, greeted]);
      if (cmd === "update_standard") {
        sent = args;
        throw { kind: "invalid", message: "The limit is required", field: "limit_minutes", refusal: { reason: "required", what: "The limit" }, occurrence: null, details: {} };
      }
    });
    render(QualityPage);
    await fireEvent.click((await screen.findAllByTestId("standard-edit"))[0]);
    await fireEvent.input(screen.getByTestId("standard-edit-limit"), { target: { value: "0" } });
    await fireEvent.click(screen.getByTestId("standard-save"));
    const error = await screen.findByText(/required/i);
    expect(error.closest("label")?.querySelector("input")?.getAttribute("data-testid")).toBe("standard-edit-limit");
    expect(sent).toMatchObject({ edit: { limit_minutes: 0 } });
  });
});
