import type { TemplateDefinition, TemplateKey } from '../definition.js';
import { adverseActionNotice } from './adverse-action.js';
import {
  lateNotice,
  paymentReceipt,
  paymentReminder,
  paymentReturned,
  payoffLetter,
  welcome,
} from './servicing.js';
import { periodicStatement } from './statement.js';

/** Every built-in template, by key. A tenant's override replaces a channel's content, never the variables. */
export const BUILT_IN_TEMPLATES: Readonly<Record<TemplateKey, TemplateDefinition>> = {
  welcome,
  payment_reminder: paymentReminder,
  payment_receipt: paymentReceipt,
  late_notice: lateNotice,
  payment_returned: paymentReturned,
  adverse_action_notice: adverseActionNotice,
  periodic_statement: periodicStatement,
  payoff_letter: payoffLetter,
};
