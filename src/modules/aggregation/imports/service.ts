import { createHash } from 'node:crypto';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import { uuidv7 } from '../../../kernel/ids.js';
import type { Logger } from '../../../kernel/logging.js';
import { err, FailureError, failure, ok, type Result, raise } from '../../../kernel/result.js';
import type { CustomerService } from '../../tenancy/index.js';
import { type ProviderDeps, providerForNewConnection } from '../connections/provider-choice.js';
import * as connectionStore from '../connections/store.js';
import type { FileStatement, FileWarning, ParsedFile } from '../domain/parsed-file.js';
import type { Coverage } from '../domain/pending.js';
import type { FileImportFinancialProvider } from '../domain/provider.js';
import {
  emptyCounts,
  finishStatement,
  type IngestCounts,
  type IngestTarget,
  type StagedChanges,
  type StatementInput,
  stageTransactions,
  upsertStatementAccount,
} from '../ingest/service.js';
import type { AccountPseudonyms } from './pseudonyms.js';
import { STALE_SECONDS, stagedInsert, takeBack } from './staging.js';
import * as staging from './staging-store.js';
import * as store from './store.js';

/**
 * `POST /v1/imports`: a statement file for a customer. The file is parsed completely before anything is written.
 * A first transaction records the import as staging and holds its accounts; the new transactions are then written
 * in short transactions, invisible to readers (staging.ts); one last transaction edits what was stored before
 * (updates, pending ones, holdings, snapshots, the accounts' figures) and publishes the import. It lands whole or
 * not at all: an import that fails is taken back, and one whose process died is taken back by the sweep.
 */

export interface ImportInput {
  customerId: string;
  provider?: string;
  providerConfigId?: string;
  fileName: string | null;
  bytes: Uint8Array;
}

export interface ImportResult extends IngestCounts {
  id: string;
  provider: string;
  connectionId: string;
  customerId: string;
  fileFormat: string;
  statements: number;
  message: string;
  /** What the file said that did not stop the import (unreadable metadata, an institution's warning). */
  warnings: FileWarning[];
}

export interface ImportServiceDeps extends ProviderDeps {
  customers: CustomerService;
  logger: Logger;
  audit: AuditWriter;
  pseudonyms: AccountPseudonyms;
  now: () => Date;
}

export const DEFAULT_FILE_PROVIDER = 'chase_file';

/** What the first transaction of an import holds: its statements, accounts, and imports it took over. */
interface Begun {
  connection: { id: string };
  statements: StatementInput[];
  claims: Map<string, { id: string; created: boolean }>;
  taken: { accountId: string; importId: string }[];
}

/** How long an import waits for another import of one of its accounts (a file sent twice) before a 409. */
const WAIT_FOR_ACCOUNT_MS = 60_000;

