/**
 * A US Social Security Number as a customer's tax id: nine digits, written with or without the dashes. The SSA
 * never issues area 000, 666 or 900–999 (the 9xx range is ITINs and advertising numbers), group 00 or serial 0000,
 * so those are refused; so are the numbers the SSA has said are invalid because they were published
 * (078-05-1120 from a wallet insert, 219-09-9999 from a 1940 pamphlet; the 987-65-4320…4329 advertising block
 * is already refused as 9xx).
 */
const FORMAT = /^(\d{3})-?(\d{2})-?(\d{4})$/;
const PUBLISHED = new Set(['078051120', '219099999']);

export type TaxIdCheck = { ok: true; digits: string } | { ok: false; message: string };

export function checkTaxId(input: string): TaxIdCheck {
  const m = FORMAT.exec(input.trim());
  if (!m) return { ok: false, message: 'must be nine digits, e.g. 123-45-6789' };
  const [, area, group, serial] = m as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || area.startsWith('9'))
    return { ok: false, message: 'is not a valid SSN: area 000, 666 and 900-999 are never issued' };
  if (group === '00') return { ok: false, message: 'is not a valid SSN: group 00 is never issued' };
  if (serial === '0000') return { ok: false, message: 'is not a valid SSN: serial 0000 is never issued' };
  const digits = `${area}${group}${serial}`;
  if (PUBLISHED.has(digits)) return { ok: false, message: 'is not a valid SSN: a published, voided number' };
  return { ok: true, digits };
}

/** The masked form responses carry: the last four digits only. */
export const maskTaxId = (last4: string): string => `***-**-${last4}`;
