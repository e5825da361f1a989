import type { Logger } from '../../../kernel/logging.js';
import { raceTimer } from '../../../kernel/race.js';
import { awaitsDecision, type Decision, fallbackDecision, type ParseResult } from '../domain/messages.js';
import type { GroupCommit, Ticket } from './group-commit.js';
import {
  type BatchItem,
  type BatchResult,
  type Binding,
  expiryItem,
  invalidItem,
  messageItem,
  RESERVING_KINDS,
} from './items.js';
import type { PaymentResolution } from './resolution.js';

export interface Deadline {
  /** performance.now() by which the platform must have its answer. */
  at: number;
  fallback: 'approve' | 'decline';
}

export interface EngineAnswer {
  decision: Decision;
  /** The deadline passed (or the database failed) and the answer is the configured fallback. */
  fallback: boolean;
  replay: boolean;
}

const toDecision = (r: BatchResult): Decision =>
  r.approved
    ? { approved: true, reasonCode: r.reasonCode, approvedAmount: r.approvedAmount }
    : { approved: false, reasonCode: r.reasonCode };

/**
 * The decision engine behind every relay: resolves a message from the caches, hands it to group commit, and
 * answers within the deadline. When the deadline passes first, the answer is the configured fallback, and the
 * books are made to match what the network was told: if the item has not left its queue, it carries the
 * fallback into its transaction; if it has, a reconcile item follows it. Should the process die in between,
 * the platform's own messages still converge: a clearing always posts, and an unused hold expires.
 */
export class DecisionEngine {
  #inFlight = 0;

  constructor(
    private readonly deps: {
      resolution: PaymentResolution;
      commit: GroupCommit;
      logger: Logger;
      now: () => Date;
      /** Called when a committed batch queued a loan draw, so the funding worker runs soon. */
      onFunded: () => void;
    },
  ) {}

  async handle(binding: Binding, parsed: ParseResult, deadline: Deadline): Promise<EngineAnswer> {
    // The deadline covers the whole decision, resolution included (a cache miss waits on the database too).
    const state: { told?: 'approve' | 'decline'; ticket?: Ticket } = {};
    const work = this.#track(async () => {
      const item = await this.#item(binding, parsed);
      if (state.told) item.told = state.told;
      state.ticket = this.deps.commit.submit(item);
      const r = await state.ticket.result;
      if (r.funded) this.deps.onFunded();
      return r;
    });
    // Whoever ends up waiting on it handles a failure; this only keeps an unwatched one from crashing the process.
    work.catch(() => {});
    if (!awaitsDecision(parsed)) {
      const r = await work;
      return { decision: toDecision(r), fallback: false, replay: r.replay };
    }
    const raced = await raceTimer(work, deadline.at - performance.now());
    if (raced.state === 'settled')
      return { decision: toDecision(raced.value), fallback: false, replay: raced.value.replay };

    const told = fallbackDecision(deadline.fallback, parsed);
    const toldKind = told.approved ? 'approve' : 'decline';
    if (raced.state === 'failed') {
      this.deps.logger.error(
        { err: raced.error, tenantId: binding.tenantId },
        'card decision failed; answered the fallback',
      );
    } else if (!state.ticket) {
      // Still resolving: the item will carry the answer into its own transaction.
      state.told = toldKind;
    } else if (!state.ticket.dispatched) {
      // Still queued: likewise.
      state.ticket.item.told = toldKind;
    } else {
      const item = state.ticket.item;
      this.#inFlight++;
      work.then(
        () => this.#reconcile(item, toldKind).finally(() => this.#inFlight--),
        (e) => {
          this.#inFlight--;
          this.deps.logger.error(
            { err: e, tenantId: binding.tenantId },
            'card decision failed after its fallback',
          );
        },
      );
    }
    return { decision: told, fallback: true, replay: false };
  }

  /** Messages being resolved, decided or reconciled (for a graceful shutdown, and tests). */
  get inFlight(): number {
    return this.#inFlight;
  }

  async #track<T>(run: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await run();
    } finally {
      this.#inFlight--;
    }
  }

  /** Plinth's own expiry of a hold: recorded as an idempotent message on the request. */
  async expire(binding: Binding, request: Parameters<typeof expiryItem>[1]): Promise<BatchResult> {
    return this.deps.commit.submit(expiryItem(binding, request, this.deps.now())).result;
  }

  async #item(binding: Binding, parsed: ParseResult): Promise<BatchItem> {
    const now = this.deps.now();
    if (!parsed.ok) return invalidItem(binding, parsed, now);
    const m = parsed.message;
    const resolved = await this.deps.resolution.resolve(binding.tenantId, m, RESERVING_KINDS.has(m.kind));
    return messageItem(binding, m, resolved, now);
  }

  async #reconcile(original: BatchItem, told: 'approve' | 'decline'): Promise<void> {
    try {
      await this.deps.commit.submit({ ...original, kind: 'reconcile', told }).result;
    } catch (e) {
      this.deps.logger.error(
        { err: e, tenantId: original.tenant_id, messageId: original.message_id },
        'reconciling a fallback answer failed; the platform’s clearing or the hold expiry will settle it',
      );
    }
  }
}
