import { type Scope, SYSTEM_ACTOR } from '../../../kernel/audit.js';
import { addDays, type CalendarDate } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { type DomainEvent, type DomainEvents, publishEvents } from '../../../kernel/events.js';
import { nameUuid } from '../../../kernel/ids.js';
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

/** A page of a closed day's notices: published by `dayClosed`, each page publishing the next. */
export const DAY_NOTICES_EVENT = 'communications.day_notices';
/** Loans per page: each page is one relay delivery, well inside the relay's lease. */
export const NOTICE_PAGE = 500;

interface DayNotices {
  /** The `lending.day_closed` event: the messages' keys name it, whichever page makes them. */
  day_event_id: string;
  business_date: CalendarDate;
  closed: CalendarDate;
  kind: 'reminders' | 'late' | 'statements';
  /** Reminders: this many days before the due date (the loans whose program, or tenant, says so). */
  days?: number;
  /** The last loan of the page before; null for the first page. */
  after: string | null;
}

/**
 * Lending's domain events as messages to the borrower, through the outbox (`messages.create`): the program's
 * resolved provider, the built-in (or the tenant's) template, the customer's contact preferences and opt-outs.
 * Each message carries its event's key (`<event id>:<template>`), so an event relayed twice, or a day closed
 * again, produces it once. A message that cannot be made (the customer has no address for any channel, a
 * template variable the tenant's override needs and the event does not give) is logged and the event counts as
 * handled: retrying would not change the answer. A failure of the database throws, and the relay tries again.
 */
export class EventNotifier {
  readonly #pageSize: number;

  constructor(
    private readonly deps: {
      db: Db;
      messages: MessageService;
      preferences: PreferenceService;
      settings: CommunicationSettingsService;
      customers: CustomerService;
      loans: LoanService;
      notices: LoanNotices;
      logger: Logger;
      /** Loans per page of a closed day's notices. */
      pageSize?: number;
    },
  ) {
    this.#pageSize = deps.pageSize ?? NOTICE_PAGE;
  }

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
    events.subscribe(
      DAY_NOTICES_EVENT,
      each((e) => this.dayNoticesPage(e)),
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

  /**
   * A closed day: the reminders of payments due N days after it (one N per distinct reminder setting), the loans
   * it made late, its statements. Each is a chain of pages (`communications.day_notices` events, one page of
   * NOTICE_PAGE loans each): a tenant with a hundred thousand loans is never read in one answer or handled in one
   * relay pass. The first pages are published together, in one transaction, with ids named by the day and what
   * they list, so a day relayed again publishes nothing new while its pages wait.
   */
  async dayClosed(e: DomainEvent): Promise<void> {
    const { closed, business_date: businessDate } = e.payload as unknown as DayClosedPayload;
    const { settings } = this.deps;
    const tenantDays = (await settings.get(e.tenantId)).paymentReminderDays;
    const programDays = await settings.programReminderDays(e.tenantId);
    const first = (kind: DayNotices['kind'], days?: number): DayNotices => ({
      day_event_id: e.id,
      business_date: businessDate,
      closed,
      kind,
      ...(days !== undefined && { days }),
      after: null,
    });
    const pages = [
      ...[...new Set([tenantDays, ...programDays.values()])].map((days) => first('reminders', days)),
      first('late'),
      first('statements'),
    ];
    await this.#publishPages(e.tenantId, pages);
  }

  /**
   * One page of a closed day's notices: up to NOTICE_PAGE loans after the page before, a message each (keyed by
   * the day's event and the loan, so a page handled again after a crash sends nothing twice), then the next page
   * when this one was full.
   */
  async dayNoticesPage(e: DomainEvent): Promise<void> {
    const p = e.payload as unknown as DayNotices;
    const { notices, settings } = this.deps;
    const tenantId = e.tenantId;
    const day = { tenantId, id: p.day_event_id, type: LENDING_EVENTS.dayClosed };
    const page = { after: p.after, limit: this.#pageSize };
    let found: readonly { loanId: string }[];
    switch (p.kind) {
      case 'reminders': {
        const days = p.days!;
        const tenantDays = (await settings.get(tenantId)).paymentReminderDays;
        const programDays = await settings.programReminderDays(tenantId);
        const dueLoans = await notices.paymentsDue(tenantId, addDays(p.business_date, days), page);
        found = dueLoans;
        for (const due of dueLoans) {
          if ((programDays.get(due.programId) ?? tenantDays) !== days) continue;
          await this.#send(
            day,
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
        break;
      }
      case 'late': {
        const lateLoans = await notices.becameLate(tenantId, p.closed, page);
        found = lateLoans;
        for (const late of lateLoans)
          await this.#send(
            day,
            'late_notice',
            late,
            {
              currency: late.currency,
              loan: { reference: late.reference, days_past_due: late.daysPastDue },
              payment: { due_date: late.oldestUnpaidDue, amount_past_due: late.amountPastDue },
            },
            `${late.loanId}:${late.oldestUnpaidDue}`,
          );
        break;
      }
      case 'statements': {
        const statements = await notices.statementsClosed(tenantId, p.closed, page);
        found = statements;
        for (const s of statements) {
          const variables = await statementVariables(this.deps.loans, systemScope(tenantId), s, p.closed);
          if (variables) await this.#send(day, 'periodic_statement', s, variables, `${s.loanId}:${s.number}`);
        }
        break;
      }
    }
    if (found.length === this.#pageSize)
      await this.#publishPages(tenantId, [{ ...p, after: found.at(-1)!.loanId }]);
  }

  /** Publishes pages of a day's notices; a page's id names it, so publishing it again adds nothing. */
  async #publishPages(tenantId: string, pages: readonly DayNotices[]): Promise<void> {
    await this.deps.db.transaction((tx) =>
      publishEvents(
        tx,
        pages.map((p) => ({
          tenantId,
          id: nameUuid(p.day_event_id, p.kind, String(p.days ?? ''), p.after ?? ''),
          type: DAY_NOTICES_EVENT,
          payload: p,
        })),
      ),
    );
  }

  /**
   * Sends `template` on the channel the customer is reached by (channels.ts). `about` names the loan when one
   * event produces several messages (a closed day): the key is then the event's id with what the message is about.
   */
  async #send(
    e: Pick<DomainEvent, 'tenantId' | 'id' | 'type'>,
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
