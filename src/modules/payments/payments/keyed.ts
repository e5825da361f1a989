import type { Scope } from '../../../kernel/audit.js';
import {
  answerFor,
  complete,
  type IdempotencyKey,
  release,
  type StoredResponse,
  storeResponse,
} from '../../../kernel/idempotency.js';
import { err, type Failure, failure, ok, type Result } from '../../../kernel/result.js';
import type { ResolvedProcessor } from '../processors.js';
import type { PaymentMethodRow, PaymentRow } from '../tables.js';
import { Claims } from './claim.js';
import type { PendingKey } from './recorder.js';
import type { CallDeps } from './requests.js';

/** A request's Idempotency-Key, and how the route renders what the request answers (stored with the key). */
export interface KeyedRequest extends IdempotencyKey {
  render(r: Result<PaymentRow>): StoredResponse;
}

/** What a keyed request answers (`replayed`: an earlier request with the key stored it). */
export interface KeyedAnswer {
  response: StoredResponse;
  replayed: boolean;
}

/** What the keyed path needs besides the payment's own fields. */
export interface KeyedPaymentInput {
  processor: ResolvedProcessor;
  /** Whether the stored method may make this payment (a collection: the borrower's, at the loan's processor). */
  checkMethod(m: PaymentMethodRow | null): Result<PaymentMethodRow>;
}

/** Responses of 5xx are not stored: the key is released and the client's retry resumes the payment. */
const stored = (r: StoredResponse): boolean => r.status < 500;

const inProgress = () =>
  failure('conflict', 'idempotency_key_in_progress', 'the original request is still running');

/**
 * The Idempotency-Key's side of a payment recorded under it (PaymentService.createKeyed): refusals stored, a key
 * used before answered, and the answer of a payment whose finalizing statement did not complete the key (a
 * resumed payment, a 5xx) completed or released here.
 */
export class KeyedAnswers {
  readonly #claims: Claims;

  constructor(private readonly deps: CallDeps) {
    this.#claims = new Claims(deps.raw);
  }

  /** A refusal before anything was recorded, stored under the key (taken meanwhile: 409, the retry replays). */
  async refuse(tenantId: string, keyed: KeyedRequest, f: Failure): Promise<KeyedAnswer> {
    const response = keyed.render(err(f));
    if (!stored(response) || (await storeResponse(this.deps.raw, tenantId, keyed, response)))
      return { response, replayed: false };
    return { response: keyed.render(err(inProgress())), replayed: false };
  }

  /** The claim statement: the payment recorded (or found) with the key claimed, else the key's answer. */
  async claim(
    scope: Scope,
    keyed: KeyedRequest,
    row: PaymentRow,
    input: KeyedPaymentInput,
    detail: Record<string, unknown>,
  ): Promise<
    | { kind: 'answered'; answer: KeyedAnswer }
    | { kind: 'recorded'; payment: PaymentRow; method: PaymentMethodRow }
    | { kind: 'resume'; payment: PaymentRow }
  > {
    const tenantId = scope.tenantId;
    const c = await this.#claims.claimAndRecord({
      tenantId,
      key: keyed.key,
      requestHash: keyed.requestHash,
      paymentMethodId: row.paymentMethodId,
      customerId: row.customerId,
      providerConfigId: input.processor.providerConfigId,
      row,
      source: row.source === 'autopay' ? 'autopay' : 'api',
      detail,
    });
    if (!c.claimed) {
      // Not claimed and not held before the statement: a concurrent request claimed it meanwhile.
      const held = c.held ? answerFor(c.held, keyed.requestHash) : err(inProgress());
      return {
        kind: 'answered',
        answer: held.ok
          ? { response: held.value, replayed: true }
          : { response: keyed.render(held), replayed: false },
      };
    }
    // A payment recorded under the key by a request that got a 5xx, or died: the retry resumes it.
    if (c.existing) return { kind: 'resume', payment: c.existing };
    const checked = input.checkMethod(c.method);
    if (!c.inserted || !checked.ok)
      return {
        kind: 'answered',
        answer: await this.finish(tenantId, keyed, checked.ok ? err(methodRefused()) : checked),
      };
    return { kind: 'recorded', payment: c.inserted, method: checked.value };
  }

  /** The key as the statement that records a call's answer completes it. */
  pending(keyed: KeyedRequest): PendingKey {
    return {
      key: keyed.key,
      render: (p) => {
        const response = keyed.render(ok(p));
        return stored(response) ? response : null;
      },
    };
  }

  /** The answer of `r`: completed under the key, or (a 5xx) the key released for the retry. */
  async finish(tenantId: string, keyed: KeyedRequest, r: Result<PaymentRow>): Promise<KeyedAnswer> {
    const response = keyed.render(r);
    if (stored(response)) await complete(this.deps.db, tenantId, keyed.key, response.status, response.body);
    else await release(this.deps.db, tenantId, keyed.key);
    return { response, replayed: false };
  }

  /** Frees the key after an error thrown mid-way (the HTTP layer's way for a 5xx). */
  release(tenantId: string, keyed: KeyedRequest): Promise<void> {
    return release(this.deps.db, tenantId, keyed.key);
  }
}

/** The method passed the caller's check but the statement did not record (a method changed in between). */
const methodRefused = () =>
  failure('conflict', 'payment_method_changed', 'the payment method changed meanwhile: retry the request');
