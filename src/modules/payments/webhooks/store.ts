import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import { paymentWebhookEvents } from '../tables.js';

export async function seen(db: Db, tenantId: string, configId: string, eventId: string): Promise<boolean> {
  const [r] = await db
    .select({ eventId: paymentWebhookEvents.eventId })
    .from(paymentWebhookEvents)
    .where(
      and(
        eq(paymentWebhookEvents.tenantId, tenantId),
        eq(paymentWebhookEvents.providerConfigId, configId),
        eq(paymentWebhookEvents.eventId, eventId),
      ),
    );
  return r !== undefined;
}

/** Records a handled delivery; a concurrent delivery of the same event that got here first keeps its row. */
export async function remember(db: Db, row: typeof paymentWebhookEvents.$inferInsert): Promise<void> {
  await db.insert(paymentWebhookEvents).values(row).onConflictDoNothing();
}
