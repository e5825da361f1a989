import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../kernel/logging.js';
import { parseGenericPayload } from '../providers/generic/mappers.js';
import { DecisionEngine } from './engine.js';
import { type Decider, groupCommit } from './group-commit.js';
import type { BatchItem, BatchResult } from './items.js';
import type { PaymentResolution, Resolved } from './resolution.js';

const logger = createLogger('silent');
const binding = { tenantId: 't', provider: 'generic', providerConfigId: null, holdExpiryDays: 31 };
const resolved: Resolved = {
  card: { ownerType: 'customer', ownerRef: 'o', status: 'active' },
  cardDecline: null,
  linesDecline: null,
  categoryIds: ['c'],
  categoryCodes: ['all'],
  lines: ['l'],
  detail: null,
};
const resolution = { resolve: async () => resolved } as unknown as PaymentResolution;
const authorization = parseGenericPayload({
  type: 'authorization',
  id: 'msg_1',
  authorization_id: 'auth_1',
  amount: 100,
  currency: 'EUR',
  card_id: 'card_1',
  merchant: { id: 'M', mcc: '5411', country: 'FRA' },
  occurred_at: '2026-11-22T10:00:00Z',
});

function engineWith(apply: (items: readonly BatchItem[]) => Promise<BatchResult[]>) {
  const decider: Decider = { apply };
  const log = { ...logger, error: vi.fn() } as unknown as typeof logger;
  const commit = groupCommit(decider, { maxBatch: 8, shards: 1 }, logger);
  const engine = new DecisionEngine({
    resolution,
    commit,
    logger: log,
    now: () => new Date(),
    onFunded: () => {},
  });
  return { engine, log };
}

describe('DecisionEngine deadlines', () => {
  it('answers the fallback, and logs why, when the decision fails before the deadline', async () => {
    const { engine, log } = engineWith(() => Promise.reject(new Error('database down')));
    const answer = await engine.handle(binding, authorization, {
      at: performance.now() + 1_000,
      fallback: 'decline',
    });
    expect(answer).toEqual({
      decision: { approved: false, reasonCode: 'timeout_fallback' },
      fallback: true,
      replay: false,
    });
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('answers the fallback when the deadline passes first, and the decision when it does not', async () => {
    const { engine, log } = engineWith(() => new Promise(() => {}));
    const late = await engine.handle(binding, authorization, {
      at: performance.now() + 20,
      fallback: 'approve',
    });
    expect(late).toMatchObject({
      decision: { approved: true, reasonCode: 'timeout_fallback' },
      fallback: true,
    });
    expect(log.error).not.toHaveBeenCalled();

    const ok: BatchResult = {
      replay: false,
      approved: true,
      reasonCode: 'approved',
      approvedAmount: 100,
      requestId: 'r',
      funded: false,
    };
    const { engine: quick } = engineWith(async (items) => items.map(() => ok));
    const answer = await quick.handle(binding, authorization, {
      at: performance.now() + 1_000,
      fallback: 'decline',
    });
    expect(answer).toEqual({
      decision: { approved: true, reasonCode: 'approved', approvedAmount: 100 },
      fallback: false,
      replay: false,
    });
  });

  it('books the fallback it answered once the failing database answers again', async () => {
    const applied: BatchItem[] = [];
    let failures = 2;
    const { engine } = engineWith(async (items) => {
      if (failures-- > 0) throw new Error('database down');
      applied.push(...items.map((i) => ({ ...i })));
      return items.map(() => ({ ...booked }));
    });
    const answer = await engine.handle(binding, authorization, {
      at: performance.now() + 1_000,
      fallback: 'approve',
    });
    expect(answer).toMatchObject({
      decision: { approved: true, reasonCode: 'timeout_fallback' },
      fallback: true,
    });
    await until(() => engine.inFlight === 0);
    expect(applied).toMatchObject([{ kind: 'authorization', message_id: 'msg_1', told: 'approve' }]);
  });

  it('books the fallback when the transaction fails after the deadline, and reconciles one that commits', async () => {
    const applied: BatchItem[] = [];
    let release!: (fail: boolean) => void;
    let first = true;
    const { engine } = engineWith(async (items) => {
      if (first) {
        first = false;
        const fail = await new Promise<boolean>((r) => {
          release = r;
        });
        if (fail) throw new Error('connection lost');
      }
      applied.push(...items.map((i) => ({ ...i })));
      return items.map(() => ({ ...booked }));
    });
    const late = await engine.handle(binding, authorization, {
      at: performance.now() + 20,
      fallback: 'decline',
    });
    expect(late.decision).toEqual({ approved: false, reasonCode: 'timeout_fallback' });
    release(true);
    await until(() => engine.inFlight === 0);
    expect(applied).toMatchObject([{ kind: 'authorization', told: 'decline' }]);

    applied.length = 0;
    first = true;
    await engine.handle(binding, authorization, { at: performance.now() + 20, fallback: 'approve' });
    release(false);
    await until(() => engine.inFlight === 0);
    // Decided without knowing the answer: a reconcile follows it.
    expect(applied.map((i) => [i.kind, i.told])).toEqual([
      ['authorization', undefined],
      ['reconcile', 'approve'],
    ]);
  });
});

const booked: BatchResult = {
  replay: false,
  approved: true,
  reasonCode: 'approved',
  approvedAmount: 100,
  requestId: 'r',
  funded: false,
};

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}
