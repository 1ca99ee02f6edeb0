// Flow board messages (Russian).
import type { flowEn } from "./flow.en";
import type { Shape } from "../shape";

export const flowRu: Shape<typeof flowEn> = {
  title: "Поток пациентов",
  summary: "Сегодня: {total} · в клинике: {inClinic} · завершено: {done}",
  timeZone: "Время — {zone}",
  board: "Пациенты на сегодня по этапам визита",
  columns: {
    booked: "Записаны",
    arrived: "Пришли",
    waiting: "Ожидают",
    with_clinician: "У врача",
    check_out: "Выписка",
    done: "Завершено",
  },
  count: "Пациентов: {count}",
  medianWait: "Медиана ожидания: {minutes} мин",
  median: "Медиана: {minutes} мин",
  advance: {
    booked: "Отметить приход",
    arrived: "В зал ожидания",
    waiting: "Пригласить",
    with_clinician: "На выписку",
    check_out: "Завершить",
  },
  back: "Вернуть в «{column}»",
  journey: "Путь",
  journeyOf: "Открыть путь пациента {patient}",
  due: "к {time}",
  late: "опаздывает на {minutes} мин",
  inStage: "Время на этом этапе",
  standard: "норматив {minutes} мин",
  over: "сверх норматива на {minutes} мин",
  overRed: "превышение {minutes} мин",
  emptyColumn: "Никого нет",
  dropHere: "Отпустите, чтобы переместить сюда",
  empty: "На сегодня никто не записан.",
  emptyHint: "Сегодняшние приёмы появятся здесь, как только их запишут в расписании.",
  noShows: "Не пришли сегодня",
};
