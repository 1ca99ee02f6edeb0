//! Draws a service blueprint as SVG: stages as columns under their phase, the five lanes as
//! rows, the lines of interaction, visibility and internal interaction between them, flow
//! arrows between steps and hand-off arrows across lanes, fail and wait points, and (with an
//! overlay) each stage's live figures with the bottleneck marked. One drawing serves the
//! window, the export and the CLI, so what hangs on the wall is what the screen shows.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journey::{BlueprintCell, JourneyTemplate, Lane, Phase, Stage};
use super::overlay::{BlueprintOverlay, StageFigures};
use super::resources::Role;

/// Which duties stand out; the others are drawn faint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", content = "role", rename_all = "snake_case")]
pub enum DutyFilter {
    All,
    FrontOffice,
    BackOffice,
    Role(Role),
}

/// `--filter` on the command line: the same filter, named `all`, `front_office`,
/// `back_office` or a role (`admin`, `front_desk`, `clinician`, `back_office_role`).
#[cfg(feature = "cli")]
impl clap::ValueEnum for DutyFilter {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            DutyFilter::All,
            DutyFilter::FrontOffice,
            DutyFilter::BackOffice,
            DutyFilter::Role(Role::Admin),
            DutyFilter::Role(Role::FrontDesk),
            DutyFilter::Role(Role::Clinician),
            DutyFilter::Role(Role::BackOffice),
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            DutyFilter::All => "all",
            DutyFilter::FrontOffice => "front_office",
            DutyFilter::BackOffice => "back_office",
            DutyFilter::Role(Role::Admin) => "admin",
            DutyFilter::Role(Role::FrontDesk) => "front_desk",
            DutyFilter::Role(Role::Clinician) => "clinician",
            DutyFilter::Role(Role::BackOffice) => "back_office_role",
        }))
    }
}

/// Every word the drawing shows that is not the clinic's own content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlueprintLabels {
    pub title: String,
    /// In `Lane` order.
    pub lanes: [String; 5],
    /// Interaction, visibility, internal interaction.
    pub lines: [String; 3],
    /// Pre-visit, visit, post-visit.
    pub phases: [String; 3],
    /// Owner-role names in `Role` order: admin, front desk, clinician, back office.
    pub roles: [String; 4],
    pub fail_point: String,
    pub wait_point: String,
    pub bottleneck: String,
    /// "{n} now" and the like; `{}` is replaced by the figure.
    pub patients_now: String,
    pub median_p90: String,
    pub standard: String,
    pub tasks: String,
    pub fail_hits: String,
    /// "{} met": the share of the stage's standard checks met (compliance).
    pub compliance: String,
    pub no_data: String,
    /// Units of times: minutes, hours, days.
    pub units: [String; 3],
}

impl Default for BlueprintLabels {
    fn default() -> Self {
        let s = |v: &str| v.to_owned();
        BlueprintLabels {
            title: s("Service blueprint"),
            lanes: [
                s("Physical evidence"),
                s("Patient actions"),
                s("Front office (onstage)"),
                s("Back office (backstage)"),
                s("Support processes"),
            ],
            lines: [s("Line of interaction"), s("Line of visibility"), s("Line of internal interaction")],
            phases: [s("Pre-visit"), s("Visit"), s("Post-visit")],
            roles: [s("Administrator"), s("Front desk"), s("Clinician"), s("Back office")],
            fail_point: s("Fail point"),
            wait_point: s("Wait point"),
            bottleneck: s("Bottleneck"),
            patients_now: s("{} in it now"),
            median_p90: s("median {} · p90 {}"),
            standard: s("standard {}"),
            tasks: s("tasks {} open · {} overdue"),
            fail_hits: s("{} fail-point hits"),
            compliance: s("{} met"),
            no_data: s("no finished passes"),
            units: [s("min"), s("h"), s("d")],
        }
    }
}

const LEFT: f64 = 180.0;
const COLUMN: f64 = 220.0;
const GAP: f64 = 10.0;
const PHASE_BAND: f64 = 30.0;
const HEADER: f64 = 58.0;
const FIGURES: f64 = 74.0;
const LINE_GAP: f64 = 28.0;
const TEXT_LINE: f64 = 15.0;
const CHARS_PER_LINE: usize = 31;
const LANES: [Lane; 5] =
    [Lane::PhysicalEvidence, Lane::PatientAction, Lane::FrontOffice, Lane::BackOffice, Lane::SupportProcess];

