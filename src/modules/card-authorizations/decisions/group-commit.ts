import { Batcher, type Ticket } from '../../../kernel/batcher.js';
import type { Logger } from '../../../kernel/logging.js';
import { type BatchItem, type BatchResult, requestKey, shardKey } from './items.js';

/** Applies a batch of items in one transaction; results in item order. */
export interface Decider {
  apply(items: readonly BatchItem[]): Promise<BatchResult[]>;
}

export type GroupCommit = Batcher<BatchItem, BatchResult>;
export type DecisionTicket = Ticket<BatchItem, BatchResult>;

export interface GroupCommitOptions {
  /** Most items per transaction. */
  maxBatch: number;
  /** Independent queues (card owners are spread over them), each with one transaction in flight. */
  shards: number;
}

/** PostgreSQL errors that a second attempt can get past: deadlock, serialization, a racing duplicate insert. */
const TRANSIENT = new Set(['40P01', '40001', '23505']);
const isTransient = (e: unknown) => TRANSIENT.has(String((e as { code?: unknown })?.code ?? ''));

/**
 * Card decisions through the kernel's group commit (kernel/batcher.ts): a hot line costs one commit per batch
 * instead of one per decision. Items of one card owner go to the same shard, so a hot line's decisions gather in
 * the same batches; a batch never holds two items for the same authorization request (the function reads each
 * request once), which keeps each request's messages in arrival order.
 */
export function groupCommit(decider: Decider, opts: GroupCommitOptions, logger: Logger): GroupCommit {
  return new Batcher<BatchItem, BatchResult>(
    (items) => {
      // `seq` is an item's place in its batch: card_apply_batch answers in that order.
      for (let i = 0; i < items.length; i++) items[i]!.seq = i;
      return decider.apply(items);
    },
    {
      maxBatch: opts.maxBatch,
      shards: opts.shards,
      shardKey,
      key: requestKey,
      retryable: isTransient,
      attempts: 3,
      onSplit: (e, size) =>
        logger.warn({ err: e, size }, 'card decision batch failed; retrying items one by one'),
    },
  );
}
