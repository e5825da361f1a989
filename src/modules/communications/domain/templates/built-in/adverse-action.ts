import type { TemplateDefinition } from '../definition.js';
import { COMMON_SAMPLE, COMMON_VARIABLES, emailHtml, letterClosing, letterOpening } from './common.js';

/**
 * The notice of adverse action. Its content is set by law:
 * - ECOA / Regulation B, 12 CFR 1002.9(a)(2): a statement of the action taken; the creditor's name and address;
 *   the ECOA notice of 1002.9(b)(1) (the section 701(a) prohibition on discrimination); the name and address of
 *   the federal agency that administers compliance for the creditor; and a statement of the specific principal
 *   reasons (the form used here: reasons are required, not offered on request).
 * - FCRA section 615(a) (15 U.S.C. 1681m), when a consumer report was used in whole or part: the consumer
 *   reporting agency's name, address and telephone number (toll-free when nationwide); a statement that the agency
 *   did not make the decision and cannot explain it; the right to a free copy of the report within 60 days and to
 *   dispute its accuracy or completeness; and, when a credit score was used (615(a)(2), 609(f)), the score, its
 *   range, up to four key factors (five when inquiries are one), its date and who provided it.
 * The notice must reach the applicant within 30 days (1002.9(a)(1)): the letter is the written notice; the e-mail
 * is a copy for applicants who consented to electronic delivery.
 */
