import { isPlainObject, type RawResponse, readJson, type Verdict } from '../shared/card-client.js';

/**
 * Stripe's rules for the synchronous answer to `issuing_authorization.request` ("Issuing real-time
 * authorizations"): HTTP 200, a `Stripe-Version` header, a JSON body with a Boolean `approved`, an optional
 * positive `amount` (only when the amount is controllable) and optional `metadata`, within 2 seconds.
 */
export const STRIPE_TIMEOUT_MS = 2000;

const VERSION_RE = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;
const ALLOWED_FIELDS = new Set(['approved', 'amount', 'metadata']);

export interface StripeRequestContext {
  requestedAmount: number;
  amountControllable: boolean;
}

export function judgeStripeAnswer(res: RawResponse, ctx: StripeRequestContext): Verdict {
  const problems: string[] = [];
  if (res.status !== 200) problems.push(`status must be 200, got ${res.status}`);
  if (res.latencyMs > STRIPE_TIMEOUT_MS)
    problems.push(
      `answered in ${Math.round(res.latencyMs)} ms; Stripe gives up after ${STRIPE_TIMEOUT_MS} ms`,
    );

  const version = res.headers['stripe-version'];
  if (!version) problems.push('missing Stripe-Version header');
  else if (!VERSION_RE.test(version)) problems.push(`Stripe-Version "${version}" is not an API version`);

  const contentType = res.headers['content-type'];
  if (contentType && !contentType.startsWith('application/json'))
    problems.push(`content type must be application/json, got ${contentType}`);

  const body = readJson(res.text);
  if (!isPlainObject(body)) {
    problems.push('body must be a JSON object');
    return { ok: false, problems, approved: null, approvedAmount: null };
  }
  for (const key of Object.keys(body))
    if (!ALLOWED_FIELDS.has(key)) problems.push(`unexpected field "${key}"`);
  if (typeof body.approved !== 'boolean') problems.push('"approved" must be a Boolean');

  let approvedAmount: number | null = null;
  if (body.amount !== undefined) {
    const a = body.amount;
    if (typeof a !== 'number' || !Number.isInteger(a) || a <= 0)
      problems.push('"amount" must be a positive integer');
    else {
      approvedAmount = a;
      if (!ctx.amountControllable) problems.push('"amount" sent although the amount is not controllable');
      if (a > ctx.requestedAmount)
        problems.push(`"amount" ${a} exceeds the requested ${ctx.requestedAmount}`);
    }
    if (body.approved === false) problems.push('"amount" sent with a decline');
  }

  if (body.metadata !== undefined) {
    if (!isPlainObject(body.metadata)) problems.push('"metadata" must be an object');
    else {
      const entries = Object.entries(body.metadata);
      if (entries.length > 50) problems.push('"metadata" has more than 50 keys');
      for (const [k, v] of entries) {
        if (k.length > 40) problems.push(`metadata key "${k}" is longer than 40 characters`);
        if (typeof v !== 'string' || v.length > 500)
          problems.push(`metadata "${k}" must be a string of <= 500`);
      }
    }
  }

  const approved = typeof body.approved === 'boolean' ? body.approved : null;
  return {
    ok: problems.length === 0,
    problems,
    approved,
    approvedAmount: approved ? (approvedAmount ?? ctx.requestedAmount) : null,
  };
}
