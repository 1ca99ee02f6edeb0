// Flow board messages (Ukrainian).
import type { flowEn } from "./flow.en";
import type { Shape } from "../shape";

export const flowUk: Shape<typeof flowEn> = {
  title: "Потік пацієнтів",
  summary: "Сьогодні: {total} · у клініці: {inClinic} · завершено: {done}",
  timeZone: "Час — {zone}",
  board: "Пацієнти на сьогодні за етапами візиту",
  columns: {
    booked: "Записані",
    arrived: "Прийшли",
    waiting: "Очікують",
    with_clinician: "У лікаря",
    check_out: "Виписка",
    done: "Завершено",
  },
  count: "Пацієнтів: {count}",
  medianWait: "Медіана очікування: {minutes} хв",
  median: "Медіана: {minutes} хв",
  advance: {
    booked: "Відмітити прихід",
    arrived: "До зали очікування",
    waiting: "Запросити",
    with_clinician: "На виписку",
    check_out: "Завершити",
  },
  back: "Повернути в «{column}»",
  journey: "Шлях",
  journeyOf: "Відкрити шлях пацієнта {patient}",
  due: "до {time}",
  late: "запізнюється на {minutes} хв",
  inStage: "Час на цьому етапі",
  standard: "норматив {minutes} хв",
  over: "понад норматив на {minutes} хв",
  overRed: "перевищення {minutes} хв",
  emptyColumn: "Нікого немає",
  dropHere: "Відпустіть, щоб перемістити сюди",
  empty: "На сьогодні ніхто не записаний.",
  emptyHint: "Сьогоднішні прийоми з'являться тут, щойно їх запишуть у розкладі.",
  noShows: "Не прийшли сьогодні",
};
