import { afterEach, describe, expect, it, vi } from "vitest";
import type { Change } from "./bindings";
import { keepFresh } from "./changes";

function channel() {
  let listener: ((change: Change) => void) | null = null;
  const subscribe = (l: (change: Change) => void) => {
    listener = l;
    return Promise.resolve(() => (listener = null));
  };
  const announce = (change: Change) => listener?.(change);
  return { subscribe, announce, subscribed: () => listener !== null };
}

const change = (...entities: Change["entities"]): Change => ({ entities, source: "other_process" });

afterEach(() => vi.useRealTimers());

describe("keepFresh", () => {
  it("reloads once for a change it shows, not for others, and stops listening", async () => {
    const { subscribe, announce, subscribed } = channel();
    const load = vi.fn(() => Promise.resolve());
    const fresh = keepFresh(["tasks"], load, subscribe);
    announce(change("rooms"));
    announce(change("tasks", "appointments"));
    await vi.waitFor(() => expect(load).toHaveBeenCalledTimes(1));
    fresh.stop();
    await Promise.resolve();
    expect(subscribed()).toBe(false);
  });

  it("never overlaps loads: changes during a load cause exactly one more", async () => {
    const { subscribe, announce } = channel();
    let finish: () => void = () => {};
    const load = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    keepFresh("everything", load, subscribe);
    announce(change("tasks"));
    announce(change("tasks"));
    announce(change("patients"));
    expect(load).toHaveBeenCalledTimes(1);
    finish();
    await vi.waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("reloads when the data says it goes stale, and only then", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-01T21:59:00Z"));
    const { subscribe } = channel();
    const load = vi.fn(() => Promise.resolve());
    const fresh = keepFresh(["tasks"], load, subscribe);
    fresh.staleAt("2026-12-01T22:00:00Z");
    await vi.advanceTimersByTimeAsync(59_000);
    expect(load).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(load).toHaveBeenCalledTimes(1);
    fresh.staleAt(null);
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
