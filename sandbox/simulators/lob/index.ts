import { isPlainObject } from '../shared/card-client.js';
import {
  type DeliverOptions,
  deliverWebhook,
  type FaultControls,
  faultControls,
  later,
  type WebhookDelivery,
} from '../shared/comms.js';
import { json, type SimRequest, type SimResponse, type SimServer, startSimServer } from '../shared/server.js';
import {
  addressObject,
  eventObject,
  LETTER_LIFECYCLE,
  type LetterEventType,
  type LobSimLetter,
  letterObject,
  lobError,
  lobId,
  lobSignatureHeaders,
  TRACKING_NAMES,
  trackingEvent,
} from './objects.js';
import { loadLetterFile } from './pdf.js';
import { checkLetter, readLetterRequest } from './validate.js';

/**
 * A wire-compatible stand-in for Lob's Print & Mail letters API (`/v1/letters`, basic auth with the API key as
 * user name) and its signed webhooks. Letters are validated as Lob validates them, uploaded or remote PDFs
 * checked (8.5"x11", page limit, not encrypted), `Idempotency-Key` honoured, and letter events (created,
 * rendered_pdf, mailed, in_transit... delivered, returned_to_sender) POSTed to subscribed webhooks when a test
 * asks or automatically (`lifecycle: 'auto'`).
 */

