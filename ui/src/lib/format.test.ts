import { describe, expect, it } from "vitest";
import {
  durationText,
  addDays,
  ageOn,
  dateTimeFormat,
  dayAndTimeIn,
  familyNameFirst,
  fullDateAndTimeIn,
  hhmm,
  LANGUAGE_TAGS,
  languageTag,
  longDate,
  numberFormat,
  parseHhmm,
  personName,
  personNameFamilyFirst,
  shortDayIn,
  shortDayTimeIn,
} from "./format";

describe("format", () => {
  it("says a limit in its largest whole unit, in the window's language", () => {
    expect(durationText(7200, "en")).toBe("5 days");
    expect(durationText(240, "en")).toBe("4 hours");
    expect(durationText(90, "en")).toBe("90 minutes");
    expect(durationText(1440, "ru")).toBe("1 день");
    expect(durationText(120, "uk")).toBe("2 години");
    expect(durationText(7200, "zh")).toBe("5天");
  });

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
    for (const locale of Object.keys(LANGUAGE_TAGS)) {
      expect(dayAndTimeIn(visit, "Europe/Riga", locale)).toContain("14:40");
      expect(fullDateAndTimeIn(visit, "Europe/Riga", locale)).toContain("14:40");
    }
    expect(dayAndTimeIn(visit, "Europe/Riga", "en")).not.toMatch(/PM/);
  });

  it("writes Chinese dates for mainland China, on the 24-hour clock", () => {
    expect(languageTag("zh")).toBe("zh-CN");
    expect(languageTag("en-GB")).toBe("en-GB");
    const visit = "2026-12-01T12:40:00Z"; // 20:40 in Shanghai
    expect(dayAndTimeIn(visit, "Asia/Shanghai", "zh")).toMatch(/^12月1日\s*20:40$/);
    expect(fullDateAndTimeIn(visit, "Asia/Shanghai", "zh")).toMatch(/^2026年12月1日.*20:40$/);
    expect(longDate("2026-12-01", "zh")).toBe("2026年12月1日星期二");
    expect(dayAndTimeIn("2026-12-01T04:05:00Z", "Asia/Shanghai", "zh")).not.toMatch(/上午|下午/);
    // Month and day keep their 月 and 日 in the compact list form.
    expect(shortDayIn(visit, "Asia/Shanghai", "zh")).toBe("12月01日周二");
    expect(shortDayTimeIn(visit, "Asia/Shanghai", "zh")).toBe("12月01日周二 20:40");
    expect(shortDayIn(visit, "Asia/Shanghai", "en")).toBe("Tue 01 Dec");
  });

  it("puts a Chinese name's family name first, with no space", () => {
    expect(personName("伟", "张", "zh")).toBe("张伟");
    expect(personName("伟", "张", "en")).toBe("张伟");
    expect(personName("Anna", "Petrova", "en")).toBe("Anna Petrova");
    expect(personName("Anna", "Petrova", "zh")).toBe("Petrova Anna");
    expect(personName("", "Petrova", "ru")).toBe("Petrova");
    expect(personNameFamilyFirst("Anna", "Petrova")).toBe("Petrova, Anna");
    expect(personNameFamilyFirst("小明", "欧阳")).toBe("欧阳小明");
    expect(familyNameFirst("zh")).toBe(true);
    expect(familyNameFirst("en")).toBe(false);
  });

  it("counts whole years of age", () => {
    expect(ageOn("1985-04-12", "2026-04-11")).toBe(40);
    expect(ageOn("1985-04-12", "2026-04-12")).toBe(41);
  });

  it("builds each formatter once per language, options and zone", () => {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/Berlin" } as const;
    const berlin = dateTimeFormat("en", options);
    expect(dateTimeFormat("en", { ...options })).toBe(berlin);
    expect(dateTimeFormat("zh", options)).not.toBe(berlin);
    const tokyo = dateTimeFormat("en", { ...options, timeZone: "Asia/Tokyo" });
    expect(tokyo).not.toBe(berlin);
    // The kept formatters still answer for their own zone.
    expect(berlin.format(new Date("2026-12-01T09:00:00Z"))).toBe("10:00");
    expect(tokyo.format(new Date("2026-12-01T09:00:00Z"))).toBe("18:00");
    expect(numberFormat("ru", { maximumFractionDigits: 0 })).toBe(numberFormat("ru", { maximumFractionDigits: 0 }));
    expect(numberFormat("ru", { maximumFractionDigits: 1 }).format(1234.56)).toBe("1\u00a0234,6");
  });
});
