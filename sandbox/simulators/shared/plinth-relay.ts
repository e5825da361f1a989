import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { desc, eq } from 'drizzle-orm';
import { type Context, createContext } from '../../../src/context.js';
import { buildApp } from '../../../src/http/app.js';
import { SYSTEM_ACTOR } from '../../../src/kernel/audit.js';
import { loadConfig } from '../../../src/kernel/config.js';
import { generateFernetKey } from '../../../src/kernel/crypto/fernet.js';
import * as T from '../../../src/modules/card-authorizations/tables.js';

/**
 * A real Plinth serving its card relay on a local port, with an in-memory database: what the simulators' tests
 * and the CLI's `--self` mode aim at. One tenant, one relay config for the platform, the built-in resolvers
 * (`mcc_rules` with the given rules, `card_owner`), and cards registered on demand with their lines of credit.
 */
export interface PlinthRelayOptions {
  provider: 'stripe_issuing' | 'lithic' | 'generic';
  /** The relay config (webhook secrets, deadline_ms, fallback…). */
  config: Record<string, unknown>;
  /** mcc_rules rules; by default every MCC belongs to the category `all`. */
  rules?: { category_code: string; mcc: string[]; merchant_countries?: string[] }[];
}

export interface StoredMessage {
  kind: string;
  amount: number;
  currency: string | null;
  externalId: string | null;
  approved: boolean;
  reasonCode: string;
  forcePost: boolean;
  /** From the message's authorization request, when it has one. */
  merchantCountry: string | null;
  requestStatus: string | null;
}

export interface PlinthRelay {
  relayUrl: string;
  ctx: Context;
  /** Registers a card for a new owner, with a line of `limit` in every category. */
  card(cardId: string, limit: number, currency?: string): Promise<{ lineIds: string[] }>;
  /** The latest message Plinth recorded. */
  lastMessage(): Promise<StoredMessage>;
  messageCount(): Promise<number>;
  expensed(lineId: string): Promise<number>;
  /** Keeps the database busy for `ms`, so decisions miss a short deadline (PGlite: one connection). */
  stall(ms: number): void;
  /** Resolves when every decision under way (and its reconciliation) has committed. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startPlinthRelay(opts: PlinthRelayOptions): Promise<PlinthRelay> {
  const config = loadConfig({
    DATABASE_URL: 'memory',
    PROVIDER_ENCRYPTION_KEY: generateFernetKey(),
    LOG_LEVEL: 'silent',
    PLINTH_DATA_DIR: '/tmp/plinth-simulator-unused',
  });
  const ctx = await createContext({ config });
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  try {
    const { tenant } = await ctx.tenancy.tenants.createTenant(
      { name: 'Simulated card program' },
      'simulator',
    );
    const scope = { tenantId: tenant.id, actor: SYSTEM_ACTOR };
    const must = <V>(r: { ok: true; value: V } | { ok: false; error: { message: string } }): V => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const relay = must(
      await ctx.providerConfigs.create(scope, {
        label: opts.provider,
        serviceType: 'card_issuing',
        providerKey: opts.provider,
        config: opts.config,
      }),
    );
    const rules = opts.rules ?? [{ category_code: 'all', mcc: ['0000-9999'] }];
    must(
      await ctx.providerConfigs.create(scope, {
        label: 'rules',
        serviceType: 'expense_category_resolver',
        providerKey: 'mcc_rules',
        config: { rules },
        isDefault: true,
      }),
    );
    must(
      await ctx.providerConfigs.create(scope, {
        label: 'owner',
        serviceType: 'line_of_credit_resolver',
        providerKey: 'card_owner',
        config: {},
        isDefault: true,
      }),
    );
    const m = ctx.cardAuthorizations;
    const categories: string[] = [];
    for (const code of new Set(rules.map((r) => r.category_code)))
      categories.push(must(await m.categories.createExpenseCategory(scope, { code, name: code })).id);

    const db = ctx.database.db;
    return {
      relayUrl: `http://127.0.0.1:${port}/v1/card-authorizations/relay/${relay.id}`,
      ctx,
      async card(cardId, limit, currency = 'USD') {
        const ownerRef = randomUUID();
        must(await m.cards.registerCard(scope, { cardId, ownerType: 'customer', ownerRef }));
        const lineIds: string[] = [];
        for (const expenseCategoryId of categories)
          lineIds.push(
            must(
              await m.lines.createLineOfCredit(scope, {
                ownerType: 'customer',
                ownerRef,
                expenseCategoryId,
                currency,
                creditsLimit: limit,
              }),
            ).id,
          );
        return { lineIds };
      },
      async lastMessage() {
        const [msg] = await db
          .select()
          .from(T.authorizationMessages)
          .orderBy(desc(T.authorizationMessages.id))
          .limit(1);
        if (!msg) throw new Error('no message recorded');
        const [req] = msg.requestId
          ? await db
              .select()
              .from(T.authorizationRequests)
              .where(eq(T.authorizationRequests.id, msg.requestId))
          : [];
        return {
          kind: msg.kind,
          amount: msg.amount,
          currency: msg.currency,
          externalId: msg.externalId,
          approved: msg.approved,
          reasonCode: msg.reasonCode,
          forcePost: msg.payload.force_post === true,
          merchantCountry: (req?.merchant.country as string | undefined) ?? null,
          requestStatus: req?.status ?? null,
        };
      },
      async messageCount() {
        return (await db.select({ id: T.authorizationMessages.id }).from(T.authorizationMessages)).length;
      },
      async expensed(lineId) {
        const [t] = await db
          .select()
          .from(T.expenseTrackers)
          .where(eq(T.expenseTrackers.lineOfCreditId, lineId));
        return t?.expensedCredits ?? 0;
      },
      stall(ms) {
        void db.transaction(() => new Promise((r) => setTimeout(r, ms)));
      },
      async settled() {
        for (let quiet = 0; quiet < 3; ) {
          await new Promise((r) => setTimeout(r, 20));
          quiet = m.engine.inFlight + m.commit.backlog === 0 ? quiet + 1 : 0;
        }
      },
      async close() {
        await app.close();
        await ctx.close();
      },
    };
  } catch (e) {
    await app.close();
    await ctx.close();
    throw e;
  }
}