/// The blueprint of `template` as a standalone SVG document.
pub fn blueprint_svg(
    template: &JourneyTemplate,
    overlay: Option<&BlueprintOverlay>,
    filter: DutyFilter,
    labels: &BlueprintLabels,
) -> String {
    let stages = &template.stages;
    let figures_height = if overlay.is_some() { FIGURES } else { 0.0 };
    let lane_heights: Vec<f64> = LANES.iter().map(|lane| lane_height(stages, *lane)).collect();
    let top = 44.0 + PHASE_BAND + HEADER + figures_height + 8.0;
    let mut lane_tops = Vec::with_capacity(LANES.len());
    let mut y = top;
    for (i, h) in lane_heights.iter().enumerate() {
        lane_tops.push(y);
        // The three lines run below the patient, front-office and back-office lanes.
        y += h + if (1..=3).contains(&i) { LINE_GAP } else { GAP };
    }
    let height = y + 40.0;
    let width = LEFT + stages.len().max(1) as f64 * COLUMN + 20.0;
    let x_of = |i: usize| LEFT + i as f64 * COLUMN;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="'Noto Sans', 'DejaVu Sans', Arial, sans-serif" font-size="12" data-template="{id}" data-version="{version}">"##,
        id = template.id,
        version = template.version
    );
    svg.push_str(concat!(
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">"##,
        r##"<path d="M0,0 L10,5 L0,10 z" fill="#5b6b69"/></marker></defs>"##,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    ));
    let _ = write!(
        svg,
        r##"<text x="20" y="28" font-size="18" font-weight="700" fill="#1f2d2b">{} — {} (v{})</text>"##,
        esc(&labels.title),
        esc(&template.name),
        template.version
    );

    // Phase bands over their stages.
    let band_y = 44.0;
    for (p, phase) in [Phase::PreVisit, Phase::Visit, Phase::PostVisit].iter().enumerate() {
        let columns: Vec<usize> =
            stages.iter().enumerate().filter(|(_, s)| s.phase == *phase).map(|(i, _)| i).collect();
        let (Some(&first), Some(&last)) = (columns.first(), columns.last()) else { continue };
        let fill = ["#e6eef7", "#e3f0ee", "#f3ece2"][p];
        let _ = write!(
            svg,
            r##"<g class="phase" data-phase="{key}"><rect x="{x:.0}" y="{band_y:.0}" width="{w:.0}" height="{h:.0}" rx="6" fill="{fill}"/><text x="{tx:.0}" y="{ty:.0}" font-weight="700" fill="#33413f" text-anchor="middle" letter-spacing="0.5">{name}</text></g>"##,
            key = phase.as_str(),
            x = x_of(first) + 2.0,
            w = (last - first + 1) as f64 * COLUMN - 4.0,
            h = PHASE_BAND - 4.0,
            tx = x_of(first) + (last - first + 1) as f64 * COLUMN / 2.0,
            ty = band_y + 18.0,
            name = esc(&labels.phases[p].to_uppercase()),
        );
    }

    // Lane names and their bands.
    for (i, lane) in LANES.iter().enumerate() {
        let faint = lane_is_faint(*lane, filter);
        let _ = write!(
            svg,
            r##"<g class="lane" data-lane="{key}" opacity="{o}"><rect x="10" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="6" fill="{fill}"/><text x="20" y="{ty:.0}" font-weight="700" fill="#33413f">{name}</text></g>"##,
            key = lane.as_str(),
            o = if faint { "0.45" } else { "1" },
            y = lane_tops[i],
            w = width - 20.0,
            h = lane_heights[i],
            fill = if i % 2 == 0 { "#f7f9f9" } else { "#fdfefe" },
            ty = lane_tops[i] + 20.0,
            name = esc(&labels.lanes[i]),
        );
    }

    // The three lines between the lanes, each labelled.
    for (n, below) in [2usize, 3, 4].iter().enumerate() {
        let y = lane_tops[*below] - LINE_GAP / 2.0;
        let dash = ["", r##" stroke-dasharray="10 6""##, r##" stroke-dasharray="3 4""##][n];
        let _ = write!(
            svg,
            r##"<g class="line" data-line="{key}"><line x1="10" y1="{y:.1}" x2="{x2:.0}" y2="{y:.1}" stroke="#2f7d7a" stroke-width="1.6"{dash}/><text x="20" y="{ty:.1}" font-size="11" font-style="italic" fill="#2f7d7a">{name}</text></g>"##,
            key = ["interaction", "visibility", "internal_interaction"][n],
            x2 = width - 10.0,
            ty = y - 3.0,
            name = esc(&labels.lines[n]),
        );
    }

    // Stage headers, figures and cells.
    for (i, stage) in stages.iter().enumerate() {
        let x = x_of(i);
        let figures = overlay.and_then(|o| o.stages.iter().find(|f| f.stage_key == stage.key));
        let is_bottleneck = overlay.and_then(|o| o.bottleneck.as_deref()) == Some(stage.key.as_str());
        stage_header(&mut svg, stage, x, band_y + PHASE_BAND, is_bottleneck, labels);
        if let Some(f) = figures {
            stage_figures(&mut svg, f, x, band_y + PHASE_BAND + HEADER, is_bottleneck, labels);
        }
        for (l, lane) in LANES.iter().enumerate() {
            let cells: Vec<&BlueprintCell> = stage.cells.iter().filter(|c| c.lane == *lane).collect();
            let mut cy = lane_tops[l] + 30.0;
            for cell in cells {
                let h = cell_height(cell);
                draw_cell(&mut svg, cell, x + GAP / 2.0, cy, h, cell_is_faint(cell, filter), labels, &stage.key);
                cy += h + 6.0;
            }
        }
        // Hand-offs down the column: from each lane's first step to the next lane's.
        let firsts: Vec<Option<f64>> = LANES
            .iter()
            .enumerate()
            .map(|(l, lane)| stage.cells.iter().any(|c| c.lane == *lane).then_some(lane_tops[l] + 30.0))
            .collect();
        for l in 1..LANES.len() - 1 {
            let (Some(from_top), Some(to_top)) = (firsts[l], firsts[l + 1]) else { continue };
            let from_bottom = from_top
                + stage.cells.iter().filter(|c| c.lane == LANES[l]).map(|c| cell_height(c) + 6.0).sum::<f64>()
                - 6.0;
            let cx = x + COLUMN / 2.0;
            if to_top - from_bottom > 8.0 {
                let _ = write!(
                    svg,
                    r##"<line class="handoff" x1="{cx:.0}" y1="{y1:.1}" x2="{cx:.0}" y2="{y2:.1}" stroke="#5b6b69" stroke-width="1.2" marker-end="url(#arrow)"/>"##,
                    y1 = from_bottom + 1.0,
                    y2 = to_top - 2.0,
                );
            }
        }
        // Flow to the next stage along the patient's lane.
        if i + 1 < stages.len() {
            let y = lane_tops[1] + 30.0 + 14.0;
            let _ = write!(
                svg,
                r##"<line class="flow" x1="{x1:.0}" y1="{y:.0}" x2="{x2:.0}" y2="{y:.0}" stroke="#2f7d7a" stroke-width="1.6" marker-end="url(#arrow)"/>"##,
                x1 = x + COLUMN - GAP / 2.0 - 1.0,
                x2 = x + COLUMN + GAP / 2.0 + 1.0,
            );
        }
    }

    // Legend.
    let ly = height - 18.0;
    let _ = write!(
        svg,
        r##"<g class="legend" font-size="11" fill="#33413f">{fail}<text x="40" y="{ly:.0}">{fail_label}</text>{wait}<text x="160" y="{ly:.0}">{wait_label}</text><line x1="270" y1="{lm:.0}" x2="300" y2="{lm:.0}" stroke="#2f7d7a" stroke-width="1.6" marker-end="url(#arrow)"/></g>"##,
        fail = fail_symbol(24.0, ly - 4.0),
        wait = wait_symbol(144.0, ly - 4.0),
        fail_label = esc(&labels.fail_point),
        wait_label = esc(&labels.wait_point),
        lm = ly - 4.0,
    );
    svg.push_str("</svg>");
    svg
}

/// A print-ready page around the drawing (the browser's "Save as PDF" makes the PDF).
pub fn blueprint_page(svg: &str, title: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title><style>@page {{ size: A3 landscape; margin: 10mm; }} body {{ margin: 0; }} svg {{ width: 100%; height: auto; }}</style></head><body>{svg}</body></html>",
        esc(title)
    )
}

fn stage_header(svg: &mut String, stage: &Stage, x: f64, y: f64, bottleneck: bool, labels: &BlueprintLabels) {
    let (stroke, width) = if bottleneck { ("#c0392b", "3") } else { ("#c9d3d1", "1") };
    let _ = write!(
        svg,
        r##"<g class="stage{extra}" data-stage-key="{key}"><rect x="{rx:.0}" y="{ry:.0}" width="{w:.0}" height="{h:.0}" rx="6" fill="#ffffff" stroke="{stroke}" stroke-width="{width}"/><text x="{tx:.0}" y="{ty:.0}" font-size="13" font-weight="700" fill="#1f2d2b">{name}</text><text x="{tx:.0}" y="{ty2:.0}" font-size="11" fill="#5b6b69">{role} · {standard}</text></g>"##,
        extra = if bottleneck { " bottleneck" } else { "" },
        key = esc(&stage.key),
        rx = x + GAP / 2.0,
        ry = y + 2.0,
        w = COLUMN - GAP,
        h = HEADER - 6.0,
        tx = x + GAP / 2.0 + 10.0,
        ty = y + 22.0,
        ty2 = y + 40.0,
        name = esc(&truncate(&stage.name, 28)),
        role = esc(&labels.roles[role_index(stage.owner_role)]),
        standard =
            esc(&labels.standard.replacen("{}", &minutes_text(f64::from(stage.standard_minutes), &labels.units), 1)),
    );
}

fn stage_figures(svg: &mut String, f: &StageFigures, x: f64, y: f64, bottleneck: bool, labels: &BlueprintLabels) {
    let over = f.median_to_standard.is_some_and(|r| r > 1.0);
    let fill = if bottleneck {
        "#fbe9e7"
    } else if over {
        "#fdf3e3"
    } else {
        "#eef6f4"
    };
    let times = match (f.median_minutes, f.p90_minutes) {
        (Some(m), Some(p)) => labels.median_p90.replacen("{}", &minutes_text(m, &labels.units), 1).replacen(
            "{}",
            &minutes_text(p, &labels.units),
            1,
        ),
        _ => labels.no_data.clone(),
    };
    let tasks =
        labels.tasks.replacen("{}", &f.open_tasks.to_string(), 1).replacen("{}", &f.overdue_tasks.to_string(), 1);
    let _ = write!(
        svg,
        r##"<g class="figures" data-stage-key="{key}" data-median="{median}" data-p90="{p90}"><rect x="{rx:.0}" y="{ry:.0}" width="{w:.0}" height="{h:.0}" rx="6" fill="{fill}"/>"##,
        key = esc(&f.stage_key),
        median = f.median_minutes.map(|m| format!("{m:.1}")).unwrap_or_default(),
        p90 = f.p90_minutes.map(|m| format!("{m:.1}")).unwrap_or_default(),
        rx = x + GAP / 2.0,
        ry = y,
        w = COLUMN - GAP,
        h = FIGURES - 6.0,
    );
    let lines = [
        (
            if bottleneck {
                format!("▲ {}", labels.bottleneck)
            } else {
                labels.patients_now.replacen("{}", &f.patients_now.to_string(), 1)
            },
            bottleneck,
        ),
        (times, over),
        (tasks, f.overdue_tasks > 0),
        fails_and_compliance(f, labels),
    ];
    for (n, (text, strong)) in lines.iter().enumerate() {
        let color = if *strong { "#9b2c1f" } else { "#33413f" };
        let _ = write!(
            svg,
            r##"<text x="{tx:.0}" y="{ty:.0}" font-size="11" fill="{color}"{weight}>{text}</text>"##,
            tx = x + GAP / 2.0 + 10.0,
            ty = y + 15.0 + n as f64 * 15.0,
            weight = if *strong { r#" font-weight="700""# } else { "" },
            text = esc(text),
        );
    }
    svg.push_str("</g>");
}

/// The last line of a stage's figures: its fail-point hits, and the share of its standards'
/// checks met, strong when below the 90 % line.
fn fails_and_compliance(f: &StageFigures, labels: &BlueprintLabels) -> (String, bool) {
    let fails = labels.fail_hits.replacen("{}", &f.fail_hits.to_string(), 1);
    match f.compliance.share {
        Some(share) => (
            format!("{fails} · {}", labels.compliance.replacen("{}", &format!("{:.0} %", share * 100.0), 1)),
            f.fail_hits > 0 || f.compliance.holds_line == Some(false),
        ),
        None => (fails, f.fail_hits > 0),
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_cell(
    svg: &mut String,
    cell: &BlueprintCell,
    x: f64,
    y: f64,
    h: f64,
    faint: bool,
    labels: &BlueprintLabels,
    stage_key: &str,
) {
    let w = COLUMN - GAP;
    let border = if cell.fail_point.is_some() {
        "#c0392b"
    } else if cell.wait_point.is_some() {
        "#d68910"
    } else {
        "#c9d3d1"
    };
    let _ = write!(
        svg,
        r##"<g class="cell" data-stage-key="{key}" data-lane="{lane}" opacity="{o}"><rect x="{x:.0}" y="{y:.0}" width="{w:.0}" height="{h:.0}" rx="5" fill="#ffffff" stroke="{border}"/>"##,
        key = esc(stage_key),
        lane = cell.lane.as_str(),
        o = if faint { "0.25" } else { "1" },
    );
    let mut ty = y + 16.0;
    for line in wrap(&cell.text, CHARS_PER_LINE) {
        let _ =
            write!(svg, r##"<text x="{tx:.0}" y="{ty:.0}" fill="#1f2d2b">{t}</text>"##, tx = x + 8.0, t = esc(&line));
        ty += TEXT_LINE;
    }
    let mut meta = Vec::new();
    if let Some(role) = cell.owner_role {
        meta.push(labels.roles[role_index(role)].clone());
    }
    if let Some(m) = cell.standard_minutes {
        meta.push(minutes_text(f64::from(m), &labels.units));
    }
    if !meta.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{tx:.0}" y="{ty:.0}" font-size="10.5" fill="#5b6b69">{t}</text>"##,
            tx = x + 8.0,
            t = esc(&meta.join(" · "))
        );
        ty += TEXT_LINE;
    }
    type Symbol<'a> = (&'a Option<String>, fn(f64, f64) -> String, &'a String);
    let symbols: [Symbol; 2] =
        [(&cell.fail_point, fail_symbol, &labels.fail_point), (&cell.wait_point, wait_symbol, &labels.wait_point)];
    for (note, symbol, label) in symbols {
        if let Some(note) = note {
            let _ = write!(
                svg,
                r##"<g class="marker"><title>{label}: {n}</title>{s}"##,
                label = esc(label),
                n = esc(note),
                s = symbol(x + 14.0, ty - 4.0)
            );
            for (k, line) in wrap(note, CHARS_PER_LINE - 4).iter().enumerate() {
                let _ = write!(
                    svg,
                    r##"<text x="{tx:.0}" y="{y:.0}" font-size="10.5" font-style="italic" fill="#5b6b69">{t}</text>"##,
                    tx = x + 26.0,
                    y = ty + k as f64 * 13.0,
                    t = esc(line)
                );
            }
            ty += wrap(note, CHARS_PER_LINE - 4).len() as f64 * 13.0 + 4.0;
            svg.push_str("</g>");
        }
    }
    svg.push_str("</g>");
}

/// A red circle with "F": a step likely to go wrong.
fn fail_symbol(cx: f64, cy: f64) -> String {
    format!(
        r##"<circle class="fail-point" cx="{cx:.0}" cy="{cy:.0}" r="7" fill="#c0392b"/><text x="{cx:.0}" y="{ty:.0}" font-size="10" font-weight="700" fill="#fff" text-anchor="middle">F</text>"##,
        ty = cy + 3.5
    )
}

/// An amber diamond with "W": a step where patients risk waiting too long.
fn wait_symbol(cx: f64, cy: f64) -> String {
    format!(
        r##"<path class="wait-point" d="M{cx:.0},{t:.0} L{r:.0},{cy:.0} L{cx:.0},{b:.0} L{l:.0},{cy:.0} z" fill="#d68910"/><text x="{cx:.0}" y="{ty:.0}" font-size="9" font-weight="700" fill="#fff" text-anchor="middle">W</text>"##,
        t = cy - 8.0,
        b = cy + 8.0,
        l = cx - 8.0,
        r = cx + 8.0,
        ty = cy + 3.0
    )
}

fn lane_height(stages: &[Stage], lane: Lane) -> f64 {
    let tallest = stages
        .iter()
        .map(|s| s.cells.iter().filter(|c| c.lane == lane).map(|c| cell_height(c) + 6.0).sum::<f64>())
        .fold(0.0, f64::max);
    (30.0 + tallest + 6.0).max(70.0)
}

fn cell_height(cell: &BlueprintCell) -> f64 {
    let mut lines = wrap(&cell.text, CHARS_PER_LINE).len() as f64 * TEXT_LINE;
    if cell.owner_role.is_some() || cell.standard_minutes.is_some() {
        lines += TEXT_LINE;
    }
    for note in [&cell.fail_point, &cell.wait_point].into_iter().flatten() {
        lines += wrap(note, CHARS_PER_LINE - 4).len() as f64 * 13.0 + 4.0;
    }
    lines + 10.0
}

fn lane_is_faint(lane: Lane, filter: DutyFilter) -> bool {
    match filter {
        DutyFilter::All | DutyFilter::Role(_) => false,
        DutyFilter::FrontOffice => matches!(lane, Lane::BackOffice | Lane::SupportProcess),
        DutyFilter::BackOffice => lane == Lane::FrontOffice,
    }
}

fn cell_is_faint(cell: &BlueprintCell, filter: DutyFilter) -> bool {
    match filter {
        DutyFilter::Role(role) => {
            matches!(cell.lane, Lane::FrontOffice | Lane::BackOffice | Lane::SupportProcess)
                && cell.owner_role != Some(role)
        }
        _ => lane_is_faint(cell.lane, filter),
    }
}

fn role_index(role: Role) -> usize {
    match role {
        Role::Admin => 0,
        Role::FrontDesk => 1,
        Role::Clinician => 2,
        Role::BackOffice => 3,
    }
}

/// "12 min", "2 h 30 min", "3 d" — standard and measured times read at a glance.
pub fn minutes_text(minutes: f64, units: &[String; 3]) -> String {
    let [min, h, d] = units;
    let m = minutes.round() as i64;
    if m < 60 {
        format!("{m} {min}")
    } else if m < 24 * 60 {
        match m % 60 {
            0 => format!("{} {h}", m / 60),
            rest => format!("{} {h} {rest} {min}", m / 60),
        }
    } else {
        let days = minutes / (24.0 * 60.0);
        if (days - days.round()).abs() < 0.05 {
            format!("{} {d}", days.round())
        } else {
            format!("{days:.1} {d}")
        }
    }
}

/// Wraps to `width` columns (a Chinese character takes two), breaking where Unicode allows —
/// between words, or between Chinese characters — and cutting a word too long for a line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width).word_separator(textwrap::WordSeparator::UnicodeBreakProperties);
    textwrap::wrap(text, options).into_iter().map(|line| line.trim_end().to_string()).collect()
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::ids::new_id;
    use crate::domain::journey::StandardBasis;

    fn cell(lane: Lane, text: &str, role: Option<Role>) -> BlueprintCell {
        BlueprintCell {
            id: new_id(),
            lane,
            text: text.into(),
            owner_role: role,
            standard_minutes: Some(5),
            fail_point: None,
            wait_point: None,
        }
    }

    fn template() -> JourneyTemplate {
        let stage = |key: &str, phase, cells| Stage {
            id: new_id(),
            key: key.into(),
            phase,
            name: key.into(),
            description: String::new(),
            owner_role: Role::FrontDesk,
            standard_minutes: 10,
            standard_basis: StandardBasis::Duration,
            cells,
        };
        let mut waiting = cell(Lane::PatientAction, "Waits in the <waiting> room & reads", None);
        waiting.wait_point = Some("Provider runs late".into());
        let mut call = cell(Lane::FrontOffice, "Confirmation call", Some(Role::FrontDesk));
        call.fail_point = Some("Patient not reached".into());
        JourneyTemplate {
            id: new_id(),
            family_key: "f".into(),
            name: "First consultation".into(),
            description: String::new(),
            version: 2,
            created_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            stages: vec![
                stage(
                    "confirmation",
                    Phase::PreVisit,
                    vec![call, cell(Lane::BackOffice, "Prepare the chart", Some(Role::BackOffice))],
                ),
                stage("waiting", Phase::Visit, vec![waiting, cell(Lane::SupportProcess, "Queue display", None)]),
            ],
        }
    }

    #[test]
    fn the_drawing_carries_lane_names_line_labels_and_escaped_text() {
        let svg = blueprint_svg(&template(), None, DutyFilter::All, &BlueprintLabels::default());
        for text in [
            "Physical evidence",
            "Patient actions",
            "Front office (onstage)",
            "Back office (backstage)",
            "Support processes",
            "Line of interaction",
            "Line of visibility",
            "Line of internal interaction",
            "PRE-VISIT",
            "VISIT",
        ] {
            assert!(svg.contains(&format!(">{text}<")), "missing {text}");
        }
        assert!(svg.contains(">Waits in the &lt;waiting&gt; room &amp;<"), "escaped and wrapped");
        assert!(svg.contains(r#"class="fail-point""#) && svg.contains(r#"class="wait-point""#));
        assert!(svg.contains(r#"class="flow""#), "an arrow from one stage to the next");
        assert!(!svg.contains("bottleneck"), "no overlay, no bottleneck");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn the_overlay_marks_the_bottleneck_with_its_figures() {
        use crate::domain::overlay::StageFigures;
        let t = template();
        let figure = |key: &str, median: f64| StageFigures {
            stage_key: key.into(),
            patients_now: 2,
            samples: 5,
            median_minutes: Some(median),
            p90_minutes: Some(median * 2.0),
            standard_minutes: 10,
            standard_basis: StandardBasis::Duration,
            median_to_standard: Some(median / 10.0),
            open_tasks: 4,
            overdue_tasks: 1,
            fail_hits: 3,
            compliance: crate::domain::standards::Compliance::of(4, 5),
        };
        let overlay = BlueprintOverlay {
            from: t.created_at,
            to: t.created_at,
            stages: vec![figure("confirmation", 8.0), figure("waiting", 25.0)],
            bottleneck: Some("waiting".into()),
        };
        let svg = blueprint_svg(&t, Some(&overlay), DutyFilter::All, &BlueprintLabels::default());
        assert!(svg.contains(r#"<g class="stage bottleneck" data-stage-key="waiting">"#));
        assert!(svg.contains("median 25 min · p90 50 min"));
        assert!(svg.contains("tasks 4 open · 1 overdue"));
        assert_eq!(svg.matches("class=\"stage bottleneck\"").count(), 1);
    }

    #[test]
    fn filters_fade_the_other_duties() {
        let t = template();
        let svg = blueprint_svg(&t, None, DutyFilter::Role(Role::BackOffice), &BlueprintLabels::default());
        assert!(svg.contains(r#"data-lane="front_office" opacity="0.25""#), "front-desk duty faded");
        assert!(svg.contains(r#"data-lane="back_office" opacity="1""#), "back-office duty stands out");
        let front = blueprint_svg(&t, None, DutyFilter::FrontOffice, &BlueprintLabels::default());
        assert!(
            front.contains(r#"<g class="cell" data-stage-key="confirmation" data-lane="back_office" opacity="0.25""#)
        );
    }

    #[test]
    fn times_read_at_a_glance() {
        let units = BlueprintLabels::default().units;
        assert_eq!(minutes_text(12.4, &units), "12 min");
        assert_eq!(minutes_text(150.0, &units), "2 h 30 min");
        assert_eq!(minutes_text(120.0, &units), "2 h");
        assert_eq!(minutes_text(2880.0, &units), "2 d");
        assert_eq!(minutes_text(2160.0, &units), "1.5 d");
        let russian = ["мин".to_owned(), "ч".to_owned(), "дн.".to_owned()];
        assert_eq!(minutes_text(150.0, &russian), "2 ч 30 мин", "the window's language, not English");
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
    }

    #[test]
    fn chinese_wraps_between_characters_at_twice_the_width_of_latin_letters() {
        let text = "前台找到合适医生和诊室的空闲时段并完成预约，核对电话号码和提醒同意，复述日期和时间";
        let lines = wrap(text, 20);
        assert_eq!(lines.concat(), text, "nothing is cut");
        assert!(lines.len() >= 4, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 10), "ten characters fill twenty columns: {lines:?}");
        assert!(lines.iter().skip(1).all(|l| !l.starts_with(['，', '。'])), "no line starts with a comma: {lines:?}");
        assert_eq!(wrap("Прийом лікаря-кардіолога", 12), ["Прийом", "лікаря-", "кардіолога"]);
    }
}
