import { createHash } from 'node:crypto';
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
  API_VERSION,
  E164,
  MAGIC_TO,
  messageResource,
  optOutType,
  segments,
  sid,
  signatureHeaders,
  type TwilioError,
  type TwilioMessageStatus,
  type TwilioSimMessage,
  twilioError,
} from './wire.js';

/**
 * A wire-compatible stand-in for Twilio's Messages API (`/2010-04-01/Accounts/{Sid}/Messages.json`, form-encoded,
 * basic auth) with its status callbacks and inbound-message webhooks, each signed with `X-Twilio-Signature`.
 * Opt-outs behave as Twilio's default handling does: an inbound STOP blocks later sends to that number (21610)
 * until START.
 */

export type { TwilioError, TwilioMessageStatus, TwilioSimMessage };
export { DELIVERY_ERRORS, messageResource, segments, twilioSignature } from './wire.js';

export interface TwilioSimAccount {
  accountSid: string;
  authToken: string;
}

export interface TwilioSimNumber {
  phoneNumber: string;
  /** Where inbound messages to this number are POSTed (the number's messaging webhook). */
  smsUrl?: string;
}

export interface TwilioSimulatorOptions {
  port?: number;
  account?: TwilioSimAccount;
  /** Numbers the account owns: the only valid `From` values (default `+15005550006`). */
  numbers?: TwilioSimNumber[];
  /** `auto`: each message moves queued → sent → delivered (or its `setOutcome`) with status callbacks. */
  lifecycle?: 'manual' | 'auto';
  autoDelayMs?: number;
}

export interface TwilioOutcome {
  status: 'delivered' | 'undelivered' | 'failed';
  /** 30003 (unreachable), 30005 (unknown handset), 30006 (landline), 30007 (filtered)... */
  errorCode?: number;
}

export interface TwilioSimulator extends SimServer, FaultControls {
  readonly account: TwilioSimAccount;
  readonly numbers: TwilioSimNumber[];
  readonly messages: TwilioSimMessage[];
  readonly webhookDeliveries: WebhookDelivery[];
  readonly optedOut: Set<string>;
  message(sid: string): TwilioSimMessage | undefined;
  /** How `auto` finishes messages to this number (default delivered). */
  setOutcome(to: string, outcome: TwilioOutcome): void;
  /** Moves a message to `status` and POSTs the status callback (when it has one); may be called in any order. */
  emitStatus(
    sid: string,
    status: TwilioMessageStatus,
    opts?: DeliverOptions & { errorCode?: number },
  ): Promise<WebhookDelivery | null>;
  /** A message from a handset to one of the account's numbers, POSTed to that number's `smsUrl` (or `url`). */
  sendInbound(
    msg: { from: string; to?: string; body: string; url?: string },
    opts?: DeliverOptions,
  ): Promise<WebhookDelivery>;
  optOut(number: string): void;
  optIn(number: string): void;
}

export const DEFAULT_TWILIO_ACCOUNT: TwilioSimAccount = {
  accountSid: 'AC00000000000000000000000000000001',
  authToken: 'simauthtoken0000000000000000000001',
};

function errorBody(status: number): TwilioError {
  if (status === 429) return twilioError(429, 20429, 'Too Many Requests');
  if (status === 503) return twilioError(503, 20503, 'Service unavailable');
  return twilioError(status, 20500, 'Internal Server Error');
}

