import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GenerateArgumentError, parseGenerateArguments } from '../generator/generate-arguments.js';
import { generateSales } from '../generator/generate-sales.js';

/** `npm run generate`: a dirty sales CSV and its ground truth, with progress on stderr. */
function main(): void {
  const options = parseGenerateArguments(process.argv.slice(2));
  mkdirSync(dirname(options.out), { recursive: true });
  const number = (value: number): string => Math.round(value).toLocaleString('en-US');
  const started = Date.now();
  let lastReport = started;
  const result = generateSales({
    ...options,
    onProgress: (written) => {
      const now = Date.now();
      if (now - lastReport < 1000) return;
      lastReport = now;
      const rate = written / ((now - started) / 1000);
      process.stderr.write(`generate: ${number(written)} / ${number(options.rows)} rows, ${number(rate)} rows/s, ETA ${Math.ceil((options.rows - written) / rate)} s\n`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const { counts } = result;
  console.log(`generate: wrote ${result.csvPath}: ${number(counts.rows_read)} rows in ${seconds.toFixed(1)} s (${number(counts.rows_read / seconds)} rows/s)`);
  console.log(`generate: expected clean ${number(counts.rows_clean)}, rejected ${number(counts.rows_rejected)}, duplicates dropped ${number(counts.duplicates_dropped)}, blank lines ${number(counts.blank_lines)}`);
  console.log(`generate: ground truth in ${result.truthPath}`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof GenerateArgumentError)) throw error;
  console.error(`generate: ${error.message}`);
  process.exitCode = 2;
}
