import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import type { Minor } from '../../../kernel/money.js';
import { err, notFound, ok, type Result } from '../../../kernel/result.js';
import type { ProgramService } from '../../lending/index.js';
import * as store from './store.js';

/**
 * A program's collection rules: the returned-payment fee and what a collection above the payoff does. They are
 * the payments module's settings per program rather than lending terms: they govern how money is collected, not
 * what the loan costs, and keeping them here leaves every lending product's terms schema as it is. A program
 * with none set charges no returned-payment fee and refuses overpayments.
 */
export interface CollectionSettings {
  programId: string;
  returnedPaymentFee: Minor;
  overpayment: 'reject' | 'credit';
}

const DEFAULTS = { returnedPaymentFee: 0, overpayment: 'reject' as const };

export class SettingsService {
  constructor(private readonly deps: { db: Db; programs: ProgramService; audit: AuditWriter }) {}

  async get(scope: Scope, programId: string): Promise<Result<CollectionSettings>> {
    const program = await this.deps.programs.get(scope, programId);
    if (!program.ok) return err(notFound('program'));
    return ok(await this.of(scope.tenantId, programId));
  }

  /** The settings of a program known to exist (a loan's). */
  async of(tenantId: string, programId: string): Promise<CollectionSettings> {
    const row = await store.findSettings(this.deps.db, tenantId, programId);
    return {
      programId,
      ...DEFAULTS,
      ...(row && { returnedPaymentFee: row.returnedPaymentFee, overpayment: row.overpayment }),
    };
  }

  async put(
    scope: Scope,
    programId: string,
    input: { returnedPaymentFee: Minor; overpayment: 'reject' | 'credit' },
  ): Promise<Result<CollectionSettings>> {
    const program = await this.deps.programs.get(scope, programId);
    if (!program.ok) return err(notFound('program'));
    return this.deps.db.transaction(async (tx) => {
      const row = await store.upsertSettings(tx, { tenantId: scope.tenantId, programId, ...input });
      await this.deps.audit(tx, scope, {
        action: 'payment_settings.updated',
        entityType: 'program',
        entityId: programId,
        changes: { returned_payment_fee: input.returnedPaymentFee, overpayment: input.overpayment },
      });
      return ok({ programId, returnedPaymentFee: row.returnedPaymentFee, overpayment: row.overpayment });
    });
  }
}
