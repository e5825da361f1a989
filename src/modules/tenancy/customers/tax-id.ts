import type { Db } from '../../../kernel/db.js';
import { type KeyRing, open, type SealedColumn, type SealedKind, seal } from '../../../providers/index.js';
import type { CustomerRow } from '../tables.js';
import * as store from './store.js';

/**
 * A customer's tax id (SSN), sealed like provider credentials under the tenant's derived key, with the tenant and
 * customer inside the token: a token copied to another customer or tenant does not open. It is opened in one place
 * (`CustomerService.taxIds`, which credit reporting calls while it writes a Metro 2 file) and is never logged or
 * returned: responses carry the last four digits only.
 */
type Identity = Pick<CustomerRow, 'tenantId' | 'id'>;

export const taxIdKind: SealedKind<Identity> = {
  name: 'customer tax id',
  info: 'plinth/customer-tax-id/v1',
  code: 'customer_tax_id_undecryptable',
  tenantOf: (row) => row.tenantId,
  identity: (row) => ({ tenant_id: row.tenantId, customer_id: row.id }),
  label: (row) => row.id,
};

export const sealTaxId = (keyRing: KeyRing, row: Identity, digits: string): string =>
  seal(keyRing, taxIdKind, row, digits);

export const openTaxId = (keyRing: KeyRing, row: Identity & { taxIdSealed: string }): string =>
  open<string, Identity>(keyRing, taxIdKind, row, row.taxIdSealed);

/** The column `plinth keys rotate` re-seals. */
export const taxIdColumn: SealedColumn<CustomerRow> = {
  name: 'customer tax ids',
  kind: taxIdKind,
  rows: (db: Db) => store.customersWithTaxId(db),
  token: (row) => row.taxIdSealed!,
  write: store.resealTaxId,
};
