import { describe, expect, it } from 'vitest';
import { merchantKey, normalizePayee } from './payees.js';

describe('payee names', () => {
  it('drop references, store numbers, processor and card prefixes', () => {
    expect(normalizePayee('AMAZON.COM*2K4L')).toBe('AMAZON COM');
    expect(normalizePayee('AMAZON.COM*7Q1B')).toBe(normalizePayee('AMAZON.COM*2K4L'));
    expect(normalizePayee('SQ *BLUE BOTTLE')).toBe('BLUE BOTTLE');
    expect(normalizePayee('POS DEBIT SHELL OIL 57443')).toBe('SHELL OIL');
    expect(normalizePayee("TRADER JOE'S #552")).toBe("TRADER JOE'S");
  });

  it('a merchant key is the first real word', () => {
    expect(merchantKey('SHELL OIL 57442')).toBe('SHELL');
    expect(merchantKey('#1234 99')).toBe('');
  });
});
