import type { Logger } from '../../../kernel/logging.js';
import { raceTimer } from '../../../kernel/race.js';
import { awaitsDecision, type Decision, fallbackDecision, type ParseResult } from '../domain/messages.js';
import type { DecisionTicket, GroupCommit } from './group-commit.js';
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
import { StandIns, type Told } from './stand-ins.js';

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
 * answers within the deadline. When the outcome is unknown by then (the deadline passed, or the database failed),
 * the answer is the configured fallback, and the books are made to match what the network was told: if the item
 * has not left its queue, it carries the fallback into its transaction; if its transaction was already running, a
 * reconcile item follows it; if its transaction failed, the stand-ins book it once the database answers. Should
 * the process die in between, the platform's own messages still converge: a clearing always posts, and an unused
 * hold expires.
 */
export class DecisionEngine {
  #inFlight = 0;
  readonly #standIns: StandIns;

  constructor(
    private readonly deps: {
      resolution: PaymentResolution;
      commit: GroupCommit;
      logger: Logger;
      now: () => Date;
      /** Called when a committed batch queued a loan draw, so the funding worker runs soon. */
      onFunded: () => void;
    },
  ) {
    this.#standIns = new StandIns({ commit: deps.commit, logger: deps.logger, onFunded: deps.onFunded });
  }

  async handle(binding: Binding, parsed: ParseResult, deadline: Deadline): Promise<EngineAnswer> {
    // The deadline covers the whole decision, resolution included (a cache miss waits on the database too).
    const state: { told?: Told; ticket?: DecisionTicket } = {};
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
    const toldKind: Told = told.approved ? 'approve' : 'decline';
    if (raced.state === 'failed') {
      this.deps.logger.error(
        { err: raced.error, tenantId: binding.tenantId },
        'card decision failed; answered the fallback, booked once the database answers',
      );
      this.#book(state.ticket?.item, toldKind);
      return { decision: told, fallback: true, replay: false };
    }
    // The deadline passed with the decision under way.
    let carried = true;
    if (!state.ticket)
      state.told = toldKind; // still resolving: the item will carry the answer
    else if (!state.ticket.dispatched)
      state.ticket.item.told = toldKind; // still queued: likewise
    else carried = false; // in a transaction that does not know the answer
    this.#inFlight++;
    work
      .then(
        () => {
          if (!carried) this.#standIns.reconcile(state.ticket!.item, toldKind);
        },
        (e) => {
          this.deps.logger.error(
            { err: e, tenantId: binding.tenantId },
            'card decision failed after its fallback; booked once the database answers',
          );
          this.#book(state.ticket?.item, toldKind);
        },
      )
      .finally(() => this.#inFlight--);
    return { decision: told, fallback: true, replay: false };
  }

  /** Messages being resolved, decided, or booked as the network was told (for a graceful shutdown, and tests). */
  get inFlight(): number {
    return this.#inFlight + this.#standIns.pending;
  }

  /** Stops booking stand-in answers (at shutdown). */
  close(): void {
    this.#standIns.close();
  }

  #book(item: BatchItem | undefined, told: Told): void {
    if (item) this.#standIns.book(item, told);
    else
      this.deps.logger.error(
        'a card decision failed before it reached the database; its clearing or the hold expiry will settle it',
      );
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
}
