import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan } from '../../../../../test/support/compliance/rules.js';
import type { RescissionFacts } from '../context.js';
import { rightOfRescission, rightOfRescissionConfig } from './right-of-rescission.js';

const config = rightOfRescissionConfig.parse({});
const homeSecured = (rescission?: RescissionFacts) =>
  loan({ securedByRealProperty: true, securedByPrincipalDwelling: true, rescission });
// Consummated, notice and disclosures delivered on Friday 2024-08-30, before the Labor Day weekend.
const friday: RescissionFacts = {
  consummationDate: d('2024-08-30'),
  noticeDelivered: d('2024-08-30'),
  materialDisclosuresDelivered: d('2024-08-30'),
};
const disburse = (on: string, l = homeSecured(friday), cfg = config) =>
  rightOfRescission.evaluate(
    at('disbursement', { borrower: borrower(), loan: l, disbursementDate: d(on) }),
    cfg,
    deps,
  );

describe('right_of_rescission', () => {
  it('waits 3 business days across a weekend and a federal holiday', () => {
    // Sat 08-31 (1), Sun, Mon 09-02 Labor Day, Tue 09-03 (2), Wed 09-04 (3): disburse Thursday 09-05.
    const early = disburse('2024-09-04');
    expect(early.outcome).toBe('block');
    expect(early.facts).toEqual({
      period_start: '2024-08-30',
      rescission_ends: '2024-09-04',
      earliest_disbursement: '2024-09-05',
    });
    expect(disburse('2024-09-05').outcome).toBe('pass');
  });

  it('starts from the last of consummation, notice and disclosures', () => {
    const lateNotice = homeSecured({ ...friday, noticeDelivered: d('2024-09-03') });
    // Wed 09-04 (1), Thu (2), Fri 09-06 (3).
    expect(disburse('2024-09-06', lateNotice).outcome).toBe('block');
    expect(disburse('2024-09-07', lateNotice).outcome).toBe('pass');
  });

  it('does not count the observed Friday of a Saturday holiday unless configured to', () => {
    // Wed 2026-07-01: Thu 07-02 (1), Fri 07-03 observed, Sat 07-04 holiday, Sun, Mon 07-06 (2), Tue 07-07 (3).
    const july = homeSecured({
      consummationDate: d('2026-07-01'),
      noticeDelivered: d('2026-07-01'),
      materialDisclosuresDelivered: d('2026-07-01'),
    });
    expect(disburse('2026-07-07', july).outcome).toBe('block');
    expect(disburse('2026-07-08', july).outcome).toBe('pass');
    const actual = rightOfRescissionConfig.parse({ holiday_observance: 'actual' });
    expect(disburse('2026-07-07', july, actual).outcome).toBe('pass');
  });

  it('blocks when the notice was not delivered or the borrower rescinded', () => {
    const noNotice = homeSecured({
      consummationDate: d('2024-08-30'),
      materialDisclosuresDelivered: d('2024-08-30'),
    });
    expect(disburse('2024-10-01', noNotice).outcome).toBe('block');
    expect(disburse('2024-10-01', homeSecured({ ...friday, rescinded: true })).outcome).toBe('block');
  });

  it('does not apply to unsecured or exempt credit', () => {
    expect(disburse('2024-08-30', loan()).outcome).toBe('pass');
    expect(disburse('2024-08-30', { ...homeSecured(friday), rescissionExempt: true }).outcome).toBe('pass');
  });
});
