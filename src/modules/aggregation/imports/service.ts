import { createHash } from 'node:crypto';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import { uuidv7 } from '../../../kernel/ids.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import type { CustomerService } from '../../tenancy/index.js';
import { type ProviderDeps, providerForNewConnection } from '../connections/provider-choice.js';
import * as connectionStore from '../connections/store.js';
import type { FileStatement, FileWarning } from '../domain/parsed-file.js';
import type { Coverage } from '../domain/pending.js';
import type { FileImportFinancialProvider } from '../domain/provider.js';
import { addCounts, emptyCounts, type IngestCounts, ingestStatement } from '../ingest/service.js';
import type { AccountPseudonyms } from './pseudonyms.js';
import * as store from './store.js';

/**
 * `POST /v1/imports`: a statement file for a customer. The file is parsed completely before anything is written,
 * then written in one transaction (the customer's file-import connection, accounts, transactions, holdings, one
 * balance snapshot per account, the import record): it commits whole or not at all.
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
  audit: AuditWriter;
  pseudonyms: AccountPseudonyms;
  now: () => Date;
}

export const DEFAULT_FILE_PROVIDER = 'chase_file';

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
    const now = this.deps.now();
    return this.deps.db.transaction(async (tx) => {
      await store.useMemoryForDedup(tx);
      const connection = await connectionStore.fileImportConnection(tx, {
        tenantId: scope.tenantId,
        id: uuidv7(),
        customerId: customer.value.id,
        providerKey,
        providerConfigId: handle.value.resolved.providerConfigId,
      });
      const pseudonym = await this.deps.pseudonyms.forTenant(tx, scope.tenantId);
      const id = uuidv7();
      const target = {
        tenantId: scope.tenantId,
        connectionId: connection.id,
        customerId: customer.value.id,
        source: 'file_import' as const,
        now,
        importId: id,
      };
      const counts = emptyCounts();
      for (const s of file.statements) {
        const account = { ...s.account, providerAccountId: pseudonym(s.account.providerAccountId) };
        addCounts(
          counts,
          await ingestStatement(tx, target, {
            account,
            transactions: s.transactions,
            // A file without positions says nothing about them (an absent INVPOSLIST is not an empty one).
            holdings: s.holdings.length > 0 ? s.holdings : null,
            coverage: statementCoverage(s),
          }),
        );
      }
      const result: ImportResult = {
        id,
        provider: providerKey,
        connectionId: connection.id,
        customerId: customer.value.id,
        fileFormat: file.format,
        statements: file.statements.length,
        ...counts,
        message: summary(counts),
        warnings: file.warnings,
      };
      await store.insertImport(tx, {
        tenantId: scope.tenantId,
        id,
        connectionId: connection.id,
        customerId: customer.value.id,
        providerKey,
        fileName: input.fileName,
        fileFormat: file.format,
        byteSize: input.bytes.byteLength,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        result: { ...counts, warnings: file.warnings },
      });
      await connectionStore.updateConnection(tx, scope.tenantId, connection.id, { lastSyncAt: now });
      await this.deps.audit(tx, scope, {
        action: 'financial_import.created',
        entityType: 'financial_import',
        entityId: id,
        changes: { provider: providerKey, file_format: file.format, ...counts },
      });
      return ok(result);
    });
  }
}
