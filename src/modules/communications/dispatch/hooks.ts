import type { Channel } from '../domain/templates/definition.js';

/** What a pre-send rule sees of a message about to go. */
export interface OutgoingMessage {
  tenantId: string;
  id: string;
  channel: Channel;
  templateKey: string;
  customerId: string | null;
  loanId: string | null;
  /** The program of the loan the message is about (stored with the message when it was created). */
  programId: string | null;
  recipient: Record<string, unknown>;
  attempts: number;
}

export type PreSendDecision =
  | { action: 'allow' }
  /** The message is not sent: undeliverable with the reason. */
  | { action: 'block'; reason: string }
  /** The message waits (contact hours, frequency caps) and is checked again at `until`. */
  | { action: 'defer'; until: Date; reason: string };

/**
 * A rule run just before each send (the compliance module registers its contact-hours and frequency rules here).
 * Hooks run in registration order; the first that does not allow decides.
 */
export type PreSendHook = (m: OutgoingMessage) => Promise<PreSendDecision>;
