import type { CalendarDate } from '../../../../kernel/dates.js';
import type { Minor } from '../../../../kernel/money.js';
import { END, LEAF, type Reader } from './reader.js';
import { amountToMinor, currencyCode, decimalText, ofxDate, ofxInstant } from './values.js';

/** Leaf readers for the builders: each converts the current LEAF or fails naming it and its line. */

export function leafDate(r: Reader): CalendarDate {
  return ofxDate(r.value) ?? r.fail(`bad date "${r.value}"`);
}

export function leafInstant(r: Reader): string {
  return ofxInstant(r.value) ?? r.fail(`bad date "${r.value}"`);
}

export function leafDecimal(r: Reader): string {
  return decimalText(r.value) ?? r.fail(`bad number "${r.value}"`);
}

export function leafCurrency(r: Reader): string {
  return currencyCode(r.value) ?? r.fail(`unknown currency "${r.value}"`);
}

/** An amount read earlier (its currency may only be known at the end of the aggregate). */
export function toMinor(r: Reader, text: string, currency: string, element: string, at: number): Minor {
  return amountToMinor(text, currency) ?? r.fail(`bad amount "${text}"`, element, at);
}

/*
 * Optional values: a blank one (`<BALAMT> </BALAMT>`, an SGML `<UNITPRICE>` with no text; the reader has trimmed it
 * to '') says nothing, exactly like an absent element, so it is unknown (null) rather than malformed.
 */

export function optionalDecimal(r: Reader): string | null {
  return r.value === '' ? null : leafDecimal(r);
}

export function optionalMinor(
  r: Reader,
  text: string,
  currency: string,
  element: string,
  at: number,
): Minor | null {
  return text === '' ? null : toMinor(r, text, currency, element, at);
}

/** Fails for a required element missing from an aggregate that has just ended (or is still open). */
export function missing(
  r: Reader,
  element: string,
  container: string,
  openedAt: number,
  open: boolean,
): never {
  const path = open ? r.path() : r.path() ? `${r.path()}/${container}` : container;
  return r.fail(`<${container}> has no <${element}>`, element, openedAt, path);
}

/** Reads CURSYM inside CURRENCY or ORIGCURRENCY (START just returned). */
export function readCurSym(r: Reader): string | null {
  let code: string | null = null;
  const depth = r.depth;
  for (;;) {
    const t = r.next();
    if (t === LEAF && r.name === 'CURSYM' && r.depth === depth) code = leafCurrency(r);
    else if (t === END && r.depth === depth - 1) return code;
  }
}
