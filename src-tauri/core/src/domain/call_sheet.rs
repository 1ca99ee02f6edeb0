//! The call list as files: CSV for spreadsheets, and a print-ready HTML call sheet with a box
//! per outcome to tick by hand.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::clinic::ClinicCalendar;
use super::sheet_words::SheetWords;
use super::tasks::{CallList, CallListRow, CallSection};

/// The call list's file formats; the window and the command line write them the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum CallSheetFormat {
    /// One line per task, for a spreadsheet.
    Csv,
    /// A page to print, with a box per outcome to tick by hand.
    Html,
}

impl CallSheetFormat {
    pub fn extension(self) -> &'static str {
        match self {
            CallSheetFormat::Csv => "csv",
            CallSheetFormat::Html => "html",
        }
    }

    /// The file's text for `list`, in the words of `language` (the clinic's content language
    /// unless the CLI's `--lang` says otherwise).
    pub fn render(self, list: &CallList, calendar: &ClinicCalendar, clinic_name: &str, language: &str) -> String {
        let words = SheetWords::for_language(language);
        match self {
            CallSheetFormat::Csv => to_csv(list, calendar, words),
            CallSheetFormat::Html => to_html(list, calendar, clinic_name, words),
        }
    }
}

/// One line per row, times in the clinic's zone. A byte-order mark first: without it Excel on
/// Windows reads the UTF-8 of Cyrillic and Chinese headers and names as gibberish.
pub fn to_csv(list: &CallList, calendar: &ClinicCalendar, words: &SheetWords) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(words.csv_header);
    out.push_str("\r\n");
    for r in &list.rows {
        let fields = [
            words.section(r.section).to_string(),
            calendar.to_local_text(r.due_at),
            words.kind(r.kind).to_string(),
            r.reason.to_string(),
            r.patient_name.to_string(),
            r.phone.to_string(),
            r.email.as_deref().unwrap_or_default().to_string(),
            calendar.to_local_text(r.appointment_start),
            r.provider_name.to_string(),
            r.service_name.to_string(),
            r.attempts.to_string(),
            r.max_attempts.to_string(),
            r.last_outcome.map(|o| words.outcome(o)).unwrap_or_default().to_string(),
            r.assignee_name.as_deref().unwrap_or_default().to_string(),
            r.note.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Quotes a field when needed, and defuses text a spreadsheet would run as a formula.
fn csv_field(text: &str) -> String {
    let formula = text.starts_with(['=', '@', '\t', '\r']) || (text.starts_with(['+', '-']) && !looks_like_phone(text));
    let text = if formula { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn looks_like_phone(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

/// A call sheet for one day (overdue and today's tasks), ready to print on A4.
pub fn to_html(list: &CallList, calendar: &ClinicCalendar, clinic_name: &str, words: &SheetWords) -> String {
    let title = words.title(list.date);
    let mut body = String::new();
    for (section, heading) in [(CallSection::Overdue, words.overdue), (CallSection::Today, words.due_today)] {
        let rows: Vec<&CallListRow> = list.rows.iter().filter(|r| r.section == section).collect();
        if rows.is_empty() {
            continue;
        }
        body.push_str(&format!("<h2>{heading} <span>({})</span></h2>\n<table>\n", rows.len()));
        let head: String = words.columns.iter().map(|c| format!("<th>{}</th>", escape(c))).collect();
        body.push_str(&format!("<thead><tr>{head}</tr></thead>\n<tbody>\n"));
        for r in rows {
            body.push_str(&format!(
                "<tr><td>{due}</td><td><strong>{patient}</strong></td><td class=\"phone\">{phone}</td>\
                 <td>{reason}<div class=\"kind\">{kind}</div></td><td>{visit}<div class=\"small\">{provider} · {service}</div></td>\
                 <td>{attempts}/{max}</td><td class=\"boxes\">{boxes}</td></tr>\n",
                due = escape(&local_time(calendar, r, words)),
                patient = escape(&r.patient_name),
                phone = escape(&r.phone),
                reason = escape(&r.reason),
                kind = escape(words.kind(r.kind)),
                visit = escape(&calendar.to_local_text(r.appointment_start)),
                provider = escape(&r.provider_name),
                service = escape(&r.service_name),
                attempts = r.attempts,
                max = r.max_attempts,
                boxes = escape(&words.call_boxes()),
            ));
        }
        body.push_str("</tbody>\n</table>\n");
    }
    if body.is_empty() {
        body.push_str(&format!("<p>{}</p>\n", escape(words.nothing_due)));
    }
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<header><h1>{title}</h1><p>{clinic} · {summary}</p></header>\n{body}</body>\n</html>\n",
        lang = words.language,
        title = escape(&title),
        clinic = escape(clinic_name),
        summary = escape(&words.summary(list.overdue, list.today)),
    )
}

fn local_time(calendar: &ClinicCalendar, r: &CallListRow, words: &SheetWords) -> String {
    let (date, minute) = calendar.local_minute(r.due_at);
    let time = super::clinic::hhmm(minute);
    if r.section == CallSection::Overdue {
        format!("{} {time}", words.short_date(date))
    } else {
        time
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "@page{size:A4 landscape;margin:12mm}body{font:11pt/1.35 system-ui,sans-serif;color:#1d2b2a;margin:0}\
header{border-bottom:2px solid #2f7d7a;margin-bottom:8px}h1{font-size:16pt;margin:0 0 2px}header p{margin:0 0 6px;color:#52605f}\
h2{font-size:12pt;margin:14px 0 4px}h2 span{color:#52605f;font-weight:normal}table{width:100%;border-collapse:collapse}\
th{text-align:left;font-size:9pt;color:#52605f;border-bottom:1px solid #9aa8a6;padding:3px 4px}\
td{border-bottom:1px solid #d5dcdb;padding:5px 4px;vertical-align:top}tr{page-break-inside:avoid}\
.phone{white-space:nowrap;font-variant-numeric:tabular-nums}.kind,.small{font-size:9pt;color:#52605f}.boxes{font-size:9pt;width:30%}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas_but_keeps_phone_numbers() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-cmd"), "'-cmd");
        assert_eq!(csv_field("+371 2000 0000"), "+371 2000 0000");
    }

    #[test]
    fn html_escapes_what_staff_typed() {
        assert_eq!(escape("<b>Anna & Co</b>"), "&lt;b&gt;Anna &amp; Co&lt;/b&gt;");
    }
}
