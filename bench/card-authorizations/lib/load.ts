import { randomUUID } from 'node:crypto';
import { plinthSignatureHeader } from '../../../src/modules/card-authorizations/providers/generic/signature.js';
import { HttpClients } from '../../lib/http.js';
import { LoadThread, serveLoad } from '../../lib/load.js';
import { SECRET } from './setup.js';

export interface Outcome {
  decisions: number;
  approved: number;
  approvedAmount: number;
  fallbacks: number;
  errors: number;
  latenciesMs: number[];
  seconds: number;
  /** CPU time of the load generator's thread, ms (set by bench/lib/load.ts; NaN where /proc is not there). */
  clientCpuMs?: number;
}

const MERCHANT = {
  id: 'MID-1',
  acquirer_id: 'ACQ-1',
  mcc: '5411',
  name: 'Shop',
  country: 'FRA',
  postal_code: null,
  city: 'Paris',
};

type Signed = { body: string; headers: Record<string, string> };

/** One signed authorization, the way a platform sends it (a fresh body, timestamp and signature each time). */
function signed(cardId: string, amount: number): Signed {
  const body = JSON.stringify({
    type: 'authorization',
    id: `msg_${randomUUID()}`,
    authorization_id: `auth_${randomUUID()}`,
    amount,
    currency: 'EUR',
    card_id: cardId,
    merchant: MERCHANT,
    occurred_at: new Date().toISOString(),
  });
  return {
    body,
    headers: { 'content-type': 'application/json', 'plinth-signature': plinthSignatureHeader(SECRET, body) },
  };
}

/** Closed-loop runs sign ahead for up to this many decisions per second (above any rate measured here). */
const SIGNED_AHEAD_PER_SECOND = 10_000;

/**
 * The authorizations of one run, signed just before it starts, so that building and signing them (~10 µs each)
 * is not taken from the server's two cores during the run: a platform signs on its own machines. Each is still
 * unique and signed seconds before it is sent, well inside the signature's tolerance. Past `count`, the rest
 * are signed as they are sent.
 */
function signAhead(count: number, card: () => string, amount: () => number): () => Signed {
  const ahead = Array.from({ length: count }, () => signed(card(), amount()));
  let next = 0;
  return () => (next < ahead.length ? ahead[next++]! : signed(card(), amount()));
}

async function authorize(pool: HttpClients, path: string, next: Signed, out: Outcome, since: number) {
  const { body, headers } = next;
  try {
    const res = await pool.post(path, headers, body);
    const answer = JSON.parse(res.text) as {
      decision?: string;
      reason?: string;
      approved_amount?: number;
    };
    out.latenciesMs.push(performance.now() - since);
    if (res.status !== 200) out.errors++;
    else {
      out.decisions++;
      if (answer.reason === 'timeout_fallback') out.fallbacks++;
      if (answer.decision === 'approved') {
        out.approved++;
        out.approvedAmount += answer.approved_amount ?? 0;
      }
    }
  } catch {
    out.errors++;
  }
}

const empty = (): Outcome => ({
  decisions: 0,
  approved: 0,
  approvedAmount: 0,
  fallbacks: 0,
  errors: 0,
  latenciesMs: [],
  seconds: 0,
});

/** `clients` keep-alive connections, each sending its next authorization as soon as the last is answered. */
async function closedLoopHere(
  origin: string,
  path: string,
  opts: { clients: number; seconds: number; card: () => string; amount: () => number },
): Promise<Outcome> {
  const pool = new HttpClients(origin, { connections: opts.clients });
  const next = signAhead(opts.seconds * SIGNED_AHEAD_PER_SECOND, opts.card, opts.amount);
  const out = empty();
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (performance.now() < until) await authorize(pool, path, next(), out, performance.now());
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  await pool.close();
  return out;
}

/**
 * An open loop: authorizations are due at a steady `rate` whatever the answers do, and each latency is measured
 * from when it was due (so a stall is not hidden by sending less). The first second is a ramp (connections
 * opening): its requests are sent but not counted.
 */
async function openLoopHere(
  origin: string,
  path: string,
  opts: { rate: number; seconds: number; card: () => string; amount: () => number },
): Promise<Outcome> {
  const pool = new HttpClients(origin, { connections: 128 });
  const out = empty();
  const ramp = empty();
  const total = Math.round(opts.rate * opts.seconds);
  const next = signAhead(total, opts.card, opts.amount);
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(authorize(pool, path, next(), i < opts.rate ? ramp : out, due));
  }
  await Promise.all(inflight);
  // The ramp's requests count as decisions made (and CPU spent); only their latencies are left out.
  out.decisions += ramp.decisions;
  out.approved += ramp.approved;
  out.errors += ramp.errors;
  out.fallbacks += ramp.fallbacks;
  out.seconds = (performance.now() - started) / 1000;
  await pool.close();
  return out;
}

/**
 * What a load run needs, sent to a worker thread: the platform's client is not on Plinth's machine in real life,
 * so it runs beside the server's event loop instead of on it.
 */
export interface LoadSpec {
  mode: 'closed' | 'open';
  origin: string;
  path: string;
  seconds: number;
  /** closed: concurrent clients; open: authorizations per second. */
  concurrency: number;
  cards: string[];
  /** Cards in order (warming every card once) instead of at random. */
  sequential?: boolean;
}

/** The load generator's thread (bench/lib/load.ts), started at the first run and kept until `stopLoad`. */
const thread = new LoadThread<LoadSpec, Outcome>(new URL(import.meta.url));

/** Runs one load in the load-generator thread. */
export const runLoad = (spec: LoadSpec): Promise<Outcome> => thread.run(spec);

export const stopLoad = (): Promise<void> => thread.stop();

async function workerMain(spec: LoadSpec): Promise<Outcome> {
  let i = 0;
  const card = spec.sequential
    ? () => spec.cards[i++ % spec.cards.length]!
    : () => spec.cards[Math.floor(Math.random() * spec.cards.length)]!;
  const amount = () => 100 + Math.floor(Math.random() * 1900);
  return spec.mode === 'closed'
    ? closedLoopHere(spec.origin, spec.path, {
        clients: spec.concurrency,
        seconds: spec.seconds,
        card,
        amount,
      })
    : openLoopHere(spec.origin, spec.path, { rate: spec.concurrency, seconds: spec.seconds, card, amount });
}

serveLoad(workerMain);
