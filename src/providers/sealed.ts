import type { Db } from '../kernel/db.js';
import { ConfigurationError } from '../kernel/errors.js';
import { CredentialError, type KeyRing } from './credentials.js';

/**
 * Every secret Plinth stores is a Fernet token under the tenant's derived key (credentials.ts) whose plaintext
 * names the row that holds it, so a token copied onto another row does not open. A `SealedKind` says which HKDF
 * purpose a kind of secret uses and what identifies its row; `seal` and `open` are the only way to write and read
 * one, and a `SealedColumn` lets `plinth keys rotate` re-seal a module's secrets without the CLI knowing them.
 */
export interface SealedKind<R> {
  /** What the secret is, for error messages ("provider config", "connection credentials"). */
  name: string;
  /** The HKDF info string: one per kind, so a key derived for one purpose never opens another. */
  info: string;
  /** The stable error code when a stored secret does not open. */
  code: string;
  tenantOf(row: R): string;
  identity(row: R): Record<string, string>;
  /** How the row is named in errors and rotation reports (never the secret). */
  label(row: R): string;
}

export function seal<R>(keyRing: KeyRing, kind: SealedKind<R>, row: R, value: unknown): string {
  return keyRing.seal(kind.tenantOf(row), kind.info, kind.identity(row), value);
}

/** The value sealed in `token` for `row`. A wrong key or a copied token is a configuration error naming no secret. */
export function open<T, R>(keyRing: KeyRing, kind: SealedKind<R>, row: R, token: string): T {
  try {
    return keyRing.open<T>(kind.tenantOf(row), kind.info, kind.identity(row), token).value;
  } catch (e) {
    if (e instanceof CredentialError)
      throw new ConfigurationError(`${kind.name} ${kind.label(row)}: ${e.message}`, kind.code);
    throw e;
  }
}

export interface RotationReport {
  rotated: number;
  total: number;
  /** Rows no listed key opens (or copied tokens): left untouched, named for the operator. */
  failed: string[];
}

/** A table column of sealed values, declared by the module that owns the table. */
export interface SealedColumn<R = unknown> {
  /** What `plinth keys rotate` prints for it ("connection credentials"). */
  name: string;
  kind: SealedKind<R>;
  /** Every row with a sealed value, all tenants, deleted rows included. */
  rows(db: Db): Promise<R[]>;
  token(row: R): string;
  /** Writes the re-sealed value, only if the row still holds `row`'s token (a concurrent write wins). */
  write(db: Db, row: R, sealed: string): Promise<void>;
}

/**
 * Re-seals every value of a column under the first master key. Values already under it are left alone, so the
 * command can be re-run after an interruption.
 */
export async function rotateColumn<R>(
  db: Db,
  keyRing: KeyRing,
  column: SealedColumn<R>,
): Promise<RotationReport> {
  const { kind } = column;
  const list = await column.rows(db);
  const report: RotationReport = { rotated: 0, total: list.length, failed: [] };
  for (const row of list) {
    let opened: ReturnType<KeyRing['open']>;
    try {
      opened = keyRing.open(kind.tenantOf(row), kind.info, kind.identity(row), column.token(row));
    } catch (e) {
      if (!(e instanceof CredentialError)) throw e;
      report.failed.push(kind.label(row));
      continue;
    }
    if (!opened.stale) continue;
    await column.write(db, row, seal(keyRing, kind, row, opened.value));
    report.rotated++;
  }
  return report;
}
