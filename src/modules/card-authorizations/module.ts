import type { AuditWriter } from '../../kernel/audit.js';
import type { Database } from '../../kernel/db.js';
import type { JobQueue } from '../../kernel/jobs.js';
import type { Logger } from '../../kernel/logging.js';
import type { ProviderResolver } from '../../providers/resolution.js';
import { CardService } from './cards.js';
import { ExpenseCategoryService } from './categories.js';
import { CardDirectory } from './directory.js';
import { DecisionEngine } from './engine/engine.js';
import { type Decider, GroupCommit } from './engine/group-commit.js';
import { SqlDecider } from './engine/sql-decider.js';
import { HoldExpiry } from './expiry.js';
import { FundingOutbox, type LoanFunding } from './funding.js';
import { LineOfCreditService } from './lines.js';
import { CardRelays } from './relays.js';
import { AuthorizationRequestService } from './requests.js';
import { PaymentResolution } from './resolution.js';

/** Cross-process cache invalidation of the card directory (cards, categories, lines), per tenant. */
export const CARD_CHANGES = 'plinth_card_changes';
const FUNDING_QUEUE = 'card-authorizations.funding';
const EXPIRY_QUEUE = 'card-authorizations.expire-holds';

export interface CardAuthorizationsDeps {
  database: Database;
  resolver: ProviderResolver;
  audit: AuditWriter;
  logger: Logger;
  now: () => Date;
  /** The time zone of a tenant, for the posting date of loan draws. */
  tenantZone: (tenantId: string) => Promise<string>;
  /** The lending side of card funding; without it, loan postings wait in the outbox. */
  loanFunding?: LoanFunding;
  /** Group commit: most items per transaction, and independent queues. */
  batch: { maxBatch: number; shards: number };
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
  /** Registers the background workers: hold expiry every 10 minutes, the funding outbox on demand and every minute. */
  startWorkers(jobs: JobQueue): Promise<void>;
  close(): Promise<void>;
}

/** Resolver calls get this long each; the relay's own deadline (1,500 ms by default) bounds the whole decision. */
const RESOLVER_BUDGET_MS = 250;

export async function createCardAuthorizations(deps: CardAuthorizationsDeps): Promise<CardAuthorizations> {
  const { database, logger, now } = deps;
  const db = database.db;
  const directory = new CardDirectory(db);
  const changed = async (tenantId: string) => {
    directory.invalidate(tenantId);
    await database.notify(CARD_CHANGES, tenantId);
  };
  const unlisten = await database.listen(CARD_CHANGES, (tenantId) => directory.invalidate(tenantId));
  const serviceDeps = { db, audit: deps.audit, changed };
  const commit = new GroupCommit(deps.decider ?? new SqlDecider(database.raw), deps.batch, logger);
  const funding = new FundingOutbox({
    db,
    funding: deps.loanFunding,
    tenantZone: deps.tenantZone,
    logger,
    now,
  });
  let jobs: JobQueue | undefined;
  let nudged = false;
  const engine = new DecisionEngine({
    resolution: new PaymentResolution({
      resolver: deps.resolver,
      directory,
      logger,
      budgetMs: RESOLVER_BUDGET_MS,
    }),
    commit,
    logger,
    now,
    onFunded: () => {
      // One job per burst of postings is enough: the worker drains everything due.
      if (!jobs || nudged) return;
      nudged = true;
      setTimeout(() => {
        nudged = false;
        jobs?.send(FUNDING_QUEUE, {}).catch((e) => logger.error({ err: e }, 'could not queue card funding'));
      }, 250).unref();
    },
  });
  const expiry = new HoldExpiry({ db, engine, now });
  return {
    categories: new ExpenseCategoryService(serviceDeps),
    lines: new LineOfCreditService(serviceDeps),
    cards: new CardService(serviceDeps),
    requests: new AuthorizationRequestService({ db }),
    directory,
    relays: new CardRelays(deps.resolver),
    engine,
    commit,
    expiry,
    funding,
    async startWorkers(queue) {
      jobs = queue;
      await queue.work(FUNDING_QUEUE, async () => {
        while ((await funding.processDue()).done > 0);
      });
      await queue.schedule(FUNDING_QUEUE, '* * * * *');
      await queue.work(EXPIRY_QUEUE, async () => {
        while ((await expiry.releaseExpiredHolds()) > 0);
      });
      await queue.schedule(EXPIRY_QUEUE, '*/10 * * * *');
    },
    async close() {
      jobs = undefined;
      await unlisten();
      // Let decisions under way finish before the database goes away.
      for (let i = 0; i < 200 && engine.inFlight + commit.backlog > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
    },
  };
}
