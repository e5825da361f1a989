import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { paymentProgramSettings, type SettingsRow } from '../tables.js';

export async function findSettings(
  db: Db,
  tenantId: string,
  programId: string,
): Promise<SettingsRow | undefined> {
  const [r] = await db
    .select()
    .from(paymentProgramSettings)
    .where(
      and(eq(paymentProgramSettings.tenantId, tenantId), eq(paymentProgramSettings.programId, programId)),
    );
  return r;
}

export async function upsertSettings(
  db: Db,
  row: typeof paymentProgramSettings.$inferInsert,
): Promise<SettingsRow> {
  const [r] = await db
    .insert(paymentProgramSettings)
    .values(row)
    .onConflictDoUpdate({
      target: [paymentProgramSettings.tenantId, paymentProgramSettings.programId],
      set: {
        returnedPaymentFee: row.returnedPaymentFee,
        overpayment: row.overpayment,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return r!;
}
