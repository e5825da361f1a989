const BUYS = ['BUYDEBT', 'BUYMF', 'BUYOPT', 'BUYOTHER', 'BUYSTOCK'];
const SELLS = ['SELLDEBT', 'SELLMF', 'SELLOPT', 'SELLOTHER', 'SELLSTOCK'];
const POSITIONS = ['POSDEBT', 'POSMF', 'POSOPT', 'POSOTHER', 'POSSTOCK'];
const SECURITY_INFOS = ['DEBTINFO', 'MFINFO', 'OPTINFO', 'OTHERINFO', 'STOCKINFO'];
const STATEMENTS = ['STMTRS', 'CCSTMTRS'];
const INVESTMENT_TRANSACTIONS = [
  ...BUYS,
  ...SELLS,
  'CLOSUREOPT',
  'INCOME',
  'INVEXPENSE',
  'JRNLFUND',
  'JRNLSEC',
  'MARGININTEREST',
  'REINVEST',
  'RETOFCAP',
  'SPLIT',
  'TRANSFER',
];
const only = (parents: readonly string[], names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, parents]));

/**
 * Aggregates (elements with children and a mandatory end tag) that this parser reads or walks through. Knowing them
 * lets the reader classify an empty start tag without looking ahead, and makes a missing end tag an error. Unknown
 * aggregates are still accepted: the reader recognizes them by their end tag and the builders skip them.
 *
 * Each maps to the aggregates it may appear in (the OFX DTDs' content models, reduced to parents), or null where it
 * appears in too many places to say. In SGML files this is what lets the reader infer an omitted end tag, as an SGML
 * parser does from the DTD: an aggregate that cannot hold the next one is closed (the parser's START of LEDGERBAL
 * closes a BANKTRANLIST left open, since LEDGERBAL belongs to the statement).
 */
const AGGREGATES: Readonly<Record<string, readonly string[] | null>> = {
  OFX: [],
  SIGNONMSGSRSV1: ['OFX'],
  SONRS: ['SIGNONMSGSRSV1'],
  STATUS: null,
  FI: ['SONRS'],
  // Banking and credit cards (OFX 11)
  BANKMSGSRSV1: ['OFX'],
  STMTTRNRS: ['BANKMSGSRSV1'],
  STMTRS: ['STMTTRNRS'],
  CREDITCARDMSGSRSV1: ['OFX'],
  CCSTMTTRNRS: ['CREDITCARDMSGSRSV1'],
  CCSTMTRS: ['CCSTMTTRNRS'],
  BANKACCTFROM: ['STMTRS'],
  BANKACCTTO: ['STMTTRN', 'STMTTRNP'],
  CCACCTFROM: ['CCSTMTRS'],
  CCACCTTO: ['STMTTRN', 'STMTTRNP'],
  BANKTRANLIST: STATEMENTS,
  BANKTRANLISTP: STATEMENTS,
  STMTTRN: ['BANKTRANLIST', 'INVBANKTRAN'],
  STMTTRNP: ['BANKTRANLISTP'],
  PAYEE: null,
  LEDGERBAL: STATEMENTS,
  AVAILBAL: STATEMENTS,
  BALLIST: [...STATEMENTS, 'INVBAL'],
  BAL: ['BALLIST'],
  REWARDINFO: ['CCSTMTRS'],
  CURRENCY: null,
  ORIGCURRENCY: null,
  // Investments (OFX 13)
  INVSTMTMSGSRSV1: ['OFX'],
  INVSTMTTRNRS: ['INVSTMTMSGSRSV1'],
  INVSTMTRS: ['INVSTMTTRNRS'],
  ...only(
    ['INVSTMTRS'],
    ['INVACCTFROM', 'INVTRANLIST', 'INVPOSLIST', 'INVBAL', 'INVOOLIST', 'INV401K', 'INV401KBAL'],
  ),
  INVBANKTRAN: ['INVTRANLIST'],
  INVTRAN: null,
  INVBUY: BUYS,
  INVSELL: SELLS,
  SECID: null,
  ...only(['INVTRANLIST'], INVESTMENT_TRANSACTIONS),
  INVPOS: POSITIONS,
  ...only(['INVPOSLIST'], POSITIONS),
  SECLISTMSGSRSV1: ['OFX'],
  SECLIST: ['SECLISTMSGSRSV1'],
  SECINFO: SECURITY_INFOS,
  ...only(['SECLIST'], SECURITY_INFOS),
};

const PARENTS = new Map(Object.entries(AGGREGATES));

export const isKnownAggregate = (name: string): boolean => PARENTS.has(name);

/** The aggregates `name` may appear in; undefined when that is not known or not a few places. */
export const parentsOf = (name: string): readonly string[] | undefined => PARENTS.get(name) ?? undefined;

/** Leaves the builders read; with the aggregates, the names worth interning. */
const LEAVES = [
  'TRNTYPE',
  'DTPOSTED',
  'DTUSER',
  'DTAVAIL',
  'DTTRAN',
  'TRNAMT',
  'FITID',
  'NAME',
  'EXTDNAME',
  'MEMO',
  'CHECKNUM',
  'REFNUM',
  'SIC',
  'PAYEEID',
  'CORRECTFITID',
  'CORRECTACTION',
  'SRVRTID',
  'CURDEF',
  'CURSYM',
  'CURRATE',
  'BANKID',
  'BRANCHID',
  'ACCTID',
  'ACCTTYPE',
  'BROKERID',
  'DTSTART',
  'DTEND',
  'DTASOF',
  'BALAMT',
  'CODE',
  'SEVERITY',
  'MESSAGE',
  'TRNUID',
  'DTSERVER',
  'LANGUAGE',
  'ORG',
  'FID',
  'INTU.BID',
];

// Names bucketed by length and first character, so a tag name in the source can be matched in place and the
// shared literal returned: no string is allocated per tag, and later comparisons are pointer comparisons.
const INTERNED = new Map<number, string[]>();
for (const name of [...PARENTS.keys(), ...LEAVES]) {
  const key = name.length * 128 + name.charCodeAt(0);
  const bucket = INTERNED.get(key);
  if (bucket) bucket.push(name);
  else INTERNED.set(key, [name]);
}

/** The interned name spelled by `s[from, to)`, if it is one (upper case only). */
export function internedName(s: string, from: number, to: number): string | undefined {
  const bucket = INTERNED.get((to - from) * 128 + s.charCodeAt(from));
  if (bucket === undefined) return undefined;
  for (let i = 0; i < bucket.length; i++) {
    const name = bucket[i]!;
    if (s.startsWith(name, from)) return name;
  }
  return undefined;
}
