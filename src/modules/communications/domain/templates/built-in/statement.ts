import type { TemplateDefinition } from '../definition.js';
import { COMMON_SAMPLE, COMMON_VARIABLES, emailHtml, letterClosing, textFooter } from './common.js';

/**
 * The periodic statement of a line of credit, rendered from the statement close of business produced (lending's
 * `line_statements`, as GET /v1/loans/{id} shows them) and the cycle's transactions. It carries what an open-end
 * periodic statement shows (Regulation Z 1026.7): previous balance, the period's transactions, credits, interest
 * and fees charged, the periodic rate with its APR and the balance it applied to, the new balance, the minimum
 * payment and its due date, the late-payment warning, the credit limit and available credit, and the period.
 */
export const periodicStatement: TemplateDefinition = {
  key: 'periodic_statement',
  name: 'Periodic statement (line of credit)',
  description: 'Sent when close of business closes a line of credit billing cycle.',
  variables: {
    ...COMMON_VARIABLES,
    today: 'the date of the message',
    'loan.reference': 'the account reference',
    'statement.number': 'statement number',
    'statement.period_start': 'first day of the billing cycle',
    'statement.period_end': 'closing date',
    'statement.days_in_cycle': 'days in the cycle',
    'statement.due_date': 'payment due date',
    'statement.opening_balance': 'previous balance, minor units',
    'statement.draws': 'draws in the cycle, minor units',
    'statement.payments': 'payments and credits, minor units',
    'statement.fees': 'fees charged, minor units',
    'statement.interest': 'interest charged, minor units',
    'statement.closing_balance': 'new balance, minor units',
    'statement.past_due': 'past-due amount included in the minimum, minor units',
    'statement.minimum_payment': 'minimum payment due, minor units',
    'statement.credit_limit': 'credit limit, minor units',
    'statement.available_credit': 'available credit, minor units',
    'statement.annual_rate': 'annual percentage rate (periodic rate × days in the year)',
    'statement.daily_periodic_rate': 'daily periodic rate, decimal',
    'statement.average_daily_balance':
      'balance subject to interest rate (average daily balance), decimal minor units',
    transactions:
      'the cycle’s transactions: [{date, description, amount}] (amount in minor units, credits negative)',
    late_fee: 'the late fee a missed minimum payment may cost, minor units, or null',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2026-04-30',
    loan: { reference: 'LOC-2001' },
    statement: {
      number: 2,
      period_start: '2026-04-01',
      period_end: '2026-04-30',
      days_in_cycle: 30,
      due_date: '2026-05-25',
      opening_balance: 120_000,
      draws: 50_000,
      payments: 20_000,
      fees: 0,
      interest: 2_143,
      closing_balance: 152_143,
      past_due: 0,
      minimum_payment: 6_706,
      credit_limit: 500_000,
      available_credit: 347_857,
      annual_rate: '18.25',
      daily_periodic_rate: '0.0005',
      average_daily_balance: '142866.6667',
    },
    transactions: [
      { date: '2026-04-05', description: 'Payment', amount: -20_000 },
      { date: '2026-04-12', description: 'Draw', amount: 50_000 },
    ],
    late_fee: 2_500,
  },
  content: {
    email: {
      subject: 'Your {{lender.name}} statement for {{statement.period_end | date}} is ready',
      html: emailHtml(
        'Statement for account {{loan.reference}}',
        `<p>Hello {{customer.name}},</p>
<p>Your statement for {{statement.period_start | date}} to {{statement.period_end | date}} ({{statement.days_in_cycle}} days):</p>
<table cellpadding="4">
<tr><td>Previous balance</td><td align="right">{{statement.opening_balance | money}}</td></tr>
<tr><td>Payments and credits</td><td align="right">−{{statement.payments | money}}</td></tr>
<tr><td>Draws</td><td align="right">+{{statement.draws | money}}</td></tr>
<tr><td>Fees charged</td><td align="right">+{{statement.fees | money}}</td></tr>
<tr><td>Interest charged</td><td align="right">+{{statement.interest | money}}</td></tr>
<tr><td><strong>New balance</strong></td><td align="right"><strong>{{statement.closing_balance | money}}</strong></td></tr>
<tr><td><strong>Minimum payment due</strong></td><td align="right"><strong>{{statement.minimum_payment | money}}</strong></td></tr>
<tr><td>Payment due date</td><td align="right">{{statement.due_date | date}}</td></tr>
{{#statement.past_due}}<tr><td>Past-due amount included</td><td align="right">{{statement.past_due | money}}</td></tr>{{/statement.past_due}}
<tr><td>Credit limit</td><td align="right">{{statement.credit_limit | money}}</td></tr>
<tr><td>Available credit</td><td align="right">{{statement.available_credit | money}}</td></tr>
</table>
<h3>Transactions</h3>
<table cellpadding="4">{{#transactions}}<tr><td>{{date | date}}</td><td>{{description}}</td><td align="right">{{amount | money}}</td></tr>{{/transactions}}{{^transactions}}<tr><td>No transactions this period.</td></tr>{{/transactions}}</table>
<h3>Interest charge calculation</h3>
<p>Annual percentage rate {{statement.annual_rate | percent}} (daily periodic rate {{statement.daily_periodic_rate}}), on a balance subject to interest rate of {{statement.average_daily_balance}} (minor units, average daily balance including new transactions).</p>
{{#late_fee}}<p><strong>Late payment warning:</strong> if we do not receive your minimum payment by {{statement.due_date | date}}, you may have to pay a late fee of up to {{late_fee | money}}.</p>{{/late_fee}}`,
      ),
      text: `Hello {{customer.name}},

Statement for account {{loan.reference}}, {{statement.period_start | date}} to {{statement.period_end | date}} ({{statement.days_in_cycle}} days)

Previous balance        {{statement.opening_balance | money}}
Payments and credits   -{{statement.payments | money}}
Draws                  +{{statement.draws | money}}
Fees charged           +{{statement.fees | money}}
Interest charged       +{{statement.interest | money}}
New balance             {{statement.closing_balance | money}}
Minimum payment due     {{statement.minimum_payment | money}} by {{statement.due_date | date}}
Credit limit            {{statement.credit_limit | money}} (available {{statement.available_credit | money}})

Transactions:
{{#transactions}}{{date | date}}  {{description}}  {{amount | money}}
{{/transactions}}{{^transactions}}No transactions this period.
{{/transactions}}
APR {{statement.annual_rate | percent}}, daily periodic rate {{statement.daily_periodic_rate}}, balance subject to interest rate {{statement.average_daily_balance}} (minor units).
{{#late_fee}}Late payment warning: if we do not receive your minimum payment by {{statement.due_date | date}}, you may have to pay a late fee of up to {{late_fee | money}}.
{{/late_fee}}
${textFooter}`,
    },
    letter: {
      body: `# Statement for account {{loan.reference}}

{{customer.name}} · statement {{statement.number}} · {{statement.period_start | date}} to {{statement.period_end | date}} ({{statement.days_in_cycle}} days)

## Summary
| Previous balance | {{statement.opening_balance | money}} |
| Payments and credits | -{{statement.payments | money}} |
| Draws | +{{statement.draws | money}} |
| Fees charged | +{{statement.fees | money}} |
| Interest charged | +{{statement.interest | money}} |
| New balance | {{statement.closing_balance | money}} |
| Minimum payment due | {{statement.minimum_payment | money}} |
| Payment due date | {{statement.due_date | date}} |
{{#statement.past_due}}| Past-due amount included | {{statement.past_due | money}} |
{{/statement.past_due}}| Credit limit | {{statement.credit_limit | money}} |
| Available credit | {{statement.available_credit | money}} |

## Transactions
{{#transactions}}| {{date | date}}  {{description}} | {{amount | money}} |
{{/transactions}}{{^transactions}}No transactions this period.
{{/transactions}}

## Interest charge calculation
Annual percentage rate {{statement.annual_rate | percent}}; daily periodic rate {{statement.daily_periodic_rate}}; balance subject to interest rate {{statement.average_daily_balance}} (minor units, average daily balance including new transactions).

{{#late_fee}}Late payment warning: if we do not receive your minimum payment by {{statement.due_date | date}}, you may have to pay a late fee of up to {{late_fee | money}}.{{/late_fee}}

${letterClosing}`,
    },
  },
};
