/**
 * Replay benchmark: what reading a loan costs as its history grows. Every write and every payoff quote replays the
 * loan's events (a collection: one replay, its quote's, which the write continues); the collections benchmark's
 * loans take dozens of payments in a run. Prints the median time of the product's `replayDuring` (the stored
 * events as the read returns them, converted, then replayed through the business date) for a loan with N payments
 * on one day, and against it the baseline measured in the same process: the engine's `replay` of the same events
 * already in the engine's form (what the conversion and the continuation add).
 *
 *   npx tsx bench/lending/replay.ts [--payments 0,10,60,360] [--runs 2000]
 */
import { parseArgs } from 'node:util';
import type { CalendarDate } from '../../src/kernel/dates.js';
import { type LoanEvent, replay } from '../../src/modules/lending/domain/installment/index.js';
import { parseProgramTerms, resolveLoanTerms } from '../../src/modules/lending/domain/installment/resolve.js';
import type { StoredEvent } from '../../src/modules/lending/product.js';
import { installmentServicing } from '../../src/modules/lending/providers/installment_loan/servicing.js';
import { fmt, header, summarize } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    payments: { type: 'string', default: '0,10,60,360' },
    runs: { type: 'string', default: '2000' },
  },
});
const RUNS = Number(values.runs);

// The collections benchmark's program and loan (bench/payments/setup.ts): 100,000.00 at 12 % over 12 months.
const program = parseProgramTerms({
  currency: 'USD',
  annual_interest_rate: { min: '0', max: '36', default: '12' },
  term_count: { min: 1, max: 360, default: 12 },
  principal: { min: 100, max: 100_000_000 },
});
if (!program.ok) throw new Error(JSON.stringify(program.error));
const day = '2024-01-15' as CalendarDate;
const terms = resolveLoanTerms(program.value, { principal: 10_000_000, disbursement_date: day });
if (!terms.ok) throw new Error(JSON.stringify(terms.error));
// As stored and read back: JSON.
const snapshot = JSON.parse(JSON.stringify(terms.value));

/** The loan's events as the read returns them: approved, disbursed, then `n` payments of 1.00 on the same day. */
function storedEvents(n: number): StoredEvent[] {
  const events = [
    { id: crypto.randomUUID(), sequence: 1, type: 'approve', effectiveDate: day, payload: {} },
    { id: crypto.randomUUID(), sequence: 2, type: 'disburse', effectiveDate: day, payload: {} },
    ...Array.from({ length: n }, (_, k) => ({
      id: crypto.randomUUID(),
      sequence: k + 3,
      type: 'payment',
      effectiveDate: day,
      payload: { amount: 100 },
    })),
  ];
  return JSON.parse(JSON.stringify(events));
}

function timed(f: () => unknown): number {
  for (let k = 0; k < Math.min(300, RUNS); k++) f();
  const ms: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return summarize(ms).p50 * 1000;
}

header(`Replay of an installment loan with N payments, ${RUNS} runs each`);
for (const n of values.payments.split(',').map(Number)) {
  const stored = storedEvents(n);
  const engine = stored.map((e) => ({ ...e.payload, ...e }) as unknown as LoanEvent);
  const check = installmentServicing.replayDuring!(snapshot, stored, day);
  if (!check.ok) throw new Error(JSON.stringify(check.error));
  const product = timed(() => installmentServicing.replayDuring!(snapshot, stored, day));
  const baseline = timed(() => replay(terms.value, engine, day, { closeOfBusiness: false }));
  console.log(
    `${String(n).padStart(4)} payments: replayDuring p50 ${fmt(product, 1)} µs (${fmt(n > 0 ? product / (n + 2) : product, 2)} µs an event); the engine's replay of engine events ${fmt(baseline, 1)} µs; ratio ${fmt(product / baseline)}×`,
  );
}
