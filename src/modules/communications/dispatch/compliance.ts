import { SYSTEM_ACTOR } from '../../../kernel/audit.js';
import type { ComplianceGate } from '../../compliance/index.js';
import type { TemplateKey } from '../domain/templates/definition.js';
import type { PreSendHook } from './hooks.js';

/** Templates that ask the borrower to pay what is owed: Regulation F's timing and frequency rules look at these. */
const COLLECTION_TEMPLATES: ReadonlySet<string> = new Set<TemplateKey>(['late_notice', 'payment_returned']);

/**
 * Rules whose block is about when, not whether: the message waits and is checked again after this long (the
 * contact-hours window opens within the quarter hour; a frequency cap eases by the day).
 */
const WAIT_MS: Readonly<Record<string, number>> = {
  reg_f_contact_hours: 15 * 60_000,
  reg_f_call_frequency: 24 * 3_600_000,
};

/**
 * The compliance module's `message_send` hook as a pre-send rule: each message about to go is evaluated by the
 * rules that apply to it (stored as a check on the message): a message about a loan by those its program resolves
 * (the program's overrides of the tenant's configs, as at the loan's other hook points), any other by the
 * tenant's. A timing block defers it, any other block makes it
 * undeliverable with the rule's reason. Plinth places no calls, so the call history the frequency rule reads is
 * empty. A tenant with no rule listening costs no database access (the gate's resolution is cached).
 */
export function compliancePreSend(gate: ComplianceGate, now: () => Date): PreSendHook {
  return async (m) => {
    const at = now();
    const decided = await gate.check(
      { tenantId: m.tenantId, actor: SYSTEM_ACTOR },
      {
        hook: 'message_send',
        subject: { type: 'message', id: m.id },
        programId: m.programId,
        customerId: m.customerId,
        facts: {
          message: {
            channel: m.channel,
            purpose: COLLECTION_TEMPLATES.has(m.templateKey) ? 'collection' : 'servicing',
            sendAt: at,
            debtId: m.loanId ?? undefined,
            callHistory: [],
          },
        },
      },
    );
    if (decided.ok) return { action: 'allow' };
    const rule = String(decided.error.extra?.rule ?? '');
    const wait = WAIT_MS[rule];
    if (wait !== undefined && decided.error.code === 'compliance_blocked')
      return { action: 'defer', until: new Date(at.getTime() + wait), reason: decided.error.message };
    return { action: 'block', reason: decided.error.message };
  };
}
