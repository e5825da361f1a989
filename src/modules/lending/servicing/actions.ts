import type { Scope } from '../../../kernel/audit.js';
import type { CalendarDate } from '../../../kernel/dates.js';
import { isUniqueViolation, type RawQuery } from '../../../kernel/db.js';
import { type Precondition, satisfies, stale } from '../../../kernel/etag.js';
import {
  answerFor,
  type HeldKey,
  type IdempotencyKey,
  KEY_CONSTRAINT,
  type StoredResponse,
  storeResponse,
} from '../../../kernel/idempotency.js';
import { isUuid } from '../../../kernel/ids.js';
import { err, type Failure, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import { checkRows, type GateDecision } from '../../compliance/index.js';
import type { LendingChecks } from '../compliance/gate.js';
import { type Attached, attach as attachRows } from '../payments-port/attached.js';
import type { ActionInput, LoanProjection, LoanServicing, ReplayOptions, StoredEvent } from '../product.js';
import type { LoanRow } from '../tables.js';
import { type GateMemo, gateOnce, newGateMemo } from './gate-memo.js';
import { planAction } from './plan.js';
import type { LoanRead } from './read.js';
import type { LoanWrite } from './write.js';
import type { LoanWriter, Plan } from './writer.js';

/**
 * What changes a loan: an action recorded as an event (with or without an Idempotency-Key), and a rebuild. Each
 * reads the loan (one statement, no lock), decides, and writes in one statement that applies only if the loan and
 * the business date are still as read; otherwise it reads again (README: "How a write stays equal to the replay").
 */

export interface ActionOutcome {
  loan: LoanRow;
  event: StoredEvent;
  projection: LoanProjection;
  /** The compliance gate's decision when the action has a hook point (pass, or warn with its checks). */
  compliance?: GateDecision;
}

/**
 * A step of an action under an Idempotency-Key. `answered`: the response to send (`replayed`: an earlier request
 * with the key stored it). `decided`: the action's outcome, which the caller renders into the response the key
 * keeps and hands to `commit`; the loan's write stores that response with the key in the same statement. When
 * another write moved the loan on meanwhile, `commit` reads and decides again and returns the next step.
 */
export type KeyedStep =
  | { kind: 'answered'; response: StoredResponse; replayed: boolean }
  | {
      kind: 'decided';
      outcome: Result<ActionOutcome>;
      commit(response: StoredResponse): Promise<Result<KeyedStep>>;
    };

/** The versions an If-Match accepts; a remedy the request itself records moves it to the version it made. */
interface Expected {
  precondition: Precondition;
}

/** Reads before giving up when other writes keep moving the loan on (each retry after a short random pause). */
const ATTEMPTS = 5;
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 2 ** attempt));
const concurrentUpdate = failure(
  'conflict',
  'concurrent_update',
  'the loan kept changing while this request was applied: retry it',
);

export class LoanActions {
  constructor(
    private readonly deps: {
      raw: RawQuery;
      writer: LoanWriter;
      servicing: (product: string) => Result<LoanServicing>;
      /** The compliance gate of approvals, disbursements, fees and rate changes (absent: nothing is gated). */
      checks?: LendingChecks;
    },
  ) {}

  /**
   * Records an action (approve, disburse, a payment, a reversal, ...) as an event and services the loan.
   * `attach`: another module's rows for the outcome, written in the loan's write statement (payments-port/).
   * `gated`: the action's compliance hook already ran (the payments module asks before it collects), so the
   * gate is not asked again for money already received.
   * `precondition`: the versions the caller's If-Match accepts; a loan at another version is refused (412) and,
   * since the write's guard holds the version read, a write that lands meanwhile makes the next read refuse too.
   * `read`: the loan as the caller read it (`snapshot`), which the first attempt plans from instead of reading
   * again. The write's guard holds that read's version and business date, so a loan that moved on since writes
   * nothing and the action is decided again on a fresh read, at once.
   */
  async act(
    scope: Scope,
    id: string,
    input: ActionInput,
    attach?: (outcome: ActionOutcome) => readonly Attached[],
    {
      gated = false,
      precondition = null,
      read,
    }: { gated?: boolean; precondition?: Precondition; read?: LoanRead } = {},
  ): Promise<Result<ActionOutcome>> {
    const gate: GateMemo = gated ? { decided: true, decision: null } : newGateMemo();
    const expected = { precondition };
    let given = read?.loan.id === id && read.loan.tenantId === scope.tenantId ? read : undefined;
    for (let attempt = given ? -1 : 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await pause(attempt);
      const decided = await this.#decide(scope, id, input, null, gate, expected, given);
      given = undefined;
      if (decided.kind === 'held') throw new Error('a read without a key found one');
      if (decided.kind === 'stale') return err(decided.failure);
      if (!decided.outcome.ok || !decided.write) return decided.outcome;
      const attached = [...decided.write.attached, ...(attach?.(decided.outcome.value) ?? [])];
      if (await this.deps.writer.write({ ...decided.write, attached })) return decided.outcome;
    }
    return err(concurrentUpdate);
  }

  /**
   * `act` under an Idempotency-Key: a key already used answers its stored response (or 422 for another request);
   * otherwise the outcome is `decided`, and the response the caller renders from it is stored with the loan's
   * write by `commit` (or alone, for a refusal). A concurrent request with the same key loses on the key's primary
   * key, and its next read replays the winner's response.
   */
  actKeyed(
    scope: Scope,
    id: string,
    input: ActionInput,
    key: IdempotencyKey,
    precondition: Precondition = null,
  ): Promise<Result<KeyedStep>> {
    return this.#keyedStep(scope, id, input, key, 0, newGateMemo(), { precondition });
  }

