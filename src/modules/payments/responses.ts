import { z } from 'zod';
import { anyObject, calendarDate, instant, minor } from '../../kernel/responses.js';

/** The response schemas of the payments routes (see kernel/responses.ts). */

export const paymentMethodOut = z.object({
  id: z.string(),
  customer_id: z.string(),
  provider_config_id: z.string(),
  provider_key: z.string(),
  type: z.string(),
  customer_ref: z.string(),
  method_ref: z.string(),
  brand: z.string().nullable(),
  last4: z.string().nullable(),
  exp_month: z.number().int().nullable(),
  exp_year: z.number().int().nullable(),
  bank_name: z.string().nullable(),
  routing_number: z.string().nullable(),
  mandate: z.object({ ip_address: z.string(), user_agent: z.string(), accepted_at: z.string() }).nullable(),
  status: z.enum(['active', 'detached']),
  created_at: instant,
});

export const paymentOut = z.object({
  id: z.string(),
  state: z.string(),
  customer_id: z.string(),
  payment_method_id: z.string(),
  provider_config_id: z.string(),
  provider_key: z.string(),
  type: z.string(),
  amount: minor,
  currency: z.string(),
  capture: z.boolean(),
  amount_authorized: minor,
  amount_captured: minor,
  amount_refunded: minor,
  dispute: z.string().nullable(),
  processor_id: z.string().nullable(),
  reference: z.string(),
  decline: z
    .object({ code: z.string(), processor_code: z.string().nullable(), message: z.string().nullable() })
    .nullable(),
  return_code: z.string().nullable(),
  pending_operation: z.enum(['authorize', 'capture', 'void']).nullable(),
  error: z.string().nullable(),
  loan: z
    .object({
      id: z.string(),
      applied: minor,
      event_id: z.string().nullable(),
      returned_payment_fee_charged: z.boolean(),
      error: z.string().nullable(),
    })
    .nullable(),
  source: z.enum(['api', 'collection', 'autopay']),
  autopay_due_date: calendarDate.nullable(),
  description: z.string().nullable(),
  created_at: instant,
  updated_at: instant,
});

export const refundOut = z.object({
  id: z.string(),
  payment_id: z.string(),
  amount: minor,
  status: z.enum(['requested', 'pending', 'succeeded', 'failed']),
  reference: z.string(),
  processor_refund_id: z.string().nullable(),
  error: z.string().nullable(),
  created_at: instant,
});

export const transitionOut = z.object({
  seq: z.number().int(),
  from: z.string().nullable(),
  to: z.string(),
  source: z.enum(['api', 'webhook', 'reconciler', 'autopay']),
  detail: anyObject,
  loan_event_id: z.string().nullable(),
  at: instant,
});

export const paymentDetailOut = paymentOut.extend({
  transitions: z.array(transitionOut),
  refunds: z.array(refundOut),
});

export const autopayOut = z.object({
  loan_id: z.string(),
  payment_method_id: z.string(),
  enabled: z.boolean(),
  updated_at: instant,
});

export const settingsOut = z.object({
  program_id: z.string(),
  returned_payment_fee: minor,
  overpayment: z.enum(['reject', 'credit']),
});
