import { isPlainObject } from '../shared/card-client.js';

/**
 * The v3 Mail Send checks SendGrid answers with 400 and an `errors` array (every problem at once, each with the
 * offending `field` and a `help` link), in SendGrid's own words.
 */
export interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message';
const err = (message: string, field: string | null, anchor: string | null): SendGridError => ({
  message,
  field,
  help: anchor ? `${HELP}.${anchor}` : null,
});

// SendGrid's own check is looser than RFC 5322 but refuses what has no local part, no @ or no dotted domain.
const EMAIL =
  /^[^\s@<>()[\],;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
export const isEmail = (v: unknown): v is string => typeof v === 'string' && EMAIL.test(v);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface Recipient {
  email: string;
  personalization: number;
  kind: 'to' | 'cc' | 'bcc';
  customArgs: Record<string, string>;
}

const strings = (v: unknown): Record<string, string> =>
  isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

/** Every recipient of a valid request, with the custom args its events will carry. */
export function recipientsOf(body: Record<string, unknown>): Recipient[] {
  const out: Recipient[] = [];
  const personalizations = body.personalizations as Record<string, unknown>[];
  personalizations.forEach((p, i) => {
    const customArgs = { ...strings(body.custom_args), ...strings(p.custom_args) };
    for (const kind of ['to', 'cc', 'bcc'] as const) {
      const list = Array.isArray(p[kind]) ? (p[kind] as Record<string, unknown>[]) : [];
      for (const r of list) out.push({ email: String(r.email), personalization: i, kind, customArgs });
    }
  });
  return out;
}

function checkPersonalizations(body: Record<string, unknown>, errors: SendGridError[]): void {
  const ps = body.personalizations;
  if (!Array.isArray(ps) || ps.length === 0) {
    errors.push(
      err(
        'The personalizations field is required and must have at least one personalization.',
        'personalizations',
        'personalizations',
      ),
    );
    return;
  }
  if (ps.length > 1000)
    errors.push(
      err(
        `The personalization block is limited to 1000 personalizations per API request. You have provided ${ps.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
        'personalizations',
        'personalizations',
      ),
    );
  let total = 0;
  ps.forEach((p: unknown, i) => {
    const pers = isPlainObject(p) ? p : {};
    if (!Array.isArray(pers.to) || pers.to.length === 0)
      errors.push(
        err(
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          `personalizations.${i}.to`,
          'personalizations.to',
        ),
      );
    const seen = new Set<string>();
    for (const kind of ['to', 'cc', 'bcc'] as const) {
      const list = Array.isArray(pers[kind]) ? (pers[kind] as unknown[]) : [];
      list.forEach((r, j) => {
        total++;
        const email = isPlainObject(r) ? r.email : undefined;
        if (!isEmail(email)) {
          errors.push(
            err(
              'Does not contain a valid address.',
              `personalizations.${i}.${kind}.${j}.email`,
              `personalizations.${kind}`,
            ),
          );
          return;
        }
        const key = email.toLowerCase();
        if (seen.has(key))
          errors.push(
            err(
              `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${email}] in the personalizations.${i}.${kind} field.`,
              `personalizations.${i}`,
              'personalizations',
            ),
          );
        seen.add(key);
      });
    }
  });
  if (total > 1000)
    errors.push(
      err(
        'There is a limit of 1000 total recipients (to + cc + bcc) per request.',
        'personalizations',
        'personalizations',
      ),
    );
}

function checkContent(body: Record<string, unknown>, errors: SendGridError[]): void {
  const content = body.content;
  if (body.template_id) return;
  if (!Array.isArray(content) || content.length === 0) {
    errors.push(
      err(
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
        'content',
        'content',
      ),
    );
    return;
  }
  const types = content.map((c: unknown) => (isPlainObject(c) ? c.type : undefined));
  content.forEach((c: unknown, i) => {
    const block = isPlainObject(c) ? c : {};
    if (typeof block.type !== 'string' || block.type === '')
      errors.push(
        err(
          'The content type must be a string at least one character in length.',
          `content.${i}.type`,
          'content',
        ),
      );
    if (typeof block.value !== 'string' || block.value === '')
      errors.push(
        err(
          'The content value must be a string at least one character in length.',
          `content.${i}.value`,
          'content',
        ),
      );
  });
  const plain = types.indexOf('text/plain');
  const html = types.indexOf('text/html');
  if (types.filter((t) => t === 'text/plain').length > 1 || types.filter((t) => t === 'text/html').length > 1)
    errors.push(err('If present, text/plain and text/html may only be provided once.', 'content', 'content'));
  else if (plain > 0 || (html >= 0 && html !== (plain === 0 ? 1 : 0)))
    errors.push(
      err(
        'If present, text/plain must be first, followed by text/html, followed by any other content.',
        'content',
        'content',
      ),
    );
}

function checkAttachments(body: Record<string, unknown>, errors: SendGridError[]): void {
  if (body.attachments === undefined) return;
  if (!Array.isArray(body.attachments)) {
    errors.push(err('The attachments parameter must be an array.', 'attachments', 'attachments'));
    return;
  }
  body.attachments.forEach((a: unknown, i) => {
    const att = isPlainObject(a) ? a : {};
    if (typeof att.content !== 'string' || att.content === '' || !BASE64.test(att.content.replace(/\s/g, '')))
      errors.push(
        err(
          'The attachment content must be base64 encoded.',
          `attachments.${i}.content`,
          'attachments.content',
        ),
      );
    if (typeof att.filename !== 'string' || att.filename === '')
      errors.push(
        err(
          'The attachment filename parameter is required.',
          `attachments.${i}.filename`,
          'attachments.filename',
        ),
      );
  });
}

/** All the problems SendGrid would report for this request body (none: it would be accepted). */
export function validateMailSend(body: Record<string, unknown>): SendGridError[] {
  const errors: SendGridError[] = [];
  checkPersonalizations(body, errors);
  const from = isPlainObject(body.from) ? body.from : undefined;
  if (!from || from.email === undefined)
    errors.push(
      err(
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
        'from.email',
        'from',
      ),
    );
  else if (!isEmail(from.email))
    errors.push(err('The from email does not contain a valid address.', 'from.email', 'from'));
  const replyTo = isPlainObject(body.reply_to) ? body.reply_to : undefined;
  if (replyTo && !isEmail(replyTo.email))
    errors.push(err('The reply_to email does not contain a valid address.', 'reply_to.email', 'reply_to'));
  const ps = Array.isArray(body.personalizations) ? body.personalizations : [];
  const everyHasSubject =
    ps.length > 0 && ps.every((p: unknown) => isPlainObject(p) && typeof p.subject === 'string');
  if (!body.template_id && !(typeof body.subject === 'string' && body.subject !== '') && !everyHasSubject)
    errors.push(
      err(
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
        'subject',
        'subject',
      ),
    );
  checkContent(body, errors);
  checkAttachments(body, errors);
  return errors;
}
