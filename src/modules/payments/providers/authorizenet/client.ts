import { ProviderError } from '../../../../kernel/errors.js';
import { createHttpClient, type HttpClient } from '../../../../kernel/http-client.js';
import { anetError } from './errors.js';

/**
 * A typed client over Authorize.Net's documented JSON API (`POST /xml/v1/request.api`), on the kernel's HTTP
 * client (one keep-alive pool per config, a timeout on every call, bounded retries of what is safe to repeat).
 * Not the official `authorizenet` SDK: it is callback-based and known not to call back on some network errors,
 * and it would bring its own HTTP stack without the timeouts and typed errors every other provider has.
 *
 * The wire format's quirks: the body of every answer starts with a byte-order mark; the status is 200 even for
 * errors (`messages.resultCode`); the JSON is checked against the XML schema, so elements go in schema order.
 * Every request object below is built in that order.
 */
export type Json = Record<string, unknown>;

export interface AnetMessages {
  resultCode: 'Ok' | 'Error';
  message: { code: string; text: string }[];
}

export interface TransactionResponse {
  responseCode: string;
  authCode?: string;
  transId: string;
  refTransID?: string;
  accountNumber?: string;
  accountType?: string;
  messages?: { code: string; description: string }[];
  errors?: { errorCode: string; errorText: string }[];
}

export interface AnetAnswer extends Json {
  messages: AnetMessages;
  transactionResponse?: TransactionResponse;
}

export interface AnetCredentials {
  apiLoginId: string;
  transactionKey: string;
}

export interface AnetClient {
  /**
   * Sends one request. `safe`: the request may be sent again after a transient failure (reads, and transactions
   * carrying an invoice number and a duplicate window). Answers with `resultCode: Error` are returned when
   * `errorsAsAnswers` names their code (a declined transaction's E00027), thrown otherwise.
   */
  send(
    root: string,
    body: Json,
    opts: { safe: boolean; errorsAsAnswers?: readonly string[] },
  ): Promise<AnetAnswer>;
  close(): Promise<void>;
}

export function anetClient(opts: {
  endpoint: URL;
  credentials: AnetCredentials;
  timeoutMs: number;
}): AnetClient {
  const http: HttpClient = createHttpClient({
    baseUrl: opts.endpoint.origin,
    provider: 'authorizenet',
    timeoutMs: opts.timeoutMs,
    retry: { maxAttempts: 2 },
  });
  const path = opts.endpoint.pathname;
  const merchantAuthentication = {
    name: opts.credentials.apiLoginId,
    transactionKey: opts.credentials.transactionKey,
  };
  return {
    async send(root, body, { safe, errorsAsAnswers = [] }) {
      const res = await http.request({
        method: 'POST',
        path,
        body: { json: { [root]: { merchantAuthentication, ...body } } },
        idempotent: safe,
      });
      let answer: AnetAnswer;
      try {
        answer = JSON.parse(res.text.replace(/^\uFEFF/, '')) as AnetAnswer;
      } catch {
        throw new ProviderError('invalid_response', `authorizenet ${root}: the answer is not JSON`, {
          provider: 'authorizenet',
          status: res.status,
        });
      }
      if (!answer?.messages?.resultCode)
        throw new ProviderError('invalid_response', `authorizenet ${root}: no messages in the answer`, {
          provider: 'authorizenet',
        });
      if (answer.messages.resultCode === 'Error') {
        const code = answer.messages.message[0]?.code ?? 'unknown';
        if (!errorsAsAnswers.includes(code)) throw anetError(code, root, res.status);
      }
      return answer;
    },
    close: () => http.close(),
  };
}

/** Minor units as Authorize.Net's decimal string ("12.34"). Every currency it takes has two decimals. */
export const dollars = (minor: number): string => (minor / 100).toFixed(2);

/** Its decimal strings back to minor units. */
export const cents = (amount: unknown): number => Math.round(Number(amount ?? 0) * 100);
