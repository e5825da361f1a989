import type { LineTerms } from '../../domain/revolving/index.js';
import type { ProductStore } from '../../product.js';
import { lineJson, statementJson } from './json.js';
import type { LineProduct } from './servicing.js';
import type { StatementRecord } from './state.js';
import {
  dropStatementsSql,
  findLine,
  loadStatements,
  statementFromJson,
  statementsSql,
  writeLineSql,
  writeStatementsSql,
} from './store.js';

const same = (a: StatementRecord | undefined, b: StatementRecord): boolean =>
  a !== undefined && (Object.keys(b) as (keyof StatementRecord)[]).every((k) => a[k] === b[k]);

/**
 * A line's own tables: its open cycle (credit_lines) and its statements, written from the replay by the loan's
 * write statement. The write's read brings the stored statements, so only new or restated ones are sent.
 */
export const lineStore: ProductStore = {
  read: statementsSql,

  write(s, key, projection, stored) {
    const p = projection.product as LineProduct;
    const before = ((stored as Record<string, unknown>[] | null) ?? []).map(statementFromJson);
    const changed = p.statements.filter((st) => !same(before[st.number - 1], st));
    return [
      ...(p.line ? [writeLineSql(s, key, p.line)] : []),
      ...(changed.length > 0 ? [writeStatementsSql(s, key, changed)] : []),
      ...(before.length > p.statements.length ? [dropStatementsSql(s, key, p.statements.length)] : []),
    ];
  },

  async details(db, loan) {
    const terms = loan.terms as LineTerms;
    const line = await findLine(db, loan);
    const statements = await loadStatements(db, loan);
    return {
      line: line ? lineJson(line) : null,
      statements: statements.map((s) => statementJson(terms, s)).reverse(),
    };
  },
};
