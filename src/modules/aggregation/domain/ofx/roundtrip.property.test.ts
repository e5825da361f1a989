import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  BankStatementSpec,
  DocumentSpec,
  TransactionSpec,
  WriteOptions,
} from '../../../../../sandbox/bank-files/write-ofx.js';
import { writeOfx } from '../../../../../sandbox/bank-files/write-ofx.js';
import { daysInMonth, fromParts } from '../../../../kernel/dates.js';
import { currencyExponent } from '../../../../kernel/money.js';
import { parseOfx } from './index.js';

/**
 * Random statements are written as SGML and XML in several spellings, parsed back, and compared with what was
 * generated. The expected values are computed from the generated integers, not from the parser's own helpers.
 */

interface Expected {
  fitId: string;
  date: string;
  amount: number;
  currency: string;
  description: string;
  memo: string | null;
}

const ZONES = ['', '[0:GMT]', '[-5:EST]', '[-3.30:NST]', '[+5.30:IST]', '[+14:LINT]', '[-12]', '[+5.5:IST]'];
const TYPES = ['CREDIT', 'DEBIT', 'INT', 'FEE', 'POS', 'ATM', 'CHECK', 'XFER', 'DIRECTDEP', 'OTHER'];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD'];

const dateArb = fc
  .record({
    year: fc.integer({ min: 1990, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    time: fc.option(
      fc.tuple(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
      ),
    ),
    millis: fc.boolean(),
    zone: fc.constantFrom(...ZONES),
  })
  .map(({ year, month, day, time, millis, zone }) => {
    const d = Math.min(day, daysInMonth(year, month));
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const clock = time ? `${pad(time[0])}${pad(time[1])}${pad(time[2])}${millis ? '.000' : ''}` : '';
    return {
      text: `${year}${pad(month)}${pad(d)}${clock}${time ? zone : ''}`,
      date: fromParts(year, month, d),
    };
  });

/** An amount in minor units and one of its many spellings in major units. */
const amountArb = (currency: string) =>
  fc
    .record({
      minor: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      plus: fc.boolean(),
      zeros: fc.integer({ min: 0, max: 3 }),
      comma: fc.boolean(),
      extraDecimals: fc.integer({ min: 0, max: 2 }),
    })
    .map(({ minor, plus, zeros, comma, extraDecimals }) => {
      const exp = currencyExponent(currency)!;
      const abs = String(Math.abs(minor)).padStart(exp + 1, '0');
      const whole = '0'.repeat(zeros) + abs.slice(0, abs.length - exp);
      const fraction = abs.slice(abs.length - exp) + '0'.repeat(extraDecimals);
      const sign = minor < 0 ? '-' : plus ? '+' : '';
      return { minor, text: `${sign}${whole}${fraction ? (comma ? ',' : '.') + fraction : ''}` };
    });

const textArb = fc
  .string({
    unit: fc.constantFrom('A', 'z', '9', ' ', '&', '<', '>', '"', "'", 'é', '’', '#', ';', ']', '-'),
    minLength: 1,
    maxLength: 24,
  })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

const transactionArb = (currency: string) =>
  fc
    .record({
      type: fc.constantFrom(...TYPES),
      date: dateArb,
      amount: amountArb(currency),
      fitId: fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/),
      name: fc.option(textArb),
      memo: fc.option(textArb),
    })
    .map(({ type, date, amount, fitId, name, memo }) => {
      const spec: TransactionSpec = { type, posted: date.text, amount: amount.text, fitId };
      if (name !== null) spec.name = name;
      if (memo !== null) spec.memo = memo;
      const expected: Expected = {
        fitId,
        date: date.date,
        amount: amount.minor,
        currency,
        description: name ?? memo ?? type,
        memo,
      };
      return { spec, expected };
    });

const statementArb = fc.constantFrom(...CURRENCIES).chain((currency) =>
  fc.record({
    kind: fc.constantFrom('bank' as const, 'card' as const),
    currency: fc.constant(currency),
    accountId: fc.stringMatching(/^[0-9]{4,16}$/),
    transactions: fc.array(transactionArb(currency), { maxLength: 12 }),
  }),
);

const documentArb = fc.array(statementArb, { minLength: 1, maxLength: 4 }).map((statements) => {
  const specs: BankStatementSpec[] = statements.map((s) => ({
    kind: s.kind,
    currency: s.currency,
    accountId: s.accountId,
    transactions: s.transactions.map((t) => t.spec),
  }));
  // The writer groups bank statements before card statements, as OFX message sets do.
  const ordered = [
    ...statements.filter((s) => s.kind === 'bank'),
    ...statements.filter((s) => s.kind === 'card'),
  ];
  const doc: DocumentSpec = { org: 'B&B <Bank>', fid: '1', statements: specs };
  return { doc, expected: ordered.map((s) => s.transactions.map((t) => t.expected)) };
});

const optionsArb: fc.Arbitrary<WriteOptions> = fc.oneof(
  fc.record({ dialect: fc.constant('sgml' as const), newline: fc.constantFrom('\n', '\r\n', '') }),
  fc.record({
    dialect: fc.constant('xml' as const),
    newline: fc.constantFrom('\n', ''),
    cdata: fc.boolean(),
  }),
);

describe('round trip', () => {
  it('parses back exactly the transactions that were written, in SGML and XML', () => {
    fc.assert(
      fc.property(documentArb, optionsArb, ({ doc, expected }, options) => {
        const result = parseOfx(writeOfx(doc, options));
        if (!result.ok) throw new Error(result.error.message);
        const actual = result.value.statements.map((s) =>
          s.transactions.map((t) => ({
            fitId: t.providerTransactionId,
            date: t.transactionDate,
            amount: t.amount,
            currency: t.currency,
            description: t.description,
            memo: t.memo,
          })),
        );
        expect(actual).toEqual(expected);
        expect(result.value.metadata.institution).toEqual({ name: 'B&B <Bank>', id: '1' });
      }),
      { numRuns: 200 },
    );
  });
});

describe('truncation and corruption', () => {
  it('any cut before the end of </OFX> is an ofx_malformed failure with a line and an element', () => {
    fc.assert(
      fc.property(
        documentArb,
        optionsArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ doc }, options, at) => {
          const text = writeOfx(doc, options);
          const end = text.lastIndexOf('</OFX>') + '</OFX>'.length;
          const cut = Math.min(end - 1, Math.floor(at * end));
          const result = parseOfx(Buffer.from(text.slice(0, cut), 'utf8'));
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.error.code).toBe('ofx_malformed');
          expect(result.error.extra?.line).toBeGreaterThanOrEqual(1);
          expect(result.error.extra?.element).toMatch(/^[A-Z0-9.]+$/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every cut of one file fails, byte by byte, until </OFX> is complete', () => {
    const text = writeOfx(
      {
        statements: [
          {
            kind: 'bank',
            accountId: '1234',
            transactions: [{ type: 'DEBIT', posted: '20240101', amount: '-1.00', fitId: 'A', name: 'X&Y' }],
          },
        ],
      },
      { dialect: 'sgml', newline: '' },
    );
    const end = text.lastIndexOf('</OFX>') + '</OFX>'.length;
    for (let cut = 0; cut < end; cut++) expect(parseOfx(text.slice(0, cut)).ok, String(cut)).toBe(false);
    for (let cut = end; cut <= text.length; cut++) expect(parseOfx(text.slice(0, cut)).ok).toBe(true);
  });

  it('corrupted files never throw: the result is a value either way', () => {
    const mutation = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      length: fc.integer({ min: 0, max: 20 }),
      insert: fc.constantFrom(
        '',
        '<',
        '>',
        '</',
        '&',
        '<![CDATA[',
        ']]>',
        '<STMTTRN>',
        '</STMTTRN>',
        '<X/>',
        '\u0000',
        '-',
      ),
    });
    fc.assert(
      fc.property(
        documentArb,
        optionsArb,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        ({ doc }, options, edits) => {
          let text = writeOfx(doc, options);
          for (const { at, length, insert } of edits) {
            const i = Math.floor(at * text.length);
            text = text.slice(0, i) + insert + text.slice(i + length);
          }
          const result = parseOfx(text);
          if (!result.ok) expect(result.error.code).toBe('ofx_malformed');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes after a valid header never throw', () => {
    const header = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:1252\n\n<OFX>';
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (junk) => {
        const result = parseOfx(Buffer.concat([Buffer.from(header), junk]));
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