export const adverseActionNotice: TemplateDefinition = {
  key: 'adverse_action_notice',
  name: 'Notice of adverse action (ECOA / FCRA)',
  description:
    'Written notice of a declined, terminated or less favourable credit decision, with the principal reasons, the ECOA notice and, when a consumer report was used, the FCRA 615(a) disclosures and credit score.',
  variables: {
    ...COMMON_VARIABLES,
    today: 'the date of the notice',
    'application.date': 'date the application was received',
    'application.product': 'what was applied for ("a personal installment loan")',
    'decision.action': 'the action taken ("declined your application", "reduced your credit limit")',
    'decision.date': 'date of the decision',
    reasons: 'the principal reasons, most important first (1 to 4 strings)',
    'ecoa_agency.name': 'the federal agency that administers ECOA compliance for the lender',
    'ecoa_agency.address': "that agency's address",
    credit_report:
      'null, or the consumer report used: agency {name, address, phone}, score (null or {value, range_low, range_high, date, source, key_factors[]})',
  },
  sample: {
    ...COMMON_SAMPLE,
    today: '2026-03-05',
    application: { date: '2026-03-01', product: 'a personal installment loan of $5,000.00' },
    decision: { action: 'declined your application', date: '2026-03-04' },
    reasons: ['Debt-to-income ratio too high', 'Length of employment too short'],
    ecoa_agency: {
      name: 'Federal Trade Commission, Equal Credit Opportunity',
      address: '600 Pennsylvania Avenue NW, Washington, DC 20580',
    },
    credit_report: {
      agency: {
        name: 'Example Credit Bureau',
        address: 'P.O. Box 740241, Atlanta, GA 30374',
        phone: '1-800-555-0199 (toll-free)',
      },
      score: {
        value: 588,
        range_low: 300,
        range_high: 850,
        date: '2026-03-02',
        source: 'Example Credit Bureau',
        key_factors: ['Serious delinquency', 'Proportion of balances to credit limits too high'],
      },
    },
  },
  content: {
    letter: {
      body: `# Notice of action taken

${letterOpening}

Thank you for your application of {{application.date | date}} for {{application.product}}. On {{decision.date | date}} we {{decision.action}}.

## Principal reasons for our decision
{{#reasons}}
- {{.}}
{{/reasons}}

{{#credit_report}}
## Your credit report
Our decision was based in whole or in part on information in a report from the consumer reporting agency below:
{{credit_report.agency.name}}
{{credit_report.agency.address}}
{{credit_report.agency.phone}}

The consumer reporting agency did not make this decision and is unable to tell you the specific reasons why it was made. You have a right under the Fair Credit Reporting Act to a free copy of your report from that agency if you ask for it within 60 days of receiving this notice, and to dispute with the agency the accuracy or completeness of any information in it.

{{#credit_report.score}}
## Your credit score
We also obtained your credit score from this agency and used it in making our decision. A credit score is a number that reflects the information in your credit report, and it can change as that information changes.
| Your credit score | {{credit_report.score.value}} |
| Scores range from | {{credit_report.score.range_low}} to {{credit_report.score.range_high}} |
| Date of the score | {{credit_report.score.date | date}} |
| Provided by | {{credit_report.score.source}} |
Key factors that adversely affected your credit score:
{{#credit_report.score.key_factors}}
- {{.}}
{{/credit_report.score.key_factors}}
{{/credit_report.score}}
{{/credit_report}}

## Your rights under the Equal Credit Opportunity Act
The federal Equal Credit Opportunity Act prohibits creditors from discriminating against credit applicants on the basis of race, color, religion, national origin, sex, marital status or age (provided the applicant has the capacity to enter into a binding contract); because all or part of the applicant's income derives from any public assistance program; or because the applicant has in good faith exercised any right under the Consumer Credit Protection Act. The federal agency that administers compliance with this law concerning this creditor is:
{{ecoa_agency.name}}
{{ecoa_agency.address}}

This notice is from {{lender.name}}, {{lender.address}}. If you have questions about it, call us at {{lender.phone}}.

${letterClosing}`,
    },
    email: {
      subject: 'About your application with {{lender.name}}',
      html: emailHtml(
        'Notice of action taken',
        `<p>Dear {{customer.name}},</p>
<p>Thank you for your application of {{application.date | date}} for {{application.product}}. On {{decision.date | date}} we {{decision.action}}.</p>
<h3>Principal reasons for our decision</h3>
<ul>{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul>
{{#credit_report}}<h3>Your credit report</h3>
<p>Our decision was based in whole or in part on information in a report from {{credit_report.agency.name}}, {{credit_report.agency.address}}, {{credit_report.agency.phone}}. The consumer reporting agency did not make this decision and is unable to tell you the specific reasons why it was made. You have a right under the Fair Credit Reporting Act to a free copy of your report from that agency if you ask for it within 60 days of receiving this notice, and to dispute with the agency the accuracy or completeness of any information in it.</p>
{{#credit_report.score}}<p>We also used your credit score from this agency: <strong>{{credit_report.score.value}}</strong> (scores range from {{credit_report.score.range_low}} to {{credit_report.score.range_high}}), dated {{credit_report.score.date | date}}, provided by {{credit_report.score.source}}. Key factors that adversely affected it:</p>
<ul>{{#credit_report.score.key_factors}}<li>{{.}}</li>{{/credit_report.score.key_factors}}</ul>{{/credit_report.score}}{{/credit_report}}
<h3>Your rights under the Equal Credit Opportunity Act</h3>
<p>The federal Equal Credit Opportunity Act prohibits creditors from discriminating against credit applicants on the basis of race, color, religion, national origin, sex, marital status or age (provided the applicant has the capacity to enter into a binding contract); because all or part of the applicant's income derives from any public assistance program; or because the applicant has in good faith exercised any right under the Consumer Credit Protection Act. The federal agency that administers compliance with this law concerning this creditor is {{ecoa_agency.name}}, {{ecoa_agency.address}}.</p>
<p>This notice is from {{lender.name}}, {{lender.address}}. A copy is on its way by mail.</p>`,
      ),
      text: `Dear {{customer.name}},

Thank you for your application of {{application.date | date}} for {{application.product}}. On {{decision.date | date}} we {{decision.action}}.

Principal reasons for our decision:
{{#reasons}}- {{.}}
{{/reasons}}
{{#credit_report}}
Our decision was based in whole or in part on information in a report from {{credit_report.agency.name}}, {{credit_report.agency.address}}, {{credit_report.agency.phone}}. The consumer reporting agency did not make this decision and is unable to tell you the specific reasons why it was made. You have a right under the Fair Credit Reporting Act to a free copy of your report from that agency if you ask for it within 60 days of receiving this notice, and to dispute with the agency the accuracy or completeness of any information in it.
{{#credit_report.score}}
Your credit score: {{credit_report.score.value}} (range {{credit_report.score.range_low}} to {{credit_report.score.range_high}}), dated {{credit_report.score.date | date}}, provided by {{credit_report.score.source}}. Key factors that adversely affected it:
{{#credit_report.score.key_factors}}- {{.}}
{{/credit_report.score.key_factors}}{{/credit_report.score}}{{/credit_report}}
The federal Equal Credit Opportunity Act prohibits creditors from discriminating against credit applicants on the basis of race, color, religion, national origin, sex, marital status or age (provided the applicant has the capacity to enter into a binding contract); because all or part of the applicant's income derives from any public assistance program; or because the applicant has in good faith exercised any right under the Consumer Credit Protection Act. The federal agency that administers compliance with this law concerning this creditor is {{ecoa_agency.name}}, {{ecoa_agency.address}}.

This notice is from {{lender.name}}, {{lender.address}}, {{lender.phone}}.`,
    },
  },
};
