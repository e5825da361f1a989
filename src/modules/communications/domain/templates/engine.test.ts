import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, MissingVariables, parse, render, TemplateSyntaxError } from './engine.js';

const r = (src: string, vars: Record<string, unknown>, html = false) => render(parse(src), vars, { html });

describe('template engine', () => {
  it('renders values, filters, sections over lists and flags, and inverted sections', () => {
    const vars = {
      currency: 'USD',
      customer: { name: 'Ada' },
      amount: 123_456,
      due: '2026-03-05',
      reasons: ['Income too low', 'Too many inquiries'],
      report: null,
    };
    expect(r('Hi {{ customer.name | upper }}, {{amount | money}} due {{due | date}}.', vars)).toBe(
      'Hi ADA, $1,234.56 due March 5, 2026.',
    );
    expect(r('{{#reasons}}- {{.}}\n{{/reasons}}', vars)).toBe('- Income too low\n- Too many inquiries\n');
    expect(r('{{^report}}no report{{/report}}{{#report}}x{{/report}}', vars)).toBe('no report');
  });

  it('escapes values in HTML bodies and allows no raw output', () => {
    expect(r('<p>{{name}}</p>', { name: '<script>"x"</script>' }, true)).toBe(
      '<p>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</p>',
    );
    expect(() => parse('{{{name}}}')).toThrow(TemplateSyntaxError);
    expect(() => parse('{{> partial}}')).toThrow(/not supported/);
    expect(() => parse('{{name | eval}}')).toThrow(/unknown filter/);
    expect(() => parse('{{constructor.constructor}}x')).not.toThrow();
    // Only own properties are read: nothing reaches the prototype chain.
    expect(() => r('{{constructor.name}}', {})).toThrow(MissingVariables);
  });

  it('names every absent variable; null renders as nothing', () => {
    try {
      r('{{a}} {{b.c}} {{#list}}{{d}}{{/list}} {{n}}', { list: [{}], n: null });
      expect.fail('expected MissingVariables');
    } catch (e) {
      expect((e as MissingVariables).names).toEqual(['a', 'b.c', 'd']);
    }
  });

  it('reports syntax errors with their offset', () => {
    expect(() => parse('ok {{#a}} no close')).toThrow(/is not closed/);
    expect(() => parse('{{/a}}')).toThrow(/closes no section/);
    expect(() => parse('x {{a')).toThrow(expect.objectContaining({ at: 2 }));
  });

  it('formats money exactly from minor units, whatever the size', () => {
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(-43_817, 'USD')).toBe('-$438.17');
    expect(formatMoney('900719925474099312', 'USD')).toBe('$9,007,199,254,740,993.12');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect(formatDate('2026-12-31T23:00:00Z')).toBe('December 31, 2026');
  });
});
