import { describe, expect, it } from "vitest";
import { addDays, ageOn, dayAndTimeIn, fullDateAndTimeIn, hhmm, parseHhmm } from "./format";

describe("format", () => {
  it("formats and parses clock times", () => {
    expect(hhmm(545)).toBe("09:05");
    expect(parseHhmm("9:05")).toBe(545);
    expect(parseHhmm("24:00")).toBeNull();
    expect(parseHhmm("ten")).toBeNull();
  });

  it("adds calendar days across month, year and clock-change boundaries", () => {
    expect(addDays("2026-11-30", 1)).toBe("2026-12-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-03-28", 1)).toBe("2027-03-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("shows visit times on the 24-hour clock in every language", () => {
    const visit = "2026-12-01T12:40:00Z"; // 14:40 in Riga
    for (const locale of ["en", "ru"]) {
      expect(dayAndTimeIn(visit, "Europe/Riga", locale)).toContain("14:40");
      expect(fullDateAndTimeIn(visit, "Europe/Riga", locale)).toContain("14:40");
    }
    expect(dayAndTimeIn(visit, "Europe/Riga", "en")).not.toMatch(/PM/);
  });

  it("counts whole years of age", () => {
    expect(ageOn("1985-04-12", "2026-04-11")).toBe(40);
    expect(ageOn("1985-04-12", "2026-04-12")).toBe(41);
  });
});
