import type { Minor } from '../../../../kernel/money.js';
import type { FileStatement } from '../parsed-file.js';
import type { AssetType, ProviderHoldingData } from '../types.js';
import { leafDecimal, leafInstant, missing, optionalDecimal, optionalMinor, readCurSym } from './fields.js';
import type { InvestmentParts } from './investment.js';
import { END, LEAF, type Reader, START } from './reader.js';

/** Positions (INVPOSLIST) and the security list (SECLIST) they and the trades refer to by SECID. */

export interface SecurityInfo {
  name: string | null;
  ticker: string | null;
}

/** SECID identifies a security by UNIQUEIDTYPE (usually CUSIP) and UNIQUEID. */
export const securityKey = (uniqueIdType: string, uniqueId: string): string => `${uniqueIdType}:${uniqueId}`;

export interface RawPosition {
  security: string;
  uniqueId: string;
  assetType: AssetType;
  /** HELDINACCT (CASH, MARGIN, SHORT, OTHER) and POSTYPE (LONG, SHORT): with the security, the position's identity. */
  heldIn: string;
  positionType: string;
  quantity: string;
  unitPrice: string | null;
  marketValue: Minor | null;
  currency: string;
  asOf: string | null;
}

const POSITION_ASSET_TYPES: Record<string, AssetType> = {
  POSSTOCK: 'equity',
  POSMF: 'mutual_fund',
  POSOPT: 'option',
  POSDEBT: 'fixed_income',
  POSOTHER: 'other',
};

/** POSSTOCK, POSMF, POSOPT, POSDEBT or POSOTHER (START just returned). UNITS and MKTVAL are kept as written. */
export function readPosition(r: Reader, defaultCurrency: string): RawPosition {
  const tag = r.name;
  const openedAt = r.at;
  const depth = r.depth;
  let uniqueId = '';
  let uniqueIdType = '';
  let heldIn = '';
  let positionType = '';
  let quantity: string | null = null;
  let unitPrice: string | null = null;
  let marketValueText = '';
  let marketValueAt = 0;
  let asOf: string | null = null;
  let currency = defaultCurrency;
  for (;;) {
    const t = r.next();
    if (t === END) {
      if (r.depth < depth) break;
      continue;
    }
    if (t === START) {
      if (r.name === 'CURRENCY') currency = readCurSym(r) ?? currency;
      else if (r.name === 'ORIGCURRENCY') r.skip();
      continue;
    }
    if (t !== LEAF) break;
    switch (r.name) {
      case 'UNIQUEID':
        uniqueId = r.value;
        break;
      case 'UNIQUEIDTYPE':
        uniqueIdType = r.value;
        break;
      case 'HELDINACCT':
        heldIn = r.value.toUpperCase();
        break;
      case 'POSTYPE':
        positionType = r.value.toUpperCase();
        break;
      case 'UNITS':
        quantity = leafDecimal(r);
        break;
      case 'UNITPRICE':
        unitPrice = optionalDecimal(r);
        break;
      case 'MKTVAL':
        marketValueText = r.value;
        marketValueAt = r.at;
        break;
      case 'DTPRICEASOF':
        asOf = leafInstant(r);
        break;
    }
  }
  if (!uniqueId) missing(r, 'UNIQUEID', tag, openedAt, false);
  if (quantity === null) missing(r, 'UNITS', tag, openedAt, false);
  return {
    security: securityKey(uniqueIdType, uniqueId),
    uniqueId,
    assetType: POSITION_ASSET_TYPES[tag] ?? 'other',
    heldIn,
    positionType,
    quantity,
    unitPrice,
    marketValue: optionalMinor(r, marketValueText, currency, 'MKTVAL', marketValueAt),
    currency,
    asOf,
  };
}

/** SECLIST (START just returned): every *INFO aggregate's own SECID, SECNAME and TICKER. */
export function readSecurityList(r: Reader, out: Map<string, SecurityInfo>): void {
  for (;;) {
    const t = r.next();
    if (t === START) readSecurityInfo(r, out);
    else if (t !== LEAF) break;
  }
}

function readSecurityInfo(r: Reader, out: Map<string, SecurityInfo>): void {
  const depth = r.depth;
  let uniqueId = '';
  let uniqueIdType = '';
  let name: string | null = null;
  let ticker: string | null = null;
  for (;;) {
    const t = r.next();
    if (t === END) {
      if (r.depth < depth) break;
      continue;
    }
    if (t !== LEAF) continue;
    // OPTINFO also names its underlying in a SECID of its own, outside SECINFO: only SECINFO's counts.
    const inSecInfo = r.open(0) === 'SECINFO' || (r.open(0) === 'SECID' && r.open(1) === 'SECINFO');
    if (!inSecInfo) continue;
    if (r.name === 'UNIQUEID') uniqueId = r.value;
    else if (r.name === 'UNIQUEIDTYPE') uniqueIdType = r.value;
    else if (r.name === 'SECNAME') name = r.value || null;
    else if (r.name === 'TICKER') ticker = r.value || null;
  }
  if (uniqueId) out.set(securityKey(uniqueIdType, uniqueId), { name, ticker });
}

const capitalized = (subtype: string): string => {
  const words = subtype.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * Completes an investment statement once the security list is known: tickers for trades and holdings, and the
 * account balance as cash plus the positions' market value (when every position has one in the account currency).
 */
export function finishInvestmentStatement(
  parts: InvestmentParts,
  securities: Map<string, SecurityInfo>,
): FileStatement {
  const { statement, positions, trades, cash } = parts;
  const account = statement.account;
  for (const { transaction, security } of trades) {
    const info = security ? securities.get(security) : undefined;
    const symbol = info?.ticker ?? (security ? security.slice(security.indexOf(':') + 1) : null);
    transaction.symbol = symbol;
    if (!transaction.description) {
      transaction.description = symbol
        ? `${capitalized(transaction.subtype)} ${symbol}`
        : capitalized(transaction.subtype);
    }
  }
  const holdings: ProviderHoldingData[] = positions.map((p) => {
    const info = securities.get(p.security);
    const symbol = info?.ticker ?? p.uniqueId;
    return {
      providerHoldingId: `${p.security}:${p.heldIn}:${p.positionType}`,
      symbol,
      securityName: info?.name ?? symbol,
      assetType: p.assetType,
      quantity: p.quantity,
      costBasis: null,
      marketValue: p.marketValue,
      currency: p.currency,
      averagePrice: null,
      currentPrice: p.unitPrice,
      asOf: p.asOf,
    };
  });
  const valued = positions.every((p) => p.marketValue !== null && p.currency === account.currency);
  if (valued && (cash !== null || positions.length > 0)) {
    account.balance = positions.reduce((sum, p) => sum + (p.marketValue ?? 0), cash ?? 0);
  }
  return { ...statement, holdings };
}
