//! The demo clinic: a realistic small practice (providers, rooms, staff, patients, a schedule
//! around today with cancellations, no-shows and the stage events of past visits).
//! Deterministic for a given seed and "now"; ids derive from the seed.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::access::Work;
use crate::domain::appointment::{Appointment, AppointmentStatus};
use crate::domain::clinic::{ClinicCalendar, ClinicSettings, ClosedDay, MinuteRange, WeekdayHours};
use crate::domain::ids::derived_id;
use crate::domain::journey::{JourneyTemplate, PatientJourney, Phase, ServiceType, StageEvent, StageEventKind};
use crate::domain::patient::PatientInput;
use crate::domain::resources::{BlockedPeriod, Provider, Role, Room, Staff};
use crate::error::{Error, Refusal, Result};
use crate::store::{Actor, Store, Write};

mod quality;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub patients: u32,
    /// Days of bookings before and after today.
    pub days: u32,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { patients: 400, days: 30, seed: 1 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DemoSummary {
    pub patients: u32,
    pub providers: u32,
    pub rooms: u32,
    pub appointments: u32,
    pub stage_events: u32,
    pub tasks: u32,
}

/// SplitMix64: small, fast, and the same sequence on every platform and version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FEMALE: &[(&str, &[&str])] = &[
    (
        "lv",
        &["Anna", "Ilze", "Kristīne", "Laura", "Līga", "Inese", "Dace", "Zane", "Agnese", "Marta", "Elīza", "Sandra"],
    ),
    (
        "ru",
        &[
            "Anna",
            "Elena",
            "Olga",
            "Natalia",
            "Irina",
            "Tatiana",
            "Svetlana",
            "Maria",
            "Yulia",
            "Ekaterina",
            "Daria",
            "Alina",
        ],
    ),
    ("en", &["Emily", "Sarah", "Hannah", "Grace", "Chloe", "Olivia", "Sophie", "Lucy", "Amelia", "Charlotte"]),
];
const FEMALE_FAMILY: &[(&str, &[&str])] = &[
    ("lv", &["Bērziņa", "Kalniņa", "Ozola", "Liepiņa", "Krūmiņa", "Jansone", "Zariņa", "Vītola", "Kļaviņa", "Eglīte"]),
    (
        "ru",
        &[
            "Petrova",
            "Ivanova",
            "Smirnova",
            "Kuznetsova",
            "Popova",
            "Volkova",
            "Sokolova",
            "Morozova",
            "Pavlova",
            "Orlova",
        ],
    ),
    ("en", &["Smith", "Taylor", "Brown", "Wilson", "Walker", "Wright", "Green", "Hall", "Clarke", "Hughes"]),
];
const MALE: &[(&str, &[&str])] = &[
    ("lv", &["Jānis", "Andris", "Mārtiņš", "Edgars", "Kārlis", "Roberts", "Artūrs", "Gints", "Raimonds", "Toms"]),
    ("ru", &["Ivan", "Sergey", "Dmitry", "Alexei", "Andrei", "Mikhail", "Nikolai", "Pavel", "Vladimir", "Artem"]),
    ("en", &["James", "Oliver", "Thomas", "Daniel", "Matthew", "George", "Henry", "Samuel", "Jack", "William"]),
];
const MALE_FAMILY: &[(&str, &[&str])] = &[
    ("lv", &["Bērziņš", "Kalniņš", "Ozols", "Liepiņš", "Krūmiņš", "Jansons", "Zariņš", "Vītols", "Kļaviņš", "Eglītis"]),
    ("ru", &["Petrov", "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Morozov", "Pavlov", "Orlov"]),
    ("en", &["Smith", "Taylor", "Brown", "Wilson", "Walker", "Wright", "Green", "Hall", "Clarke", "Hughes"]),
];
const NOTES: &[&str] = &[
    "Prefers morning appointments",
    "Hard of hearing: speak slowly and clearly on the phone",
    "Needs step-free access",
    "Allergic to penicillin",
    "Call the mobile, not the landline",
    "Anxious about needles",
];
const CANCEL_REASONS: &[&str] = &[
    "Patient unwell",
    "Work commitment",
    "Feeling better",
    "Transport problem",
    "Booked elsewhere",
    "Clinic: provider ill",
];

