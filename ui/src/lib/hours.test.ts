import { describe, expect, it } from "vitest";
import { spansOf, weekdayName, weeksLabel } from "./hours";

describe("weekly hours in forms", () => {
  it("names weekdays from Monday in the window's language", () => {
    expect(weekdayName(1, "en")).toBe("Monday");
    expect(weekdayName(7, "en")).toBe("Sunday");
    expect(weekdayName(1, "ru")).toBe("понедельник");
    expect(weekdayName(6, "uk", "short")).toBe("сб");
  });

  it("lists one weekday's spans in order", () => {
    const hours = [
      { weekday: 2, span: { start: 780, end: 1020 }, weeks: "every" as const },
      { weekday: 1, span: { start: 480, end: 720 }, weeks: "every" as const },
      { weekday: 2, span: { start: 480, end: 720 }, weeks: "odd" as const },
    ];
    expect(spansOf(hours, 2).map((h) => h.span.start)).toEqual([480, 780]);
    expect(spansOf(hours, 3)).toEqual([]);
  });
  it("names alternating weeks by where this week falls", () => {
    const t = (key: string) => key.split(".").at(-1)!;
    expect(weeksLabel("every", "even", t)).toBe("every");
    expect(weeksLabel("even", "even", t)).toBe("thisWeek");
    expect(weeksLabel("odd", "even", t)).toBe("nextWeek");
  });
});
