import { expect } from 'vitest';
import type { setup } from '../lending/fixtures.js';

// Report runs over HTTP for the reporting suites: start a run, wait for it, download its output.

export type Row = Record<string, string | number | null>;
type Call = Awaited<ReturnType<typeof setup>>['call'];

export async function runReport(call: Call, key: string, params: Record<string, unknown>, format = 'jsonl') {
  const started = await call('POST', `/v1/reports/${key}/runs`, { format, params });
  expect(started.statusCode, started.body).toBe(202);
  const id = started.json().id as string;
  for (let i = 0; i < 200; i++) {
    const r = (await call('GET', `/v1/report-runs/${id}`)).json();
    if (r.status === 'succeeded' || r.status === 'failed') {
      expect(r.status, r.error).toBe('succeeded');
      return { id, run: r, download: await call('GET', `/v1/report-runs/${id}/download`) };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`run ${id} did not finish`);
}

export const jsonl = (body: string): Row[] =>
  body
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

export const sum = (rows: Row[], key: string) => rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
