import { describe, expect, it } from 'vitest';
import { failure } from '../../../../kernel/result.js';
import { scheduleFailure } from './program.js';

describe('scheduleFailure', () => {
  it('names the request fields the schedule came from, never the disclosure’s own flows', () => {
    const cause = failure('unprocessable', 'validation_failed', 'invalid APR schedule', {
      fields: [
        { path: 'payments.3.amount', message: 'must be an integer amount in minor units of at least 0' },
      ],
    });
    const request = { principal: 100_000, term_count: 12, disbursement_date: '2024-01-15', note: 'x' };
    const mapped = scheduleFailure(cause, request);
    expect(mapped.code).toBe('validation_failed');
    expect(mapped.fields?.map((f) => f.path)).toEqual(['principal', 'term_count', 'disbursement_date']);
    expect(mapped.message).toContain('payments.3.amount');
  });
});