/** Runs `begin` until no other import holds its accounts, or the wait is over. */
async function whenFree<T>(begin: () => Promise<T>): Promise<T> {
  const until = Date.now() + WAIT_FOR_ACCOUNT_MS;
  for (;;) {
    try {
      return await begin();
    } catch (e) {
      const busy = e instanceof FailureError && e.failure.code === 'import_in_progress';
      if (!busy || Date.now() > until) throw e;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The dates a statement covers: its declared period, else the span of its transactions. */
export function statementCoverage(s: FileStatement): Coverage | null {
  if (s.period?.start && s.period.end) return { start: s.period.start, end: s.period.end };
  if (s.transactions.length === 0) return null;
  let start = s.transactions[0]!.transactionDate;
  let end = start;
  for (const t of s.transactions) {
    if (t.transactionDate < start) start = t.transactionDate;
    if (t.transactionDate > end) end = t.transactionDate;
  }
  return { start: s.period?.start ?? start, end: s.period?.end ?? end };
}

const summary = (c: IngestCounts) =>
  `${c.accountsImported + c.accountsUpdated} account(s): ${c.transactionsImported} transaction(s) imported, ` +
  `${c.transactionsSkipped} already known, ${c.transactionsFlagged} flagged for review`;

export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  async importFile(scope: Scope, input: ImportInput): Promise<Result<ImportResult>> {
    const customer = await this.deps.customers.get(scope, input.customerId);
    if (!customer.ok) return customer;
    const providerKey = input.provider ?? DEFAULT_FILE_PROVIDER;
    const handle = await providerForNewConnection(
      this.deps,
      scope.tenantId,
      providerKey,
      input.providerConfigId,
    );
    if (!handle.ok) return handle;
    if (handle.value.definition.metadata.authType !== 'file_import')
      return err(
        failure('unprocessable', 'not_a_file_provider', `${providerKey} does not import files`, {
          fields: [{ path: 'provider', message: 'is not a file-import provider' }],
        }),
      );
    const provider = handle.value.resolved.instance as FileImportFinancialProvider;
    const parsed = await provider.parseFile(input.bytes);
    if (!parsed.ok) return parsed;
    const file = parsed.value;
    const target = {
      tenantId: scope.tenantId,
      customerId: customer.value.id,
      source: 'file_import' as const,
      now: this.deps.now(),
      importId: uuidv7(),
    };
    const begin = () =>
      this.#begin(scope, target, file, {
        providerKey,
        providerConfigId: handle.value.resolved.providerConfigId,
        fileName: input.fileName,
        bytes: input.bytes,
      });
    let begun: Begun;
    try {
      begun = await whenFree(begin);
    } catch (e) {
      if (e instanceof FailureError) return err(e.failure);
      throw e;
    }
    const { taken } = begun;
    try {
      // Rows of imports this one took over (their process died) go first: they hold the accounts' provider ids.
      for (const t of taken)
        await staging.deleteStagedRows(this.deps.db, scope.tenantId, [t.accountId], t.importId);
      const into = { ...target, connectionId: begun.connection.id, provider: providerKey };
      return ok(await this.#stageAndPublish(scope, into, begun, file));
    } catch (e) {
      const { db } = this.deps;
      await staging
        .markAbandoned(db, scope.tenantId, target.importId)
        .then(() => takeBack(db, scope.tenantId, target.importId))
        .catch((cleanup: unknown) =>
          this.deps.logger.error(
            { err: cleanup, importId: target.importId },
            'import: taking back failed (the sweep retries)',
          ),
        );
      if (e instanceof FailureError) return err(e.failure);
      throw e;
    }
  }

  /**
   * The first transaction: the customer's file connection, the import as staging, and its accounts held (new ones
   * created bare). Throws `import_in_progress` when a live import holds one of them.
   */
  async #begin(
    scope: Scope,
    target: { tenantId: string; customerId: string; importId: string },
    file: ParsedFile,
    source: {
      providerKey: string;
      providerConfigId: string;
      fileName: string | null;
      bytes: Uint8Array;
    },
  ): Promise<Begun> {
    // Statements in the file's order, with the accounts under the tenant's pseudonyms (known after the first
    // transaction has the tenant's key).
    return this.deps.db.transaction(async (tx) => {
      const taken: { accountId: string; importId: string }[] = [];
      const connection = await connectionStore.fileImportConnection(tx, {
        tenantId: scope.tenantId,
        id: uuidv7(),
        customerId: target.customerId,
        providerKey: source.providerKey,
        providerConfigId: source.providerConfigId,
      });
      const pseudonym = await this.deps.pseudonyms.forTenant(tx, scope.tenantId);
      await staging.insertStagingImport(tx, {
        tenantId: scope.tenantId,
        id: target.importId,
        connectionId: connection.id,
        customerId: target.customerId,
        providerKey: source.providerKey,
        fileName: source.fileName,
        fileFormat: file.format,
        byteSize: source.bytes.byteLength,
        sha256: createHash('sha256').update(source.bytes).digest('hex'),
        result: {},
      });
      const statements = file.statements.map((s) => ({
        account: { ...s.account, providerAccountId: pseudonym(s.account.providerAccountId) },
        transactions: s.transactions,
        // A file without positions says nothing about them (an absent INVPOSLIST is not an empty one).
        holdings: s.holdings.length > 0 ? s.holdings : null,
        coverage: statementCoverage(s),
      }));
      const claims = new Map<string, { id: string; created: boolean }>();
      for (const s of statements) {
        if (claims.has(s.account.providerAccountId)) continue;
        const claim = await staging.claimAccount(
          tx,
          { ...target, connectionId: connection.id },
          s.account,
          STALE_SECONDS,
        );
        if (!claim.ok)
          raise(
            failure('conflict', 'import_in_progress', 'another import of this account is under way', {
              fields: [
                { path: 'file', message: `account ${s.account.accountNumberMasked ?? s.account.name}` },
              ],
              extra: { import_id: claim.busyWith },
            }),
          );
        if (claim.previous) await staging.markAbandoned(tx, scope.tenantId, claim.previous);
        claims.set(s.account.providerAccountId, { id: claim.id, created: claim.created });
        if (claim.previous) taken.push({ accountId: claim.id, importId: claim.previous });
      }
      return { connection, statements, claims, taken };
    });
  }

  /** Stages every statement's new transactions, then publishes the import in one short transaction. */
  async #stageAndPublish(
    scope: Scope,
    target: IngestTarget & { importId: string; provider: string },
    begun: { statements: StatementInput[]; claims: Map<string, { id: string; created: boolean }> },
    file: ParsedFile,
  ): Promise<ImportResult> {
    const { db } = this.deps;
    const counts = emptyCounts();
    const insert = stagedInsert(db, scope.tenantId, target.importId);
    const staged: StagedChanges[] = [];
    const seen = new Set<string>();
    for (const s of begun.statements) {
      const claim = begun.claims.get(s.account.providerAccountId)!;
      // The first statement of a new account counts it imported; later ones, and known accounts, updated.
      const fresh = claim.created && !seen.has(s.account.providerAccountId);
      seen.add(s.account.providerAccountId);
      if (fresh) counts.accountsImported++;
      else counts.accountsUpdated++;
      const a = {
        db,
        tenantId: scope.tenantId,
        accountId: claim.id,
        coverage: s.coverage,
        counts,
        fresh,
        insert,
      };
      staged.push(s.transactions ? await stageTransactions(a, s.transactions) : { updates: [], flags: [] });
    }
    await db.transaction(async (tx) => {
      await store.useMemoryForDedup(tx);
      for (const [k, s] of begun.statements.entries()) {
        const account = await upsertStatementAccount(tx, target, s);
        await finishStatement(tx, target, account.id, s, staged[k]!, counts);
      }
      // Last, with the final counts: the flip that makes every staged row visible at once.
      const published = await staging.publishImport(tx, scope.tenantId, target.importId, {
        ...counts,
        warnings: file.warnings,
      });
      if (!published)
        raise(
          failure(
            'conflict',
            'import_taken_over',
            'the import stalled and was taken back; send the file again',
          ),
        );
      await connectionStore.updateConnection(tx, scope.tenantId, target.connectionId, {
        lastSyncAt: target.now,
      });
      await this.deps.audit(tx, scope, {
        action: 'financial_import.created',
        entityType: 'financial_import',
        entityId: target.importId,
        changes: { provider: target.provider, file_format: file.format, ...counts },
      });
    });
    const result: ImportResult = {
      id: target.importId,
      provider: target.provider,
      connectionId: target.connectionId,
      customerId: target.customerId,
      fileFormat: file.format,
      statements: file.statements.length,
      ...counts,
      message: summary(counts),
      warnings: file.warnings,
    };
    return result;
  }
}
