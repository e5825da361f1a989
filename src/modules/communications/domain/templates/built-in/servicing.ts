import type { TemplateDefinition } from '../definition.js';
import {
  COMMON_SAMPLE,
  COMMON_VARIABLES,
  emailHtml,
  letterClosing,
  letterOpening,
  textFooter,
} from './common.js';

/** Servicing messages: funding, reminders, receipts, late and returned payments, payoff. */

const loanSample = {
  reference: 'LN-10042',
  amount: 500_000,
  disbursed_on: '2026-03-02',
  next_due_date: '2026-04-02',
};

export const welcome: TemplateDefinition = {
  key: 'welcome',
  name: 'Welcome',
  description: 'Sent when a loan is disbursed or a line of credit opens.',
  variables: {
    ...COMMON_VARIABLES,
    'loan.reference': 'the loan reference',
    'loan.amount': 'amount financed or credit limit, minor units',
    'loan.disbursed_on': 'date of disbursement',
    'loan.next_due_date': 'first payment date, or null',
    today: 'the date of the message',
  },
  sample: { ...COMMON_SAMPLE, today: '2026-03-02', loan: loanSample },
  content: {
    email: {
      subject: 'Welcome to {{lender.name}}: your account {{loan.reference}} is open',
      html: emailHtml(
        'Welcome, {{customer.name}}',
        `<p>Your account <strong>{{loan.reference}}</strong> for {{loan.amount | money}} was funded on {{loan.disbursed_on | date}}.</p>
{{#loan.next_due_date}}<p>Your first payment is due on {{loan.next_due_date | date}}.</p>{{/loan.next_due_date}}
<p>Questions? Call us at {{lender.phone}} or write to {{lender.email}}.</p>`,
      ),
      text: `Welcome, {{customer.name}}.

Your account {{loan.reference}} for {{loan.amount | money}} was funded on {{loan.disbursed_on | date}}.
{{#loan.next_due_date}}Your first payment is due on {{loan.next_due_date | date}}.
{{/loan.next_due_date}}
${textFooter}`,
    },
    sms: {
      body: '{{lender.name}}: account {{loan.reference}} for {{loan.amount | money}} is funded.{{#loan.next_due_date}} First payment due {{loan.next_due_date | date}}.{{/loan.next_due_date}} Reply STOP to opt out.',
    },
    letter: {
      body: `# Welcome to {{lender.name}}

${letterOpening}

Your account {{loan.reference}} for {{loan.amount | money}} was funded on {{loan.disbursed_on | date}}.
{{#loan.next_due_date}}Your first payment is due on {{loan.next_due_date | date}}.{{/loan.next_due_date}}

Keep this letter with your loan documents.

${letterClosing}`,
    },
  },
};

export const paymentReminder: TemplateDefinition = {
  key: 'payment_reminder',
  name: 'Payment reminder',
  description: 'Sent a set number of days before a payment is due.',
  variables: {
    ...COMMON_VARIABLES,
    'loan.reference': 'the loan reference',
    'payment.amount_due': 'amount due, minor units',
    'payment.due_date': 'due date',
    'payment.days_until_due': 'days from today to the due date',
    today: 'the date of the message',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2026-03-28',
    loan: { reference: 'LN-10042' },
    payment: { amount_due: 43_817, due_date: '2026-04-02', days_until_due: 5 },
  },
  content: {
    email: {
      subject: 'Your payment of {{payment.amount_due | money}} is due {{payment.due_date | date}}',
      html: emailHtml(
        'Payment reminder',
        `<p>Hello {{customer.name}},</p>
<p>Your payment of <strong>{{payment.amount_due | money}}</strong> on account {{loan.reference}} is due on {{payment.due_date | date}}, in {{payment.days_until_due}} days.</p>
<p>If you have already paid, thank you: no action is needed.</p>`,
      ),
      text: `Hello {{customer.name}},

Your payment of {{payment.amount_due | money}} on account {{loan.reference}} is due on {{payment.due_date | date}}, in {{payment.days_until_due}} days.
If you have already paid, thank you: no action is needed.

${textFooter}`,
    },
    sms: {
      body: '{{lender.name}}: {{payment.amount_due | money}} is due {{payment.due_date | date}} on account {{loan.reference}}. Reply STOP to opt out.',
    },
  },
};

