import { cpuMs } from '../lending/lib/cpu.js';
import { servePlinth } from '../lib/serve.js';
import { summarize } from '../lib/stats.js';
import { runCollections } from './load.js';
import type { BenchTenant } from './setup.js';

/** One timed round against a served Plinth: rate, latency, and the CPU per collection of each side, from /proc. */
export interface ServedRound {
  rate: number;
  lat: ReturnType<typeof summarize>;
  /** `plinth serve`'s processes (the cluster's primary and its copies). */
  serverCpuMs: number;
  /** The PostgreSQL backends of the bench's database. */
  postgresCpuMs: number;
  simCpuMs: number;
  n: number;
  errors: number;
}

/**
 * Collections against `plinth serve` as a deployment runs it (README, "Running on PostgreSQL": the compiled CLI,
 * `PLINTH_HTTP_PROCESSES` copies sharing the port, one per core the usual choice), on the database and simulator
 * the in-process rounds used: a warm-up, then one client, then `clients`. Plinth's own time is not measured here
 * (its calls to the simulator are in other processes); the in-process rounds measure it.
 */
export async function servedRounds(opts: {
  env: Record<string, string>;
  processes: number;
  database: string;
  tenant: BenchTenant;
  clients: number;
  seconds: number;
  simCpuMs: () => number;
}): Promise<{ one: ServedRound; many: ServedRound }> {
  const server = await servePlinth(opts.env, opts.processes);
  let rounds = 0;
  const round = async (clients: number, seconds: number): Promise<ServedRound> => {
    const pid = server.child.pid!;
    const cpu0 = cpuMs(pid, opts.database);
    const sim0 = opts.simCpuMs();
    const o = await runCollections({
      origin: server.base,
      apiKey: opts.tenant.key,
      loans: opts.tenant.loans,
      clients,
      seconds,
      keyPrefix: `served-${opts.processes}-${++rounds}`,
    });
    const cpu1 = cpuMs(pid, opts.database);
    const n = o.sent.length;
    return {
      rate: n / o.seconds,
      lat: summarize(o.sent.map((t, i) => o.answered[i]! - t)),
      serverCpuMs: (cpu1.server - cpu0.server) / n,
      postgresCpuMs: (cpu1.postgres - cpu0.postgres) / n,
      simCpuMs: (opts.simCpuMs() - sim0) / n,
      n,
      errors: o.statuses.filter((s) => s !== 201).length,
    };
  };
  try {
    await round(opts.clients, 1);
    const one = await round(1, opts.seconds);
    const many = await round(opts.clients, opts.seconds);
    return { one, many };
  } finally {
    await server.close();
  }
}
