import type { Customer } from '../../tenancy/index.js';
import { BUILT_IN_TEMPLATES } from '../domain/templates/built-in/index.js';
import type { Channel, TemplateKey } from '../domain/templates/definition.js';

/** The templates lending's events produce. */
export type Notice = Extract<
  TemplateKey,
  | 'welcome'
  | 'payment_receipt'
  | 'payment_reminder'
  | 'late_notice'
  | 'payment_returned'
  | 'payoff_letter'
  | 'periodic_statement'
>;

/**
 * The channels a notice tries, in order. E-mail first; a reminder or receipt falls back to a text, and a notice
 * that is a document (a statement, a late notice, a payoff letter) to a letter: a customer who turned e-mail off
 * gets their statement by mail.
 */
export const NOTICE_CHANNELS: Readonly<Record<Notice, readonly Channel[]>> = {
  welcome: ['email', 'letter'],
  payment_receipt: ['email', 'sms'],
  payment_reminder: ['email', 'sms'],
  late_notice: ['email', 'letter', 'sms'],
  payment_returned: ['email', 'sms', 'letter'],
  payoff_letter: ['email', 'letter'],
  periodic_statement: ['email', 'letter'],
};

/** The customer's address for a channel, or null when none is on file. */
function addressFor(customer: Customer, channel: Channel): string | null {
  switch (channel) {
    case 'email':
      return customer.email ?? null;
    case 'sms':
      return customer.phone ?? null;
    case 'letter':
      return customer.address ? customer.address.lines.join(', ') : null;
  }
}

/**
 * The channel a notice goes by: the first of its channels the template has, the customer has an address for, and
 * neither the customer's preferences nor an opt-out of that address refuse. When every one is refused, the first
 * (the message is then recorded `undeliverable` with the reason); null when the customer has no address at all.
 */
export async function pickChannel(
  template: Notice,
  customer: Customer,
  blocked: (channel: Channel, address: string | null) => Promise<string | undefined>,
): Promise<Channel | null> {
  const content = BUILT_IN_TEMPLATES[template].content;
  const candidates = NOTICE_CHANNELS[template].filter(
    (c) => content[c] !== undefined && addressFor(customer, c) !== null,
  );
  for (const c of candidates) {
    const address = c === 'letter' ? null : addressFor(customer, c);
    if (!(await blocked(c, address))) return c;
  }
  return candidates[0] ?? null;
}
