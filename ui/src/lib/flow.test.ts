import { describe, expect, it } from "vitest";
import { byColumn, FLOW_COLUMNS, timeIn } from "./flow";

describe("flow columns", () => {
  it("shows clock times in the clinic's zone, not the desk's", () => {
    expect(timeIn("2026-11-24T08:30:00Z", "Europe/Riga", "en")).toBe("10:30");
    expect(timeIn("2026-07-24T08:30:00Z", "Europe/Riga", "ru")).toBe("11:30");
    expect(timeIn("2026-11-24T23:05:00Z", "UTC", "en")).toBe("23:05");
    expect(timeIn("2026-11-24T23:05:00Z", "Asia/Shanghai", "zh")).toBe("07:05");
  });

  it("groups cards by column, keeping their order and every column", () => {
    const cards = [
      { id: 1, column: "waiting" as const },
      { id: 2, column: "booked" as const },
      { id: 3, column: "waiting" as const },
    ];
    const grouped = byColumn(cards);
    expect(Object.keys(grouped)).toEqual([...FLOW_COLUMNS]);
    expect(grouped.waiting.map((c) => c.id)).toEqual([1, 3]);
    expect(grouped.booked.map((c) => c.id)).toEqual([2]);
    expect(grouped.done).toEqual([]);
  });
});
