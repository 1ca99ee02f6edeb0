// Keeps a screen's data fresh without polling: it reloads when Rust announces a committed
// change (from this window, the scheduler, or another process such as the command line) that
// touches what the screen shows, and when the data itself says it goes stale (`stale_at`).
// Loads never overlap: changes that arrive during a load cause exactly one more.
import { onDataChanged } from "./api";
import type { Change, Entity } from "./bindings";
import { clinicNow } from "./clinic.svelte";

export type Freshness = {
  /** Reload now (coalesced with any load under way). */
  reload: () => void;
  /** Reload at `instant` (ISO), replacing any earlier such timer; `null` clears it. */
  staleAt: (instant: string | null) => void;
  stop: () => void;
};

export function keepFresh(
  shows: readonly Entity[] | "everything",
  load: () => Promise<unknown>,
  subscribe: (listener: (change: Change) => void) => Promise<() => void> = onDataChanged,
): Freshness {
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function reload() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await load().catch(() => {});
      } while (again);
    } finally {
      running = false;
    }
  }

  const touches = (change: Change) => shows === "everything" || change.entities.some((e) => shows.includes(e));
  const unsubscribe = subscribe((change) => {
    if (touches(change)) void reload();
  });

  return {
    reload: () => void reload(),
    staleAt(instant) {
      clearTimeout(timer);
      if (!instant) return;
      // Browsers fire a delay above 2^31 ms at once; a day's end is far below it.
      // By the store's clock (a set time in demos and tests), as every timer of the app.
      const wait = Math.min(Math.max(Date.parse(instant) - clinicNow().getTime(), 0) + 250, 2 ** 31 - 1);
      timer = setTimeout(() => void reload(), wait);
    },
    stop() {
      clearTimeout(timer);
      void unsubscribe.then((stop) => stop());
    },
  };
}
