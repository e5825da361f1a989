/**
 * A message's life: queued → sending → sent → delivered | failed | bounced, or undeliverable without being sent
 * (no provider for the channel, an opt-out, a blocking rule). Sending goes back to queued only when a transient
 * failure is retried. Webhook events move a message forward only: a repeat or a late event that would move it
 * back is recorded as nothing, so delivering events twice or out of order leaves one answer.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'undeliverable',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const FINAL_STATUSES: readonly MessageStatus[] = ['delivered', 'failed', 'bounced', 'undeliverable'];

const RANK: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  failed: 3,
  bounced: 3,
  undeliverable: 3,
};

export const isFinal = (s: MessageStatus) => RANK[s] === 3;

/** Whether a provider's report of `next` moves a message that is `current` (forward only; final is final). */
export function advances(current: MessageStatus, next: MessageStatus): boolean {
  if (isFinal(current)) return false;
  // A report can arrive before the send call returned (sending): any report proves the vendor has it.
  return RANK[next] > RANK[current];
}

/** Backoff before retry `attempt` (1-based) of a transient failure: 2^attempt seconds, at most 5 minutes. */
export function retryDelaySeconds(attempt: number, retryAfter?: number): number {
  const backoff = Math.min(300, 2 ** attempt);
  return Math.max(backoff, retryAfter ?? 0);
}

export const MAX_ATTEMPTS = 5;
