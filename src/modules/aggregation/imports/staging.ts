import type { Db } from '../../../kernel/db.js';
import type { Logger } from '../../../kernel/logging.js';
import { failure, raise } from '../../../kernel/result.js';
import type { Worker } from '../../platform.js';
import type { InsertTransactions } from '../ingest/service.js';
import { insertTransactions } from '../ingest/transactions-store.js';
import * as q from './staging-store.js';

/**
 * A file import writes its transactions in short transactions of their own and publishes them by flipping one row:
 * embedded PGlite has one connection, and a 50 MB file written in one transaction kept card decisions from the
 * database for the whole import (issue 16 item 2). Until the flip no reader sees a staged row (`visibleTransaction`
 * in tables.ts), so the import still lands whole or not at all. The protocol is in staging-store.ts.
 */

/** A staging import whose heartbeat stopped this long ago died with its process: anyone may take it back. */
export const STALE_SECONDS = 120;

/** The writer of an import's new rows: each chunk in its own transaction, with the import's heartbeat. */
export function stagedInsert(db: Db, tenantId: string, importId: string): InsertTransactions {
  return (accountId, writes) =>
    insertTransactions(db, tenantId, accountId, writes, importId, (statement) =>
      db.transaction(async (tx) => {
        if (!(await q.heartbeat(tx, tenantId, importId)))
          raise(
            failure(
              'conflict',
              'import_taken_over',
              'the import stalled and was taken back; send the file again',
            ),
          );
        await statement(tx);
      }),
    );
}

/**
 * Takes back an import (failed, died, or found stalled): steps two and three, after `markAbandoned`. Accounts
 * another import took over meanwhile were cleared of its rows by that import.
 */
export async function takeBack(db: Db, tenantId: string, importId: string): Promise<void> {
  const accounts = await q.accountsHeldBy(db, tenantId, importId);
  await q.deleteStagedRows(db, tenantId, accounts, importId);
  await q.deleteAbandonedImport(db, tenantId, importId);
}

/** Takes back every import that died or was abandoned half way (the sweep, and once at start). */
export async function sweepImports(db: Db, staleSeconds = STALE_SECONDS): Promise<number> {
  let n = 0;
  for (const found of await q.importsToTakeBack(db, staleSeconds)) {
    const dead =
      found.status === 'abandoned' || (await q.markAbandoned(db, found.tenantId, found.id, staleSeconds));
    if (!dead) continue;
    await takeBack(db, found.tenantId, found.id);
    n++;
  }
  return n;
}

export const IMPORT_SWEEP_QUEUE = 'aggregation.import-sweep';

/** The sweep every five minutes (and once at start, for imports a crash left): takes back dead imports. */
export function importSweepWorker(db: Db, logger: Logger): Worker {
  const sweep = async () => {
    const n = await sweepImports(db);
    if (n > 0) logger.info({ imports: n }, 'imports that died half way taken back');
  };
  return { queue: IMPORT_SWEEP_QUEUE, schedule: '*/5 * * * *', handle: sweep, resume: sweep };
}
