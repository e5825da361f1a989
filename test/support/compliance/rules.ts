// Builders for the compliance rules' tests (outside src/, so the module boundary rules do not apply to the
// test-only import of lending's computeApr). Lending's computeApr is the real Appendix J arithmetic the wiring passes in.
import { readFileSync } from 'node:fs';
import { addMonths, type CalendarDate, parseDate } from '../../../src/kernel/dates.js';
import type {
  BorrowerFacts,
  ComplianceContext,
  HookContexts,
  LoanFacts,
  ScheduledPayment,
} from '../../../src/modules/compliance/domain/context.js';
import type { AprCalculator } from '../../../src/modules/compliance/domain/lending-port.js';
import { parseSdnFiles, type SdnList } from '../../../src/modules/compliance/domain/ofac/sdn-file.js';
import type { RuleDeps } from '../../../src/modules/compliance/domain/rule.js';
import { computeApr } from '../../../src/modules/lending/domain/apr/index.js';

// Compile-time check that lending's function fits the port.
export const lendingApr: AprCalculator = computeApr;

export const deps: RuleDeps = { apr: lendingApr };

export const d = parseDate;

/** `count` monthly payments of `amount` from one month after `start` (the last one `last` if given). */
export function monthly(
  start: CalendarDate,
  count: number,
  amount: number,
  last?: number,
): ScheduledPayment[] {
  return Array.from({ length: count }, (_, k) => ({
    amount: k === count - 1 && last !== undefined ? last : amount,
    date: addMonths(start, k + 1),
  }));
}

export function loan(overrides: Partial<LoanFacts> = {}): LoanFacts {
  return {
    product: 'installment_loan',
    creditType: 'closed_end',
    currency: 'USD',
    principal: 100_000,
    annualRatePercent: '36',
    consummationDate: d('2024-01-15'),
    upfrontCharges: [],
    schedule: monthly(d('2024-01-15'), 12, 10_046),
    securedByRealProperty: false,
    securedByPrincipalDwelling: false,
    rescissionExempt: false,
    hasPrepaymentPenalty: false,
    hasMandatoryArbitration: false,
    ...overrides,
  };
}

export function borrower(overrides: Partial<BorrowerFacts> = {}): BorrowerFacts {
  return {
    name: { full: 'Jane Q Borrower' },
    state: 'TX',
    timeZones: ['America/Chicago'],
    ...overrides,
  };
}

const NOW = new Date('2024-06-01T15:00:00Z');

/** A context at `hook` with the given facts, on business date `asOf` (default 2024-06-01). */
export function at<H extends keyof HookContexts>(
  hook: H,
  facts: HookContexts[H],
  asOf: CalendarDate = d('2024-06-01'),
): ComplianceContext {
  return { hook, asOf, now: NOW, ...facts } as ComplianceContext;
}

/** A file of the sample SDN list shipped for tests (ofac/sample/). */
export const sample = (file: 'sdn.csv' | 'alt.csv'): string =>
  readFileSync(
    new URL(`../../../src/modules/compliance/domain/ofac/sample/${file}`, import.meta.url),
    'utf8',
  );

export function sampleList(): SdnList {
  const parsed = parseSdnFiles({ sdn: sample('sdn.csv'), alt: sample('alt.csv') });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}
