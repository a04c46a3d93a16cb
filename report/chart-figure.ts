import { escapeXml, type ChartPoint } from './svg-charts.js';

/** One chart of the report: its drawing function and the points it draws, one mark each. */
export interface Chart {
  id: string;
  title: string;
  note: string;
  draw: (options: { title: string; points: ChartPoint[]; formatTick: (value: number) => string }) => string;
  points: ChartPoint[];
  formatTick: (value: number) => string;
}

/** A chart in its <figure>, with data-points for the browser test; a chart without points says so instead. */
export function chartFigure(chart: Chart): string {
  const body = chart.points.length === 0
    ? '<p class="no-data">No data for this chart.</p>'
    : chart.draw({ title: chart.title, points: chart.points, formatTick: chart.formatTick });
  return `<figure class="chart" id="${chart.id}" data-chart="${chart.id}" data-points="${chart.points.length}">`
    + `<figcaption><strong>${escapeXml(chart.title)}</strong> <span>${escapeXml(chart.note)}</span></figcaption>${body}</figure>`;
}
