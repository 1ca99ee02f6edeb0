import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import BackupPage from "./BackupPage.svelte";
import type { BackupFile, BackupStatus } from "../../lib/bindings";

afterEach(async () => {
  cleanup();
  // The page stops listening once unmounted, before the mocked backend goes.
  await new Promise((resolve) => setTimeout(resolve, 0));
  clearMocks();
});

function status(onServer: boolean, file: BackupFile): BackupStatus {
  return {
    plan: { folder: "", daily: true, keep_days: 14 },
    folder: "/home/desk/.local/share/clinic-journey/server-backups",
    default_folder: "/home/desk/.local/share/clinic-journey/server-backups",
    same_disk_as_database: false,
    last: { path: file.path, bytes: file.bytes, taken_at: file.taken_at },
    failure: null,
    files: [file],
    on_server: onServer,
  };
}

const dump: BackupFile = {
  path: "/home/desk/.local/share/clinic-journey/server-backups/clinic-server-20261203-221500-daily.dump",
  name: "clinic-server-20261203-221500-daily.dump",
  bytes: 48_213,
  taken_at: "2026-12-03T22:15:00Z",
  reason: "daily",
};

function serve(page: BackupStatus) {
  mockIPC((cmd) => {
    if (cmd === "backup_status") return page;
    if (cmd === "encryption_status") return { encrypted: false, may_change: true };
    return undefined;
  }, { shouldMockEvents: true });
}

describe("BackupPage", () => {
  it("on the clinic server: lists the dumps, says where they are restored, offers no restore here", async () => {
    serve(status(true, dump));
    render(BackupPage);
    expect((await screen.findByTestId("backup-on-server")).textContent).toContain("pg_restore");
    expect(screen.getByTestId("backup-files").textContent).toContain("Daily");
    expect(screen.queryByTestId("backup-restore-pick")).toBeNull();
    expect(screen.queryByTestId("backup-other-file")).toBeNull();
    expect(screen.getByText(/this desk's own folder/)).not.toBeNull();
  });

  it("on the desk's own file: each copy can be restored after its preview", async () => {
    serve(status(false, { ...dump, path: "/backups/clinic-journey-20261203-221500-daily.sqlite3", name: "clinic-journey-20261203-221500-daily.sqlite3" }));
    render(BackupPage);
    expect(await screen.findByTestId("backup-restore-pick")).not.toBeNull();
    expect(screen.queryByTestId("backup-on-server")).toBeNull();
    expect(screen.queryByTestId("backup-other-file")).not.toBeNull();
  });
});