fn ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ā' => 'a',
            'ē' => 'e',
            'ī' => 'i',
            'ū' => 'u',
            'š' => 's',
            'ž' => 'z',
            'č' => 'c',
            'ņ' => 'n',
            'ļ' => 'l',
            'ķ' => 'k',
            'ģ' => 'g',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn hours(days: &[u8], start: u16, end: u16) -> Vec<WeekdayHours> {
    days.iter()
        .map(|&weekday| WeekdayHours::every_week(weekday, MinuteRange { start: start * 60, end: end * 60 }))
        .collect()
}

/// Public holidays of Latvia (fixed-date ones) around `today`.
fn holidays(today: NaiveDate) -> Vec<ClosedDay> {
    let fixed = [
        (1, 1, "New Year's Day"),
        (5, 1, "Labour Day"),
        (5, 4, "Restoration of Independence Day"),
        (6, 23, "Midsummer Eve"),
        (6, 24, "Midsummer Day"),
        (11, 18, "Proclamation Day"),
        (12, 24, "Christmas Eve"),
        (12, 25, "Christmas Day"),
        (12, 26, "Second Day of Christmas"),
        (12, 31, "New Year's Eve"),
    ];
    (today.year() - 1..=today.year() + 1)
        .flat_map(|year| {
            fixed.iter().filter_map(move |&(m, d, name)| NaiveDate::from_ymd_opt(year, m, d).map(|date| (date, name)))
        })
        .map(|(date, name)| ClosedDay::once(date, name))
        .collect()
}

struct DemoProvider {
    provider: Provider,
    /// Shares of first consultation, follow-up and procedure bookings.
    mix: [u64; 3],
    /// How late this provider tends to run, in minutes (makes the waiting stage a bottleneck).
    runs_late: i64,
}

impl DemoOptions {
    pub const MAX_PATIENTS: u32 = 100_000;
    pub const MAX_DAYS: u32 = 3650;

    /// Sizes a demo can have: a bounded clinic, bookings up to ten years either side of today
    /// (the benchmarks build eight and a half).
    fn check(&self) -> Result<()> {
        let out_of = |field: &str, value: u32, max: u32| {
            Error::refused(field, Refusal::OutOfRange { what: format!("--{field}"), value, min: 1, max })
        };
        if !(1..=Self::MAX_PATIENTS).contains(&self.patients) {
            return Err(out_of("patients", self.patients, Self::MAX_PATIENTS));
        }
        if !(1..=Self::MAX_DAYS).contains(&self.days) {
            return Err(out_of("days", self.days, Self::MAX_DAYS));
        }
        Ok(())
    }
}

/// Loads the demo clinic into an empty database in one transaction.
pub fn load_demo(store: &Store, options: &DemoOptions) -> Result<DemoSummary> {
    options.check()?;
    if !store.is_empty_clinic()? {
        return Err(Error::refused("database", Refusal::NotEmpty));
    }
    let templates = store.list_current_templates()?;
    let services = store.list_service_types()?;
    let now = store.now();
    store.write(Actor::Demo, Work::ClinicSetup, |w| Demo::new(w, options, now, &templates, &services)?.run())
}

struct Demo<'w, 'a, 'tx> {
    w: &'w mut Write<'a, 'tx>,
    rng: Rng,
    seed: u64,
    options: DemoOptions,
    now: DateTime<Utc>,
    calendar: ClinicCalendar,
    services: Vec<(ServiceType, JourneyTemplate)>,
    summary: DemoSummary,
}

