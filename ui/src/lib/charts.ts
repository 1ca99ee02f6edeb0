// ECharts with only the pieces the Insights screen draws (bars, lines, scatter, grid, tooltip,
// legend, mark lines), on canvas so a chart can be saved as a PNG picture.
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;

/** The app's palette, so charts read like the rest of the window. */
export const COLORS = { accent: "#1c7c7d", ok: "#2e7d32", warn: "#c28a00", danger: "#b3261e", muted: "#8a9aa1", grid: "#e3e9eb" };

export const FONT = '"Noto Sans", "Noto Sans SC", system-ui, sans-serif';

/** The bytes of a chart drawn on a white background at twice its size, as PNG. */
export function pngBytes(chart: echarts.ECharts): number[] {
  const url = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
  const binary = atob(url.slice(url.indexOf(",") + 1));
  const bytes = new Array<number>(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
