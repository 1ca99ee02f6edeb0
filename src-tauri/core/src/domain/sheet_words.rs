//! The words of the printed call sheet and of the call list's CSV (and the reason a call to
//! rebook a visit gives on the call list), in each content language the
//! app writes: a front desk in Kyiv prints its sheet in Ukrainian whatever language a user's
//! window is in. A language without its own words (Latvian) gets English.

use chrono::{Datelike, NaiveDate};

use super::reminders::TaskKind;
use super::tasks::{CallSection, TaskOutcome};

pub struct SheetWords {
    pub language: &'static str,
    title: &'static str,
    pub overdue: &'static str,
    pub due_today: &'static str,
    pub nothing_due: &'static str,
    /// "{overdue} overdue · {today} due today"
    summary: &'static str,
    /// Due, patient, phone, reason, visit, tries, outcome.
    pub columns: [&'static str; 7],
    pub csv_header: &'static str,
    sections: [&'static str; 3],
    kinds: [&'static str; 5],
    /// In `TaskOutcome` order: confirmed, reached, done, voicemail, no answer, wrong number,
    /// rescheduled, declined.
    outcomes: [&'static str; 8],
    /// Monday first.
    weekdays: [&'static str; 7],
    date_style: DateStyle,
    /// The reason a call to rebook shows on the call list and the sheet.
    pub rebook_reason: &'static str,
    /// The cancel reason of a stranded visit whose patient declined a new time.
    pub declined_new_time: &'static str,
}

enum DateStyle {
    /// "Tuesday 24 November 2026", "24 Nov"
    English,
    /// "вторник, 24.11.2026", "24.11"
    Numeric,
    /// "2026年11月24日 星期二", "11月24日"
    Chinese,
}

const EN: SheetWords = SheetWords {
    language: "en",
    title: "Call sheet",
    overdue: "Overdue",
    due_today: "Due today",
    nothing_due: "Nothing is due on this day.",
    summary: "{overdue} overdue · {today} due today",
    columns: ["Due", "Patient", "Phone", "Reason", "Visit", "Tries", "Outcome"],
    csv_header: "section,due,kind,reason,patient,phone,email,appointment,provider,service,attempts,max_attempts,last_outcome,assignee,note",
    sections: ["overdue", "today", "upcoming"],
    kinds: ["call", "sms", "email", "letter", "duty"],
    outcomes: ["confirmed", "reached", "done", "voicemail", "no answer", "wrong no.", "rescheduled", "declined"],
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    date_style: DateStyle::English,
    rebook_reason: "Visit needs a new time",
    declined_new_time: "Declined a new time",
};

const RU: SheetWords = SheetWords {
    language: "ru",
    title: "Лист обзвона",
    overdue: "Просрочено",
    due_today: "На сегодня",
    nothing_due: "На этот день звонков нет.",
    summary: "просрочено: {overdue} · на сегодня: {today}",
    columns: ["Когда", "Пациент", "Телефон", "Повод", "Приём", "Попытки", "Результат"],
    csv_header: "раздел,когда,вид,повод,пациент,телефон,email,приём,врач,услуга,попытки,всего попыток,последний результат,исполнитель,заметка",
    sections: ["просрочено", "сегодня", "скоро"],
    kinds: ["звонок", "SMS", "e-mail", "письмо", "задача"],
    outcomes: ["подтвердил", "дозвонились", "сделано", "автоответчик", "не отвечает", "неверный номер", "перенёс", "отказался"],
    weekdays: ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    date_style: DateStyle::Numeric,
    rebook_reason: "Визит нужно перенести",
    declined_new_time: "Отказ от переноса",
};

const UK: SheetWords = SheetWords {
    language: "uk",
    title: "Лист обдзвону",
    overdue: "Прострочено",
    due_today: "На сьогодні",
    nothing_due: "На цей день дзвінків немає.",
    summary: "прострочено: {overdue} · на сьогодні: {today}",
    columns: ["Коли", "Пацієнт", "Телефон", "Привід", "Прийом", "Спроби", "Результат"],
    csv_header: "розділ,коли,вид,привід,пацієнт,телефон,email,прийом,лікар,послуга,спроби,усього спроб,останній результат,виконавець,нотатка",
    sections: ["прострочено", "сьогодні", "незабаром"],
    kinds: ["дзвінок", "SMS", "e-mail", "лист", "завдання"],
    outcomes: ["підтвердив", "додзвонилися", "зроблено", "автовідповідач", "не відповідає", "хибний номер", "переніс", "відмовився"],
    weekdays: ["понеділок", "вівторок", "середа", "четвер", "п'ятниця", "субота", "неділя"],
    date_style: DateStyle::Numeric,
    rebook_reason: "Візит треба перенести",
    declined_new_time: "Відмова від перенесення",
};

const ZH: SheetWords = SheetWords {
    language: "zh",
    title: "电话清单",
    overdue: "已逾期",
    due_today: "今日待办",
    nothing_due: "当天没有待办事项。",
    summary: "逾期 {overdue} 项 · 今日 {today} 项",
    columns: ["时间", "患者", "电话", "事由", "就诊", "次数", "结果"],
    csv_header: "分类,时间,方式,事由,患者,电话,邮箱,就诊时间,医生,服务项目,已尝试,最多尝试,上次结果,负责人,备注",
    sections: ["已逾期", "今日", "即将"],
    kinds: ["电话", "短信", "邮件", "信件", "内部事务"],
    outcomes: ["已确认", "已接通", "已完成", "语音信箱", "无人接听", "号码错误", "已改约", "已拒绝"],
    weekdays: ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
    date_style: DateStyle::Chinese,
    rebook_reason: "预约需要改期",
    declined_new_time: "拒绝改期",
};

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ALL: [&SheetWords; 4] = [&EN, &RU, &UK, &ZH];

impl SheetWords {
    /// The words for a content language; English for one without its own.
    pub fn for_language(language: &str) -> &'static SheetWords {
        ALL.into_iter().find(|w| w.language == language).unwrap_or(&EN)
    }

    /// "Call sheet — Tuesday 24 November 2026"
    pub fn title(&self, date: NaiveDate) -> String {
        format!("{} — {}", self.title, self.long_date(date))
    }

    pub fn summary(&self, overdue: u32, today: u32) -> String {
        self.summary.replace("{overdue}", &overdue.to_string()).replace("{today}", &today.to_string())
    }

    pub fn long_date(&self, date: NaiveDate) -> String {
        let weekday = self.weekdays[date.weekday().num_days_from_monday() as usize];
        match self.date_style {
            DateStyle::English => {
                format!("{weekday} {} {} {}", date.day(), EN_MONTHS[date.month0() as usize], date.year())
            }
            DateStyle::Numeric => format!("{weekday}, {}", date.format("%d.%m.%Y")),
            DateStyle::Chinese => format!("{}年{}月{}日 {weekday}", date.year(), date.month(), date.day()),
        }
    }

    /// An overdue task's day beside its time: "24 Nov", "24.11", "11月24日".
    pub fn short_date(&self, date: NaiveDate) -> String {
        match self.date_style {
            DateStyle::English => format!("{:02} {}", date.day(), &EN_MONTHS[date.month0() as usize][..3]),
            DateStyle::Numeric => date.format("%d.%m").to_string(),
            DateStyle::Chinese => format!("{}月{}日", date.month(), date.day()),
        }
    }

    pub fn section(&self, section: CallSection) -> &'static str {
        self.sections[match section {
            CallSection::Overdue => 0,
            CallSection::Today => 1,
            CallSection::Upcoming => 2,
        }]
    }

    pub fn kind(&self, kind: TaskKind) -> &'static str {
        self.kinds[match kind {
            TaskKind::Call => 0,
            TaskKind::Sms => 1,
            TaskKind::Email => 2,
            TaskKind::Letter => 3,
            TaskKind::Duty => 4,
        }]
    }

    pub fn outcome(&self, outcome: TaskOutcome) -> &'static str {
        self.outcomes[match outcome {
            TaskOutcome::Confirmed => 0,
            TaskOutcome::Reached => 1,
            TaskOutcome::Done => 2,
            TaskOutcome::Voicemail => 3,
            TaskOutcome::NoAnswer => 4,
            TaskOutcome::WrongNumber => 5,
            TaskOutcome::Rescheduled => 6,
            TaskOutcome::Declined => 7,
        }]
    }

    /// The boxes a caller ticks by hand: the outcomes of a call.
    pub fn call_boxes(&self) -> String {
        use TaskOutcome::*;
        [Reached, Confirmed, Voicemail, NoAnswer, WrongNumber, Rescheduled, Declined]
            .map(|o| format!("☐ {}", self.outcome(o)))
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words_and_lv_falls_back_to_english() {
        for words in ALL {
            assert_eq!(SheetWords::for_language(words.language).language, words.language);
            assert_eq!(words.csv_header.split(',').count(), EN.csv_header.split(',').count(), "{}", words.language);
            if words.language != "en" {
                assert_ne!(words.csv_header, EN.csv_header);
                assert_ne!(words.columns, EN.columns);
            }
        }
        assert_eq!(SheetWords::for_language("lv").language, "en");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(EN.title(date), "Call sheet — Tuesday 24 November 2026");
        assert_eq!(RU.title(date), "Лист обзвона — вторник, 24.11.2026");
        assert_eq!(UK.long_date(date), "вівторок, 24.11.2026");
        assert_eq!(ZH.long_date(date), "2026年11月24日 星期二");
        assert_eq!([EN.short_date(date), RU.short_date(date), ZH.short_date(date)], ["24 Nov", "24.11", "11月24日"]);
        assert_eq!(UK.summary(2, 5), "прострочено: 2 · на сьогодні: 5");
    }
}
