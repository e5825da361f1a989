import { randomBytes } from 'node:crypto';
import { luhnValid } from '../shared/card-numbers.js';
import { AnetError, child, type Json, text } from './envelope.js';
import type { BankPayment, CardPayment, Party } from './store.js';

/**
 * Payment data as Authorize.Net reads it: card numbers (Luhn, brand, expiration), bank accounts (ABA routing
 * checksum), Accept.js nonces (`opaqueData`, single use, 15 minutes), and the sandbox's documented triggers:
 * ZIP codes for AVS results and decline, card codes for CVV results (developer.authorize.net testing guide).
 */
export const TEST_CARDS = {
  visa: '4111111111111111',
  visa2: '4007000000027',
  visa3: '4012888818888',
  mastercard: '5424000000000015',
  mastercard2: '2223000010309703',
  amex: '370000000000002',
  discover: '6011000000000012',
  jcb: '3088000000000017',
  dinersClub: '38000000000006',
  /** Legacy error-generation card: the dollar amount chooses the response reason code. */
  reasonByAmount: '4222222222222',
} as const;

/** ZIP codes (billTo.zip) and the AVS result code the sandbox returns for them. */
export const AVS_BY_ZIP: Record<string, string> = {
  '46201': 'A',
  '46203': 'E',
  '46204': 'G',
  '46205': 'N',
  '46206': 'P',
  '46207': 'R',
  '46208': 'S',
  '46209': 'U',
  '46211': 'W',
  '46214': 'X',
  '46217': 'Z',
};

/** The ZIP code that always gets a general bank decline (response code 2, reason 2). */
export const DECLINE_ZIP = '46282';

export const CVV_BY_CODE: Record<string, string> = {
  '900': 'M',
  '901': 'N',
  '902': 'S',
  '903': 'U',
  '904': 'P',
};

export function cardType(number: string): string {
  if (number.startsWith('4')) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'MasterCard';
  if (/^3[47]/.test(number)) return 'AmericanExpress';
  if (/^6(011|5)/.test(number)) return 'Discover';
  if (/^35/.test(number)) return 'JCB';
  if (/^3[068]/.test(number)) return 'DinersClub';
  return 'Visa';
}

/** Parses the formats the gateway takes (`YYYY-MM`, `MMYY`, `MM/YY`, `MMYYYY`, `MM-YYYY`) to `YYYY-MM`. */
export function parseExpiration(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}`;
  m = /^(\d{2})[/-]?(\d{2}|\d{4})$/.exec(s);
  if (!m) return null;
  const year = m[2]!.length === 2 ? `20${m[2]}` : m[2]!;
  return `${year}-${m[1]}`;
}

/** A card failure answered before any authorization: [reason code, field for reason 33]. */
export type CardProblem = [number, string?];

export function readCard(card: Json, now: Date): CardPayment | CardProblem {
  const number = text(card.cardNumber)?.replaceAll(' ', '');
  if (!number) return [33, 'Credit card number'];
  if (!/^\d{13,16}$/.test(number) || !luhnValid(number)) return [6];
  const rawExp = text(card.expirationDate);
  if (!rawExp) return [33, 'Credit card expiration date'];
  const expiration = parseExpiration(rawExp);
  if (!expiration || Number(expiration.slice(5)) < 1 || Number(expiration.slice(5)) > 12) return [7];
  const thisMonth = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  if (expiration < thisMonth) return [8];
  return { kind: 'card', number, expiration, cardType: cardType(number) };
}

function abaValid(routing: string): boolean {
  if (!/^\d{9}$/.test(routing)) return false;
  const d = [...routing].map(Number);
  return (3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!)) % 10 === 0;
}

export function readBankAccount(bank: Json): BankPayment | CardProblem {
  const routingNumber = text(bank.routingNumber) ?? '';
  const accountNumber = text(bank.accountNumber) ?? '';
  if (!abaValid(routingNumber)) return [9];
  if (!/^\d{4,17}$/.test(accountNumber)) return [10];
  const nameOnAccount = text(bank.nameOnAccount);
  if (!nameOnAccount) return [33, 'Name on account'];
  return {
    kind: 'bank',
    routingNumber,
    accountNumber,
    nameOnAccount,
    accountType: text(bank.accountType) ?? 'checking',
    echeckType: text(bank.echeckType) ?? 'WEB',
  };
}

export function readParty(v: unknown): Party | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Json;
  const keys = ['firstName', 'lastName', 'company', 'address', 'city', 'state', 'zip', 'country'] as const;
  return Object.fromEntries(keys.filter((k) => text(o[k]) !== undefined).map((k) => [k, text(o[k])!]));
}

/** Accept.js payment nonces: what `securePaymentContainerRequest` hands out and `opaqueData` redeems once. */
export class NonceVault {
  private readonly nonces = new Map<string, { card: Json; expires: number }>();

  issue(card: Json, now = Date.now()): { dataDescriptor: string; dataValue: string } {
    const dataValue = `eyJjb2RlIjoiNTBfMl8wNjAw${randomBytes(24).toString('base64url')}`;
    this.nonces.set(dataValue, { card, expires: now + 15 * 60_000 });
    return { dataDescriptor: 'COMMON.ACCEPT.INAPP.PAYMENT', dataValue };
  }

  redeem(opaque: Json, now = Date.now()): Json {
    const value = text(opaque.dataValue) ?? '';
    const entry = this.nonces.get(value);
    this.nonces.delete(value);
    if (text(opaque.dataDescriptor) !== 'COMMON.ACCEPT.INAPP.PAYMENT' || !entry || entry.expires < now)
      throw new AnetError('E00114', 'Invalid OTS Token.');
    return entry.card;
  }
}

export const authCode = (): string =>
  [...randomBytes(6)].map((b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'[b % 34]).join('');

export const readPaymentElement = (
  payment: Json | undefined,
): { card?: Json; bank?: Json; opaque?: Json } => ({
  card: payment ? child(payment, 'creditCard') : undefined,
  bank: payment ? child(payment, 'bankAccount') : undefined,
  opaque: payment ? child(payment, 'opaqueData') : undefined,
});
