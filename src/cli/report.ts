import { copyFile } from 'node:fs/promises';
import { createContext } from '../context.js';
import { SYSTEM_ACTOR } from '../kernel/audit.js';
import { REPORT_FORMATS, type ReportFormat } from '../modules/reporting/index.js';

/**
 * `plinth report KEY --tenant ID [--format csv|jsonl|xlsx] [--params JSON] [--out FILE]`: runs one report for a
 * tenant, showing its progress (rows written, rows per second) until it is stored, then copies the output to
 * FILE (or prints where it is stored) and prints the summary. Bad parameters are reported as the API would.
 */
export async function reportCommand(
  key: string | undefined,
  opts: { tenant?: string; format?: string; params?: string; out?: string },
): Promise<number> {
  if (!key || !opts.tenant) {
    console.error('plinth report: KEY and --tenant ID are required (plinth report loan_tape --tenant ID)');
    return 2;
  }
  const format = (opts.format ?? 'csv') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    console.error(`plinth report: --format must be one of ${REPORT_FORMATS.join(', ')}`);
    return 2;
  }
  let params: Record<string, unknown> = {};
  try {
    params = opts.params ? (JSON.parse(opts.params) as Record<string, unknown>) : {};
  } catch {
    console.error(
      'plinth report: --params must be a JSON object, e.g. \'{"from":"2024-01-01","to":"2024-01-31"}\'',
    );
    return 2;
  }
  const ctx = await createContext();
  try {
    const reports = ctx.reporting.reports;
    const scope = { tenantId: opts.tenant, actor: SYSTEM_ACTOR };
    const started = await reports.start(scope, key, { format, params });
    if (!started.ok) {
      const fields = started.error.fields?.map((f) => `\n  ${f.path}: ${f.message}`).join('') ?? '';
      console.error(`plinth report: ${started.error.message}${fields}`);
      return started.error.kind === 'not_found' ? 2 : 1;
    }
    const t0 = performance.now();
    for (;;) {
      const found = await reports.get(scope, started.value.id);
      if (!found.ok) throw new Error('the run disappeared');
      const run = found.value;
      const seconds = (performance.now() - t0) / 1000;
      const rate = Math.round(run.rowsWritten / Math.max(seconds, 0.001)).toLocaleString();
      process.stderr.write(
        `\r${key}: ${run.status}, ${run.rowsWritten.toLocaleString()} rows, ${rate} rows/s   `,
      );
      if (run.status === 'failed') {
        console.error(`\nplinth report: the run failed: ${run.error}`);
        return 1;
      }
      if (run.status === 'succeeded') {
        process.stderr.write('\n');
        if (opts.out) await copyFile(run.location!, opts.out);
        console.log(`stored: ${opts.out ?? run.location} (${run.bytes} bytes)`);
        for (const f of run.summary?.figures ?? []) console.log(`${f.label}: ${f.value}`);
        return 0;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await ctx.close();
  }
}
