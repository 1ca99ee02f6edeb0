// The Insights screen's charts as ECharts options, built from the report Rust sends. They only
// draw its figures: every rate, gap and share is computed in the core.
import type { Insights, StageInsight } from "./bindings";
import { COLORS, type ChartOption } from "./charts";

type T = (key: string, values?: Record<string, string | number>) => string;

const grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };

/** Visit-phase stages with timed passes: where the patient waits and is served. */
export function visitStages(insights: Insights): StageInsight[] {
  return insights.stages.filter((s) => s.phase === "visit" && s.samples > 0);
}

function stageLabel(s: StageInsight, several: boolean): string {
  return several ? `${s.name} · ${s.journey}` : s.name;
}

export function complianceChart(insights: Insights, t: T): ChartOption {
  const stages = insights.stages.filter((s) => s.compliance.checks > 0);
  const several = new Set(stages.map((s) => s.family_key)).size > 1;
  return {
    grid,
    tooltip: { trigger: "axis", valueFormatter: (v: number) => `${v} %` },
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" }, splitLine: { lineStyle: { color: COLORS.grid } } },
    yAxis: { type: "category", inverse: true, data: stages.map((s) => stageLabel(s, several)), axisLabel: { width: 220, overflow: "truncate" } },
    series: [
      {
        type: "bar",
        name: t("insights.series.met"),
        data: stages.map((s) => {
          const share = Math.round((s.compliance.share ?? 0) * 1000) / 10;
          return { value: share, itemStyle: { color: s.compliance.holds_line ? COLORS.ok : COLORS.danger } };
        }),
        markLine: { symbol: "none", data: [{ xAxis: 90 }], lineStyle: { color: COLORS.warn, type: "dashed" }, label: { position: "end", formatter: t("insights.line") } },
      },
    ],
  };
}

export function stageTimesChart(insights: Insights, t: T): ChartOption {
  const stages = visitStages(insights);
  const several = new Set(stages.map((s) => s.family_key)).size > 1;
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    grid: { ...grid, top: 30 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    yAxis: { type: "category", inverse: true, data: stages.map((s) => stageLabel(s, several)), axisLabel: { width: 220, overflow: "truncate" } },
    xAxis: { type: "value", splitLine: { lineStyle: { color: COLORS.grid } } },
    series: [
      { type: "bar", name: t("insights.series.median"), data: stages.map((s) => round(s.median_minutes)), itemStyle: { color: COLORS.accent } },
      { type: "bar", name: t("insights.series.p90"), data: stages.map((s) => round(s.p90_minutes)), itemStyle: { color: "#7fb8b8" } },
      { type: "scatter", name: t("insights.series.standard"), data: stages.map((s) => s.standard_minutes), symbol: "diamond", symbolSize: 11, itemStyle: { color: COLORS.warn } },
    ],
  };
}

export function npsChart(insights: Insights, t: T): ChartOption {
  const months = insights.nps_by_month;
  return {
    grid,
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: months.map((m) => m.month) },
    yAxis: [
      { type: "value", name: "", splitLine: { lineStyle: { color: COLORS.grid } } },
      { type: "value", min: -100, max: 100, splitLine: { show: false } },
    ],
    series: [
      { type: "bar", stack: "answers", name: t("insights.series.promoters"), data: months.map((m) => m.nps.promoters), itemStyle: { color: COLORS.ok } },
      { type: "bar", stack: "answers", name: t("insights.series.passives"), data: months.map((m) => m.nps.passives), itemStyle: { color: COLORS.muted } },
      { type: "bar", stack: "answers", name: t("insights.series.detractors"), data: months.map((m) => m.nps.detractors), itemStyle: { color: COLORS.danger } },
      { type: "line", yAxisIndex: 1, name: t("insights.series.nps"), data: months.map((m) => (m.nps.score.value === null ? null : Math.round(m.nps.score.value))), itemStyle: { color: COLORS.accent }, connectNulls: false },
    ],
  };
}

export function servqualChart(insights: Insights, t: T): ChartOption {
  const dims = insights.servqual.dimensions;
  return {
    grid,
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: dims.map((d) => t(`insights.dimensions.${d.dimension}`)) },
    yAxis: { type: "value", splitLine: { lineStyle: { color: COLORS.grid } } },
    series: [
      {
        type: "bar",
        name: t("insights.series.gap"),
        data: dims.map((d) => ({
          value: d.gap === null ? null : Math.round(d.gap * 100) / 100,
          itemStyle: { color: d.dimension === insights.servqual.worst ? COLORS.danger : (d.gap ?? 0) < 0 ? "#e08a84" : COLORS.ok },
        })),
        markLine: { symbol: "none", data: [{ yAxis: 0 }], lineStyle: { color: COLORS.muted } },
      },
    ],
  };
}

export function kanoChart(insights: Insights, t: T): ChartOption {
  const points = insights.kano.filter((k) => k.result.better !== null && k.result.worse !== null);
  return {
    grid: { ...grid, top: 16 },
    tooltip: { formatter: (p: { data: [number, number, string] }) => `${p.data[2]}<br>${t("insights.series.better")}: ${p.data[0]}<br>${t("insights.series.worse")}: ${p.data[1]}` },
    xAxis: { type: "value", min: 0, max: 1, name: t("insights.series.better"), nameLocation: "middle", nameGap: 24, splitLine: { lineStyle: { color: COLORS.grid } } },
    yAxis: { type: "value", min: 0, max: 1, name: t("insights.series.worse"), nameLocation: "middle", nameGap: 32, splitLine: { lineStyle: { color: COLORS.grid } } },
    series: [
      {
        type: "scatter",
        symbolSize: 14,
        itemStyle: { color: COLORS.accent },
        label: { show: true, position: "right", formatter: (p: { data: [number, number, string] }) => p.data[2] },
        data: points.map((k) => [Math.round((k.result.better ?? 0) * 100) / 100, Math.round(Math.abs(k.result.worse ?? 0) * 100) / 100, k.feature.name]),
        markLine: { symbol: "none", silent: true, lineStyle: { color: COLORS.muted, type: "dashed" }, data: [{ xAxis: 0.5 }, { yAxis: 0.5 }] },
      },
    ],
  };
}
