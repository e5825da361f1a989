/**
 * Payee names as banks write them vary from one posting to the next ("AMAZON.COM*2K4L", "AMAZON.COM*7Q1B";
 * "SHELL OIL 57442"; "POS DEBIT SHELL OIL 57443"). These reduce a description to something comparable: upper
 * case, without card-network prefixes, reference numbers, store numbers and punctuation.
 */

const PREFIXES =
  /^(?:(?:POS|ACH|DEBIT|CREDIT|CARD|PURCHASE|RECURRING|CHECKCARD|VISA|MC|PPD|WEB|ONLINE|PAYMENT TO|PMT)\s+)+/;

export function normalizePayee(description: string): string {
  return (
    description
      .toUpperCase()
      // Square, Toast, PayPal and similar processor prefixes: "SQ *BLUE BOTTLE", "TST* CAFE"
      .replace(/^(?:SQ|TST|PP|PAYPAL|SP)\s*\*\s*/, '')
      // Whatever follows a `*` is a per-transaction reference ("AMAZON.COM*2K4L").
      .replace(/\*\S*/g, ' ')
      .replace(/[^A-Z&' ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(PREFIXES, '')
      .trim()
  );
}

/** The first word of at least three letters: the merchant, in most bank descriptions. Empty when there is none. */
export function merchantKey(description: string): string {
  return (
    normalizePayee(description)
      .split(' ')
      .find((w) => w.replace(/[^A-Z]/g, '').length >= 3) ?? ''
  );
}
