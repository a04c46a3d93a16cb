import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryNames } from '../../report/analytics-queries.js';
import { generateReport, reportHtmlFile, reportPrefix, type GeneratedReport } from '../../report/generate-report.js';
import { insights } from '../../report/insights.js';
import { dataQualitySummary } from '../../report/data-quality-section.js';
import { explainReason } from '../../report/rejection-reasons.js';
import { exportFixtureRuns, warehouseRowsOf } from './export-fixture-runs.js';
import { generateTruth, startTruthWarehouse, type TruthWarehouse } from './truth-warehouse.js';
import { failOrSkip } from '../prerequisites.js';

const chromiumPath = '/usr/bin/chromium';
// Without the background-networking flags Chromium waits on services it cannot reach on a closed network.
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const missingChromium = `Chromium is missing at ${chromiumPath}: install the Debian package (apt-get install -y --no-install-recommends chromium; .ci/run does it)`;

interface PageVisit {
  consoleErrors: string[];
  requests: string[];
  failedRequests: string[];
  charts: { id: string; points: number; marks: number; visibleMarks: number; width: number; height: number; clippedTexts: string[] }[];
  summary: string[];
  dataQuality: { summary: string[]; tables: string[]; text: string };
  emptyNotice: string | null;
}

/** Opens a report page and reads what a person would see, with everything the page logged or fetched. */
async function visit(browser: Browser, file: string, screenshot: string): Promise<PageVisit> {
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  const visited: PageVisit = { consoleErrors: [], requests: [], failedRequests: [], charts: [], summary: [], dataQuality: { summary: [], tables: [], text: '' }, emptyNotice: null };
  page.on('console', (message) => { if (message.type() === 'error') visited.consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => visited.consoleErrors.push(error.message));
  page.on('request', (request) => visited.requests.push(request.url()));
  page.on('requestfailed', (request) => visited.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  visited.requests = visited.requests.filter((request) => request !== url);
  visited.charts = await page.locator('figure.chart').evaluateAll((figures) => figures.map((figure) => {
    const svg = figure.querySelector('svg')!.getBoundingClientRect();
    const marks = [...figure.querySelectorAll('svg .mark')];
    const clippedTexts = [...figure.querySelectorAll('svg text')].filter((label) => {
      const box = label.getBoundingClientRect();
      return box.left < svg.left - 0.5 || box.right > svg.right + 0.5 || box.top < svg.top - 0.5 || box.bottom > svg.bottom + 0.5;
    }).map((label) => label.textContent ?? '');
    return {
      id: figure.getAttribute('data-chart')!,
      points: Number(figure.getAttribute('data-points')),
      marks: marks.length,
      visibleMarks: marks.filter((mark) => { const box = mark.getBoundingClientRect(); return box.width > 0 && box.height > 0; }).length,
      width: svg.width,
      height: svg.height,
      clippedTexts,
    };
  }));
  visited.summary = await page.locator('#summary li').allTextContents();
  visited.dataQuality = {
    summary: await page.locator('#data-quality-summary li').allTextContents(),
    tables: await page.locator('#data-quality table').evaluateAll((tables) => tables.map((table) => table.id)),
    text: await page.locator('#data-quality').innerText(),
  };
  visited.emptyNotice = await page.locator('#empty-warehouse').count() > 0 ? await page.locator('#empty-warehouse').textContent() : null;
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, screenshot), fullPage: true });
  await page.close();
  return visited;
}

