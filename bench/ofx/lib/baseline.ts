/**
 * The baseline: what a quick regex implementation does. It cuts each STMTTRN block out with one regex and pulls
 * fields with more, converts amounts through floats and takes the date's first eight digits. It checks nothing,
 * decodes no entities and ignores accounts and balances, so it does less work than the real parser.
 */
const BLOCK = /<STMTTRN>([\s\S]*?)<\/STMTTRN>/g;
const field = (name: string) => new RegExp(`<${name}>([^<\\r\\n]*)`);
const TRNTYPE = field('TRNTYPE');
const DTPOSTED = field('DTPOSTED');
const TRNAMT = field('TRNAMT');
const FITID = field('FITID');
const NAME = field('NAME');
const MEMO = field('MEMO');

export interface NaiveTransaction {
  type: string | undefined;
  date: string | undefined;
  amount: number;
  fitId: string | undefined;
  name: string | undefined;
  memo: string | undefined;
}

export function regexParse(bytes: Uint8Array, encoding: string): NaiveTransaction[] {
  const text = new TextDecoder(encoding).decode(bytes);
  const out: NaiveTransaction[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const block = m[1]!;
    const amount = TRNAMT.exec(block)?.[1]?.trim() ?? '0';
    out.push({
      type: TRNTYPE.exec(block)?.[1]?.trim(),
      date: DTPOSTED.exec(block)?.[1]?.slice(0, 8),
      amount: Math.round(Number(amount.replace(',', '.')) * 100),
      fitId: FITID.exec(block)?.[1]?.trim(),
      name: NAME.exec(block)?.[1]?.trim(),
      memo: MEMO.exec(block)?.[1]?.trim(),
    });
  }
  return out;
}
