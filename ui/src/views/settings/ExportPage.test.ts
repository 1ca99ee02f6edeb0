import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CalendarFeed, ClinicOverview, Provider, Room, SetupData } from "../../lib/bindings";
import { clinic } from "../../lib/clinic.svelte";
import { setLocale } from "../../lib/i18n/index.svelte";
import ExportPage from "./ExportPage.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
  clinic.overview = null;
});

const ivanova: Provider = { id: "v1", name: "Dr Ivanova", specialty: "", staff_id: null, home_room_id: null, active: true, availability: [] };
const room2: Room = { id: "r2", name: "Room 2", active: true, availability: [] };
const data = { providers: [ivanova], rooms: [room2] } as unknown as SetupData;

describe("ExportPage", () => {
  it("exports the chosen file and says where Rust saved it, how many records, and that it is not encrypted", async () => {
    clinic.overview = { encrypted: true } as ClinicOverview;
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "calendar_feeds") return [];
      if (cmd === "export_file") {
        sent.push(args);
        return { path: "/home/desk/Downloads/calendar-20261203.ics", count: 42 };
      }
    });
    render(ExportPage, { data });
    await fireEvent.change(screen.getByTestId("export-format"), { target: { value: "ics" } });
    await fireEvent.change(screen.getByTestId("export-scope"), { target: { value: "provider:v1" } });
    await fireEvent.change(screen.getByTestId("export-detail"), { target: { value: "full" } });
    await fireEvent.click(screen.getByTestId("export-alarms"));
    await fireEvent.click(screen.getByTestId("export-file"));
    const notice = await screen.findByTestId("export-notice");
    expect(notice.textContent).toContain("Saved to /home/desk/Downloads/calendar-20261203.ics (42 records).");
    expect(notice.textContent).toContain("This file is not encrypted");
    expect(sent).toEqual([{ request: { format: "ics", scope: { kind: "provider", id: "v1" }, detail: "full", alarms: true } }]);
  });

  it("lists the calendar files kept current, and shows Rust's refusal of a folder beside it", async () => {
    const feed: CalendarFeed = {
      id: "f1",
      folder: "/srv/cal",
      scope: { kind: "room", id: "r2" },
      detail: "initials",
      alarms: false,
      file: "/srv/cal/clinic-journey-room-r2.ics",
      written_at: null,
    };
    let added: unknown = null;
    mockIPC((cmd, args) => {
      if (cmd === "calendar_feeds") return [feed];
      if (cmd === "add_calendar_feed") {
        added = args;
        throw { kind: "invalid", message: "not a full path", field: "folder", refusal: { reason: "relative_folder", value: "cal" }, occurrence: null, details: {} };
      }
    });
    render(ExportPage, { data });
    const row = await screen.findByTestId("calendar-feed");
    expect(row.textContent).toContain("/srv/cal/clinic-journey-room-r2.ics");
    expect(row.textContent).toContain("Room: Room 2");
    expect(row.textContent).toContain("Initials");
    expect(row.textContent).toContain("Not yet");

    await fireEvent.input(screen.getByTestId("calendar-feed-folder"), { target: { value: "cal" } });
    await fireEvent.change(screen.getByTestId("calendar-feed-scope"), { target: { value: "room:r2" } });
    await fireEvent.click(screen.getByTestId("calendar-feed-add"));
    const error = await screen.findByTestId("calendar-feed-folder-error");
    expect(error.textContent).toContain("“cal” is not a full folder path");
    expect(added).toEqual({ folder: "cal", scope: { kind: "room", id: "r2" }, detail: "initials", alarms: false });
  });
});
