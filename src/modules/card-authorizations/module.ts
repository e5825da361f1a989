import { tenantChanges } from '../../kernel/tenant-changes.js';
import type { ModuleDefinition } from '../platform.js';
import { cardRoutes } from './cards/routes.js';
import { CardService } from './cards/service.js';
import { categoryRoutes } from './categories/routes.js';
import { ExpenseCategoryService } from './categories/service.js';
import { CardDirectory } from './decisions/directory.js';
import { DecisionEngine } from './decisions/engine.js';
import { HoldExpiry } from './decisions/expiry.js';
import { type Decider, type GroupCommit, groupCommit } from './decisions/group-commit.js';
import { CardRelays } from './decisions/relays.js';
import { PaymentResolution } from './decisions/resolution.js';
import { relayRoutes } from './decisions/routes.js';
import { SqlDecider } from './decisions/store.js';
import type { LoanExists } from './domain/owners.js';
import { FundingOutbox, type LoanFunding } from './funding/service.js';
import { lineRoutes } from './lines/routes.js';
import { LineOfCreditService } from './lines/service.js';
import { cardAuthorizationRegistries } from './registry.js';
import { requestRoutes } from './requests/routes.js';
import { AuthorizationRequestService } from './requests/service.js';

/** Every route of the module is under this prefix. */
const PREFIX = '/v1/card-authorizations';

/** Cross-process cache invalidation of the card directory (cards, categories, lines), per tenant. */
export const CARD_CHANGES = 'plinth_card_changes';
const FUNDING_QUEUE = 'card-authorizations.funding';
const EXPIRY_QUEUE = 'card-authorizations.expire-holds';

export interface CardAuthorizationsNeeds {
  /** The time zone of a tenant, for the posting date of loan draws. */
  tenantZone: (tenantId: string) => Promise<string>;
  /** The lending side of card funding; without it, loan postings wait in the outbox. */
  loanFunding?: LoanFunding;
  /** Whether a loan exists in the tenant (lending's answer): a card or line owned by a loan must name one. */
  loanExists: LoanExists;
  /** Another decider than `card_apply_batch` (the benchmark's naive baseline). */
  decider?: Decider;
}

export interface CardAuthorizations {
  categories: ExpenseCategoryService;
  lines: LineOfCreditService;
  cards: CardService;
  requests: AuthorizationRequestService;
  directory: CardDirectory;
  relays: CardRelays;
  engine: DecisionEngine;
  commit: GroupCommit;
  expiry: HoldExpiry;
  funding: FundingOutbox;
}

/** Resolver calls get this long each; the relay's own deadline (1,500 ms by default) bounds the whole decision. */
const RESOLVER_BUDGET_MS = 250;

export const cardAuthorizationsModule: ModuleDefinition<CardAuthorizations, CardAuthorizationsNeeds> = {
  name: 'card-authorizations',
  registries: cardAuthorizationRegistries,
  async create({ config, database, db, resolver, audit, logger, now, jobs }, needs) {
    const directory = new CardDirectory(db);
    const cardChanges = await tenantChanges(database, CARD_CHANGES, (t) => directory.invalidate(t));
    const serviceDeps = { db, audit, changed: cardChanges.changed };
    const commit = groupCommit(
      needs.decider ?? new SqlDecider(database.raw),
      { maxBatch: config.PLINTH_CARD_BATCH_MAX, shards: config.PLINTH_CARD_BATCH_SHARDS },
      logger,
    );
    const funding = new FundingOutbox({
      db,
      funding: needs.loanFunding,
      tenantZone: needs.tenantZone,
      logger,
      now,
    });
    let nudged = false;
    const engine = new DecisionEngine({
      resolution: new PaymentResolution({ resolver, directory, logger, budgetMs: RESOLVER_BUDGET_MS }),
      commit,
      logger,
      now,
      onFunded: () => {
        // One job per burst of postings is enough: the worker drains everything due.
        if (!jobs || nudged) return;
        nudged = true;
        setTimeout(() => {
          nudged = false;
          jobs.send(FUNDING_QUEUE, {}).catch((e) => logger.error({ err: e }, 'could not queue card funding'));
        }, 250).unref();
      },
    });
    const expiry = new HoldExpiry({ db, engine, now });
    const services: CardAuthorizations = {
      categories: new ExpenseCategoryService(serviceDeps),
      lines: new LineOfCreditService({ ...serviceDeps, loanExists: needs.loanExists }),
      cards: new CardService({ ...serviceDeps, loanExists: needs.loanExists }),
      requests: new AuthorizationRequestService({ db }),
      directory,
      relays: new CardRelays(resolver),
      engine,
      commit,
      expiry,
      funding,
    };
    return {
      name: 'card-authorizations',
      services,
      async routes(app) {
        const m = services;
        await app.register(categoryRoutes, { prefix: PREFIX, categories: m.categories });
        await app.register(lineRoutes, { prefix: PREFIX, lines: m.lines });
        await app.register(cardRoutes, { prefix: PREFIX, cards: m.cards });
        await app.register(requestRoutes, { prefix: PREFIX, requests: m.requests });
        // Its own plugin: its raw-body content parser applies to this route only.
        await app.register(relayRoutes, {
          prefix: PREFIX,
          relays: m.relays,
          engine: m.engine,
          now: () => new Date(),
        });
      },
      workers: [
        {
          queue: FUNDING_QUEUE,
          schedule: '* * * * *',
          handle: async () => {
            while ((await funding.processDue()).done > 0);
          },
        },
        {
          queue: EXPIRY_QUEUE,
          schedule: '*/10 * * * *',
          handle: async () => {
            while ((await expiry.releaseExpiredHolds()) > 0);
          },
        },
      ],
      async close() {
        await cardChanges.unlisten();
        // Let decisions under way finish before the database goes away.
        for (let i = 0; i < 200 && engine.inFlight + commit.backlog > 0; i++)
          await new Promise((r) => setTimeout(r, 10));
        engine.close();
      },
    };
  },
};
