import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ServerPage from "./ServerPage.svelte";
import type { ClinicServerPage, ServerCheck, ServerForm } from "../../lib/bindings";

afterEach(() => {
  cleanup();
  clearMocks();
});

const onServer: ServerForm = { host: "192.168.1.10", port: 5432, database: "clinic", role: "reception", password: "", without_tls: false };

function serve(page: ClinicServerPage, asked: unknown[] = []) {
  const found: ServerCheck = { server: "reception@192.168.1.10:5432/clinic", server_version: "15.18", tls: "TLSv1.3", schema_version: 15, clinic: "Riverside Family Clinic" };
  mockIPC((cmd, args) => {
    if (cmd === "clinic_server_page") return page;
    if (cmd === "check_clinic_server") {
      asked.push((args as { form: ServerForm }).form);
      return found;
    }
    return undefined;
  });
}

describe("ServerPage", () => {
  it("offers the move only where Rust allows it, and no way back to a file the desk is on", async () => {
    serve({ on_server: null, may_move: true });
    render(ServerPage);
    expect((await screen.findByTestId("server-where")).textContent).toContain("its own database file");
    expect(screen.queryByTestId("server-move")).not.toBeNull();
    expect(screen.queryByTestId("server-leave")).toBeNull();
  });

  it("on a server desk: shows where it works (no password), offers the way back, no move", async () => {
    serve({ on_server: onServer, may_move: false });
    render(ServerPage);
    expect((await screen.findByTestId("server-where")).textContent).toContain("reception@192.168.1.10:5432/clinic");
    expect((screen.getByTestId("server-host") as HTMLInputElement).value).toBe("192.168.1.10");
    expect((screen.getByTestId("server-password") as HTMLInputElement).value).toBe("");
    expect(screen.queryByTestId("server-leave")).not.toBeNull();
    expect(screen.queryByTestId("server-move")).toBeNull();
  });

  it("tests the address typed and shows what Rust found there", async () => {
    const asked: unknown[] = [];
    serve({ on_server: null, may_move: false }, asked);
    render(ServerPage);
    await screen.findByTestId("server-where");
    await fireEvent.input(screen.getByTestId("server-host"), { target: { value: "10.0.0.5" } });
    await fireEvent.input(screen.getByTestId("server-role"), { target: { value: "room-2" } });
    await fireEvent.input(screen.getByTestId("server-password"), { target: { value: "s3cret" } });
    await fireEvent.click(screen.getByTestId("server-check"));
    const found = await screen.findByTestId("server-found");
    expect(found.textContent).toContain("PostgreSQL 15.18");
    expect(found.textContent).toContain("encrypted (TLSv1.3)");
    expect(found.textContent).toContain("Riverside Family Clinic");
    expect(asked).toEqual([{ host: "10.0.0.5", port: 5432, database: "clinic", role: "room-2", password: "s3cret", without_tls: false }]);
  });
});
