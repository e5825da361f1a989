import { Configuration, type LetterEditable, LettersApi } from '@lob/lob-typescript-sdk';
import type {
  InboundWebhook,
  LetterMessage,
  LetterProvider,
  PostalAddress,
  SendReceipt,
  WebhookResult,
} from '../../domain/channels.js';
import { lobError } from './errors.js';
import { parseLob, verifyLob } from './webhook.js';

export interface LobOptions {
  apiKey: string;
  baseUrl: string;
  from: PostalAddress;
  color: boolean;
  useType: 'operational' | 'marketing';
  webhookSecret?: string;
  timeoutMs: number;
}

/** An address as Lob's form fields (`to[address_line1]`...). */
function addressFields(prefix: string, a: PostalAddress): [string, string][] {
  const f: [string, string][] = [
    [`${prefix}[name]`, a.name],
    [`${prefix}[address_line1]`, a.lines[0] ?? ''],
    [`${prefix}[address_city]`, a.city],
    [`${prefix}[address_country]`, a.country],
  ];
  if (a.lines[1]) f.push([`${prefix}[address_line2]`, a.lines[1]]);
  if (a.state) f.push([`${prefix}[address_state]`, a.state]);
  if (a.postal_code) f.push([`${prefix}[address_zip]`, a.postal_code]);
  return f;
}

/**
 * Letters through Lob's official SDK. The PDF Plinth rendered goes up as a multipart file (no public URL needed),
 * with the outbox's idempotency key, so a retried send never mails two letters.
 */
export class LobLetters implements LetterProvider {
  readonly #letters: LettersApi;

  constructor(private readonly opts: LobOptions) {
    this.#letters = new LettersApi(
      new Configuration({ username: opts.apiKey, basePath: `${opts.baseUrl.replace(/\/$/, '')}/v1` }),
    );
  }

  async sendLetter(m: LetterMessage): Promise<SendReceipt> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(m.pdf)], { type: 'application/pdf' }), 'letter.pdf');
    for (const [k, v] of [...addressFields('to', m.to), ...addressFields('from', this.opts.from)])
      form.set(k, v);
    form.set('color', String(this.opts.color));
    form.set('use_type', this.opts.useType);
    form.set('metadata[plinth_message_id]', m.messageId);
    if (m.description) form.set('description', m.description.slice(0, 255));
    try {
      // The SDK types its body as LetterEditable; a FormData is sent as multipart, which is how files go up.
      const letter = await this.#letters.create(form as unknown as LetterEditable, m.idempotencyKey, {
        headers: { 'Content-Type': 'multipart/form-data' },
        timeout: this.opts.timeoutMs,
      });
      return { providerMessageId: letter.id };
    } catch (e) {
      throw lobError(e);
    }
  }

  verifyWebhook(req: InboundWebhook): boolean {
    return this.opts.webhookSecret !== undefined && verifyLob(this.opts.webhookSecret, req);
  }

  parseWebhook(req: InboundWebhook): WebhookResult {
    return parseLob(req);
  }
}
