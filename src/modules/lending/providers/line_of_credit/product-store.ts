import type { LineTerms } from '../../domain/revolving/index.js';
import type { ProductStore } from '../../product.js';
import { lineJson, statementJson } from './json.js';
import type { LineProduct } from './servicing.js';
import type { StatementRecord } from './state.js';
import { findLine, loadStatements, writeLine, writeStatements } from './store.js';

const same = (a: StatementRecord | undefined, b: StatementRecord): boolean =>
  a !== undefined && (Object.keys(b) as (keyof StatementRecord)[]).every((k) => a[k] === b[k]);

/** A line's own tables: its open cycle (credit_lines) and its statements, written from the replay. */
export const lineStore: ProductStore = {
  async write(db, key, projection) {
    const p = projection.product as LineProduct;
    if (p.line) await writeLine(db, key, p.line);
    const stored = await loadStatements(db, key);
    const changed = p.statements.filter((s) => !same(stored[s.number - 1], s));
    await writeStatements(db, key, changed, p.statements.length);
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