export type { LetterEventType, LobSimLetter };
export { LETTER_LIFECYCLE, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './objects.js';

export const DEFAULT_LOB_API_KEY = 'test_0simulator0lob0key0for0plinth000001';

export interface LobSimWebhook {
  url: string;
  /** The secret Lob shows for the webhook; signs every delivery. */
  secret: string;
  /** Event types it is subscribed to (default: all letter events). */
  eventTypes?: LetterEventType[];
}

export interface LobSimulatorOptions {
  port?: number;
  apiKeys?: string[];
  webhooks?: LobSimWebhook[];
  /** `auto`: each new letter walks the whole lifecycle to `letter.delivered`, one event every `autoDelayMs`. */
  lifecycle?: 'manual' | 'auto';
  autoDelayMs?: number;
  /** How long a remote `file` URL may take (Lob: 40 s). */
  fileDownloadTimeoutMs?: number;
}

export interface LobSimulator extends SimServer, FaultControls {
  readonly apiKey: string;
  readonly letters: LobSimLetter[];
  readonly webhooks: LobSimWebhook[];
  readonly webhookDeliveries: WebhookDelivery[];
  letter(id: string): LobSimLetter | undefined;
  /** Letters to this ZIP fail Lob's deliverability strictness check (422 `failed_deliverability_strictness`). */
  markUndeliverable(zip: string): void;
  /** The event as Lob would send it now, applying its effect on the letter (status, tracking events). */
  buildEvent(letterId: string, type: LetterEventType): Record<string, unknown>;
  /** POSTs an event (built once, sendable any number of times, in any order) to every subscribed webhook. */
  sendEvent(event: Record<string, unknown>, opts?: DeliverOptions): Promise<WebhookDelivery[]>;
  /** `buildEvent` then `sendEvent`. */
  emit(letterId: string, type: LetterEventType, opts?: DeliverOptions): Promise<WebhookDelivery[]>;
  /** Emits the letter's next lifecycle event (the one after the last emitted). */
  advance(letterId: string, opts?: DeliverOptions): Promise<WebhookDelivery[]>;
}

function errorBody(status: number): unknown {
  if (status === 429)
    return lobError(
      429,
      'rate_limit_exceeded',
      'Rate limit exceeded. Please wait 5 seconds and try your request again.',
    );
  if (status === 503) return lobError(503, 'service_unavailable', 'Service unavailable. Please try again.');
  return lobError(status, 'internal_server_error', 'An internal server error occurred. Please try again.');
}

export async function startLobSimulator(opts: LobSimulatorOptions = {}): Promise<LobSimulator> {
  const apiKeys = opts.apiKeys ?? [DEFAULT_LOB_API_KEY];
  const webhooks = opts.webhooks ?? [];
  const letters: LobSimLetter[] = [];
  const webhookDeliveries: WebhookDelivery[] = [];
  const undeliverable = new Set<string>();
  const idempotent = new Map<string, LobSimLetter>();
  const lastEvent = new Map<string, LetterEventType>();
  const byId = (id: string) => letters.find((l) => l.id === id);
  let baseUrl = '';

  const authorized = (req: SimRequest): boolean => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const user = Buffer.from(encoded ?? '', 'base64')
      .toString('utf8')
      .split(':')[0];
    return scheme === 'Basic' && apiKeys.includes(user ?? '');
  };
  const denied = json(
    401,
    lobError(
      401,
      'unauthorized',
      'Your API key is not valid. Please sign up on lob.com to get a valid api key.',
    ),
  );
  const fail = (p: { status: number; code: string; message: string }) =>
    json(p.status, lobError(p.status, p.code, p.message));

  const buildEvent = (letterId: string, type: LetterEventType) => {
    const l = byId(letterId);
    if (!l) throw new Error(`no Lob letter ${letterId}`);
    const now = new Date();
    if (type === 'letter.rendered_pdf') l.status = 'rendered';
    if (type === 'letter.failed' || type === 'letter.rejected') l.status = 'failed';
    if (type === 'letter.deleted') l.deleted = true;
    const scan = TRACKING_NAMES[type];
    if (scan)
      l.trackingEvents.push(
        trackingEvent(scan, String((l.to as { address_zip?: string }).address_zip ?? ''), now),
      );
    l.dateModified = now;
    lastEvent.set(letterId, type);
    return eventObject(type, letterObject(l));
  };

  const sendEvent = (event: Record<string, unknown>, deliver: DeliverOptions = {}) => {
    const type = (event.event_type as { id: LetterEventType }).id;
    const body = JSON.stringify(event);
    const targets = webhooks.filter((w) => !w.eventTypes || w.eventTypes.includes(type));
    return Promise.all(
      targets.map((w) =>
        deliverWebhook(webhookDeliveries, w.url, body, {
          ...deliver,
          contentType: 'application/json',
          extraHeaders: { 'user-agent': 'Lob-Webhooks' },
          sign: (payload, mode) => lobSignatureHeaders(w.secret, payload, mode),
        }),
      ),
    );
  };
  const emit = (letterId: string, type: LetterEventType, deliver?: DeliverOptions) =>
    sendEvent(buildEvent(letterId, type), deliver);

  const advance = (letterId: string, deliver?: DeliverOptions) => {
    const last = lastEvent.get(letterId);
    const next =
      LETTER_LIFECYCLE[last ? LETTER_LIFECYCLE.indexOf(last as (typeof LETTER_LIFECYCLE)[number]) + 1 : 0];
    if (!next) throw new Error(`letter ${letterId} has no lifecycle event after ${last}`);
    return emit(letterId, next, deliver);
  };

  const autoLifecycle = (l: LobSimLetter) => {
    if (opts.lifecycle !== 'auto') return;
    const step = async (): Promise<void> => {
      await advance(l.id);
      if (lastEvent.get(l.id) !== 'letter.delivered') later(opts.autoDelayMs ?? 0, step);
    };
    later(opts.autoDelayMs ?? 0, step);
  };

  const create = async (req: SimRequest): Promise<SimResponse> => {
    if (!authorized(req)) return denied;
    const key = (req.headers['idempotency-key'] as string | undefined) ?? req.query.get('idempotency_key');
    if (key && key.length > 256)
      return fail({
        status: 422,
        code: 'invalid',
        message: 'Idempotency-Key must be no longer than 256 characters',
      });
    const seen = key ? idempotent.get(key) : undefined;
    if (seen) return json(200, letterObject(seen));
    const input = await readLetterRequest(req);
    if ('status' in input) return fail(input);
    const settings = checkLetter(input.fields, input.upload !== null);
    if ('status' in settings) return fail(settings);
    const f = input.fields;
    const to = isPlainObject(f.to) ? f.to : {};
    if (undeliverable.has(String(to.address_zip ?? '')))
      return fail({
        status: 422,
        code: 'failed_deliverability_strictness',
        message: 'to address is undeliverable',
      });
    const file = await loadLetterFile(f.file, input.upload, settings.doubleSided, opts.fileDownloadTimeoutMs);
    if ('status' in file) return fail(file);
    const now = new Date();
    const id = lobId('ltr');
    const letter: LobSimLetter = {
      id,
      description: typeof f.description === 'string' ? f.description : null,
      metadata: isPlainObject(f.metadata) ? (f.metadata as Record<string, string>) : {},
      to: typeof f.to === 'string' ? { id: f.to, object: 'address' } : addressObject(to, now),
      from: isPlainObject(f.from) ? addressObject(f.from, now) : { id: f.from, object: 'address' },
      ...settings,
      status: 'processed',
      trackingEvents: [],
      sendDate:
        typeof f.send_date === 'string' && !Number.isNaN(Date.parse(f.send_date))
          ? new Date(f.send_date)
          : now,
      dateCreated: now,
      dateModified: now,
      deleted: false,
      pdf: file.pdf,
      pages: file.pages,
      idempotencyKey: key ?? null,
      assetUrl: `${baseUrl}/assets/letters/${id}.pdf`,
    };
    letters.push(letter);
    if (key) idempotent.set(key, letter);
    autoLifecycle(letter);
    return json(200, letterObject(letter));
  };

  const retrieve = (req: SimRequest): SimResponse => {
    if (!authorized(req)) return denied;
    const l = byId(req.params.id!);
    return l
      ? json(200, letterObject(l))
      : fail({ status: 404, code: 'not_found', message: 'letter not found' });
  };

  const cancel = (req: SimRequest): SimResponse => {
    if (!authorized(req)) return denied;
    const l = byId(req.params.id!);
    if (!l) return fail({ status: 404, code: 'not_found', message: 'letter not found' });
    if (l.trackingEvents.length > 0)
      return fail({
        status: 422,
        code: 'not_deletable',
        message: 'letter has already been mailed and cannot be canceled',
      });
    l.deleted = true;
    return json(200, { id: l.id, deleted: true });
  };

  // The rendered PDF, where the letter's signed `url` points (the original upload, as Lob would print it).
  const asset = (req: SimRequest): SimResponse => {
    const l = byId(req.params.id!);
    if (!l?.pdf) return { status: 404, body: 'Not Found' };
    return { status: 200, headers: { 'content-type': 'application/pdf' }, body: l.pdf };
  };

  const server = await startSimServer(
    [
      { method: 'POST', path: '/v1/letters', handler: create },
      { method: 'GET', path: '/v1/letters/:id', handler: retrieve },
      { method: 'DELETE', path: '/v1/letters/:id', handler: cancel },
      { method: 'GET', path: '/assets/letters/:id.pdf', handler: asset },
    ],
    { port: opts.port },
  );
  baseUrl = server.url;

  return {
    ...server,
    ...faultControls(server, errorBody),
    apiKey: apiKeys[0]!,
    letters,
    webhooks,
    webhookDeliveries,
    letter: byId,
    markUndeliverable: (zip) => {
      undeliverable.add(zip);
    },
    buildEvent,
    sendEvent,
    emit,
    advance,
  };
}
