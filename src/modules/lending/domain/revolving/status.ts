import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { balanceOf, type LineState, type LineStatus } from './line.js';

/**
 * Line statuses. Frozen lines take no draws; a closing line takes no draws and becomes closed when a cycle
 * closes with nothing owed; a charged-off line stops accruing interest and can only be closed.
 */
const TRANSITIONS: Record<LineStatus, readonly LineStatus[]> = {
  active: ['frozen', 'closing', 'closed', 'charged_off'],
  frozen: ['active', 'closing', 'closed', 'charged_off'],
  closing: ['closed', 'charged_off'],
  charged_off: ['closed'],
  closed: [],
};

/**
 * Moves a line to another status. Closing outright needs nothing owed and nothing accruing: no balance now and no
 * principal outstanding at any time in the open cycle (else interest is still to be billed); `requestClose`
 * picks `closing` in that case.
 */
export function transitionLine(state: LineState, to: LineStatus): Result<LineState> {
  if (!TRANSITIONS[state.status].includes(to)) {
    return err(
      failure('conflict', 'invalid_state_transition', `a line cannot go from ${state.status} to ${to}`, {
        extra: { from: state.status, to, allowed: TRANSITIONS[state.status] },
      }),
    );
  }
  if (to === 'closed' && state.status !== 'charged_off' && !settled(state)) {
    return err(
      failure(
        'conflict',
        'balance_outstanding',
        'the line owes or is accruing interest: close it via closing',
        {
          extra: { balance: balanceOf(state) },
        },
      ),
    );
  }
  return ok({ ...state, status: to });
}

/** Closes the line now if it is settled, else puts it in `closing` until a cycle ends with nothing owed. */
export function requestClose(state: LineState): Result<LineState> {
  return transitionLine(state, settled(state) ? 'closed' : 'closing');
}

function settled(state: LineState): boolean {
  return (
    balanceOf(state) === 0 && state.opening.principal === 0 && !state.postings.some((p) => p.kind === 'draw')
  );
}
