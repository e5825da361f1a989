import { err, failure, ok, type Result } from '../../../../kernel/result.js';
import { MissingVariables, type Node, parse, render, TemplateSyntaxError } from './engine.js';

export const CHANNELS = ['email', 'sms', 'letter'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}
export interface SmsContent {
  body: string;
}
/** A letter's body in the block markup the PDF renderer reads (domain/letter-pdf.ts). */
export interface LetterContent {
  body: string;
}

export interface TemplateContent {
  email?: EmailContent;
  sms?: SmsContent;
  letter?: LetterContent;
}

export const TEMPLATE_KEYS = [
  'welcome',
  'payment_reminder',
  'payment_receipt',
  'late_notice',
  'payment_returned',
  'adverse_action_notice',
  'periodic_statement',
  'payoff_letter',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** A built-in template: its content per channel, the variables it reads, and a sample for previews. */
export interface TemplateDefinition {
  key: TemplateKey;
  name: string;
  description: string;
  content: TemplateContent;
  /** Variable → what it holds (for the API and the README). */
  variables: Readonly<Record<string, string>>;
  sample: Readonly<Record<string, unknown>>;
}

export type Rendered =
  | { channel: 'email'; subject: string; html: string; text: string }
  | { channel: 'sms'; body: string }
  | { channel: 'letter'; body: string };

/** Every field of a channel's content: its name in the API and whether it is HTML. */
const FIELDS: Record<Channel, readonly { name: string; html: boolean }[]> = {
  email: [
    { name: 'subject', html: false },
    { name: 'html', html: true },
    { name: 'text', html: false },
  ],
  sms: [{ name: 'body', html: false }],
  letter: [{ name: 'body', html: false }],
};

/** Parses every field of a content set: syntax errors name the field (`email.html`) and the offset. */
export function checkContent(content: TemplateContent): Result<void> {
  const fields = [];
  for (const channel of CHANNELS) {
    const c = content[channel] as Record<string, string> | undefined;
    if (!c) continue;
    for (const f of FIELDS[channel]) {
      try {
        parse(c[f.name] ?? '');
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
        fields.push({ path: `${channel}.${f.name}`, message: `${e.message} (at character ${e.at})` });
      }
    }
  }
  return fields.length === 0
    ? ok(undefined)
    : err(failure('unprocessable', 'invalid_template', 'the template does not parse', { fields }));
}

const parsed = new Map<string, Node[]>();
/** Parsed templates by source: built-ins and overrides are rendered many times. */
function parseCached(source: string): Node[] {
  let nodes = parsed.get(source);
  if (!nodes) {
    nodes = parse(source);
    if (parsed.size > 1000) parsed.clear();
    parsed.set(source, nodes);
  }
  return nodes;
}

/** Renders one channel of a content set. Absent variables are a 422 naming each (`variables.customer.name`). */
export function renderContent(
  key: string,
  content: TemplateContent,
  channel: Channel,
  variables: Record<string, unknown>,
): Result<Rendered> {
  const c = content[channel] as Record<string, string> | undefined;
  if (!c)
    return err(
      failure('unprocessable', 'channel_not_supported', `template ${key} has no ${channel} version`, {
        fields: [{ path: 'channel', message: `template ${key} has no ${channel} version` }],
      }),
    );
  const missing = new Set<string>();
  const out: Record<string, string> = {};
  for (const f of FIELDS[channel]) {
    try {
      out[f.name] = render(parseCached(c[f.name] ?? ''), variables, { html: f.html });
    } catch (e) {
      if (e instanceof MissingVariables) for (const n of e.names) missing.add(n);
      else if (e instanceof TypeError)
        return err(
          failure('unprocessable', 'invalid_variable', e.message, {
            fields: [{ path: 'variables', message: e.message }],
          }),
        );
      else throw e;
    }
  }
  if (missing.size > 0) {
    const names = [...missing].sort();
    return err(
      failure(
        'unprocessable',
        'missing_template_variables',
        `missing template variables: ${names.join(', ')}`,
        {
          fields: names.map((n) => ({ path: `variables.${n}`, message: 'required by the template' })),
          extra: { missing_variables: names },
        },
      ),
    );
  }
  return ok({ channel, ...out } as Rendered);
}
