/** What every built-in template may use: the lender (the tenant's communication settings) and the customer. */
export const COMMON_VARIABLES = {
  currency: 'ISO 4217 code of the amounts (money filter)',
  'customer.name': "the customer's legal name",
  'lender.name': "the lender's name",
  'lender.address': "the lender's postal address, one line",
  'lender.phone': "the lender's customer-service phone number",
  'lender.email': "the lender's customer-service e-mail",
} as const;

export const COMMON_SAMPLE = {
  currency: 'USD',
  customer: { name: 'Ada Borrower' },
  lender: {
    name: 'Plinth Lending',
    address: '1 Main St, Austin, TX 78701',
    phone: '+1 512 555 0100',
    email: 'help@plinth.example',
  },
};

/** The e-mail frame every built-in uses: a heading, the paragraphs, and the lender's contact line. */
export const emailHtml = (heading: string, body: string): string =>
  `<!doctype html>
<html><body style="font-family: Helvetica, Arial, sans-serif; color: #1a1a1a; max-width: 600px">
<h2>${heading}</h2>
${body}
<hr>
<p style="font-size: 12px; color: #555">{{lender.name}} · {{lender.address}} · {{lender.phone}} · {{lender.email}}</p>
</body></html>`;

export const textFooter = `--
{{lender.name}}, {{lender.address}}
{{lender.phone}} · {{lender.email}}`;

/** The letter's opening: the date it was written and the salutation. */
export const letterOpening = `{{today | date}}

Dear {{customer.name}},`;

export const letterClosing = `Sincerely,
{{lender.name}}
{{lender.phone}} · {{lender.email}}`;
