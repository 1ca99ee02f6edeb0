import { describe, expect, it } from "vitest";
import { elapsedMinutes, minutesLate, minutesOver, stopwatch, timerState } from "./timers";

describe("timerState", () => {
  const amber = "2026-11-24T10:10:00Z";
  const red = "2026-11-24T10:15:00Z";
  const at = (time: string) => new Date(`2026-11-24T${time}Z`);

  it("has no state without a standard", () => {
    expect(timerState(at("10:00:00"), null, null)).toBe("none");
  });

  it("is ok up to and exactly at the amber instant", () => {
    expect(timerState(at("10:00:00"), amber, red)).toBe("ok");
    expect(timerState(at("10:10:00"), amber, red)).toBe("ok");
  });

  it("is amber past it, up to the red instant, and red after", () => {
    expect(timerState(at("10:10:01"), amber, red)).toBe("amber");
    expect(timerState(at("10:15:00"), amber, red)).toBe("amber");
    expect(timerState(at("10:15:01"), amber, red)).toBe("red");
  });
});

describe("timer helpers", () => {
  const now = new Date("2026-11-24T10:00:00Z");

  it("measures elapsed minutes, never below zero", () => {
    expect(elapsedMinutes("2026-11-24T09:47:30Z", now)).toBe(12.5);
    expect(elapsedMinutes("2026-11-24T10:05:00Z", now)).toBe(0);
  });

  it("formats a stopwatch with seconds, adding hours when needed", () => {
    expect(stopwatch(0)).toBe("0:00");
    expect(stopwatch(7 + 5 / 60)).toBe("7:05");
    expect(stopwatch(59.999)).toBe("59:59");
    expect(stopwatch(67 + 5 / 60)).toBe("1:07:05");
  });

  it("counts whole minutes over the standard, at least one once past", () => {
    expect(minutesOver(10, 10)).toBe(0);
    expect(minutesOver(10.2, 10)).toBe(1);
    expect(minutesOver(14.9, 10)).toBe(4);
  });

  it("counts whole minutes late, zero before the start", () => {
    expect(minutesLate("2026-11-24T09:53:00Z", now)).toBe(7);
    expect(minutesLate("2026-11-24T10:30:00Z", now)).toBe(0);
  });
});
