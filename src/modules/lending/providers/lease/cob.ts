import { agingSql } from '../../domain/installment/delinquency.sql.js';
import type { CobStep } from '../../product.js';
import { cobStep } from '../support.js';
import { leaseLateFeesSql } from './replay.sql.js';
import { rentSql } from './state.sql.js';

/**
 * Close of business for leases, set-based over a batch, in the order the replay's day runs (replay.ts): late
 * fees, aging, then the day's rent. Each is a "bring the lease through D" operation (late fees check
 * `late_fee_assessed`, rent posts the difference to a cumulative target), so a lease a write already brought past D
 * is left unchanged. Each statement sits beside the rule it computes (the map is in README.md).
 */
export const leaseCloseOfBusiness: readonly CobStep[] = [
  cobStep('lease_late_fees', leaseLateFeesSql),
  cobStep('lease_aging', agingSql('lease')),
  cobStep('lease_rent', rentSql),
];
