import type { Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, invalidField, notFound, ok, type Result } from '../../../kernel/result.js';
import type { ProviderResolver } from '../../../providers/index.js';
import type { DocumentService } from '../../documents/index.js';
import type { LoanService } from '../../lending/index.js';
import type { CustomerService } from '../../tenancy/index.js';
import { renderLetterPdf } from '../domain/letter-pdf.js';
import { E164, type Recipient } from '../domain/recipients.js';
import type { Channel, TemplateKey } from '../domain/templates/definition.js';
import type { PreferenceService } from '../preferences/service.js';
import type { CommunicationSettingsService } from '../settings/service.js';
import type { MessageEventRow, MessageRow } from '../tables.js';
import type { TemplateService } from '../templates/service.js';
import * as store from './store.js';

export type Message = MessageRow;

export interface NewMessage {
  channel: Channel;
  template: string;
  variables: Record<string, unknown>;
  customerId?: string | null;
  loanId?: string | null;
  /** The recipient, when not the customer's address on file (already validated for the channel). */
  to?: Recipient | null;
  /** Stored documents an e-mail carries. */
  attachments?: readonly string[];
  /**
   * The domain event (and template) that produced it (events/): a message with this key exists at most once, so
   * an event delivered again is answered with the message it produced the first time.
   */
  eventKey?: string;
}

/** The most an e-mail's attachments may add up to (SendGrid takes 30 MB per request, base64 grows a third). */
export const ATTACHMENT_LIMIT_BYTES = 10 * 1024 * 1024;

/** Templates whose letters are notices (the document kind they are stored as). */
const NOTICES = new Set<TemplateKey>(['adverse_action_notice', 'late_notice']);

export interface MessageDeps {
  db: Db;
  resolver: ProviderResolver;
  templates: TemplateService;
  settings: CommunicationSettingsService;
  preferences: PreferenceService;
  customers: CustomerService;
  loans: LoanService;
  documents: DocumentService;
  now: () => Date;
  /** Hands a queued message to the dispatch workers. */
  enqueue(tenantId: string): Promise<void>;
}

/**
 * The outbox's front door: renders the template, works out the recipient and the provider, and stores the message
 * `queued` for the dispatch workers, or `undeliverable` with the reason (no provider, an opt-out, no storage for
 * a letter's PDF) so the caller carries on either way. Bad input is a 422 naming the field; nothing is written.
 */
export class MessageService {
  constructor(private readonly deps: MessageDeps) {}