describe('npm run report end to end: Data API, CSV files in the bucket, the page in Chromium', () => {
  if (!existsSync(chromiumPath)) failOrSkip({ what: 'the report browser tests', missing: missingChromium });
  const describeWithChromium = existsSync(chromiumPath) ? describe : describe.skip;

  describeWithChromium('with Chromium', () => {
    let warehouse: TruthWarehouse;
    let browser: Browser;
    let outDir: string;
    let report: GeneratedReport;
    const bucket = 'sales-data-report-test';
    const generatedAt = new Date('2026-11-25T11:20:05Z');

    beforeAll(async () => {
      const { clean } = generateTruth({ rows: 6_000, seed: 29 });
      warehouse = await startTruthWarehouse({ withMoto: true });
      await warehouse.load(clean);
      // The export fixtures' runs as the loader leaves them, so the data-quality section has sources, reasons and examples.
      const { audit, rejected } = warehouseRowsOf(exportFixtureRuns());
      await warehouse.insert('load_audit', audit);
      await warehouse.insert('sales_rejected', rejected);
      await warehouse.harness.s3.send(new CreateBucketCommand({ Bucket: bucket }));
      outDir = mkdtempSync(join(tmpdir(), 'report-out-'));
      report = await generateReport({
        warehouse: warehouse.redshift, outDir, source: 'stage test, emulator', generatedAt,
        upload: { s3: warehouse.harness.s3, bucket, prefix: reportPrefix(generatedAt) },
      });
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    });
    afterAll(async () => {
      await browser?.close();
      await warehouse?.close();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    });

    it('writes one CSV per query and the page, and puts the same files under reports/<time>/ in the bucket', async () => {
      expect(report.files.map((file) => basename(file))).toEqual([...queryNames.map((name) => `${name}.csv`), reportHtmlFile]);
      for (const name of queryNames) {
        const lines = readFileSync(join(outDir, `${name}.csv`), 'utf8').split('\n');
        expect(lines[0], name).toBe(report.results[name].columns.join(','));
        expect(lines.length, name).toBeGreaterThanOrEqual(report.results[name].rows.length + 2);
      }
      const listed = await warehouse.harness.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/' }));
      const keys = (listed.Contents ?? []).map((object) => object.Key!).sort();
      expect(keys).toEqual(report.files.map((file) => `reports/2026-11-25T11-20-05Z/${basename(file)}`).sort());
      expect(report.uploaded).toEqual(report.files.map((file) => `s3://${bucket}/reports/2026-11-25T11-20-05Z/${basename(file)}`));
      for (const file of report.files) {
        const object = await warehouse.harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `reports/2026-11-25T11-20-05Z/${basename(file)}` }));
        expect(await object.Body!.transformToString(), basename(file)).toBe(readFileSync(file, 'utf8'));
      }
    });

    it('loads without console errors or requests and renders every chart with one mark per data point', async () => {
      const page = await visit(browser, join(outDir, reportHtmlFile), 'report.png');
      expect(page.consoleErrors).toEqual([]);
      expect(page.requests).toEqual([]);
      expect(page.failedRequests).toEqual([]);
      const { results } = report;
      const rows = (name: (typeof queryNames)[number]) => results[name].rows.length;
      const expectedMarks = {
        'monthly-revenue': rows('monthly_sales'),
        'monthly-orders': rows('monthly_sales'),
        'revenue-growth': results.monthly_sales.rows.filter((row) => row[4] !== null).length,
        'top-products-revenue': 10,
        'top-products-units': 10,
        'purchase-value-distribution': 11,
        'revenue-by-category': rows('revenue_by_category'),
        'revenue-by-country': rows('revenue_by_country'),
        'sales-channel-mix': rows('sales_channel_mix'),
        ...Object.fromEntries(exportFixtureRuns().map((run) => [`rejected-share-${run.truth.source}`, 1])),
      };
      expect(expectedMarks['monthly-revenue']).toBe(24);
      expect(Object.fromEntries(page.charts.map((chart) => [chart.id, chart.marks]))).toEqual(expectedMarks);
      for (const chart of page.charts) {
        expect(chart.points, chart.id).toBe(chart.marks);
        expect(chart.width, chart.id).toBeGreaterThan(300);
        expect(chart.height, chart.id).toBeGreaterThan(100);
        expect(chart.clippedTexts, `${chart.id}: labels cut at the chart's edge`).toEqual([]);
        // Only a band without customers may draw a zero-height bar.
        const emptyBands = chart.id === 'purchase-value-distribution' ? results.customer_purchase_value_distribution.rows.filter((row) => row[3] === 0).length : 0;
        expect(chart.visibleMarks, chart.id).toBe(chart.marks - emptyBands);
      }
      expect(page.summary).toEqual(insights(results));
      expect(page.summary.length).toBeGreaterThanOrEqual(7);
      expect(page.summary.join(' ')).toMatch(/Best month: \d{4}-\d{2}/);
      expect(page.emptyNotice).toBeNull();
    });

    it('shows what was left out and why, per source, without SQL: reasons in words, counts, examples and the runs', async () => {
      const page = await visit(browser, join(outDir, reportHtmlFile), 'report-data-quality.png');
      const runs = exportFixtureRuns();
      expect(page.dataQuality.summary).toEqual(dataQualitySummary(report.results));
      expect(page.dataQuality.summary[0]).toMatch(/^Of 215 rows read from 5 loaded files \(5 sources\), 189 \(87\.91%\) are in the warehouse, 24 \(11\.16%\) were rejected and 2 \(0\.93%\) dropped/);
      expect(page.dataQuality.tables).toEqual(['data-quality-sources', ...runs.map((run) => `reasons-${run.truth.source}`), 'data-quality-runs']);
      for (const run of runs) {
        for (const reason of Object.keys(run.truth.reasons)) expect(page.dataQuality.text, `${run.truth.source} ${reason}`).toContain(explainReason(reason));
      }
      expect(page.dataQuality.text).toContain('A-24-0106;1;31.02.2024;K10099;Ölmühle Hänsel;9300-01;Leinöl kaltgepresst 0,75 l');
      expect(page.dataQuality.text).toContain('536370,22726,ALARM CLOCK BAKELIKE GREEN,12,12/1/10 8:45,3.75,12583France');
      const csv = readFileSync(join(outDir, 'data_quality_reasons.csv'), 'utf8');
      expect(csv.split('\n')[0]).toBe('source,scope,reason,rejected,share_of_rows_read_pct,example_run_id,example_source_uri,example_source_line,example_raw_record');
      expect(csv).toContain('uk-online-retail,row,missing_required:customer_id,5,7.58,uk-online-retail-run,');
    });

    it('says so on an empty warehouse, without charts and without errors', async () => {
      await warehouse.empty();
      const emptyDir = join(outDir, 'empty');
      const empty = await generateReport({ warehouse: warehouse.redshift, outDir: emptyDir, source: 'stage test, emulator', generatedAt });
      expect(empty.empty).toBe(true);
      expect(empty.uploaded).toEqual([]);
      expect(readFileSync(join(emptyDir, 'monthly_sales.csv'), 'utf8')).toBe('month,orders,units,revenue,revenue_growth_pct\n');
      const page = await visit(browser, join(emptyDir, reportHtmlFile), 'report-empty.png');
      expect(page.consoleErrors).toEqual([]);
      expect(page.requests).toEqual([]);
      expect(page.charts).toEqual([]);
      expect(page.summary).toEqual([]);
      expect(page.emptyNotice).toContain('The warehouse has no sales yet');
      expect(page.dataQuality.text).toContain('No run is recorded in load_audit yet');
    });
  });
});
