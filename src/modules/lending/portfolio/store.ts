import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../../kernel/db.js';
import { exactMinor } from '../../../kernel/money.js';

export interface PortfolioLine {
  programId: string;
  programName: string;
  status: string;
  currency: string;
  loans: number;
  amount: number;
}

export interface BucketLine {
  bucket: string;
  currency: string;
  loans: number;
  amount: number;
}

/** Loans and their amounts (financed, capitalized or limit) by program and status. */
export async function byProgramAndStatus(db: Db, tenantId: string): Promise<PortfolioLine[]> {
  const found = await rows<{
    program_id: string;
    program_name: string;
    status: string;
    currency: string;
    loans: number;
    amount: string;
  }>(
    db,
    sql`SELECT l.program_id, p.name AS program_name, l.status, l.currency, count(*)::int AS loans,
               sum(l.amount)::text AS amount
          FROM loans l JOIN programs p ON p.tenant_id = l.tenant_id AND p.id = l.program_id
         WHERE l.tenant_id = ${tenantId}
         GROUP BY l.program_id, p.name, l.status, l.currency
         ORDER BY p.name, l.status`,
  );
  return found.map((r) => ({
    programId: r.program_id,
    programName: r.program_name,
    status: r.status,
    currency: r.currency,
    loans: r.loans,
    amount: exactMinor(r.amount),
  }));
}

/** The loans close of business services (active or delinquent), by delinquency bucket. */
export async function byDelinquencyBucket(db: Db, tenantId: string): Promise<BucketLine[]> {
  const found = await rows<{ bucket: string; currency: string; loans: number; amount: string }>(
    db,
    sql`SELECT delinquency_bucket AS bucket, currency, count(*)::int AS loans, sum(amount)::text AS amount
          FROM loans
         WHERE tenant_id = ${tenantId} AND cob_active
         GROUP BY delinquency_bucket, currency
         ORDER BY min(days_past_due), delinquency_bucket`,
  );
  return found.map((r) => ({
    bucket: r.bucket,
    currency: r.currency,
    loans: r.loans,
    amount: exactMinor(r.amount),
  }));
}
