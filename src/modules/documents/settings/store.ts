import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../kernel/db.js';
import type { DocumentPolicy } from '../domain/policy.js';
import { documentSettings } from '../tables.js';

export async function findPolicy(db: Db, tenantId: string): Promise<DocumentPolicy | undefined> {
  const [r] = await db.select().from(documentSettings).where(eq(documentSettings.tenantId, tenantId));
  return r && { maxBytes: r.maxBytes, allowedContentTypes: r.allowedContentTypes };
}

export async function savePolicy(db: Db, tenantId: string, p: DocumentPolicy): Promise<void> {
  const values = { maxBytes: p.maxBytes, allowedContentTypes: [...p.allowedContentTypes] };
  await db
    .insert(documentSettings)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: documentSettings.tenantId, set: { ...values, updatedAt: sql`now()` } });
}
