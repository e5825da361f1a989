import type { Decision, ParseResult } from '../../../src/modules/card-authorizations/domain/messages.js';
import type { RelayAdapter } from '../../../src/modules/card-authorizations/domain/relay.js';
import { type SimServer, startSimServer } from './server.js';

/**
 * A stand-in for Plinth's relay route (`POST /v1/card-authorizations/relay/:configId`), for simulator tests and
 * the CLI's self-test mode until the real route exists. It follows the same order the route must: verify the
 * signature (401 before anything is recorded), parse, ask `decide` within the deadline, answer in the platform's
 * format, or give the configured fallback when the deadline passes.
 */
export interface RelayHarnessOptions {
  adapter: RelayAdapter;
  /** Signing secrets accepted (several during a rotation, or ASA + events secrets for Lithic). */
  secrets: string[];
  decide: (parsed: ParseResult & { ok: true }) => Decision | Promise<Decision>;
  deadlineMs?: number;
  fallback?: 'approve' | 'decline';
}

export interface RelayHarness extends SimServer {
  relayUrl: string;
  /** Every verified and parsed message, in arrival order. Rejected signatures are not recorded. */
  received: ParseResult[];
  rejected: number;
}

export async function startRelayHarness(opts: RelayHarnessOptions): Promise<RelayHarness> {
  const received: ParseResult[] = [];
  const state = { rejected: 0 };
  const deadlineMs = opts.deadlineMs ?? 1500;

  const server = await startSimServer([
    {
      method: 'POST',
      path: '/v1/card-authorizations/relay/:configId',
      handler: async (req) => {
        const now = new Date();
        if (!opts.secrets.some((s) => opts.adapter.verify(req.body, req.headers, s, now))) {
          state.rejected++;
          return { status: 401, body: { type: 'about:blank', code: 'invalid_signature', status: 401 } };
        }
        const parsed = opts.adapter.parse(req.body, req.headers);
        received.push(parsed);
        if (!parsed.ok)
          return opts.adapter.respond({ approved: false, reasonCode: parsed.declineReason }, parsed);
        if (!parsed.message.requiresDecision)
          return opts.adapter.respond({ approved: true, reasonCode: 'approved' }, parsed);

        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'deadline'>((resolve) => {
          timer = setTimeout(() => resolve('deadline'), deadlineMs);
        });
        const outcome = await Promise.race([Promise.resolve(opts.decide(parsed)), deadline]);
        clearTimeout(timer);
        return outcome === 'deadline'
          ? opts.adapter.fallbackResponse({ fallback: opts.fallback ?? 'decline' }, parsed)
          : opts.adapter.respond(outcome, parsed);
      },
    },
  ]);

  return {
    ...server,
    relayUrl: `${server.url}/v1/card-authorizations/relay/00000000-0000-7000-8000-000000000001`,
    received,
    get rejected() {
      return state.rejected;
    },
  };
}
