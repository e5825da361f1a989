import { createContext } from '../context.js';
import { SYSTEM_ACTOR } from '../kernel/audit.js';
import { type CalendarDate, daysBetween, isCalendarDate } from '../kernel/dates.js';
import type { RunProgress } from '../modules/lending/index.js';

interface Progress {
  tenantId: string;
  through: CalendarDate;
  days: number;
  /** Runs of this request, newest first. */
  runs: RunProgress[];
  seconds: number;
}

function line(p: Progress): string {
  const done = p.runs.filter((r) => r.status === 'completed');
  const current = p.runs.find((r) => r.status !== 'completed');
  const loans = p.runs.reduce((n, r) => n + (r.status === 'completed' ? r.loansTotal : r.loansDone), 0);
  const rate = Math.round(loans / Math.max(p.seconds, 0.001)).toLocaleString();
  const day = current
    ? `closing ${current.businessDate}: batches ${current.batchesDone}/${current.batchesTotal}, loans ${current.loansDone.toLocaleString()}/${current.loansTotal.toLocaleString()}`
    : 'between days';
  return `tenant ${p.tenantId}: day ${done.length}/${p.days} through ${p.through}, ${day}; ${rate} loans/s`;
}

/**
 * `plinth cob --date D [--tenant ID]`: closes every business day through D for each tenant (or one) and shows the
 * progress (days, batches done of the day, loans per second) until the date is closed. The batches run on this
 * process's workers and on any other process's (PLINTH_WORKERS), all sharing the PostgreSQL-backed queue.
 */
export async function closeOfBusiness(opts: { date?: string; tenant?: string }): Promise<number> {
  if (!opts.date || !isCalendarDate(opts.date)) {
    console.error('plinth cob: --date YYYY-MM-DD is required');
    return 2;
  }
  const through = opts.date;
  const ctx = await createContext({ jobs: true });
  let failures = 0;
  try {
    await ctx.startWorkers();
    const tenants = opts.tenant ? [opts.tenant] : await ctx.lending.closeOfBusiness.tenants();
    if (tenants.length === 0) console.log('no tenant has a business date yet: nothing to close');
    for (const tenantId of tenants) {
      const scope = { tenantId, actor: SYSTEM_ACTOR };
      const started = performance.now();
      const from = await ctx.lending.businessDates.get(scope);
      if (from > through) {
        console.log(`tenant ${tenantId}: ${through} is already closed (business date ${from})`);
        continue;
      }
      const requested = await ctx.lending.closeOfBusiness.request(scope, through);
      if (!requested.ok) {
        console.error(`tenant ${tenantId}: ${requested.error.message}`);
        failures++;
        continue;
      }
      const progress = async (): Promise<Progress> => ({
        tenantId,
        through,
        days: daysBetween(from, through) + 1,
        runs: await ctx.lending.closeOfBusiness.runs(scope, { from, to: through, limit: 10_000 }),
        seconds: (performance.now() - started) / 1000,
      });
      let p = await progress();
      while (p.runs.filter((r) => r.status === 'completed').length < p.days) {
        const failed = p.runs.find((r) => r.error);
        if (failed)
          console.error(`\n  ${failed.businessDate}: a batch failed and is retried: ${failed.error}`);
        process.stdout.write(`\r${line(p)}   `);
        await new Promise((r) => setTimeout(r, 500));
        p = await progress();
      }
      process.stdout.write(`\r${line(p)}   \n`);
    }
    return failures > 0 ? 1 : 0;
  } finally {
    await ctx.close();
  }
}
