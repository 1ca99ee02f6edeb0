// Journey timeline messages (Ukrainian).
import type { journeyEn } from "./journey.en";
import type { Shape } from "../shape";

export const journeyUk: Shape<typeof journeyEn> = {
  title: "Шлях пацієнта",
  back: "Назад",
  version: "версія {n}",
  cancelReason: "Причина: {reason}",
  next: {
    title: "Наступний крок",
    due: "Термін: {time}",
    now: "Виконується зараз",
    overdue: "Прострочено",
    complete: "Нічого не заплановано: шлях завершено.",
    cancelled: "Нічого не заплановано: прийом скасовано.",
    noshow: "Нічого не заплановано: пацієнт не прийшов.",
  },
  phases: {
    pre_visit: "До візиту",
    visit: "Візит",
    post_visit: "Після візиту",
  },
  states: {
    done: "Виконано",
    current: "Зараз",
    skipped: "пропущено",
    upcoming: "Попереду",
  },
  entered: "Розпочато {time}",
  completed: "Завершено {time}",
  due: "Термін {time}",
  minutes: "{minutes} хв",
  standard: "норматив {minutes} хв",
  overStandard: "понад норматив",
  noStages: "На цьому етапі кроків немає.",
  events: {
    title: "Журнал подій",
    time: "Час",
    stage: "Етап",
    what: "Подія",
    by: "Хто",
    empty: "Поки що нічого не сталося.",
  },
  kinds: {
    entered: "Перехід на етап",
    started: "Розпочато",
    completed: "Завершено",
    skipped: "Пропущено",
  },
  actors: {
    user: "Працівник",
    scheduler: "Планувальник",
    import: "Імпорт",
    demo: "Демо-дані",
  },
  patient: {
    title: "Шляхи пацієнта",
    empty: "Шляхів поки немає: шлях починається із запису на прийом.",
    noDate: "Без прийому",
    complete: "Завершено",
  },
};
