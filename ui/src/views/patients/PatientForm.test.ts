import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { setLocale } from "../../lib/i18n/index.svelte";
import PatientForm from "./PatientForm.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

describe("PatientForm", () => {
  it("asks for the family name first in Chinese (姓, then 名)", () => {
    setLocale("zh");
    render(PatientForm, { props: { patient: null, onsaved: vi.fn() } });
    const order = [...document.querySelectorAll("input[data-testid^=patient-]")].map((i) => i.getAttribute("data-testid"));
    expect(order.indexOf("patient-family_name")).toBeLessThan(order.indexOf("patient-given_name"));
    expect(screen.getByTestId("patient-family_name").closest("label")?.textContent).toContain("姓");
  });

  it("shows a refused phone next to the phone field and keeps what was typed", async () => {
    mockIPC((cmd) => {
      if (cmd === "create_patient") {
        throw {
          kind: "invalid",
          message: "Phone “12ab” is not valid",
          field: "phone",
          refusal: { reason: "phone_character", value: "12ab", character: "a" },
          occurrence: null,
          details: {},
        };
      }
    });
    const onsaved = vi.fn();
    render(PatientForm, { props: { patient: null, onsaved } });
    await fireEvent.input(screen.getByTestId("patient-given_name"), { target: { value: "Anna" } });
    await fireEvent.input(screen.getByTestId("patient-phone"), { target: { value: "12ab" } });
    await fireEvent.click(screen.getByTestId("save-patient"));

    const error = await screen.findByTestId("field-error");
    expect(error.textContent).toContain("“a” is not allowed in a phone number");
    expect(error.closest("label")?.querySelector("input")?.value).toBe("12ab");
    expect((screen.getByTestId("patient-given_name") as HTMLInputElement).value).toBe("Anna");
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("sends the typed fields and reports the saved patient", async () => {
    let sent: Record<string, unknown> | null = null;
    mockIPC((cmd, args) => {
      if (cmd === "create_patient") {
        sent = (args as { input: Record<string, unknown> }).input;
        return { id: "p1", ...sent };
      }
    });
    const onsaved = vi.fn();
    render(PatientForm, { props: { patient: null, onsaved } });
    await fireEvent.input(screen.getByTestId("patient-family_name"), { target: { value: "Petrova" } });
    await fireEvent.click(screen.getByTestId("save-patient"));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledOnce());
    expect(sent).toMatchObject({ family_name: "Petrova", preferred_channel: "phone", consent_reminders: true });
  });
});
