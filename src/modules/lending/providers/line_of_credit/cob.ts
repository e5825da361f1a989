import { agingSql } from '../../domain/installment/delinquency.sql.js';
import { lineLateFeesSql } from '../../domain/revolving/line.sql.js';
import { statementsSql } from '../../domain/revolving/statement.sql.js';
import type { CobStep } from '../../product.js';
import { cobStep } from '../support.js';
import { lineAccrualSql } from './ledger.sql.js';

/**
 * Close of business for lines of credit, set-based over a batch, in the order the replay's day runs
 * (replay.ts endOfDay): the late fee of a minimum payment not received in time, the day's interest, the statement
 * on the cycle's closing day, then aging. Each is a "bring the line through D" operation guarded by the line's own
 * cursors (`late_fee_assessed`, `accrued_through`, `cycle_end`), so a line a write already brought past D is left
 * as it is. Every amount is one exact division rounded with the line's mode (lending_round), as the engine does.
 * Each statement sits beside the rule it computes (the map is in README.md).
 */
export const lineCloseOfBusiness: readonly CobStep[] = [
  cobStep('line_late_fees', lineLateFeesSql),
  cobStep('line_accrual', lineAccrualSql),
  cobStep('line_statements', statementsSql),
  cobStep('line_of_credit_aging', agingSql('line_of_credit')),
];
