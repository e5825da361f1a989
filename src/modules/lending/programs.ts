import type { z } from 'zod';
import type { AuditWriter, Scope } from '../../kernel/audit.js';
import type { Db } from '../../kernel/db.js';
import { type Precondition, satisfies, stale } from '../../kernel/etag.js';
import { isUuid, uuidv7 } from '../../kernel/ids.js';
import { isCurrencyCode } from '../../kernel/money.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../kernel/result.js';
import { fieldIssues } from '../../kernel/validation.js';
import type { Catalog, ProviderDeps } from '../../providers/index.js';
import type { GateDecision } from '../compliance/index.js';
import type { ProgramChecks } from './compliance/program-checks.js';
import type { LendingProgram } from './product.js';
import * as store from './store.js';
import type { ProgramRow } from './tables.js';

export type Program = ProgramRow;

const isLendingProgram = (x: unknown): x is LendingProgram => {
  const p = x as Partial<LendingProgram> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.product === 'string' &&
    typeof p.open === 'function' &&
    typeof p.quote === 'function'
  );
};

export interface ProgramInput {
  name: string;
  description?: string;
  programType: string;
  terms: Record<string, unknown>;
}

/** What PATCH /v1/programs/{id} may change; absent fields stay as they are. */
export interface ProgramPatch {
  name?: string;
  description?: string | null;
  status?: 'active' | 'retired';
  terms?: Record<string, unknown>;
}

export class ProgramService {
  /** Program instances by tenant, program id and version: a change makes a new version, so none goes stale. */
  readonly #instances = new Map<string, LendingProgram>();

  constructor(
    private readonly deps: {
      db: Db;
      catalog: Catalog;
      audit: AuditWriter;
      providerDeps: ProviderDeps;
      /** The compliance gate of quotes and of program terms (absent: nothing is gated). */
      checks?: ProgramChecks;
    },
  ) {}

  async create(scope: Scope, input: ProgramInput): Promise<Result<Program>> {
    const registry = this.deps.catalog.registry('lending_program');
    const def = registry?.get(input.programType);
    if (!def) {
      const supported = registry?.keys() ?? [];
      return err(
        failure(
          'unprocessable',
          'unknown_program_type',
          `unknown program_type "${input.programType}"; supported: ${supported.join(', ') || 'none'}`,
          {
            fields: [{ path: 'program_type', message: 'unknown program type' }],
            extra: { supported_types: supported },
          },
        ),
      );
    }
    const id = uuidv7();
    const valid = await this.#validTerms(scope, id, def, input.terms);
    if (!valid.ok) return valid;
    const { terms, currency } = valid.value;
    return this.deps.db.transaction(async (tx) => {
      const row = await store.insertProgram(tx, {
        tenantId: scope.tenantId,
        id,
        name: input.name,
        description: input.description ?? null,
        programType: input.programType,
        currency,
        terms,
      });
      await this.deps.audit(tx, scope, {
        action: 'program.created',
        entityType: 'program',
        entityId: row.id,
        changes: { name: input.name, program_type: input.programType, terms },
      });
      return ok(row);
    });
  }

