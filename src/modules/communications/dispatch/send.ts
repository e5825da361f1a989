import type { Scope } from '../../../kernel/audit.js';
import { ProviderError } from '../../../kernel/errors.js';
import type { Failure } from '../../../kernel/result.js';
import type { ProviderResolver } from '../../../providers/index.js';
import type { DocumentService } from '../../documents/index.js';
import type { SendReceipt } from '../domain/channels.js';
import type { EmailRecipient, LetterRecipient, SmsRecipient } from '../domain/recipients.js';
import type { MessageRow } from '../tables.js';

export interface SendDeps {
  resolver: ProviderResolver;
  documents: DocumentService;
  /** Plinth's public URL: status callbacks name the config's webhook route on it. */
  publicUrl: string;
}

const SYSTEM: Scope['actor'] = { type: 'system', id: null };

/** A stored document the message needs could not be read: transient when storage is down, else final. */
const documentError = (f: Failure, what: string) =>
  new ProviderError(f.kind === 'unavailable' ? 'unavailable' : 'configuration', `${what}: ${f.message}`);

/**
 * One provider call for a claimed message, through the config it was created with (resolved instances are cached
 * per config version, so every message of a config shares one SDK client). Throws the provider's error.
 */
export async function sendMessage(deps: SendDeps, m: MessageRow): Promise<SendReceipt> {
  const { resolver } = deps;
  const configId = m.providerConfigId!;
  const missing = () =>
    new ProviderError('configuration', 'the provider config of this message was deleted', {
      provider: m.providerKey ?? undefined,
    });
  const content = m.content;
  switch (m.channel) {
    case 'email': {
      const p = await resolver.byId('email', configId, m.tenantId);
      if (!p) throw missing();
      const to = m.recipient as EmailRecipient;
      const attachments = [];
      for (const id of m.attachmentIds) {
        const doc = await deps.documents.read({ tenantId: m.tenantId, actor: SYSTEM }, id);
        if (!doc.ok) throw documentError(doc.error, 'an attachment');
        const d = doc.value.document;
        attachments.push({
          filename: d.filename ?? `${d.id}`,
          contentType: d.contentType,
          content: doc.value.bytes,
        });
      }
      return p.instance.sendEmail({
        messageId: m.id,
        to: { email: to.email, name: to.name ?? null },
        subject: content.subject!,
        html: content.html!,
        text: content.text!,
        attachments,
      });
    }
    case 'sms': {
      const p = await resolver.byId('sms', configId, m.tenantId);
      if (!p) throw missing();
      return p.instance.sendSms({
        messageId: m.id,
        to: (m.recipient as SmsRecipient).phone,
        body: content.body!,
        statusCallback: new URL(`/v1/communications/webhooks/sms/${configId}`, deps.publicUrl).href,
      });
    }
    case 'letter': {
      const p = await resolver.byId('letter', configId, m.tenantId);
      if (!p) throw missing();
      const doc = await deps.documents.read({ tenantId: m.tenantId, actor: SYSTEM }, m.documentId!);
      if (!doc.ok) throw documentError(doc.error, "the letter's PDF");
      const to = m.recipient as LetterRecipient;
      return p.instance.sendLetter({
        messageId: m.id,
        to: { name: to.name, ...to.address },
        pdf: doc.value.bytes,
        idempotencyKey: m.id,
        description: m.templateKey,
      });
    }
  }
}
