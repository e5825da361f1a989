import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { type Db, isUniqueViolation } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import type { KeyRing } from '../../../providers/index.js';
import { checkTaxId } from '../domain/tax-id.js';
import type { Address, CustomerRow } from '../tables.js';
import * as store from './store.js';
import { openTaxId, sealTaxId } from './tax-id.js';

export interface CustomerInput {
  externalRef?: string | null;
  legalName: string;
  email?: string | null;
  phone?: string | null;
  address?: Address | null;
  dateOfBirth?: CalendarDate | null;
  timeZone?: string | null;
  coveredMilitaryBorrower?: boolean;
  activeDutyStartDate?: CalendarDate | null;
  /** The SSN, with or without dashes; null removes it. Sealed at once, never stored or returned in clear. */
  taxId?: string | null;
}

/** A customer as the service hands it out: the sealed tax id stays inside (`taxIdLast4` is the masked part). */
export type Customer = Omit<CustomerRow, 'taxIdSealed'>;

const visible = ({ taxIdSealed: _, ...customer }: CustomerRow): Customer => customer;

/** The columns a tax id input becomes: sealed for this customer, or both null to remove it. */
function taxIdColumns(
  keyRing: KeyRing,
  identity: { tenantId: string; id: string },
  taxId: string | null | undefined,
): Result<{ taxIdSealed?: string | null; taxIdLast4?: string | null }> {
  if (taxId === undefined) return ok({});
  if (taxId === null) return ok({ taxIdSealed: null, taxIdLast4: null });
  const checked = checkTaxId(taxId);
  if (!checked.ok) return err(invalidField('tax_id', checked.message));
  return ok({
    taxIdSealed: sealTaxId(keyRing, identity, checked.digits),
    taxIdLast4: checked.digits.slice(-4),
  });
}

/** A customer about to be created: its id and what the request gave. */
export type CustomerDraft = CustomerInput & { id: string };

/**
 * What creating a customer must pass besides validation: compliance's onboarding screening. Compliance is created
 * after tenancy (it reads customers), so the composition root sets it once both exist; a failure is returned as
 * is and nothing is written.
 */
export type CustomerCheck = (scope: Scope, customer: CustomerDraft) => Promise<Result<unknown>>;

const duplicateRef = (ref: string) =>
  failure('conflict', 'duplicate_external_ref', `a customer with external_ref "${ref}" already exists`, {
    fields: [{ path: 'external_ref', message: 'already used by another customer' }],
  });

/** Borrowers and cardholders. Their changes are audited by field name only, to keep PII out of the log. */
export class CustomerService {
  #onboarding: CustomerCheck | undefined;
  readonly #changed: ((tenantId: string) => Promise<void>)[] = [];

  constructor(private readonly deps: { db: Db; audit: AuditWriter; keyRing: KeyRing }) {}

  /** Sets the onboarding check (once, by the composition root). */
  setOnboardingCheck(check: CustomerCheck): void {
    if (this.#onboarding) throw new Error('the onboarding check is already set');
    this.#onboarding = check;
  }

  async create(scope: Scope, input: CustomerInput): Promise<Result<Customer>> {
    const id = uuidv7();
    const { taxId, ...fields } = input;
    const taxIdSet = taxIdColumns(this.deps.keyRing, { tenantId: scope.tenantId, id }, taxId);
    if (!taxIdSet.ok) return taxIdSet;
    const checked = await this.#onboarding?.(scope, { ...fields, id });
    if (checked && !checked.ok) return checked;
    return this.#uniqueRef(input.externalRef, () =>
      this.deps.db.transaction(async (tx) => {
        const row = await store.insertCustomer(tx, {
          tenantId: scope.tenantId,
          id,
          ...fields,
          ...taxIdSet.value,
        });
        await this.deps.audit(tx, scope, {
          action: 'customer.created',
          entityType: 'customer',
          entityId: row.id,
          changes: { fields: Object.keys(input).sort() },
        });
        return ok(visible(row));
      }),
    );
  }

  /** The unique index decides duplicates, so two concurrent requests cannot both win. */
  async #uniqueRef(
    ref: string | null | undefined,
    work: () => Promise<Result<Customer>>,
  ): Promise<Result<Customer>> {
    try {
      return await work();
    } catch (e) {
      if (ref && isUniqueViolation(e, 'customers_external_ref')) return err(duplicateRef(ref));
      throw e;
    }
  }

  async get(scope: Scope, id: string): Promise<Result<Customer>> {
    const row = isUuid(id) ? await store.findCustomer(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(visible(row)) : err(notFound('customer'));
  }

  /** Several customers at once (a report's page of loans): those found, by id. */
  async many(scope: Scope, ids: readonly string[]): Promise<Map<string, Customer>> {
    const found = await store.findCustomers(this.deps.db, scope.tenantId, [...new Set(ids.filter(isUuid))]);
    return new Map(found.map((c) => [c.id, visible(c)]));
  }

  async list(scope: Scope, opts: { limit: number; before?: string; q?: string }): Promise<Customer[]> {
    const found = await store.listCustomers(this.deps.db, scope.tenantId, {
      limit: opts.limit,
      q: opts.q,
      before: opts.before && isUuid(opts.before) ? opts.before : undefined,
    });
    return found.map(visible);
  }

  /**
   * The tax ids (SSNs, nine digits) of some customers of the tenant, opened: for a Metro 2 file being written and
   * nothing else. Customers without one are absent from the map.
   */
  async taxIds(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
    const found = await store.sealedTaxIds(this.deps.db, scope.tenantId, [...new Set(ids.filter(isUuid))]);
    return new Map(
      found.map((c) => [c.id, openTaxId(this.deps.keyRing, { tenantId: scope.tenantId, ...c })]),
    );
  }

  /**
   * Told after a customer's change commits (compliance keeps the borrower facts it read, and drops a tenant's on
   * this, in every process through its own channel).
   */
  onChanged(listener: (tenantId: string) => Promise<void>): void {
    this.#changed.push(listener);
  }

  async update(scope: Scope, id: string, changes: Partial<CustomerInput>): Promise<Result<Customer>> {
    if (!isUuid(id)) return err(notFound('customer'));
    const updated = await this.#update(scope, id, changes);
    if (updated.ok) for (const listener of this.#changed) await listener(scope.tenantId);
    return updated;
  }

  async #update(scope: Scope, id: string, changes: Partial<CustomerInput>): Promise<Result<Customer>> {
    const { taxId, ...fields } = changes;
    const taxIdSet = taxIdColumns(this.deps.keyRing, { tenantId: scope.tenantId, id }, taxId);
    if (!taxIdSet.ok) return taxIdSet;
    return this.#uniqueRef(changes.externalRef, () =>
      this.deps.db.transaction(async (tx) => {
        const row = await store.updateCustomer(tx, scope.tenantId, id, { ...fields, ...taxIdSet.value });
        if (!row) return err(notFound('customer'));
        await this.deps.audit(tx, scope, {
          action: 'customer.updated',
          entityType: 'customer',
          entityId: id,
          changes: { fields: Object.keys(changes).sort() },
        });
        return ok(visible(row));
      }),
    );
  }
}
