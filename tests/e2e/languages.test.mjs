// End to end, the four window languages: switching the language relabels every screen, and
// the choice stays for the next start. Screenshots of the main screens and of every settings
// page in each language when E2E_SCREENSHOTS is set.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { dataDir, Session } from "./webdriver.mjs";

const SHOTS = process.env.E2E_SCREENSHOTS;
const SCREENS = ["today", "schedule", "flow", "blueprint", "patients", "settings"];
/** Each screen's heading, as the message files write it. */
const TITLES = {
  en: ["Today", "Schedule", "Flow board", "Blueprint", "Patients", "Settings"],
  ru: ["Сегодня", "Расписание", "Поток пациентов", "Схема услуги", "Пациенты", "Настройки"],
  uk: ["Сьогодні", "Розклад", "Потік пацієнтів", "Схема послуги", "Пацієнти", "Налаштування"],
  zh: ["今日", "日程", "就诊看板", "服务蓝图", "患者", "设置"],
};
const SETTINGS_PAGES = ["clinic", "staff", "rooms", "providers", "services", "journeys", "rules", "backup"];

describe("window languages", () => {
  let data;
  let app;
  before(async () => {
    data = dataDir({ demo: true });
    app = await Session.start(data.dir);
    await app.call("POST", "/window/rect", { width: 1280, height: 800 });
  });
  after(async () => {
    await app?.stop();
    data?.remove();
  });

  for (const [language, titles] of Object.entries(TITLES)) {
    it(`shows every screen in ${language}`, async () => {
      await app.choose("[data-testid=language]", language);
      for (const [i, screen] of SCREENS.entries()) {
        await app.click(`[data-testid=nav-${screen}]`);
        const heading = await app.waitFor(async () => {
          const text = await app.script("return document.querySelector('.content h1')?.innerText ?? '';");
          return text === titles[i] && text;
        }, `${screen} titled “${titles[i]}”`);
        assert.equal(heading, titles[i]);
        if (SHOTS && screen !== "settings") await app.screenshot(join(SHOTS, `${language}-${screen}.png`));
      }
      assert.equal(await app.script("return document.documentElement.lang;"), language === "zh" ? "zh-CN" : language);
      if (SHOTS) {
        for (const page of SETTINGS_PAGES) {
          await app.click(`[data-testid=settings-${page}]`);
          await app.find(page === "clinic" ? "[data-testid=clinic-form]" : `[data-testid=${page}-page]`);
          await app.screenshot(join(SHOTS, `${language}-settings-${page}.png`));
        }
      }
    });
  }

  it("keeps the language for the next start", async () => {
    await app.choose("[data-testid=language]", "uk");
    await app.stop();
    app = await Session.start(data.dir);
    await app.click("[data-testid=nav-today]");
    await app.waitFor(async () => (await app.script("return document.querySelector('.content h1')?.innerText;")) === "Сьогодні", "Ukrainian after a restart");
    // The choice is this desk's: the other tests see English again.
    await app.choose("[data-testid=language]", "en");
  });
});