  /**
   * Changes a program's name, description, status or terms (`terms` replaces them whole, validated by the program
   * type's schema and the compliance gate, like a new program's). The program's `version` goes up by one; loans
   * keep the terms they were made with (`loans.terms`), so new terms apply to loans originated afterwards. The
   * program type and currency never change: loans, assignments and reports are in them. `precondition` (If-Match)
   * is checked under the row's lock, so a change made since the caller's read is refused, never overwritten.
   */
  async update(
    scope: Scope,
    id: string,
    patch: ProgramPatch,
    precondition: Precondition = null,
  ): Promise<Result<Program>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const program = found.value;
    let terms: Record<string, unknown> | undefined;
    if (patch.terms) {
      const def = this.deps.catalog.get('lending_program', program.programType);
      if (!def)
        return err(invalidField('terms', `program type ${program.programType} is no longer registered`));
      const valid = await this.#validTerms(scope, program.id, def, patch.terms);
      if (!valid.ok) return valid;
      if (valid.value.currency !== program.currency)
        return err(
          invalidField(
            'terms.currency',
            `must stay ${program.currency}: a program's loans and reports are in its currency`,
            'currency_immutable',
          ),
        );
      terms = valid.value.terms;
    }
    return this.deps.db.transaction(async (tx) => {
      const current = await store.lockProgram(tx, scope.tenantId, program.id);
      if (!current) return err(notFound('program'));
      if (!satisfies(precondition, current.version)) return err(stale('program', current.version));
      const changes = {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.status !== undefined && { status: patch.status }),
        ...(terms && { terms }),
      };
      const row = await store.updateProgram(tx, scope.tenantId, program.id, changes);
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof Program]]));
      await this.deps.audit(tx, scope, {
        action: 'program.updated',
        entityType: 'program',
        entityId: row.id,
        changes: { version: row.version, before, after: changes },
      });
      return ok(row);
    });
  }

  /** Terms as the program type's schema reads them, with their currency, passed by the compliance gate. */
  async #validTerms(
    scope: Scope,
    id: string,
    def: { key: string; configSchema: z.ZodType },
    input: Record<string, unknown>,
  ): Promise<Result<{ terms: Record<string, unknown>; currency: string }>> {
    const parsed = def.configSchema.safeParse(input);
    if (!parsed.success) {
      return err(
        failure('unprocessable', 'invalid_terms', `terms do not match the ${def.key} schema`, {
          fields: fieldIssues(parsed.error, 'terms'),
        }),
      );
    }
    const terms = parsed.data as Record<string, unknown>;
    const currency = terms.currency;
    if (typeof currency !== 'string' || !isCurrencyCode(currency)) {
      return err(
        failure('unprocessable', 'invalid_terms', 'terms.currency must be an ISO 4217 code', {
          fields: [{ path: 'terms.currency', message: 'must be an ISO 4217 currency code' }],
        }),
      );
    }
    const checked = await this.deps.checks?.programTerms(scope, { id, programType: def.key, terms });
    if (checked && !checked.ok) return checked;
    return ok({ terms, currency });
  }

  async get(scope: Scope, id: string): Promise<Result<Program>> {
    const row = isUuid(id) ? await store.findProgram(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row) : err(notFound('program'));
  }

  /** The program and its `LendingProgram` instance (built by its program type's definition). */
  async lending(scope: Scope, id: string): Promise<Result<{ program: Program; lending: LendingProgram }>> {
    const found = await this.get(scope, id);
    if (!found.ok) return found;
    const program = found.value;
    const key = `${scope.tenantId}|${program.id}|${program.version}`;
    let lending = this.#instances.get(key);
    if (!lending) {
      const def = this.deps.catalog.get('lending_program', program.programType);
      const instance: unknown = def?.create(def.configSchema.parse(program.terms), this.deps.providerDeps);
      if (!isLendingProgram(instance))
        return err(
          failure(
            'unprocessable',
            'program_not_serviceable',
            `programs of type ${program.programType} cannot quote or originate loans`,
            { fields: [{ path: 'program_id', message: 'program type has no lending implementation' }] },
          ),
        );
      lending = instance;
      this.#instances.set(key, lending);
    }
    return ok({ program, lending });
  }

  /**
   * A quote under the program: its schedule, totals and disclosure, nothing stored. With compliance rules at the
   * quote hook, their decision comes with it (`compliance`); a block is a failure.
   */
  async quote(
    scope: Scope,
    id: string,
    request: unknown,
    customerId?: string,
  ): Promise<Result<{ quote: Record<string, unknown>; compliance: GateDecision | null }>> {
    const found = await this.lending(scope, id);
    if (!found.ok) return found;
    const quoted = found.value.lending.quote(request);
    if (!quoted.ok) return quoted;
    const checks = this.deps.checks;
    if (!checks) return ok({ quote: quoted.value, compliance: null });
    const decision = await checks.quote(scope, found.value.program, quoted.value, customerId);
    return decision.ok ? ok({ quote: quoted.value, compliance: decision.value }) : decision;
  }

  async list(scope: Scope, opts: { limit: number; before?: string }): Promise<Program[]> {
    return store.listPrograms(this.deps.db, scope.tenantId, {
      limit: opts.limit,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
    });
  }
}
