import { describe, expect, it } from "vitest";
import type { Insights, StageInsight } from "./bindings";
import { COLORS } from "./charts";
import { complianceChart, servqualChart, visitStages } from "./insightCharts";

const t = (key: string) => key;

function stage(key: string, phase: StageInsight["phase"], met: number, checks: number, holds: boolean | null): StageInsight {
  return {
    family_key: "first_consultation", journey: "First consultation", stage_key: key, name: key, phase, samples: checks,
    median_minutes: checks ? 5 : null, p90_minutes: checks ? 9 : null, standard_minutes: 5,
    compliance: { met, checks, share: checks ? met / checks : null, holds_line: holds },
  };
}

const report = {
  stages: [stage("check_in", "visit", 9, 10, true), stage("consultation", "visit", 5, 10, false), stage("confirmation", "pre_visit", 0, 0, null)],
  servqual: {
    dimensions: [
      { dimension: "tangibles", answers: 40, expectation: 6, perception: 6.2, gap: 0.2, weight: null },
      { dimension: "reliability", answers: 40, expectation: 6.5, perception: 5, gap: -1.5, weight: null },
      { dimension: "responsiveness", answers: 40, expectation: 6, perception: 5.6, gap: -0.4, weight: null },
    ],
    overall: null,
    worst: "reliability",
  },
} as unknown as Insights;

describe("insight charts", () => {
  it("draws each stage's compliance as Rust judged it, with the 90 % line", () => {
    const option = complianceChart(report, t) as { yAxis: { data: string[] }; series: { data: { value: number; itemStyle: { color: string } }[]; markLine: { data: { xAxis: number }[] } }[] };
    expect(option.yAxis.data).toEqual(["check_in", "consultation"]);
    expect(option.series[0].data.map((d) => [d.value, d.itemStyle.color])).toEqual([[90, COLORS.ok], [50, COLORS.danger]]);
    expect(option.series[0].markLine.data).toEqual([{ xAxis: 90 }]);
  });

  it("marks the shortfall Rust named, and times only visit stages with passes", () => {
    const option = servqualChart(report, t) as { series: { data: { value: number; itemStyle: { color: string } }[] }[] };
    expect(option.series[0].data.map((d) => d.itemStyle.color)).toEqual([COLORS.ok, COLORS.danger, "#e08a84"]);
    expect(visitStages(report).map((s) => s.stage_key)).toEqual(["check_in", "consultation"]);
  });
});
