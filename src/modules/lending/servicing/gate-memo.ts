import type { Scope } from '../../../kernel/audit.js';
import type { Result } from '../../../kernel/result.js';
import type { GateDecision } from '../../compliance/index.js';
import type { LendingChecks } from '../compliance/gate.js';
import type { ActionInput } from '../product.js';
import type { LoanRead } from './read.js';

/** The compliance gate's decision for one action, made once however many times the write reads again. */
export interface GateMemo {
  decided: boolean;
  decision: GateDecision | null;
  /** A block (or a remedy that failed): the action's outcome, with nothing written. */
  refusal?: Result<never>;
}

export const newGateMemo = (): GateMemo => ({ decided: false, decision: null });

/**
 * The compliance gate of a loan action, run by LoanService at its first read that is not a replayed
 * Idempotency-Key (a retried request replays its answer and is never evaluated again) and before anything is
 * planned: a block is refused like an invalid request and writes nothing (with a key, its problem is stored as
 * the key's answer). Remedies the rules ask for (the SCRA cap) are recorded first, as their own actions (`act`);
 * the answer says whether one was, so the caller reads the re-computed loan.
 */
export async function gateOnce(
  memo: GateMemo,
  checks: LendingChecks | undefined,
  scope: Scope,
  read: LoanRead,
  input: ActionInput,
  act: (remedy: ActionInput) => Promise<Result<unknown>>,
): Promise<boolean> {
  memo.decided = true;
  if (!checks) return false;
  const checked = await checks.action(scope, read, input);
  if (!checked.ok) {
    memo.refusal = checked;
    return false;
  }
  memo.decision = checked.value;
  const remedies = checked.value ? checks.remedies(checked.value, read, input) : [];
  for (const remedy of remedies) {
    const done = await act(remedy);
    if (!done.ok) {
      memo.refusal = done as Result<never>;
      return false;
    }
  }
  return remedies.length > 0;
}
