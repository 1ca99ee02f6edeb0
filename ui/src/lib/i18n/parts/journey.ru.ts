// Journey timeline messages (Russian).
import type { journeyEn } from "./journey.en";
import type { Shape } from "../shape";

export const journeyRu: Shape<typeof journeyEn> = {
  title: "Путь пациента",
  back: "Назад",
  version: "версия {n}",
  cancelReason: "Причина: {reason}",
  next: {
    title: "Следующий шаг",
    due: "Срок: {time}",
    now: "Выполняется сейчас",
    overdue: "Просрочено",
    complete: "Ничего не запланировано: путь завершён.",
    cancelled: "Ничего не запланировано: приём отменён.",
    noshow: "Ничего не запланировано: пациент не пришёл.",
  },
  phases: {
    pre_visit: "До визита",
    visit: "Визит",
    post_visit: "После визита",
  },
  states: {
    done: "Выполнено",
    current: "Сейчас",
    skipped: "пропущено",
    upcoming: "Впереди",
  },
  entered: "Начато {time}",
  completed: "Завершено {time}",
  due: "Срок {time}",
  minutes: "{minutes} мин",
  standard: "норматив {minutes} мин",
  overStandard: "сверх норматива",
  noStages: "На этом этапе шагов нет.",
  events: {
    title: "Журнал событий",
    time: "Время",
    stage: "Этап",
    what: "Событие",
    by: "Кто",
    empty: "Пока ничего не произошло.",
  },
  kinds: {
    entered: "Переход на этап",
    started: "Начат",
    completed: "Завершён",
    skipped: "Пропущен",
  },
  actors: {
    user: "Сотрудник",
    scheduler: "Планировщик",
    import: "Импорт",
    demo: "Демо-данные",
  },
  patient: {
    title: "Пути пациента",
    empty: "Путей пока нет: путь начинается при записи на приём.",
    noDate: "Без приёма",
    complete: "Завершён",
  },
};