  async create(scope: Scope, input: NewMessage): Promise<Result<Message>> {
    const { db, now } = this.deps;
    if (input.eventKey) {
      const done = await store.findByEventKey(db, scope.tenantId, input.eventKey);
      if (done) return ok(done);
    }
    const context = await this.#context(scope, input);
    if (!context.ok) return context;
    const { customerName, recipient, programId, customerId } = context.value;

    const settings = await this.deps.settings.get(scope.tenantId);
    const today = now().toISOString().slice(0, 10);
    const variables = {
      today,
      ...(settings.lender && { lender: settings.lender }),
      ...(customerName && { customer: { name: customerName } }),
      ...input.variables,
    };
    const rendered = await this.deps.templates.render(
      scope.tenantId,
      input.template,
      input.channel,
      variables,
    );
    if (!rendered.ok)
      return rendered.error.kind === 'not_found'
        ? err(invalidField('template', rendered.error.message))
        : rendered;
    const { channel: _, ...content } = rendered.value;
    const attachments = await this.#attachments(scope, input);
    if (!attachments.ok) return attachments;

    const id = uuidv7();
    let status: 'queued' | 'undeliverable' = 'queued';
    let reason: string | null = null;
    let documentId: string | null = null;
    const resolved = await this.deps.resolver.resolve(scope.tenantId, input.channel, programId);
    const address = 'email' in recipient ? recipient.email : 'phone' in recipient ? recipient.phone : null;
    const blocked = await this.deps.preferences.blocked(scope.tenantId, customerId, input.channel, address);
    if (resolved.source === 'none') {
      status = 'undeliverable';
      reason = `no ${input.channel} provider is configured`;
    } else if (blocked) {
      status = 'undeliverable';
      reason = blocked;
    } else if (rendered.value.channel === 'letter') {
      const stored = await this.#storeLetter(scope, input, id, rendered.value.body, settings.lender?.name, {
        programId,
        customerId,
      });
      if (stored.ok) documentId = stored.value;
      else {
        status = 'undeliverable';
        reason = `the letter could not be stored: ${stored.error.code}`;
      }
    }

    const message = await db.transaction((tx) =>
      store.insertMessage(
        tx,
        {
          tenantId: scope.tenantId,
          id,
          channel: input.channel,
          templateKey: input.template,
          customerId,
          loanId: input.loanId ?? null,
          programId,
          recipient: recipient as Record<string, unknown>,
          content,
          documentId,
          attachmentIds: attachments.value,
          status,
          statusReason: reason,
          providerConfigId: resolved.source === 'none' ? null : resolved.providerConfigId,
          providerKey: resolved.source === 'none' ? null : resolved.providerKey,
          eventKey: input.eventKey ?? null,
        },
        now(),
      ),
    );
    // Another delivery of the same event stored its message between the look above and this insert.
    if (!message) {
      const first = await store.findByEventKey(db, scope.tenantId, input.eventKey!);
      if (!first) throw new Error(`message ${id} was not stored and no message holds its event key`);
      return ok(first);
    }
    if (status === 'queued') await this.deps.enqueue(scope.tenantId);
    return ok(message);
  }

  /** The recipient (given, or the customer's on file), the customer's name and the program that picks providers. */
  async #context(
    scope: Scope,
    input: NewMessage,
  ): Promise<
    Result<{
      recipient: Recipient;
      customerName: string | null;
      programId: string | null;
      customerId: string | null;
    }>
  > {
    let programId: string | null = null;
    let customerId = input.customerId ?? null;
    if (input.loanId) {
      const loan = await this.deps.loans.get(scope, input.loanId);
      if (!loan.ok) return err(invalidField('loan_id', 'no such loan', 'unknown_loan'));
      programId = loan.value.programId;
      if (customerId && loan.value.customerId && loan.value.customerId !== customerId)
        return err(invalidField('customer_id', 'is not the loan’s customer'));
      customerId ??= loan.value.customerId;
    }
    const customer = customerId ? await this.deps.customers.get(scope, customerId) : undefined;
    if (customer && !customer.ok)
      return err(invalidField('customer_id', 'no such customer', 'unknown_customer'));
    const c = customer?.value;
    if (input.to) {
      const name = 'name' in input.to ? (input.to.name ?? null) : null;
      return ok({ recipient: input.to, customerName: c?.legalName ?? name, programId, customerId });
    }
    if (!c) return err(invalidField('to', 'required without a customer_id or loan_id'));
    const missing = (what: string) =>
      err(invalidField('customer_id', `the customer has no ${what} on file (give "to")`));
    switch (input.channel) {
      case 'email':
        if (!c.email) return missing('e-mail address');
        return ok({
          recipient: { email: c.email, name: c.legalName },
          customerName: c.legalName,
          programId,
          customerId,
        });
      case 'sms':
        if (!c.phone) return missing('phone number');
        if (!E164.test(c.phone))
          return err(invalidField('customer_id', 'the customer’s phone number is not E.164'));
        return ok({ recipient: { phone: c.phone }, customerName: c.legalName, programId, customerId });
      case 'letter':
        if (!c.address) return missing('postal address');
        // Mail houses print two address lines: a longer address on file is not cut short silently.
        if (c.address.lines.length > 2 || c.address.lines.some((l) => l.length > 64))
          return err(
            invalidField('customer_id', 'the customer’s address has lines a letter cannot carry (give "to")'),
          );
        return ok({
          recipient: { name: c.legalName.slice(0, 40), address: c.address },
          customerName: c.legalName,
          programId,
          customerId,
        });
    }
  }

  /** The attachments' document ids, each stored in the tenant: 413 when together they pass the limit. */
  async #attachments(scope: Scope, input: NewMessage): Promise<Result<string[]>> {
    const ids = input.attachments ?? [];
    if (ids.length === 0) return ok([]);
    if (input.channel !== 'email') return err(invalidField('attachments', 'only e-mails carry attachments'));
    let total = 0;
    for (const [i, id] of ids.entries()) {
      const doc = await this.deps.documents.get(scope, id);
      if (!doc.ok || doc.value.status !== 'stored')
        return err(invalidField(`attachments.${i}`, 'no such stored document', 'unknown_document'));
      total += doc.value.sizeBytes;
    }
    if (total > ATTACHMENT_LIMIT_BYTES)
      return err(
        failure(
          'too_large',
          'attachments_too_large',
          `the attachments add up to ${total} bytes, over ${ATTACHMENT_LIMIT_BYTES}`,
          {
            fields: [{ path: 'attachments', message: `at most ${ATTACHMENT_LIMIT_BYTES} bytes in all` }],
          },
        ),
      );
    return ok([...ids]);
  }

  /** Renders the letter to PDF and stores it with the loan's (or customer's) documents: its id, or why not. */
  async #storeLetter(
    scope: Scope,
    input: NewMessage,
    id: string,
    body: string,
    sender: string | undefined,
    of: { programId: string | null; customerId: string | null },
  ): Promise<Result<string>> {
    const { programId, customerId } = of;
    const pdf = await renderLetterPdf({
      body,
      sender: sender ?? 'Plinth',
      title: input.template,
      date: this.deps.now(),
    });
    const owner = input.loanId
      ? { type: 'loan' as const, id: input.loanId }
      : customerId
        ? { type: 'customer' as const, id: customerId }
        : { type: 'tenant' as const, id: null };
    const doc = await this.deps.documents.store(scope, {
      owner,
      kind: NOTICES.has(input.template as TemplateKey) ? 'notice' : 'letter',
      filename: `${input.template}-${id}.pdf`,
      contentType: 'application/pdf',
      bytes: pdf,
      programId,
    });
    return doc.ok ? ok(doc.value.id) : doc;
  }

  async get(scope: Scope, id: string): Promise<Result<{ message: Message; events: MessageEventRow[] }>> {
    const message = isUuid(id) ? await store.findMessage(this.deps.db, scope.tenantId, id) : undefined;
    if (!message) return err(notFound('message'));
    return ok({ message, events: await store.listEvents(this.deps.db, scope.tenantId, id) });
  }

  async list(scope: Scope, filter: store.MessageFilter): Promise<Message[]> {
    for (const id of [filter.customerId, filter.loanId]) if (id && !isUuid(id)) return [];
    return store.listMessages(this.deps.db, scope.tenantId, {
      ...filter,
      before: filter.before && isUuid(filter.before) ? filter.before : undefined,
    });
  }
}
