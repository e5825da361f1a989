import { agingSql } from '../../domain/installment/delinquency.sql.js';
import { accrualSql } from '../../domain/installment/interest.sql.js';
import { lateFeesSql } from '../../domain/installment/late-fees.sql.js';
import { chargeOffSql } from '../../domain/installment/servicing.sql.js';
import type { CobStep } from '../../product.js';
import { cobStep } from '../support.js';

/**
 * Close of business for installment loans: four set-based statements per batch, in the order the engine's day
 * runs (replay.ts endOfDay, then the day's accrual). Each is a "bring to date D" operation, so running it on a loan
 * that a write already brought past D changes nothing: late fees check `late_fee_assessed`, accrual posts the
 * difference to a cumulative target, days past due only grow. Each statement sits beside the engine rule it
 * computes (domain/installment/*.sql.ts; the map is in domain/installment/README.md), with exact integers in SQL
 * (lending_round, lending_year_fraction_units).
 */
export const installmentCloseOfBusiness: readonly CobStep[] = [
  cobStep('late_fees', lateFeesSql),
  cobStep('installment_loan_aging', agingSql('installment_loan')),
  cobStep('charge_off', chargeOffSql),
  cobStep('accrual', accrualSql),
];
