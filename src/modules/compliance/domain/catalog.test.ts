import { describe, expect, it } from 'vitest';
import { at, borrower, d, deps, loan, monthly } from '../../../../test/support/compliance/rules.js';
import { BUILT_IN_RULES } from './catalog.js';
import { HOOK_POINTS } from './context.js';
import { configureRule, evaluateRules, RULE_KEYS, worstOutcome } from './rule.js';

describe('the built-in rules', () => {
  it('are the 10 of issue 13, each complete and configurable with defaults alone', () => {
    expect(BUILT_IN_RULES.map((r) => r.key)).toEqual([...RULE_KEYS]);
    for (const rule of BUILT_IN_RULES) {
      expect(rule.displayName.length).toBeGreaterThan(0);
      expect(rule.citation.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.hooks.length).toBeGreaterThan(0);
      for (const hook of rule.hooks) expect(HOOK_POINTS).toContain(hook);
      expect(configureRule(rule, {}).ok).toBe(true);
      expect(configureRule(rule, undefined).ok).toBe(true);
    }
  });

  it('reject unknown config fields, naming them', () => {
    for (const rule of BUILT_IN_RULES) {
      const configured = configureRule(rule, { no_such_field: 1 });
      expect(configured.ok).toBe(false);
      if (!configured.ok) {
        expect(configured.error.code).toBe('invalid_rule_config');
        expect(configured.error.fields).toEqual([{ path: 'config.no_such_field', message: 'unknown field' }]);
      }
    }
  });

  it('evaluate together at a hook: only the rules listening there, the worst outcome wins', () => {
    const configured = BUILT_IN_RULES.map((r) => {
      const c = configureRule(
        r,
        r.key === 'state_rate_cap' ? { caps: [{ state: 'TX', max_rate_percent: '36' }] } : {},
      );
      if (!c.ok) throw new Error(c.error.message);
      return c.value;
    });
    const covered = borrower({ military: { mlaCovered: true, activeDuty: [{ start: d('2023-01-01') }] } });
    const ctx = at('approval', {
      borrower: covered,
      loan: loan({ schedule: monthly(d('2024-01-15'), 12, 10_047) }),
      underwriting: { statedMonthlyIncome: 500_000 },
    });
    const summary = evaluateRules(configured, ctx, deps);
    expect(summary.results.map((r) => [r.rule, r.outcome])).toEqual([
      ['state_rate_cap', 'block'],
      ['military_lending_act', 'block'],
      ['tila_apr_disclosure', 'warn'],
      ['ability_to_repay', 'pass'],
    ]);
    expect(summary.outcome).toBe('block');
    expect(worstOutcome(['pass', 'warn'])).toBe('warn');
    expect(worstOutcome([])).toBe('pass');
  });
});
