/**
 * Small inline SVG charts, drawn here so the report needs no script and no network. Every data point is
 * one element of class `mark` with a <title> tooltip, which is also what the browser test counts.
 */

export interface ChartPoint {
  label: string;
  value: number;
  /** Tooltip and value label text; defaults to the value. */
  display?: string;
}

export interface ChartOptions {
  /** Accessible name of the chart. */
  title: string;
  points: ChartPoint[];
  /** Formats axis ticks. */
  formatTick: (value: number) => string;
}

const WIDTH = 760;
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
const COLORS = { bar: '#2f6fb0', negative: '#c2553a', line: '#2f6fb0', grid: '#e3e6ea', axis: '#5b6470', text: '#27303a' };

export function escapeXml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const round = (value: number) => Math.round(value * 100) / 100;

function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** Evenly spaced round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max]; always includes 0. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const low = Math.min(0, min);
  const high = Math.max(0, max);
  if (low === high) return [0, 1];
  const rough = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let tick = Math.floor(low / step) * step; tick < high + step - step * 1e-9; tick += step) ticks.push(round(tick));
  return ticks;
}

function svgOpen(title: string, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeXml(title)}">`
    + `<title>${escapeXml(title)}</title>`;
}

interface VerticalFrame {
  ticks: number[];
  y: (value: number) => number;
  left: number;
  plotWidth: number;
  height: number;
  body: string[];
}

/** Y axis, grid and the x positions shared by the column and line charts. */
function verticalFrame(options: ChartOptions): VerticalFrame {
  const values = options.points.map((point) => point.value);
  const ticks = niceTicks(Math.min(...values), Math.max(...values));
  const [top, bottom, left, right, height] = [14, 46, 72, 12, 280];
  const plotHeight = height - top - bottom;
  const [lowest, highest] = [ticks[0]!, ticks[ticks.length - 1]!];
  const y = (value: number) => round(top + (highest - value) / (highest - lowest) * plotHeight);
  const body = ticks.map((tick) => `<line x1="${left}" x2="${WIDTH - right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${tick === 0 ? COLORS.axis : COLORS.grid}"/>`
    + `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="${COLORS.text}" ${FONT}>${escapeXml(options.formatTick(tick))}</text>`);
  const plotWidth = WIDTH - left - right;
  const every = Math.ceil(options.points.length / 12);
  options.points.forEach((point, index) => {
    if (index % every !== 0) return;
    const x = round(left + (index + 0.5) * plotWidth / options.points.length);
    body.push(`<text x="${x}" y="${height - bottom + 16}" text-anchor="middle" fill="${COLORS.text}" ${FONT}>${escapeXml(shorten(point.label, 12))}</text>`);
  });
  return { ticks, y, left, plotWidth, height, body };
}

/** Vertical bars, one per point; negative values hang below the zero line in another colour. */
export function columnChart(options: ChartOptions): string {
  const frame = verticalFrame(options);
  const slot = frame.plotWidth / options.points.length;
  const barWidth = round(Math.max(1, slot * 0.72));
  const marks = options.points.map((point, index) => {
    const [from, to] = [frame.y(Math.max(0, point.value)), frame.y(Math.min(0, point.value))];
    const x = round(frame.left + index * slot + (slot - barWidth) / 2);
    const fill = point.value < 0 ? COLORS.negative : COLORS.bar;
    return `<rect class="mark" x="${x}" y="${from}" width="${barWidth}" height="${round(to - from)}" fill="${fill}">`
      + `<title>${escapeXml(`${point.label}: ${point.display ?? point.value}`)}</title></rect>`;
  });
  return `${svgOpen(options.title, frame.height)}${frame.body.join('')}${marks.join('')}</svg>`;
}

/** A line through the points, each drawn as a dot. */
export function lineChart(options: ChartOptions): string {
  const frame = verticalFrame(options);
  const slot = frame.plotWidth / options.points.length;
  const coordinates = options.points.map((point, index) => [round(frame.left + (index + 0.5) * slot), frame.y(point.value)] as const);
  const path = `<polyline fill="none" stroke="${COLORS.line}" stroke-width="2" points="${coordinates.map(([x, y]) => `${x},${y}`).join(' ')}"/>`;
  const marks = options.points.map((point, index) => `<circle class="mark" cx="${coordinates[index]![0]}" cy="${coordinates[index]![1]}" r="4" fill="${COLORS.line}">`
    + `<title>${escapeXml(`${point.label}: ${point.display ?? point.value}`)}</title></circle>`);
  return `${svgOpen(options.title, frame.height)}${frame.body.join('')}${path}${marks.join('')}</svg>`;
}

/** Rough width of an 11 px system-ui label; digits and punctuation dominate these labels. */
const labelWidthOf = (text: string) => text.length * 6.6;

/** A bar's value after its end, or inside it (white) when the bar is long enough, so that no label runs off the chart. */
function valueLabel(options: { display: string; y: number; barEnd: number; barWidth: number }): string {
  const inside = options.barWidth > labelWidthOf(options.display) + 12;
  const [x, anchor, fill] = inside ? [options.barEnd - 6, 'end', '#fff'] : [options.barEnd + 6, 'start', COLORS.text];
  return `<text x="${round(x)}" y="${options.y}" text-anchor="${anchor}" fill="${fill}" ${FONT}>${escapeXml(options.display)}</text>`;
}

/** Horizontal bars, one row per point in the given order, with the label on the left and the value at the bar's end. */
export function barChart(options: ChartOptions): string {
  const [labelWidth, valueWidth, rowHeight, top] = [220, 170, 24, 8];
  const height = top * 2 + rowHeight * options.points.length;
  const max = Math.max(0, ...options.points.map((point) => point.value));
  const plotWidth = WIDTH - labelWidth - valueWidth;
  const rows = options.points.map((point, index) => {
    const y = top + index * rowHeight;
    const width = max === 0 ? 0 : round(Math.max(0, point.value) / max * plotWidth);
    const display = point.display ?? options.formatTick(point.value);
    return `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" fill="${COLORS.text}" ${FONT}>${escapeXml(shorten(point.label, 34))}</text>`
      + `<rect class="mark" x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 8}" fill="${COLORS.bar}">`
      + `<title>${escapeXml(`${point.label}: ${display}`)}</title></rect>`
      + valueLabel({ display, y: y + 16, barEnd: labelWidth + width, barWidth: width });
  });
  return `${svgOpen(options.title, height)}${rows.join('')}</svg>`;
}
