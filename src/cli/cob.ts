import { createContext } from '../context.js';
import { SYSTEM_ACTOR } from '../kernel/audit.js';
import { isCalendarDate } from '../kernel/dates.js';
import type { RunProgress } from '../modules/lending/index.js';

const line = (tenantId: string, run: RunProgress | undefined, loansPerSecond: number) =>
  run
    ? `tenant ${tenantId}: closing ${run.businessDate} (through ${run.throughDate}), batches ${run.batchesDone}/${run.batchesTotal}, loans ${run.loansDone.toLocaleString()}/${run.loansTotal.toLocaleString()}, ${Math.round(loansPerSecond).toLocaleString()} loans/s`
    : `tenant ${tenantId}: starting`;

/**
 * `plinth cob --date D [--tenant ID]`: closes every business day through D for each tenant (or one) and shows the
 * progress until the date is closed. The batches run on this process's workers and on any other process's
 * (PLINTH_WORKERS), all sharing the PostgreSQL-backed queue.
 */
export async function closeOfBusiness(opts: { date?: string; tenant?: string }): Promise<number> {
  if (!opts.date || !isCalendarDate(opts.date)) {
    console.error('plinth cob: --date YYYY-MM-DD is required');
    return 2;
  }
  const through = opts.date;
  const ctx = await createContext({ jobs: true });
  try {
    const tenants = opts.tenant ? [opts.tenant] : await ctx.closeOfBusiness.tenants();
    if (tenants.length === 0) console.log('no tenant has a business date yet: nothing to close');
    for (const tenantId of tenants) {
      const scope = { tenantId, actor: SYSTEM_ACTOR };
      const started = performance.now();
      const from = await ctx.businessDates.get(scope);
      await ctx.closeOfBusiness.request(scope, through);
      for (;;) {
        const businessDate = await ctx.businessDates.get(scope);
        const [run] = await ctx.closeOfBusiness.runs(scope, { to: through, limit: 1 });
        const closing = run && run.status !== 'completed' ? run : undefined;
        if (!closing && businessDate > through) break;
        if (closing?.error) console.error(`\n  batch error (retried): ${closing.error}`);
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `\r${line(tenantId, closing, (closing?.loansDone ?? 0) / Math.max(seconds, 0.001))}   `,
        );
        await new Promise((r) => setTimeout(r, 500));
      }
      const closed =
        from <= through ? await ctx.closeOfBusiness.runs(scope, { from, to: through, limit: 10_000 }) : [];
      const seconds = (performance.now() - started) / 1000;
      const loans = closed.reduce((n, r) => n + r.loansTotal, 0);
      process.stdout.write(
        `\rtenant ${tenantId}: closed through ${through}: ${closed.length} day(s), ${loans.toLocaleString()} loan-days in ${seconds.toFixed(1)} s (${Math.round(loans / Math.max(seconds, 0.001)).toLocaleString()} loans/s)\n`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
