// The reporting module's table: report runs (report_runs). Queries live in runs/store.ts.
import { bigint, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ChartSpec, ReportFormat, ReportSummary } from './domain/index.js';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const reportRuns = pgTable(
  'report_runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    generator: text('generator').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    format: text('format').$type<ReportFormat>().notNull(),
    status: text('status').$type<RunStatus>().notNull(),
    rowsWritten: bigint('rows_written', { mode: 'number' }).notNull().default(0),
    summary: jsonb('summary').$type<ReportSummary>(),
    chart: jsonb('chart').$type<ChartSpec>(),
    location: text('location'),
    bytes: bigint('bytes', { mode: 'number' }),
    error: text('error'),
    requestedBy: text('requested_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type ReportRunRow = typeof reportRuns.$inferSelect;
