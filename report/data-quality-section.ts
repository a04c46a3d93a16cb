import { chartFigure, type Chart } from './chart-figure.js';
import { formatCount, formatShare, percentage } from './decimal-format.js';
import { explainReason } from './rejection-reasons.js';
import { recordsOf, type AnalyticsResults, type Value } from './run-analytics.js';
import { escapeXml, lineChart } from './svg-charts.js';

/** Runs listed on the page; every run is in data_quality_runs.csv. */
export const RUNS_SHOWN = 25;
/** Raw records are cut to this many characters on the page; the CSV holds them whole. */
const RAW_RECORD_SHOWN = 300;

const text = (value: Value | undefined): string => String(value ?? '');
const count = (value: Value | undefined): bigint => BigInt(text(value) || '0');
const cell = (value: Value | undefined): string => escapeXml(text(value));
/** `2026-11-25 10:00:00` → `2026-11-25 10:00`: the page shows minutes, the CSV keeps the time as stored. */
const minutes = (value: Value | undefined) => text(value).replace(/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}).*$/, '$1 $2');
const slug = (source: string) => source.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'source';

function table(options: { id: string; headers: string[]; rows: string[][]; numeric: number[]; className?: string }): string {
  const align = (index: number) => (options.numeric.includes(index) ? ' class="number"' : '');
  return `<div class="table-scroll"><table id="${options.id}"${options.className ? ` class="${options.className}"` : ''}><thead><tr>${options.headers.map((header, index) => `<th${align(index)}>${escapeXml(header)}</th>`).join('')}</tr></thead>`
    + `<tbody>${options.rows.map((row) => `<tr>${row.map((value, index) => `<td${align(index)}>${value}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

function plural(amount: bigint, word: string): string {
  return `${formatCount(amount)} ${word}${amount === 1n ? '' : 's'}`;
}

/** The written summary of the data-quality section: totals over every source, files rejected whole, failed runs, the most frequent reason. */
export function dataQualitySummary(results: AnalyticsResults): string[] {
  const sources = recordsOf(results.data_quality_sources);
  if (sources.length === 0) return [];
  const sum = (column: string) => sources.reduce((total, row) => total + count(row[column]), 0n);
  const [read, clean, rejected, duplicates] = ['rows_read', 'rows_clean', 'rows_rejected', 'duplicates_dropped'].map(sum) as [bigint, bigint, bigint, bigint];
  const share = (part: bigint) => formatShare(percentage(part, read));
  const sentences = [
    `Of ${plural(read, 'row')} read from ${plural(sum('runs_loaded'), 'loaded file')} (${plural(BigInt(sources.length), 'source')}), ${formatCount(clean)} (${share(clean)}) are in the warehouse, `
      + `${formatCount(rejected)} (${share(rejected)}) were rejected and ${formatCount(duplicates)} (${share(duplicates)}) dropped as exact duplicates.`,
  ];
  const filesRejected = sum('files_rejected');
  if (filesRejected > 0n) sentences.push(`${plural(filesRejected, 'file')} ${filesRejected === 1n ? 'was' : 'were'} rejected whole: nothing of ${filesRejected === 1n ? 'it' : 'them'} is in the warehouse (see the reasons below).`);
  const failed = sum('runs_failed');
  if (failed > 0n) sentences.push(`${plural(failed, 'run')} failed before ${failed === 1n ? 'its' : 'their'} file could be cleaned; the runs table below gives the error.`);
  const rowReasons = recordsOf(results.data_quality_reasons).filter((row) => row.scope === 'row');
  const top = rowReasons.reduce<Record<string, Value> | undefined>((best, row) => (!best || count(row.rejected) > count(best.rejected) ? row : best), undefined);
  if (top) {
    sentences.push(`Most frequent reason: ${explainReason(text(top.reason))} (${text(top.reason)}), ${plural(count(top.rejected), 'row')} from ${text(top.source)}.`);
  }
  return sentences;
}

/** One line chart per source: the share of rows rejected on each day its files ran (days with a share only). */
export function dataQualityCharts(results: AnalyticsResults): Chart[] {
  const days = recordsOf(results.data_quality_over_time).filter((row) => row.rejected_share_pct !== null);
  const sources = [...new Set(days.map((row) => text(row.source)))];
  return sources.map((source) => ({
    id: `rejected-share-${slug(source)}`,
    title: `Rejected share over time: ${source}`,
    note: 'Rows rejected of rows read, per day the files ran.',
    draw: lineChart,
    formatTick: (value: number) => `${value}%`,
    points: days.filter((row) => text(row.source) === source).map((row) => ({
      label: text(row.run_date),
      value: Number(row.rejected_share_pct),
      display: `${formatShare(row.rejected_share_pct)} of ${formatCount(text(row.rows_read))} rows (${formatCount(text(row.rows_rejected))} rejected`
        + `${count(row.files_rejected) > 0n ? `; ${plural(count(row.files_rejected), 'file')} rejected whole` : ''})`,
    })),
  }));
}

function sourcesTable(results: AnalyticsResults): string {
  return table({
    id: 'data-quality-sources',
    headers: ['Source', 'Runs', 'Files rejected whole', 'Failed runs', 'Rows read', 'Loaded', 'Rejected', 'Duplicates', 'Rejected share', 'Last run'],
    numeric: [1, 2, 3, 4, 5, 6, 7, 8],
    rows: recordsOf(results.data_quality_sources).map((row) => [
      cell(row.source), cell(formatCount(text(row.runs))), cell(formatCount(text(row.files_rejected))), cell(formatCount(text(row.runs_failed))),
      cell(formatCount(text(row.rows_read))), cell(formatCount(text(row.rows_clean))), cell(formatCount(text(row.rows_rejected))),
      cell(formatCount(text(row.duplicates_dropped))), cell(formatShare(row.rejected_share_pct)), cell(minutes(row.last_run_at)),
    ]),
  });
}

function example(row: Record<string, Value>): string {
  const file = escapeXml(text(row.example_source_uri));
  if (row.scope === 'file') return `<span class="where">${file}</span>`;
  const raw = text(row.example_raw_record);
  const shown = raw.length > RAW_RECORD_SHOWN ? `${raw.slice(0, RAW_RECORD_SHOWN - 1)}…` : raw;
  return `<code class="raw">${escapeXml(shown)}</code><span class="where">line ${cell(row.example_source_line)} of ${file}</span>`;
}

function reasonsTables(results: AnalyticsResults): string {
  const reasons = recordsOf(results.data_quality_reasons);
  const sources = [...new Set(reasons.map((row) => text(row.source)))];
  if (sources.length === 0) return '<p class="no-data" id="no-rejections">Nothing was left out: no row and no file was rejected.</p>';
  return sources.map((source) => `<h3>${escapeXml(source)}</h3>${table({
    id: `reasons-${slug(source)}`,
    headers: ['Left out', 'Why', 'How many', 'Share of rows read', 'Latest example'],
    numeric: [2, 3],
    className: 'reasons',
    rows: reasons.filter((row) => text(row.source) === source).map((row) => [
      row.scope === 'file' ? 'whole file' : 'rows',
      problem(text(row.reason)),
      cell(plural(count(row.rejected), row.scope === 'file' ? 'file' : 'row')),
      row.scope === 'file' ? 'all of the file' : cell(formatShare(row.share_of_rows_read_pct)),
      example(row),
    ]),
  })}`).join('');
}

/** A reason in words with its code below; an error message the contract does not know is shown once, as it is. */
function problem(reason: string): string {
  const words = explainReason(reason);
  return words === reason ? escapeXml(reason) : `${escapeXml(words)}<code class="reason">${escapeXml(reason)}</code>`;
}

function runsTable(results: AnalyticsResults): string {
  const runs = recordsOf(results.data_quality_runs);
  const shown = runs.slice(0, RUNS_SHOWN);
  const number = (value: Value | undefined) => (value === null || value === undefined ? '' : cell(formatCount(text(value))));
  return table({
    id: 'data-quality-runs',
    headers: ['Run started', 'Source', 'File', 'Status', 'Rows read', 'Loaded', 'Rejected', 'Duplicates', 'Rejected share', 'Problem'],
    numeric: [4, 5, 6, 7, 8],
    rows: shown.map((row) => [
      cell(minutes(row.run_at)), cell(row.source), `<span title="${cell(row.source_uri)}">${escapeXml(text(row.source_uri).split('/').pop() ?? '')}</span>`, cell(row.status),
      number(row.rows_read), number(row.rows_clean), number(row.rows_rejected), number(row.duplicates_dropped),
      row.rejected_share_pct === null ? '' : cell(formatShare(row.rejected_share_pct)),
      row.problem === null ? '' : problem(text(row.problem)),
    ]),
  }) + (runs.length > shown.length ? `<p class="note">The latest ${shown.length} of ${formatCount(runs.length)} runs; all of them are in data_quality_runs.csv.</p>` : '');
}

/** What the pipeline left out and why, per source and per run, readable without SQL; always shown, also on a warehouse without sales. */
export function renderDataQualitySection(results: AnalyticsResults): string {
  const heading = '<h2>Data quality: what was left out, and why</h2>';
  if (results.data_quality_sources.rows.length === 0) {
    return `<section id="data-quality">${heading}<p class="no-data" id="no-runs">No run is recorded in load_audit yet: nothing was read, so nothing was left out.</p></section>`;
  }
  return `<section id="data-quality">${heading}`
    + '<p class="note">Every row read from a file is in the warehouse, rejected with its reasons, or dropped as an exact copy of another row of the same file. '
    + 'A source is the source profile a file was cleaned with; "(no profile)" files use the contract\'s own column names.</p>'
    + `<ul id="data-quality-summary">${dataQualitySummary(results).map((sentence) => `<li>${escapeXml(sentence)}</li>`).join('')}</ul>`
    + `<h3>By source</h3>${sourcesTable(results)}`
    + `<h3>Why rows and files were left out</h3>${reasonsTables(results)}`
    + dataQualityCharts(results).map(chartFigure).join('')
    + `<h3>Runs</h3>${runsTable(results)}`
    + '<p class="note">The same figures, with every run, reason and example in full: data_quality_sources.csv, data_quality_reasons.csv, '
    + 'data_quality_runs.csv and data_quality_over_time.csv beside this page.</p></section>';
}
