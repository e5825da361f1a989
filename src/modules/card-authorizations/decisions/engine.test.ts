import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../kernel/logging.js';
import { parseGenericPayload } from '../providers/generic/mappers.js';
import { DecisionEngine } from './engine.js';
import { type Decider, GroupCommit } from './group-commit.js';
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
  const commit = new GroupCommit(decider, { maxBatch: 8, shards: 1 }, logger);
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
});
