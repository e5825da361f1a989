import type { Scope } from '../../../kernel/audit.js';
import { type CalendarDate, dateInZone } from '../../../kernel/dates.js';
import type { Minor } from '../../../kernel/money.js';
import { ok, type Result } from '../../../kernel/result.js';
import type { ComplianceGate, GateDecision } from '../../compliance/index.js';
import type { Program } from '../programs.js';
import { loanFacts, quoteStream } from './facts.js';

/**
 * Lending's side of the compliance gate for programs: a quote (ProgramService.quote) and a program's own terms
 * when it is created (a line of credit's late fee). Loans' hook points are LendingChecks (gate.ts).
 */
export class ProgramChecks {
  constructor(private readonly deps: { gate: ComplianceGate }) {}

  /** A quote, for the borrower it names if any (a prospect otherwise). */
  quote(
    scope: Scope,
    program: Program,
    quote: Record<string, unknown>,
    customerId: string | undefined,
  ): Promise<Result<GateDecision>> {
    const product = String(quote.product ?? program.programType);
    // An installment quote's stream counts only the fees that are finance charges; other products' rows as given.
    const stream =
      product === 'installment_loan'
        ? quoteStream(quote)
        : {
            schedule: (Array.isArray(quote.schedule)
              ? (quote.schedule as { total: Minor; due_date: CalendarDate }[])
              : []
            ).map((r) => ({ amount: r.total, date: r.due_date })),
          };
    return this.deps.gate.check(scope, {
      hook: 'quote',
      subject: { type: 'quote', id: null },
      programId: program.id,
      customerId,
      facts: {
        loan: loanFacts({
          product,
          terms: (quote.terms as Record<string, unknown>) ?? {},
          ...stream,
          disclosure: (quote.disclosure as Record<string, unknown>) ?? null,
        }),
      },
    });
  }

  /**
   * A line-of-credit program's late fee, checked against the open-end penalty-fee limits when the program is
   * created (they do not depend on the borrower's state). The fee never exceeds the minimum payment due: lending's
   * revolving engine caps it there (assessLateFee), so that limb is stated as met.
   */
  async programTerms(
    scope: Scope,
    program: { id: string; programType: string; terms: Record<string, unknown> },
  ): Promise<Result<GateDecision | null>> {
    const fee = program.terms.late_fee as {
      type: string;
      amount?: Minor;
      max?: Minor;
      grace_days?: number;
    } | null;
    if (program.programType !== 'line_of_credit' || !fee) return ok(null);
    const amount = fee.type === 'flat' ? fee.amount : fee.max;
    if (amount === undefined) return ok(null);
    const terms = program.terms;
    const rate = terms.annual_interest_rate as { max?: string } | undefined;
    return this.deps.gate.check(scope, {
      hook: 'fee_assessment',
      subject: { type: 'program', id: program.id },
      programId: null,
      facts: {
        loan: loanFacts({
          product: 'line_of_credit',
          terms: { currency: terms.currency, annual_interest_rate: rate?.max, credit_limit: 0 },
          schedule: [],
          disclosure: null,
        }),
        fee: {
          kind: 'late',
          amount,
          date: dateInZone(new Date(), 'UTC'),
          paymentDue: amount,
          daysLate: fee.grace_days ?? 0,
        },
      },
    });
  }
}
