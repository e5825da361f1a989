import { describe, expect, it } from 'vitest';
import { CHANNELS, checkContent, renderContent, TEMPLATE_KEYS } from '../definition.js';
import { BUILT_IN_TEMPLATES } from './index.js';

describe('built-in templates', () => {
  it.each(TEMPLATE_KEYS)('%s parses and renders every channel from its sample', (key) => {
    const t = BUILT_IN_TEMPLATES[key];
    expect(checkContent(t.content).ok).toBe(true);
    for (const channel of CHANNELS.filter((c) => t.content[c])) {
      const r = renderContent(key, t.content, channel, { ...t.sample });
      expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
    }
  });

  it('the adverse action notice carries the ECOA notice and, with a report, the FCRA disclosures', () => {
    const t = BUILT_IN_TEMPLATES.adverse_action_notice;
    const r = renderContent(t.key, t.content, 'letter', { ...t.sample });
    const body = r.ok && r.value.channel === 'letter' ? r.value.body : '';
    expect(body).toContain('Equal Credit Opportunity Act');
    expect(body).toContain('Debt-to-income ratio too high');
    expect(body).toContain('Federal Trade Commission');
    expect(body).toMatch(/60 days/);
    expect(body).toContain('588');
    const noReport = renderContent(t.key, t.content, 'letter', { ...t.sample, credit_report: null });
    const plain = noReport.ok && noReport.value.channel === 'letter' ? noReport.value.body : '';
    expect(plain).not.toContain('588');
  });

  it('a missing variable is a 422 naming it', () => {
    const t = BUILT_IN_TEMPLATES.payment_receipt;
    const { payment: _, ...rest } = t.sample as Record<string, unknown>;
    const r = renderContent(t.key, t.content, 'email', rest);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('unprocessable');
      expect(r.error.fields!.every((f) => f.path.startsWith('variables.payment.'))).toBe(true);
    }
  });
});