export const paymentReceipt: TemplateDefinition = {
  key: 'payment_receipt',
  name: 'Payment receipt',
  description: 'Sent when a payment is received.',
  variables: {
    ...COMMON_VARIABLES,
    'loan.reference': 'the loan reference',
    'loan.next_due_date': 'the next due date, or null',
    'payment.amount': 'amount received, minor units',
    'payment.received_on': 'date the payment is effective',
    today: 'the date of the message',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2026-04-02',
    loan: { reference: 'LN-10042', next_due_date: '2026-05-02' },
    payment: { amount: 43_817, received_on: '2026-04-02' },
  },
  content: {
    email: {
      subject: 'We received your payment of {{payment.amount | money}}',
      html: emailHtml(
        'Payment received',
        `<p>Thank you, {{customer.name}}.</p>
<p>We received your payment of <strong>{{payment.amount | money}}</strong> on {{payment.received_on | date}} for account {{loan.reference}}.</p>
{{#loan.next_due_date}}<p>Your next payment is due on {{loan.next_due_date | date}}.</p>{{/loan.next_due_date}}`,
      ),
      text: `Thank you, {{customer.name}}.

We received your payment of {{payment.amount | money}} on {{payment.received_on | date}} for account {{loan.reference}}.
{{#loan.next_due_date}}Your next payment is due on {{loan.next_due_date | date}}.
{{/loan.next_due_date}}
${textFooter}`,
    },
    sms: {
      body: '{{lender.name}}: payment of {{payment.amount | money}} received on {{payment.received_on | date}} for {{loan.reference}}. Thank you.',
    },
  },
};

export const lateNotice: TemplateDefinition = {
  key: 'late_notice',
  name: 'Late notice',
  description: 'Sent when a payment was not made by its due date (after any grace days).',
  variables: {
    ...COMMON_VARIABLES,
    'loan.reference': 'the loan reference',
    'loan.days_past_due': 'days past due',
    'payment.due_date': 'the oldest due date not paid',
    'payment.amount_past_due': 'amount past due, minor units, or null when unknown',
    today: 'the date of the message',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2026-04-13',
    loan: { reference: 'LN-10042', days_past_due: 11 },
    payment: { due_date: '2026-04-02', amount_past_due: 43_817 },
  },
  content: {
    email: {
      subject: 'Your payment on account {{loan.reference}} is past due',
      html: emailHtml(
        'Your payment is past due',
        `<p>Hello {{customer.name}},</p>
<p>We have not received the payment{{#payment.amount_past_due}} of <strong>{{payment.amount_past_due | money}}</strong>{{/payment.amount_past_due}} that was due on {{payment.due_date | date}} for account {{loan.reference}}. It is {{loan.days_past_due}} days past due.</p>
<p>Please pay as soon as you can, or call us at {{lender.phone}} if you need help.</p>`,
      ),
      text: `Hello {{customer.name}},

We have not received the payment{{#payment.amount_past_due}} of {{payment.amount_past_due | money}}{{/payment.amount_past_due}} that was due on {{payment.due_date | date}} for account {{loan.reference}}. It is {{loan.days_past_due}} days past due.
Please pay as soon as you can, or call us at {{lender.phone}} if you need help.

${textFooter}`,
    },
    sms: {
      body: '{{lender.name}}: your payment due {{payment.due_date | date}} on {{loan.reference}} is past due. Call {{lender.phone}} for help. Reply STOP to opt out.',
    },
    letter: {
      body: `# Notice of late payment

${letterOpening}

We have not received the payment{{#payment.amount_past_due}} of {{payment.amount_past_due | money}}{{/payment.amount_past_due}} that was due on {{payment.due_date | date}} for account {{loan.reference}}. As of {{today | date}} it is {{loan.days_past_due}} days past due.

Please pay as soon as you can. If you are having difficulty, call us at {{lender.phone}}: we may be able to help.

If you have already paid, thank you, and please disregard this notice.

${letterClosing}`,
    },
  },
};