impl<'w, 'a, 'tx> Demo<'w, 'a, 'tx> {
    fn new(
        w: &'w mut Write<'a, 'tx>,
        options: &DemoOptions,
        now: DateTime<Utc>,
        templates: &[JourneyTemplate],
        services: &[ServiceType],
    ) -> Result<Self> {
        let mut settings = ClinicSettings::new_clinic("Riverside Family Clinic", "Europe/Riga", "en");
        settings.working_hours = hours(&[1, 2, 3, 4, 5], 8, 19);
        settings.working_hours.extend(hours(&[6], 9, 14));
        let calendar = ClinicCalendar::new(&settings)?;
        settings.closed_days = holidays(calendar.local_date(now));
        crate::store::write_settings(w, &settings)?;
        // First consultation, follow-up, procedure: the order `mix` refers to.
        let order = ["first_consultation", "follow_up_visit", "procedure_post_op"];
        let services = order
            .iter()
            .map(|key| {
                let service = services.iter().find(|s| s.template_family_key == *key);
                let template = templates.iter().find(|t| t.family_key == *key);
                match (service, template) {
                    (Some(s), Some(t)) => Ok((s.clone(), t.clone())),
                    _ => Err(Error::Corrupt(format!("default service {key} is missing"))),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Demo {
            w,
            rng: Rng(options.seed),
            seed: options.seed,
            options: *options,
            now,
            calendar: ClinicCalendar::new(&settings)?,
            services,
            summary: DemoSummary { patients: 0, providers: 0, rooms: 0, appointments: 0, stage_events: 0, tasks: 0 },
        })
    }

    fn id(&self, kind: &str, n: impl std::fmt::Display) -> Uuid {
        derived_id(kind, &format!("demo:{}:{n}", self.seed))
    }

    fn run(mut self) -> Result<DemoSummary> {
        // Every appointment is planned at once, not patient by patient.
        self.w.plan_everything();
        let rooms = self.rooms()?;
        let providers = self.providers(&rooms)?;
        self.staff()?;
        let away = self.blocked_days(&providers[4].provider)?;
        let patients = self.patients()?;
        self.appointments(&providers, &patients, &away)?;
        // The task history below works on the tasks the plan made.
        self.w.plan_pending()?;
        self.task_history()?;
        self.quality()?;
        Ok(self.summary)
    }

    /// The front desk's work so far: most tasks due before now were done (a few after some
    /// tries), some failed, and a handful are still waiting — the call list's overdue part.
    fn task_history(&mut self) -> Result<()> {
        let due: Vec<(String, String, i64, u32)> = {
            let mut stmt = self.w.sqlite()?.prepare(
                "SELECT id, kind, due_at, max_attempts FROM tasks WHERE status = 'open' AND due_at < ?1 ORDER BY due_at, id",
            )?;
            let rows = stmt.query_map([self.now.timestamp()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let today_starts = self.calendar.day_bounds(self.calendar.local_date(self.now)).0.timestamp();
        for (id, kind, due_at, max_attempts) in due {
            let call = kind == "call";
            // Earlier today, about a third is still to do; of the last three days, one in ten.
            let recent = due_at >= today_starts - 3 * 86_400;
            let waiting = if due_at >= today_starts { self.rng.chance(35) } else { recent && self.rng.chance(10) };
            let tries = if call { self.rng.range(1, max_attempts.max(1) as i64) as u32 } else { 1 };
            let mut outcomes: Vec<&str> =
                (1..tries).map(|_| if self.rng.chance(50) { "no_answer" } else { "voicemail" }).collect();
            let (status, last) = if waiting {
                ("open", None)
            } else if !call {
                ("done", Some("done"))
            } else if tries == max_attempts && self.rng.chance(40) {
                ("failed", Some("no_answer"))
            } else if self.rng.chance(3) {
                ("failed", Some("wrong_number"))
            } else {
                ("done", Some(*self.rng.pick(&["reached", "reached", "reached", "reached", "declined"])))
            };
            if let Some(last) = last {
                outcomes.push(last);
            } else if self.rng.chance(40) && call {
                outcomes = vec!["no_answer"];
            } else {
                outcomes.clear();
            }
            for (n, outcome) in outcomes.iter().enumerate() {
                let at = due_at + 60 * (5 + 150 * n as i64);
                self.w.sqlite()?.execute(
                    "INSERT INTO task_attempts (id, task_id, at, outcome, note, actor) VALUES (?1, ?2, ?3, ?4, '', 'demo')",
                    (self.id("task_attempt", format!("{id}:{n}")).to_string(), &id, at.min(self.now.timestamp()), outcome),
                )?;
            }
            let closed = (status != "open")
                .then(|| (due_at + 60 * (5 + 150 * (outcomes.len() as i64 - 1))).min(self.now.timestamp()));
            self.w.sqlite()?.execute(
                "UPDATE tasks SET status = ?2, attempts = ?3, last_outcome = ?4, closed_at = ?5, updated_at = coalesce(?5, updated_at)
                 WHERE id = ?1",
                (&id, status, outcomes.len() as u32, outcomes.last().copied(), closed),
            )?;
        }
        self.summary.tasks = self.w.sqlite()?.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))?;
        Ok(())
    }

    fn rooms(&mut self) -> Result<Vec<Room>> {
        let names = ["Room 1", "Room 2", "Room 3", "Nurse room", "Treatment room"];
        let mut rooms = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let room = Room { id: self.id("room", i), name: name.to_string(), active: true, availability: vec![] };
            crate::store::insert_room(self.w, &room)?;
            rooms.push(room);
        }
        self.summary.rooms = rooms.len() as u32;
        Ok(rooms)
    }

    fn providers(&mut self, rooms: &[Room]) -> Result<Vec<DemoProvider>> {
        // Name, speciality, hours, share of visits by service, and days away.
        type ProviderPlan = (&'static str, &'static str, Vec<WeekdayHours>, [u64; 3], i64);
        let plan: [ProviderPlan; 5] = [
            ("Dr Elena Ivanova", "General practitioner", hours(&[1, 2, 3, 4, 5], 8, 16), [45, 55, 0], 4),
            ("Dr Mārtiņš Ozols", "Internal medicine", hours(&[1, 3, 5], 11, 19), [60, 40, 0], 18),
            (
                "Dr Olga Kuznetsova",
                "Dermatology",
                [hours(&[2, 4], 9, 17), hours(&[6], 9, 14)].concat(),
                [50, 30, 20],
                6,
            ),
            ("Ilze Kalniņa", "Practice nurse", hours(&[1, 2, 3, 4, 5], 8, 15), [0, 100, 0], 2),
            ("Dr Peter Lindqvist", "Minor surgery", hours(&[2, 3, 4], 8, 14), [20, 20, 60], 8),
        ];
        let mut providers = Vec::new();
        for (i, (name, specialty, availability, mix, runs_late)) in plan.into_iter().enumerate() {
            let staff = Staff {
                id: self.id("staff:clinician", i),
                name: name.to_string(),
                role: Role::Clinician,
                active: true,
                has_pin: false,
            };
            crate::store::insert_staff(self.w, &staff)?;
            let provider = Provider {
                id: self.id("provider", i),
                name: name.to_string(),
                specialty: specialty.to_string(),
                staff_id: Some(staff.id),
                home_room_id: Some(rooms[i].id),
                active: true,
                availability,
            };
            crate::store::insert_provider(self.w, &provider)?;
            providers.push(DemoProvider { provider, mix, runs_late });
        }
        self.summary.providers = providers.len() as u32;
        Ok(providers)
    }

    /// The surgeon is at a conference for three days next week: those days are blocked.
    fn blocked_days(&mut self, provider: &Provider) -> Result<(Uuid, std::ops::Range<NaiveDate>)> {
        let first = self.calendar.local_date(self.now) + Duration::days(8);
        let days = first..first + Duration::days(3);
        let block = BlockedPeriod {
            id: self.id("blocked_period", 0),
            provider_id: Some(provider.id),
            room_id: None,
            starts_at: self.calendar.day_bounds(days.start).0,
            ends_at: self.calendar.day_bounds(days.end).0,
            reason: "Conference".to_string(),
        };
        crate::store::insert_blocked_period(self.w, &block)?;
        Ok((provider.id, days))
    }

    fn staff(&mut self) -> Result<()> {
        let people = [
            ("Laura Bērziņa", Role::Admin),
            ("Olga Smirnova", Role::FrontDesk),
            ("Jānis Kalniņš", Role::FrontDesk),
            ("Ieva Liepa", Role::BackOffice),
        ];
        for (i, (name, role)) in people.into_iter().enumerate() {
            let staff = Staff { id: self.id("staff", i), name: name.to_string(), role, active: true, has_pin: false };
            crate::store::insert_staff(self.w, &staff)?;
        }
        Ok(())
    }

    fn patients(&mut self) -> Result<Vec<Uuid>> {
        let today = self.calendar.local_date(self.now);
        let mut patients = Vec::new();
        for n in 0..self.options.patients {
            let female = self.rng.chance(55);
            let culture = self.rng.below(3) as usize;
            let (given, family) = if female { (FEMALE, FEMALE_FAMILY) } else { (MALE, MALE_FAMILY) };
            let (language, given_names) = given[culture];
            let given_name = self.rng.pick(given_names).to_string();
            let family_name = self.rng.pick(family[culture].1).to_string();
            let phone = format!("+371 2{:03} {:04}", self.rng.below(1000), self.rng.below(10000));
            let email = if self.rng.chance(70) {
                let domain = self.rng.pick(&["inbox.lv", "gmail.com", "mail.ru", "outlook.com"]);
                format!("{}.{}{}@{domain}", ascii(&given_name), ascii(&family_name), self.rng.below(90) + 10)
            } else {
                String::new()
            };
            let channel = match self.rng.below(100) {
                0..=44 => "sms",
                45..=79 => "phone",
                80..=94 if !email.is_empty() => "email",
                80..=94 => "sms",
                _ => "letter",
            };
            let birth = NaiveDate::from_ymd_opt(1940 + self.rng.range(0, 82) as i32, 1, 1).expect("valid")
                + Duration::days(self.rng.range(0, 364));
            let input = PatientInput {
                given_name,
                family_name,
                birth_date: birth.to_string(),
                phone,
                phone_alt: String::new(),
                email,
                preferred_channel: channel.to_string(),
                preferred_language: language.to_string(),
                consent_reminders: self.rng.chance(92),
                do_not_contact: self.rng.chance(2),
                notes: if self.rng.chance(12) { self.rng.pick(NOTES).to_string() } else { String::new() },
            };
            let valid = input.validate(today)?;
            let id = self.id("patient", n);
            crate::store::insert_patient(self.w, id, &valid)?;
            patients.push(id);
        }
        self.summary.patients = patients.len() as u32;
        Ok(patients)
    }

    fn appointments(
        &mut self,
        providers: &[DemoProvider],
        patients: &[Uuid],
        away: &(Uuid, std::ops::Range<NaiveDate>),
    ) -> Result<()> {
        if patients.is_empty() {
            return Ok(());
        }
        let today = self.calendar.local_date(self.now);
        let days = self.options.days as i64;
        // Patients already booked, per local day, so nobody is in two places at once.
        type Spans = Vec<(DateTime<Utc>, DateTime<Utc>)>;
        let mut busy: HashMap<(NaiveDate, Uuid), Spans> = HashMap::new();
        for offset in -days..=days {
            let date = today + Duration::days(offset);
            if self.calendar.closed_reason(date).is_some() {
                continue;
            }
            let weekday = date.weekday().number_from_monday() as u8;
            // Bookings thin out the further ahead they are.
            let fill = if offset <= 1 { 85 } else { (85 - offset * 2).max(25) } as u64;
            for dp in providers {
                if dp.provider.id == away.0 && away.1.contains(&date) {
                    continue;
                }
                for span in dp.provider.availability.iter().filter(|a| a.weekday == weekday).map(|a| a.span) {
                    let mut minute = span.start;
                    while minute < span.end {
                        let service_index = self.pick_service(dp.mix);
                        let duration = self.services[service_index].0.duration_minutes as u16;
                        if minute + duration > span.end || !self.rng.chance(fill) {
                            minute += 20;
                            continue;
                        }
                        let start = self.calendar.to_utc(date, minute)?;
                        let end = start + Duration::minutes(duration as i64);
                        minute += duration;
                        let patient_id = *self.rng.pick(patients);
                        let slots = busy.entry((date, patient_id)).or_default();
                        if slots.iter().any(|&(s, e)| s < end && start < e) {
                            continue;
                        }
                        slots.push((start, end));
                        self.appointment(dp, service_index, patient_id, start, end)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn pick_service(&mut self, mix: [u64; 3]) -> usize {
        let roll = self.rng.below(mix.iter().sum());
        if roll < mix[0] {
            0
        } else if roll < mix[0] + mix[1] {
            1
        } else {
            2
        }
    }

    fn status_for(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) -> AppointmentStatus {
        use AppointmentStatus::*;
        let roll = self.rng.below(100);
        if end <= self.now {
            match roll {
                0..=87 => Fulfilled,
                88..=93 => Noshow,
                _ => Cancelled,
            }
        } else if start <= self.now {
            InProgress
        } else if start <= self.now + Duration::minutes(20) {
            if roll < 50 {
                Arrived
            } else {
                Confirmed
            }
        } else if start <= self.now + Duration::days(2) {
            match roll {
                0..=69 => Confirmed,
                70..=94 => Booked,
                _ => Cancelled,
            }
        } else {
            match roll {
                0..=59 => Booked,
                60..=92 => Confirmed,
                _ => Cancelled,
            }
        }
    }

    fn appointment(
        &mut self,
        dp: &DemoProvider,
        service_index: usize,
        patient_id: Uuid,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<()> {
        let status = self.status_for(start, end);
        let booked_ahead = Duration::days(self.rng.range(1, 28)) + Duration::minutes(self.rng.range(0, 600));
        let created_at = (start - booked_ahead).min(self.now);
        let n = self.summary.appointments;
        let (service, template) = self.services[service_index].clone();
        let appointment = Appointment {
            id: self.id("appointment", n),
            patient_id,
            provider_id: dp.provider.id,
            room_id: dp.provider.home_room_id.expect("demo providers have a home room"),
            service_type_id: service.id,
            starts_at: start,
            ends_at: end,
            status,
            cancel_reason: (status == AppointmentStatus::Cancelled).then(|| self.rng.pick(CANCEL_REASONS).to_string()),
            notes: String::new(),
            series_id: None,
            series_index: None,
            created_at,
            updated_at: created_at,
        };
        crate::store::insert_appointment(self.w, &appointment)?;
        self.summary.appointments += 1;
        self.journey(&appointment, &template, dp.runs_late)
    }

    /// The journey of an appointment with the stage events it would have by now.
    fn journey(&mut self, a: &Appointment, template: &JourneyTemplate, runs_late: i64) -> Result<()> {
        use AppointmentStatus::*;
        use StageEventKind::*;
        let mut events: Vec<(usize, StageEventKind, DateTime<Utc>)> = Vec::new();
        let stage = |key: &str| template.stages.iter().position(|s| s.key == key);
        if let Some(i) = stage("booking") {
            events.push((i, Completed, a.created_at));
        }
        let confirmed = matches!(a.status, Confirmed | Arrived | InProgress | Fulfilled);
        let confirm_at = (a.starts_at - Duration::days(2)).max(a.created_at + Duration::minutes(30));
        if confirmed && confirm_at < self.now {
            if let Some(i) = stage("confirmation") {
                events.push((i, Completed, confirm_at));
            }
        }
        // The other preparation steps (forms, pre-op assessment, instructions, the reminder) are
        // done for visits that are going ahead, somewhere between booking and the day before.
        if confirmed {
            let lead = (a.starts_at - a.created_at).num_minutes();
            for (i, s) in template.stages.iter().enumerate().filter(|(_, s)| s.phase == Phase::PreVisit) {
                if matches!(s.key.as_str(), "booking" | "confirmation") || lead < 120 {
                    continue;
                }
                let at = if s.key == "reminder" {
                    (a.starts_at - Duration::days(1)).max(a.created_at + Duration::minutes(60))
                } else {
                    a.created_at + Duration::minutes(self.rng.range(lead / 10, lead / 2))
                };
                if at < self.now {
                    events.push((i, Completed, at));
                }
            }
        }
        if matches!(a.status, Arrived | InProgress | Fulfilled) {
            let mut t = a.starts_at - Duration::minutes(self.rng.range(2, 15));
            for (i, s) in template.stages.iter().enumerate().filter(|(_, s)| s.phase == Phase::Visit) {
                if t > self.now {
                    break;
                }
                let kind = if matches!(s.key.as_str(), "consultation" | "treatment") { Started } else { Entered };
                events.push((i, kind, t));
                let minutes = match s.key.as_str() {
                    "check_in" => self.rng.range(1, 6),
                    // Waiting ends when the provider is ready: around the start, later for some.
                    "waiting" => ((a.starts_at - t).num_minutes() + self.rng.range(-3, 2 * runs_late)).max(1),
                    "consultation" | "treatment" | "recovery" => {
                        let standard = s.standard_minutes.max(10) as i64;
                        standard + self.rng.range(-standard / 5, standard / 3)
                    }
                    _ => self.rng.range(2, 8),
                };
                t += Duration::minutes(minutes);
                if t > self.now {
                    break;
                }
                events.push((i, Completed, t));
            }
            if a.status == Fulfilled {
                let mut previous = t;
                for (i, s) in template.stages.iter().enumerate().filter(|(_, s)| s.phase == Phase::PostVisit) {
                    let lead = Duration::minutes(s.standard_minutes as i64 * self.rng.range(60, 130) / 100);
                    let at = previous + lead;
                    if at > self.now || !self.rng.chance(85) {
                        break;
                    }
                    events.push((i, Completed, at));
                    previous = at;
                }
            }
        }

        let last_done = events.iter().filter(|e| e.1 == Completed).map(|e| e.0).max();
        let all_done = last_done == Some(template.stages.len() - 1);
        let current = match (a.status, events.last()) {
            (Cancelled, _) => None,
            (_, Some(&(i, Started | Entered, _))) => Some(i),
            _ => last_done.map_or(Some(0), |i| (i + 1 < template.stages.len()).then_some(i + 1)),
        };
        let journey = PatientJourney {
            id: derived_id("patient_journey", &a.id.to_string()),
            patient_id: a.patient_id,
            service_type_id: a.service_type_id,
            template_id: template.id,
            appointment_id: Some(a.id),
            current_stage_id: current.map(|i| template.stages[i].id),
            started_at: a.created_at,
            completed_at: if all_done {
                events.last().map(|e| e.2)
            } else if a.status == Cancelled {
                Some(a.updated_at)
            } else {
                None
            },
        };
        crate::store::insert_journey(self.w, &journey)?;
        for (n, (i, kind, at)) in events.into_iter().enumerate() {
            let event = StageEvent {
                id: derived_id("stage_event", &format!("{}:{n}", journey.id)),
                journey_id: journey.id,
                stage_id: template.stages[i].id,
                kind,
                at,
                actor: Actor::Demo.as_str().to_string(),
            };
            crate::store::insert_stage_event(self.w, &event)?;
            self.summary.stage_events += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn demo(seed: u64) -> (Store, DemoSummary) {
        let store =
            Store::open_in_memory().unwrap().with_clock(|| Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0).unwrap());
        let summary = load_demo(&store, &DemoOptions { patients: 60, days: 5, seed }).unwrap();
        (store, summary)
    }

    fn appointments(store: &Store) -> Vec<(String, i64, String, String)> {
        store
            .read(|c| {
                let mut stmt =
                    c.prepare("SELECT id, starts_at, status, patient_id FROM appointments ORDER BY starts_at, id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap()
    }

    #[test]
    fn a_demo_of_absurd_size_is_refused_before_anything_is_written() {
        let store = Store::open_in_memory().unwrap();
        for (options, expected) in [
            (DemoOptions { patients: 10, days: u32::MAX, seed: 1 }, "--days 4294967295 is out of range: 1 to 3650"),
            (DemoOptions { patients: 10, days: 0, seed: 1 }, "--days 0 is out of range"),
            (DemoOptions { patients: 0, days: 5, seed: 1 }, "--patients 0 is out of range: 1 to 100000"),
        ] {
            let err = load_demo(&store, &options).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
        assert!(store.is_empty_clinic().unwrap());
    }

    #[test]
    fn the_same_seed_makes_the_same_clinic_and_another_seed_another() {
        let (a, summary) = demo(7);
        let (b, _) = demo(7);
        let (c, _) = demo(8);
        assert_eq!(appointments(&a), appointments(&b));
        assert_ne!(appointments(&a), appointments(&c));
        assert_eq!(summary.patients, 60);
        assert_eq!(summary.providers, 5);
        assert!(summary.appointments > 100, "{summary:?}");
    }

    #[test]
    fn the_demo_clinic_is_plausible() {
        let (store, _) = demo(1);
        let statuses: Vec<String> = appointments(&store).into_iter().map(|a| a.2).collect();
        for status in ["fulfilled", "noshow", "cancelled", "booked", "confirmed"] {
            assert!(statuses.iter().any(|s| s == status), "no {status} appointment");
        }
        // Nobody is double-booked: no provider, room or patient holds two overlapping slots.
        let clashes: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM appointments a JOIN appointments b ON a.id < b.id
                       AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
                       AND (a.provider_id = b.provider_id OR a.room_id = b.room_id OR a.patient_id = b.patient_id)
                     WHERE a.status NOT IN ('cancelled', 'noshow') AND b.status NOT IN ('cancelled', 'noshow')",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(clashes, 0);
        // Past visits carry their stage events; a second load is refused.
        let events: i64 =
            store.read(|c| Ok(c.query_row("SELECT count(*) FROM stage_events", [], |r| r.get(0))?)).unwrap();
        assert!(events > 200, "{events} stage events");
        let again = load_demo(&store, &DemoOptions::default()).unwrap_err();
        assert_eq!(again.kind(), "invalid");
        assert_eq!(store.calendar().unwrap().tz.name(), "Europe/Riga");
    }
}
