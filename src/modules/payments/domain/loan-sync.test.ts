import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LoanLink, nextLoanStep } from './loan-sync.js';
import type { MethodKind } from './processor.js';
import { loanShare, merge, type PaymentFacts, type Stage } from './states.js';

const facts = (kind: MethodKind, stage: Stage, captured: number, refunded = 0): PaymentFacts => ({
  kind,
  stage,
  amountAuthorized: captured,
  amountCaptured: captured,
  amountRefunded: refunded,
  dispute: null,
});

/** Runs the steps as the service does: each one changes the link as its loan write records it. */
function settle(f: PaymentFacts, link: LoanLink, fee: number): { link: LoanLink; steps: string[] } {
  const steps: string[] = [];
  for (let n = 0; n < 10; n++) {
    const step = nextLoanStep(f, link, fee);
    if (!step) return { link, steps };
    steps.push(step.step);
    if (step.step === 'apply') link = { ...link, applied: step.amount, eventId: `e${n}` };
    else if (step.step === 'reverse') link = { ...link, applied: 0, eventId: null };
    else link = { ...link, feeCharged: true };
  }
  throw new Error('the steps do not converge');
}

const none: LoanLink = { applied: 0, eventId: null, feeCharged: false };

describe('loan steps', () => {
  it('applies a capture, reverses and re-applies after a partial refund, reverses a full one', () => {
    const captured = settle(facts('card', 'captured', 5000), none, 0);
    expect(captured.steps).toEqual(['apply']);
    expect(captured.link.applied).toBe(5000);
    const partial = settle(facts('card', 'captured', 5000, 2000), captured.link, 0);
    expect(partial.steps).toEqual(['reverse', 'apply']);
    expect(partial.link.applied).toBe(3000);
    expect(settle(facts('card', 'captured', 5000, 5000), partial.link, 0).steps).toEqual(['reverse']);
  });

  it('charges the returned-payment fee once, after the reversal', () => {
    const applied = settle(facts('bank_account', 'processing', 9000), none, 1500).link;
    const returned = settle(facts('bank_account', 'returned', 9000), applied, 1500);
    expect(returned.steps).toEqual(['reverse', 'fee']);
    expect(settle(facts('bank_account', 'returned', 9000), returned.link, 1500).steps).toEqual([]);
    expect(settle(facts('bank_account', 'returned', 9000), applied, 0).steps).toEqual(['reverse']);
  });

  it('always ends with the loan holding the payment’s share, whatever the facts went through', () => {
    const stage = fc.constantFrom<Stage>(
      'pending',
      'authorized',
      'captured',
      'processing',
      'succeeded',
      'returned',
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ stage, captured: fc.nat(10_000), refunded: fc.nat(10_000) }), { maxLength: 8 }),
        (seen) => {
          let f = facts('bank_account', 'pending', 0);
          let link = none;
          for (const s of seen) {
            f = merge(f, {
              stage: s.stage,
              amountCaptured: s.captured,
              amountRefunded: Math.min(s.refunded, s.captured),
            });
            link = settle(f, link, 100).link;
            expect(link.applied).toBe(loanShare(f));
          }
        },
      ),
    );
  });
});
