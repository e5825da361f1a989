import { isPlainObject, type RawResponse, readJson, type Verdict } from '../shared/card-client.js';

/**
 * Lithic's rules for an ASA answer: HTTP 200, a JSON body whose `result` is one of the documented values, the
 * request's `token`, and `approved_amount` only as a partial approval (positive, below the requested amount,
 * on a terminal that supports it). The timeout is not published in the sources found; 2 s is enforced.
 */
export const LITHIC_ASA_TIMEOUT_MS = 2000;

const RESULTS = new Set([
  'APPROVED',
  'AVS_INVALID',
  'CARD_PAUSED',
  'INSUFFICIENT_FUNDS',
  'UNAUTHORIZED_MERCHANT',
  'VELOCITY_EXCEEDED',
  'DRIVER_NUMBER_INVALID',
  'VEHICLE_NUMBER_INVALID',
  'SUSPECTED_FRAUD',
  'CHALLENGE',
]);
const AVS_RESULTS = new Set(['FAIL', 'MATCH', 'MATCH_ADDRESS_ONLY', 'MATCH_ZIP_ONLY']);
const ALLOWED_FIELDS = new Set([
  'result',
  'token',
  'approved_amount',
  'avs_result',
  'balance',
  'challenge_phone_number',
]);

export interface AsaContext {
  token: string | null;
  requestedAmount: number;
  partialAllowed: boolean;
}

export function judgeAsaAnswer(res: RawResponse, ctx: AsaContext): Verdict {
  const problems: string[] = [];
  if (res.status !== 200) problems.push(`status must be 200, got ${res.status}`);
  if (res.latencyMs > LITHIC_ASA_TIMEOUT_MS)
    problems.push(`answered in ${Math.round(res.latencyMs)} ms (> ${LITHIC_ASA_TIMEOUT_MS} ms)`);
  const body = readJson(res.text);
  if (!isPlainObject(body)) {
    problems.push('body must be a JSON object');
    return { ok: false, problems, approved: null, approvedAmount: null };
  }
  for (const key of Object.keys(body))
    if (!ALLOWED_FIELDS.has(key)) problems.push(`unexpected field "${key}"`);
  const result = body.result;
  if (typeof result !== 'string' || !RESULTS.has(result))
    problems.push(`"result" ${String(result)} is not an ASA result`);
  if (ctx.token !== null && body.token !== ctx.token) problems.push('"token" must echo the request token');
  if (body.avs_result !== undefined && !AVS_RESULTS.has(String(body.avs_result)))
    problems.push(`"avs_result" ${String(body.avs_result)} is not valid`);

  let approvedAmount: number | null = null;
  if (body.approved_amount !== undefined) {
    const a = body.approved_amount;
    if (typeof a !== 'number' || !Number.isInteger(a) || a <= 0)
      problems.push('"approved_amount" must be a positive integer');
    else {
      approvedAmount = a;
      if (result !== 'APPROVED') problems.push('"approved_amount" sent without APPROVED');
      if (a >= ctx.requestedAmount)
        problems.push('"approved_amount" must only be sent for a partial approval');
      if (!ctx.partialAllowed) problems.push('partial approval on a terminal that does not support it');
    }
  }
  const approved = typeof result === 'string' && RESULTS.has(result) ? result === 'APPROVED' : null;
  return {
    ok: problems.length === 0,
    problems,
    approved,
    approvedAmount: approved ? (approvedAmount ?? ctx.requestedAmount) : null,
  };
}