export async function startTwilioSimulator(opts: TwilioSimulatorOptions = {}): Promise<TwilioSimulator> {
  const account = opts.account ?? { ...DEFAULT_TWILIO_ACCOUNT };
  const numbers = opts.numbers ?? [{ phoneNumber: '+15005550006' }];
  const messages: TwilioSimMessage[] = [];
  const webhookDeliveries: WebhookDelivery[] = [];
  const optedOut = new Set<string>();
  const outcomes = new Map<string, TwilioOutcome>();
  const bySid = (s: string) => messages.find((m) => m.sid === s);

  const authorized = (req: SimRequest): TwilioError | null => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [user, pass] = Buffer.from(encoded ?? '', 'base64')
      .toString('utf8')
      .split(':');
    const ok = scheme === 'Basic' && user === account.accountSid && pass === account.authToken;
    if (ok && req.params.sid === account.accountSid) return null;
    return twilioError(
      401,
      20003,
      'Authentication Error - invalid username',
      'Your AccountSid or AuthToken was incorrect.',
    );
  };

  const post = (url: string, params: Record<string, string>, deliver: DeliverOptions, token?: string) =>
    deliverWebhook(webhookDeliveries, url, new URLSearchParams(params).toString(), {
      ...deliver,
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
      extraHeaders: {
        'user-agent': 'TwilioProxy/1.1',
        ...(token ? { 'i-twilio-idempotency-token': token } : {}),
      },
      sign: (_body, mode) => signatureHeaders(account.authToken, url, params, mode),
    });

  const emitStatus: TwilioSimulator['emitStatus'] = async (messageSid, status, o = {}) => {
    const m = bySid(messageSid);
    if (!m) throw new Error(`no Twilio message ${messageSid}`);
    m.status = status;
    m.dateUpdated = new Date();
    if (status === 'sent') m.dateSent = m.dateUpdated;
    m.errorCode = status === 'undelivered' || status === 'failed' ? (o.errorCode ?? 30008) : null;
    if (!m.statusCallback) return null;
    const params: Record<string, string> = {
      AccountSid: m.accountSid,
      ApiVersion: API_VERSION,
      ...(m.from ? { From: m.from } : {}),
      MessageSid: m.sid,
      MessageStatus: status,
      ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
      SmsSid: m.sid,
      SmsStatus: status,
      To: m.to,
      ...(m.errorCode ? { ErrorCode: String(m.errorCode) } : {}),
    };
    // Twilio repeats the token on retries of the same callback, so a receiver can drop duplicates by it.
    const token = createHash('sha256').update(`${m.sid}:${status}`).digest('hex').slice(0, 32);
    return post(m.statusCallback, params, o, token);
  };

  const autoLifecycle = (m: TwilioSimMessage) => {
    if (opts.lifecycle !== 'auto') return;
    const outcome = outcomes.get(m.to) ?? { status: 'delivered' };
    later(opts.autoDelayMs ?? 0, async () => {
      if (outcome.status === 'failed') return emitStatus(m.sid, 'failed', { errorCode: outcome.errorCode });
      await emitStatus(m.sid, 'sent');
      return emitStatus(m.sid, outcome.status, { errorCode: outcome.errorCode });
    });
  };

  const create = (req: SimRequest): SimResponse => {
    const denied = authorized(req);
    if (denied) return json(401, denied);
    const params = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
    const bad = (code: number, message: string) => json(400, twilioError(400, code, message));
    const {
      To: to,
      From: from,
      MessagingServiceSid: service,
      Body: body = '',
      StatusCallback: callback,
    } = params;
    if (!to) return bad(21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return bad(21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) return bad(21603, "A 'From' phone number is required.");
    if (from && !E164.test(from))
      return bad(
        21212,
        `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
      );
    if (from && !numbers.some((n) => n.phoneNumber === from))
      return bad(
        21606,
        `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
    if (from === to) return bad(21266, "'To' and 'From' number cannot be the same");
    if (!body && !params.MediaUrl) return bad(21602, 'Message body is required.');
    if (body.length > 1600)
      return bad(21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (callback && !/^https?:\/\/\S+$/.test(callback))
      return bad(21609, 'The StatusCallback URL is not valid.');
    const magic = MAGIC_TO[to];
    if (magic) return bad(...magic);
    if (optedOut.has(to)) return bad(21610, 'Attempt to send to unsubscribed recipient');
    const now = new Date();
    const m: TwilioSimMessage = {
      sid: sid('SM'),
      accountSid: account.accountSid,
      to,
      from: from ?? null,
      messagingServiceSid: service ?? null,
      body,
      status: service ? 'accepted' : 'queued',
      errorCode: null,
      statusCallback: callback ?? null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      params,
    };
    messages.push(m);
    autoLifecycle(m);
    return json(201, messageResource(m));
  };

  const fetchOne = (req: SimRequest): SimResponse => {
    const denied = authorized(req);
    if (denied) return json(401, denied);
    const m = bySid(req.params.msid!);
    if (!m) return json(404, twilioError(404, 20404, `The requested resource ${req.path} was not found`));
    return json(200, messageResource(m));
  };

  const base = `/${API_VERSION}/Accounts/:sid`;
  const server = await startSimServer(
    [
      { method: 'POST', path: `${base}/Messages.json`, handler: create },
      { method: 'GET', path: `${base}/Messages/:msid.json`, handler: fetchOne },
    ],
    { port: opts.port },
  );

  return {
    ...server,
    ...faultControls(server, errorBody),
    account,
    numbers,
    messages,
    webhookDeliveries,
    optedOut,
    message: bySid,
    setOutcome: (to, outcome) => {
      outcomes.set(to, outcome);
    },
    emitStatus,
    sendInbound: async ({ from, to = numbers[0]!.phoneNumber, body, url }, deliver = {}) => {
      const target = url ?? numbers.find((n) => n.phoneNumber === to)?.smsUrl;
      if (!target) throw new Error(`no messaging webhook URL for ${to}`);
      const keyword = optOutType(body);
      if (keyword === 'STOP') optedOut.add(from);
      if (keyword === 'START') optedOut.delete(from);
      const messageSid = sid('SM');
      const params: Record<string, string> = {
        ToCountry: 'US',
        ToState: '',
        SmsMessageSid: messageSid,
        NumMedia: '0',
        ToCity: '',
        FromZip: '',
        SmsSid: messageSid,
        FromState: '',
        SmsStatus: 'received',
        FromCity: '',
        Body: body,
        FromCountry: 'US',
        To: to,
        ToZip: '',
        NumSegments: String(segments(body)),
        MessageSid: messageSid,
        AccountSid: account.accountSid,
        From: from,
        ApiVersion: API_VERSION,
        ...(keyword ? { OptOutType: keyword } : {}),
      };
      return post(target, params, deliver);
    },
    optOut: (n) => {
      optedOut.add(n);
    },
    optIn: (n) => {
      optedOut.delete(n);
    },
  };
}
