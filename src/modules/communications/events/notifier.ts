import { type Scope, SYSTEM_ACTOR } from '../../../kernel/audit.js';
import { addDays } from '../../../kernel/dates.js';
import type { DomainEvent, DomainEvents } from '../../../kernel/events.js';
import type { Logger } from '../../../kernel/logging.js';
import {
  type DayClosedPayload,
  LENDING_EVENTS,
  type LoanEventPayload,
  type LoanNotices,
  type LoanService,
} from '../../lending/index.js';
import type { CustomerService } from '../../tenancy/index.js';
import type { MessageService } from '../messages/service.js';
import type { PreferenceService } from '../preferences/service.js';
import type { CommunicationSettingsService } from '../settings/service.js';
import { type Notice, pickChannel } from './channels.js';
import { statementVariables } from './statement.js';

const systemScope = (tenantId: string): Scope => ({ tenantId, actor: SYSTEM_ACTOR });

/**
 * Lending's domain events as messages to the borrower, through the outbox (`messages.create`): the program's
 * resolved provider, the built-in (or the tenant's) template, the customer's contact preferences and opt-outs.
 * Each message carries its event's key (`<event id>:<template>`), so an event relayed twice, or a day closed
 * again, produces it once. A message that cannot be made (the customer has no address for any channel, a
 * template variable the tenant's override needs and the event does not give) is logged and the event counts as
 * handled: retrying would not change the answer. A failure of the database throws, and the relay tries again.
 */
export class EventNotifier {
  constructor(
    private readonly deps: {
      messages: MessageService;
      preferences: PreferenceService;
      settings: CommunicationSettingsService;
      customers: CustomerService;
      loans: LoanService;
      notices: LoanNotices;
      logger: Logger;
    },
  ) {}

  subscribe(events: DomainEvents): void {
    const each =
      (handle: (e: DomainEvent) => Promise<void>) =>
      async (batch: readonly DomainEvent[]): Promise<void> => {
        for (const e of batch) await handle(e);
      };
    events.subscribe(
      LENDING_EVENTS.disbursed,
      each((e) => this.loanEvent(e, 'welcome')),
    );
    events.subscribe(
      LENDING_EVENTS.paymentReceived,
      each((e) => this.loanEvent(e, 'payment_receipt')),
    );
    events.subscribe(
      LENDING_EVENTS.paidOff,
      each((e) => this.loanEvent(e, 'payoff_letter')),
    );
    events.subscribe(
      LENDING_EVENTS.paymentReturned,
      each((e) => this.loanEvent(e, 'payment_returned')),
    );
    events.subscribe(
      LENDING_EVENTS.dayClosed,
      each((e) => this.dayClosed(e)),
    );
  }

  /** A loan's own event: its welcome, receipt, payoff letter or returned-payment notice. */
  async loanEvent(e: DomainEvent, template: Notice): Promise<void> {
    const p = e.payload as unknown as LoanEventPayload;
    const found = await this.deps.loans.get(systemScope(e.tenantId), p.loan_id);
    if (!found.ok) return;
    const loan = found.value;
    const reference = loan.externalRef ?? loan.id;
    const variables: Record<string, unknown> = { currency: loan.currency };
    switch (template) {
      case 'welcome':
        variables.loan = {
          reference,
          amount: loan.amount,
          disbursed_on: p.effective_date,
          next_due_date: p.next_due_date,
        };
        break;
      case 'payment_receipt':
        variables.loan = { reference, next_due_date: p.next_due_date };
        variables.payment = { amount: p.amount, received_on: p.effective_date };
        break;
      case 'payoff_letter':
        variables.loan = { reference, amount: loan.amount, paid_off_on: p.effective_date };
        variables.payment = { amount: p.amount };
        break;
      case 'payment_returned':
        variables.loan = { reference };
        variables.payment = {
          amount: p.amount,
          returned_on: p.effective_date,
          return_reason: returnReason(p.details),
        };
        break;
    }
    await this.#send(e, template, { loanId: loan.id, customerId: loan.customerId }, variables);
  }

  /** A closed day: the reminders of payments due N days after it, the loans it made late, its statements. */
  async dayClosed(e: DomainEvent): Promise<void> {
    const { closed, business_date: businessDate } = e.payload as unknown as DayClosedPayload;
    const { notices, settings } = this.deps;
    const tenantId = e.tenantId;
    const tenantDays = (await settings.get(tenantId)).paymentReminderDays;
    const programDays = await settings.programReminderDays(tenantId);
    for (const days of new Set([tenantDays, ...programDays.values()])) {
      const dueDate = addDays(businessDate, days);
      for (const due of await notices.paymentsDue(tenantId, dueDate)) {
        if ((programDays.get(due.programId) ?? tenantDays) !== days) continue;
        await this.#send(
          e,
          'payment_reminder',
          due,
          {
            currency: due.currency,
            loan: { reference: due.reference },
            payment: { amount_due: due.amount, due_date: due.dueDate, days_until_due: days },
          },
          `${due.loanId}:${due.dueDate}`,
        );
      }
    }
    for (const late of await notices.becameLate(tenantId, closed))
      await this.#send(
        e,
        'late_notice',
        late,
        {
          currency: late.currency,
          loan: { reference: late.reference, days_past_due: late.daysPastDue },
          payment: { due_date: late.oldestUnpaidDue, amount_past_due: late.amountPastDue },
        },
        `${late.loanId}:${late.oldestUnpaidDue}`,
      );
    for (const s of await notices.statementsClosed(tenantId, closed)) {
      const variables = await statementVariables(this.deps.loans, systemScope(tenantId), s, closed);
      if (variables) await this.#send(e, 'periodic_statement', s, variables, `${s.loanId}:${s.number}`);
    }
  }

  /**
   * Sends `template` on the channel the customer is reached by (channels.ts). `about` names the loan when one
   * event produces several messages (a closed day): the key is then the event's id with what the message is about.
   */
  async #send(
    e: DomainEvent,
    template: Notice,
    to: { loanId: string; customerId: string | null },
    variables: Record<string, unknown>,
    about?: string,
  ): Promise<void> {
    const { customers, preferences, messages, logger } = this.deps;
    const scope = systemScope(e.tenantId);
    const log = { tenantId: e.tenantId, event: e.type, eventId: e.id, loanId: to.loanId, template };
    if (!to.customerId) return logger.info(log, 'events: no message (the loan has no customer)');
    const customer = await customers.get(scope, to.customerId);
    if (!customer.ok) return logger.warn(log, 'events: no message (the customer is not found)');
    const channel = await pickChannel(template, customer.value, (channel, address) =>
      preferences.blocked(e.tenantId, to.customerId, channel, address),
    );
    if (!channel)
      return logger.warn(log, 'events: no message (the customer has no address for any channel of it)');
    const created = await messages.create(scope, {
      channel,
      template,
      variables,
      loanId: to.loanId,
      customerId: to.customerId,
      eventKey: `${e.id}:${template}${about ? `:${about}` : ''}`,
    });
    if (!created.ok)
      logger.warn({ ...log, channel, error: created.error }, 'events: the message could not be made');
  }
}

/** What the reversal says of why: a return reported by the bank, or the operator's reason. */
function returnReason(details: Record<string, unknown>): string | null {
  if (typeof details.reason === 'string') return details.reason;
  if (details.returned === true) return 'returned by the bank';
  return null;
}