  async #keyedStep(
    scope: Scope,
    id: string,
    input: ActionInput,
    key: IdempotencyKey,
    attempt: number,
    gate: GateMemo,
    expected: Expected,
  ): Promise<Result<KeyedStep>> {
    if (attempt >= ATTEMPTS) return err(concurrentUpdate);
    if (attempt > 0) await pause(attempt);
    const decided = await this.#decide(scope, id, input, key, gate, expected);
    if (decided.kind === 'held') {
      const stored = answerFor(decided.held, key.requestHash);
      return stored.ok ? ok({ kind: 'answered', response: stored.value, replayed: true }) : stored;
    }
    // A stale page is not the key's answer: the key stays free for the request the client makes after reading again.
    if (decided.kind === 'stale') return err(decided.failure);
    const again = () => this.#keyedStep(scope, id, input, key, attempt + 1, gate, expected);
    const answered = (response: StoredResponse): Result<KeyedStep> =>
      ok({ kind: 'answered', response, replayed: false });
    return ok({
      kind: 'decided',
      outcome: decided.outcome,
      commit: async (response) => {
        if (!decided.write) {
          // A refusal writes nothing but the key; a key taken meanwhile is found by the next read.
          return (await storeResponse(this.deps.raw, scope.tenantId, key, response))
            ? answered(response)
            : again();
        }
        try {
          if (await this.deps.writer.write({ ...decided.write, key: { ...key, response } }))
            return answered(response);
        } catch (e) {
          // A concurrent request with the same key won: the next read replays its response.
          if (!isUniqueViolation(e, KEY_CONSTRAINT)) throw e;
        }
        return again();
      },
    });
  }

  /**
   * One read and what the action does to it: the outcome and the write it takes (none: refused). The compliance
   * gate runs at the first read that is not a replayed key, once (`gate` keeps its decision for the reads after).
   * A replayed key answers before the precondition is checked: the retry of a write that applied finds the loan
   * at the version that write made, and must still get its answer.
   */
  async #decide(
    scope: Scope,
    id: string,
    input: ActionInput,
    key: IdempotencyKey | null,
    gate: GateMemo,
    expected: Expected,
    given?: LoanRead,
  ): Promise<
    | { kind: 'held'; held: HeldKey }
    | { kind: 'stale'; failure: Failure }
    | { kind: 'decided'; outcome: Result<ActionOutcome>; write: LoanWrite | null }
  > {
    const { read, held } = given
      ? { read: given, held: null }
      : await this.deps.writer.read(scope.tenantId, isUuid(id) ? id : null, key?.key ?? null);
    if (key && held) return { kind: 'held', held };
    if (read && !satisfies(expected.precondition, read.loan.version))
      return { kind: 'stale', failure: stale('loan', read.loan.version) };
    if (read && !gate.decided) {
      const remedied = await gateOnce(gate, this.deps.checks, scope, read, input, async (remedy) => {
        const done = await this.act(scope, id, remedy, undefined, { precondition: expected.precondition });
        // The remedy is this request's own write: the action itself expects the version the remedy made.
        if (done.ok && expected.precondition) expected.precondition = [done.value.loan.version];
        return done;
      });
      // A remedy (the SCRA cap) was recorded as its own event: decide on the re-computed loan.
      if (remedied) return this.#decide(scope, id, input, key, gate, expected);
    }
    if (gate.refusal) return { kind: 'decided', outcome: gate.refusal, write: null };
    const plan = read ? this.#plan(scope, read, input) : err(notFound('loan'));
    if (!plan.ok) return { kind: 'decided', outcome: plan, write: null };
    const { loan, write: prepared } = this.deps.writer.prepare(read!, plan.value, new Date());
    // The gate's evaluations go in the loan's write: recorded with the action they decided, in no statement of
    // their own (a retried write carries them again; one that never lands leaves none).
    const pending = gate.decision?.pending ?? [];
    const write = pending.length > 0 ? { ...prepared, attached: [attachRows(checkRows, pending)] } : prepared;
    const { id: eventId, sequence, type, effectiveDate, payload } = plan.value.event!;
    const event: StoredEvent = { id: eventId, sequence, type, effectiveDate, payload };
    const outcome: ActionOutcome = {
      loan,
      event,
      projection: plan.value.projection,
      ...(gate.decision && { compliance: gate.decision }),
    };
    return { kind: 'decided', outcome: ok(outcome), write };
  }

  #plan(scope: Scope, read: LoanRead, input: ActionInput): Result<Plan> {
    const servicing = this.deps.servicing(read.loan.product);
    return servicing.ok ? planAction(servicing.value, scope, read, input) : servicing;
  }

  /**
   * Re-projects a loan from its events as of `asOf` and posts whatever the stored journal lacks, as one
   * restatement. A repair tool, and close of business done loan by loan (the benchmark's baseline).
   */
  async rebuild(
    tenantId: string,
    id: string,
    asOf: CalendarDate,
    options: ReplayOptions,
  ): Promise<Result<LoanRow>> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await pause(attempt);
      const { read } = await this.deps.writer.read(tenantId, isUuid(id) ? id : null, null);
      if (!read) return err(notFound('loan'));
      const servicing = this.deps.servicing(read.loan.product);
      if (!servicing.ok) return servicing;
      const projection = servicing.value.replay(read.loan.terms, read.events, asOf, options);
      if (!projection.ok) return projection;
      const { loan, write } = this.deps.writer.prepare(
        read,
        { event: null, projection: projection.value, asOf },
        new Date(),
      );
      if (await this.deps.writer.write(write)) return ok(loan);
    }
    return err(concurrentUpdate);
  }
}
