import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import ServerLinkBanner from "./ServerLinkBanner.svelte";
import { clinic } from "../lib/clinic.svelte";
import { setLocale } from "../lib/i18n/index.svelte";
import type { ClinicOverview, ServerLink } from "../lib/bindings";

afterEach(async () => {
  cleanup();
  // The banner stops listening once unmounted, before the mocked backend goes.
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
  setLocale("en");
  clinic.overview = null;
});

const cutOff: ServerLink = {
  server: "reception@192.168.1.10:5432/clinic",
  cut_off_since: "2026-12-03T08:42:10Z",
  last_read: "2026-12-03T08:41:55Z",
};

describe("ServerLinkBanner", () => {
  it("says since when the server is out of reach, as of when the desk shows the clinic, and goes when it is back", async () => {
    // Riga is two hours ahead of UTC in December: the clinic's times, not the desk's.
    clinic.overview = { settings: { time_zone: "Europe/Riga" } } as ClinicOverview;
    mockIPC((cmd) => (cmd === "server_link" ? cutOff : undefined), { shouldMockEvents: true });
    render(ServerLinkBanner);
    const banner = await screen.findByTestId("server-cut-off");
    expect(banner.textContent).toContain("since 10:42");
    expect(banner.textContent).toContain("read at 10:41");
    expect(banner.textContent).toContain("changes are paused");
    setLocale("uk");
    await vi.waitFor(() => expect(screen.getByTestId("server-cut-off").textContent).toContain("зміни призупинено"));

    await emit("server-link", { ...cutOff, cut_off_since: null });
    await vi.waitFor(() => expect(screen.queryByTestId("server-cut-off")).toBeNull());
    await emit("server-link", cutOff);
    await vi.waitFor(() => expect(screen.queryByTestId("server-cut-off")).not.toBeNull());
  });

  it("shows nothing for a desk on its own file or on a server that answers", async () => {
    mockIPC((cmd) => (cmd === "server_link" ? null : undefined), { shouldMockEvents: true });
    render(ServerLinkBanner);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId("server-cut-off")).toBeNull();
  });
});
