import type { FieldIssue } from '../../../../kernel/result.js';
import {
  baseSegment,
  headerRecord,
  type Metro2Account,
  type Metro2Cycle,
  type Metro2Furnisher,
  TrailerTally,
} from './records.js';

export interface RejectedAccount {
  accountNumber: string;
  issues: FieldIssue[];
}

export interface Metro2FileRun {
  /** Header, one base segment per account, trailer: each exactly 426 bytes, `separator` between them. */
  records: AsyncIterable<string>;
  /** Accounts left out because their record would be wrong; read after `records` is consumed. */
  rejected(): RejectedAccount[];
}

/**
 * A Metro 2 file, streamed: the Header Record, a Base Segment per account as they arrive, and the Trailer Record
 * with the counts of what was written. An account whose data cannot make a correct record is left out and
 * listed in `rejected()` (a wrong tradeline is worse than a late one); a furnisher header that does not fit
 * fails the whole file.
 */
export function metro2File(
  furnisher: Metro2Furnisher,
  cycle: Metro2Cycle,
  accounts: AsyncIterable<Metro2Account>,
  separator: '' | '\n' | '\r\n' = '',
): Metro2FileRun {
  const rejected: RejectedAccount[] = [];
  async function* records(): AsyncGenerator<string> {
    const header = headerRecord(furnisher, cycle);
    if (!header.ok)
      throw new Error(
        `Metro 2 header: ${header.error.fields?.map((f) => `${f.path} ${f.message}`).join('; ')}`,
      );
    yield header.value + separator;
    const tally = new TrailerTally();
    for await (const account of accounts) {
      const base = baseSegment(account, furnisher, cycle);
      if (!base.ok) {
        rejected.push({ accountNumber: account.accountNumber, issues: base.error.fields ?? [] });
        continue;
      }
      tally.add(base.value);
      yield base.value + separator;
    }
    const trailer = tally.record();
    if (!trailer.ok) throw new Error('Metro 2 trailer does not fit its layout');
    yield trailer.value + separator;
  }
  return { records: records(), rejected: () => rejected };
}
