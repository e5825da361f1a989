/**
 * Aggregates (elements with children and a mandatory end tag) that this parser reads or walks through. Knowing them
 * lets the reader classify an empty start tag without looking ahead, and makes a missing end tag an error. Unknown
 * aggregates are still accepted: the reader recognizes them by their end tag and the builders skip them.
 */
const AGGREGATES = new Set([
  'OFX',
  'SIGNONMSGSRSV1',
  'SONRS',
  'STATUS',
  'FI',
  // Banking and credit cards (OFX 11)
  'BANKMSGSRSV1',
  'STMTTRNRS',
  'STMTRS',
  'CREDITCARDMSGSRSV1',
  'CCSTMTTRNRS',
  'CCSTMTRS',
  'BANKACCTFROM',
  'BANKACCTTO',
  'CCACCTFROM',
  'CCACCTTO',
  'BANKTRANLIST',
  'BANKTRANLISTP',
  'STMTTRN',
  'STMTTRNP',
  'PAYEE',
  'LEDGERBAL',
  'AVAILBAL',
  'BALLIST',
  'BAL',
  'REWARDINFO',
  'CURRENCY',
  'ORIGCURRENCY',
  // Investments (OFX 13)
  'INVSTMTMSGSRSV1',
  'INVSTMTTRNRS',
  'INVSTMTRS',
  'INVACCTFROM',
  'INVTRANLIST',
  'INVBANKTRAN',
  'INVPOSLIST',
  'INVBAL',
  'INVOOLIST',
  'INV401K',
  'INV401KBAL',
  'INVTRAN',
  'INVBUY',
  'INVSELL',
  'SECID',
  'BUYDEBT',
  'BUYMF',
  'BUYOPT',
  'BUYOTHER',
  'BUYSTOCK',
  'SELLDEBT',
  'SELLMF',
  'SELLOPT',
  'SELLOTHER',
  'SELLSTOCK',
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
  'INVPOS',
  'POSDEBT',
  'POSMF',
  'POSOPT',
  'POSOTHER',
  'POSSTOCK',
  'SECLISTMSGSRSV1',
  'SECLIST',
  'SECINFO',
  'DEBTINFO',
  'MFINFO',
  'OPTINFO',
  'OTHERINFO',
  'STOCKINFO',
]);

export const isKnownAggregate = (name: string): boolean => AGGREGATES.has(name);

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
for (const name of [...AGGREGATES, ...LEAVES]) {
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
