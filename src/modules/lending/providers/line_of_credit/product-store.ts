import type { LineTerms } from '../../domain/revolving/index.js';
import type { ProductStore } from '../../product.js';
import { lineJson, statementJson } from './json.js';
import type { LineProduct } from './servicing.js';
import { creditLines, findLine, lineStatements, loadStatements } from './store.js';

const lineOf = (product: unknown) => product as LineProduct;

/**
 * A line's own tables: its open cycle (credit_lines, one row) and its statements (line_statements, by number),
 * written from the replay with the loan's write; only rows that are new or changed are sent.
 */
export const lineStore: ProductStore = {
  tables: [
    {
      table: creditLines,
      key: [],
      rows: (projection) => {
        const line = lineOf(projection.product).line;
        return line ? [line] : [];
      },
    },
    { table: lineStatements, key: ['number'], rows: (projection) => lineOf(projection.product).statements },
  ],

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
