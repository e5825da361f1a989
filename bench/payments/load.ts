import { HttpClients } from '../lib/http.js';
import { LoadThread, serveLoad } from '../lib/load.js';

/**
 * The collections benchmark's clients (a lender's front end, or its servicing system), in the load-generator
 * thread (bench/lib/load.ts): `clients` keep-alive connections, each posting its next collection as soon as the
 * last is answered, every request with its own Idempotency-Key (sent twice with `twice`).
 */
export interface CollectionLoad {
  origin: string;
  apiKey: string;
  loans: { id: string; pm: string }[];
  clients: number;
  seconds: number;
  /** Idempotency-Keys are `<keyPrefix>-<n>`: unique across the runs of one bench. */
  keyPrefix: string;
  /** Every collection sent a second time with the same key (its answer must be the first's). */
  twice?: boolean;
}

/**
 * Each request as the client saw it: when it was sent and answered (ms on the wall clock's high-resolution scale,
 * `performance.timeOrigin + performance.now()`, comparable across threads) and its status.
 */
export interface CollectionOutcome {
  sent: number[];
  answered: number[];
  statuses: number[];
  seconds: number;
}

const thread = new LoadThread<CollectionLoad, CollectionOutcome>(new URL(import.meta.url));

export const runCollections = (spec: CollectionLoad) => thread.run(spec);
export const stopCollections = () => thread.stop();

const now = () => performance.timeOrigin + performance.now();

async function run(spec: CollectionLoad): Promise<CollectionOutcome> {
  const pool = new HttpClients(spec.origin, { connections: spec.clients });
  const out: CollectionOutcome = { sent: [], answered: [], statuses: [], seconds: 0 };
  const headers = (idem: string) => ({
    authorization: `Bearer ${spec.apiKey}`,
    'content-type': 'application/json',
    'idempotency-key': idem,
  });
  let sequence = 0;
  const started = performance.now();
  const end = started + spec.seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.clients }, async (_, c) => {
      for (let n = 0; performance.now() < end; n++) {
        const loan = spec.loans[(c + n * spec.clients) % spec.loans.length]!;
        const idem = `${spec.keyPrefix}-${++sequence}`;
        const body = JSON.stringify({ amount: 100, payment_method_id: loan.pm });
        const path = `/v1/loans/${loan.id}/collections`;
        const t0 = now();
        const r = await pool.post(path, headers(idem), body);
        out.sent.push(t0);
        out.answered.push(now());
        out.statuses.push(r.status);
        if (spec.twice) await pool.post(path, headers(idem), body);
      }
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  await pool.close();
  return out;
}

serveLoad(run);
