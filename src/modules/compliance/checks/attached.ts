import type { Column } from '../../../kernel/statement.js';
import type { NewCheck } from './store.js';

/** An evaluation the gate decided but did not store: the caller writes it with the operation it decided. */
export type PendingCheck = NewCheck;

const COLUMNS: readonly Column<PendingCheck>[] = [
  ['tenant_id', 'uuid', (c) => c.tenantId],
  ['id', 'uuid', (c) => c.id],
  ['evaluation_id', 'uuid', (c) => c.evaluationId],
  ['hook', 'text', (c) => c.hook],
  ['subject_type', 'text', (c) => c.subjectType],
  ['subject_id', 'text', (c) => c.subjectId ?? null],
  ['program_id', 'uuid', (c) => c.programId ?? null],
  ['rule', 'text', (c) => c.rule],
  ['provider_config_id', 'uuid', (c) => c.providerConfigId],
  ['outcome', 'text', (c) => c.outcome],
  ['reasons', 'jsonb', (c) => c.reasons],
  ['citation', 'text', (c) => c.citation],
  ['facts', 'jsonb', (c) => c.facts ?? null],
  ['remedy', 'jsonb', (c) => c.remedy ?? null],
  ['request_id', 'text', (c) => c.requestId ?? null],
  ['at', 'timestamptz', (c) => c.at.toISOString()],
];

const NAMES = COLUMNS.map(([name]) => name).join(', ');

/**
 * compliance_checks rows as part of another module's write statement (the shape of lending's `AttachedKind`: a
 * loan action's evaluations are inserted by the loan's own write, so a pass or warn costs no statement of its own
 * and is recorded exactly when the operation it decided is). Compliance owns the SQL; the caller only carries it.
 */
export const checkRows = {
  name: 'compliance_checks',
  columns: COLUMNS,
  ctes: (source: string): string[] => [
    `INSERT INTO compliance_checks (${NAMES}) SELECT ${COLUMNS.map(([name]) => `a.${name}`).join(', ')} FROM ${source}`,
  ],
};
