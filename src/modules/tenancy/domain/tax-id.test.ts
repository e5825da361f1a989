import { describe, expect, it } from 'vitest';
import { checkTaxId, maskTaxId } from './tax-id.js';

describe('checkTaxId', () => {
  it('takes nine digits with or without dashes', () => {
    expect(checkTaxId('123-45-6789')).toEqual({ ok: true, digits: '123456789' });
    expect(checkTaxId('123456789')).toEqual({ ok: true, digits: '123456789' });
    expect(checkTaxId(' 665-01-0001 ')).toEqual({ ok: true, digits: '665010001' });
    expect(checkTaxId('899-99-9999')).toEqual({ ok: true, digits: '899999999' });
  });

  it.each([
    ['12345678', 'nine digits'],
    ['1234567890', 'nine digits'],
    ['123-456-789', 'nine digits'],
    ['12a-45-6789', 'nine digits'],
    ['000-12-3456', 'area'],
    ['666-12-3456', 'area'],
    ['900-12-3456', 'area'],
    ['987-65-4321', 'area'],
    ['999-99-9999', 'area'],
    ['123-00-4567', 'group 00'],
    ['123-45-0000', 'serial 0000'],
    ['078-05-1120', 'published'],
  ])('refuses %s (%s)', (input, reason) => {
    const r = checkTaxId(input);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(reason);
  });

  it('masks to the last four', () => {
    expect(maskTaxId('6789')).toBe('***-**-6789');
  });
});