export const paymentReturned: TemplateDefinition = {
  key: 'payment_returned',
  name: 'Payment returned',
  description: 'Sent when a payment is returned or reversed (NSF, closed account, dispute).',
  variables: {
    ...COMMON_VARIABLES,
    'loan.reference': 'the loan reference',
    'payment.amount': 'amount returned, minor units',
    'payment.returned_on': 'date of the return',
    'payment.return_reason': 'why it was returned, or null',
    today: 'the date of the message',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2026-04-06',
    loan: { reference: 'LN-10042' },
    payment: { amount: 43_817, returned_on: '2026-04-06', return_reason: 'Insufficient funds (R01)' },
  },
  content: {
    email: {
      subject: 'Your payment of {{payment.amount | money}} was returned',
      html: emailHtml(
        'Payment returned',
        `<p>Hello {{customer.name}},</p>
<p>Your payment of <strong>{{payment.amount | money}}</strong> on account {{loan.reference}} was returned on {{payment.returned_on | date}}{{#payment.return_reason}} ({{payment.return_reason}}){{/payment.return_reason}}. The amount is owed again.</p>
<p>Please make the payment another way, or call us at {{lender.phone}}.</p>`,
      ),
      text: `Hello {{customer.name}},

Your payment of {{payment.amount | money}} on account {{loan.reference}} was returned on {{payment.returned_on | date}}{{#payment.return_reason}} ({{payment.return_reason}}){{/payment.return_reason}}. The amount is owed again.
Please make the payment another way, or call us at {{lender.phone}}.

${textFooter}`,
    },
    sms: {
      body: '{{lender.name}}: your payment of {{payment.amount | money}} on {{loan.reference}} was returned. Call {{lender.phone}}. Reply STOP to opt out.',
    },
  },
};

export const payoffLetter: TemplateDefinition = {
  key: 'payoff_letter',
  name: 'Payoff letter',
  description: 'Sent when a loan is paid in full.',
  variables: {
    ...COMMON_VARIABLES,
    'loan.reference': 'the loan reference',
    'loan.amount': 'amount financed, minor units',
    'loan.paid_off_on': 'date the loan was paid in full',
    'payment.amount': 'the final payment, minor units, or null',
    today: 'the date of the message',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2027-03-02',
    loan: { reference: 'LN-10042', amount: 500_000, paid_off_on: '2027-03-02' },
    payment: { amount: 43_811 },
  },
  content: {
    email: {
      subject: 'Account {{loan.reference}} is paid in full',
      html: emailHtml(
        'Paid in full',
        `<p>Congratulations, {{customer.name}}.</p>
<p>Account {{loan.reference}} ({{loan.amount | money}}) was paid in full on {{loan.paid_off_on | date}}{{#payment.amount}} with a final payment of {{payment.amount | money}}{{/payment.amount}}. Nothing more is owed.</p>
<p>A payoff letter is on its way by mail.</p>`,
      ),
      text: `Congratulations, {{customer.name}}.

Account {{loan.reference}} ({{loan.amount | money}}) was paid in full on {{loan.paid_off_on | date}}{{#payment.amount}} with a final payment of {{payment.amount | money}}{{/payment.amount}}. Nothing more is owed.

${textFooter}`,
    },
    letter: {
      body: `# Paid in full

${letterOpening}

This letter confirms that account {{loan.reference}}, for an amount financed of {{loan.amount | money}}, was paid in full on {{loan.paid_off_on | date}}{{#payment.amount}} with a final payment of {{payment.amount | money}}{{/payment.amount}}. No further payments are due, and the account is closed.

Please keep this letter for your records.

${letterClosing}`,
    },
  },
};
