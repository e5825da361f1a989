// The compliance module's tables: rule evaluations (compliance_checks) and loaded OFAC lists. Queries live in each
// feature's store.ts; no other module touches these tables.
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { HookPoint, Remedy, RuleFacts, RuleOutcome } from './domain/index.js';

export const complianceChecks = pgTable(
  'compliance_checks',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    evaluationId: uuid('evaluation_id').notNull(),
    hook: text('hook').$type<HookPoint>().notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    programId: uuid('program_id'),
    rule: text('rule').notNull(),
    providerConfigId: uuid('provider_config_id').notNull(),
    outcome: text('outcome').$type<RuleOutcome>().notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    citation: text('citation').notNull(),
    facts: jsonb('facts').$type<RuleFacts>(),
    remedy: jsonb('remedy').$type<Remedy>(),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const ofacLists = pgTable(
  'ofac_lists',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    status: text('status').$type<'active' | 'superseded'>().notNull(),
    source: text('source'),
    entries: integer('entries').notNull(),
    aliases: integer('aliases').notNull(),
    sdnSha256: text('sdn_sha256').notNull(),
    sdnCsv: text('sdn_csv').notNull(),
    altCsv: text('alt_csv'),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type ComplianceCheckRow = typeof complianceChecks.$inferSelect;
export type OfacListRow = typeof ofacLists.$inferSelect;
