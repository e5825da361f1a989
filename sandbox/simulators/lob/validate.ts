import { isPlainObject } from '../shared/card-client.js';
import type { SimRequest } from '../shared/server.js';

/**
 * Reading and checking a `POST /v1/letters` the way Lob does: the body may be JSON, form-encoded or multipart
 * (a PDF uploaded as `file`), nested fields written `to[address_line1]`; problems come back as 422 with Lob's
 * `{error: {message, status_code, code}}`, one at a time, in Lob's wording.
 */

export interface LetterInput {
  fields: Record<string, unknown>;
  /** The uploaded file of a multipart request. */
  upload: Buffer | null;
}

export interface LobProblem {
  status: number;
  code: string;
  message: string;
}

const problem = (message: string, code = 'invalid', status = 422): LobProblem => ({ status, code, message });

/** `to[address_line1]=x` → `{to: {address_line1: 'x'}}`. */
function nest(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    path.slice(0, -1).forEach((p) => {
      if (!isPlainObject(node[p])) node[p] = {};
      node = node[p] as Record<string, unknown>;
    });
    node[path.at(-1)!] = value;
  }
  return out;
}

export async function readLetterRequest(req: SimRequest): Promise<LetterInput | LobProblem> {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } })
      .formData()
      .catch(() => null);
    if (!form) return problem('Invalid multipart body', 'bad_request');
    let upload: Buffer | null = null;
    const entries: [string, unknown][] = [];
    for (const [k, v] of form.entries()) {
      if (k === 'file' && typeof v !== 'string') upload = Buffer.from(await v.arrayBuffer());
      else entries.push([k, v]);
    }
    return { fields: nest(entries), upload };
  }
  if (type.startsWith('application/x-www-form-urlencoded'))
    return { fields: nest(new URLSearchParams(req.body.toString('utf8')).entries()), upload: null };
  try {
    const body: unknown = JSON.parse(req.body.toString('utf8'));
    if (!isPlainObject(body)) return problem('body must be an object', 'bad_request');
    return { fields: body, upload: null };
  } catch {
    return problem('Invalid JSON body', 'bad_request', 400);
  }
}

const asBool = (v: unknown): boolean | undefined =>
  v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;

const US_STATE = /^[A-Za-z]{2}$/;
const US_ZIP = /^\d{5}(-?\d{4})?$/;

function checkAddress(name: 'to' | 'from', a: unknown): LobProblem | null {
  if (a === undefined || a === null || a === '') return problem(`${name} is required`);
  if (typeof a === 'string')
    return /^adr_/.test(a) ? null : problem(`${name} must be an address id or an object`);
  if (!isPlainObject(a)) return problem(`${name} must be an address id or an object`);
  const text = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
  if (!text('name') && !text('company'))
    return problem(`${name} must contain at least one of [name, company]`);
  if (text('name').length > 40)
    return problem(`${name}.name length must be less than or equal to 40 characters long`);
  if (!text('address_line1')) return problem(`${name}.address_line1 is required`);
  const country = (text('address_country') || 'US').toUpperCase();
  if (name === 'from' && country !== 'US')
    return problem('from address must be a US address', 'foreign_return_address');
  if (country === 'US') {
    if (!text('address_city')) return problem(`${name}.address_city is required`);
    if (!text('address_state')) return problem(`${name}.address_state is required`);
    if (!US_STATE.test(text('address_state')))
      return problem(`${name}.address_state must be a 2 letter state short-name code for US addresses`);
    if (!text('address_zip')) return problem(`${name}.address_zip is required`);
    if (!US_ZIP.test(text('address_zip')))
      return problem(`${name}.address_zip must be in a valid ZIP or ZIP+4 format`);
    if (`${text('address_line1')}${text('address_line2')}`.length > 50)
      return problem(
        `${name}.address_line1 and ${name}.address_line2 combined must be no longer than 50 characters`,
        'address_length_exceeds_limit',
      );
  }
  return null;
}

export interface LetterSettings {
  color: boolean;
  doubleSided: boolean;
  addressPlacement: string;
  mailType: string;
  useType: string;
  extraService: string | null;
}

/** The first problem Lob would report, or the settings of a valid letter. */
export function checkLetter(f: Record<string, unknown>, hasUpload: boolean): LobProblem | LetterSettings {
  const to = checkAddress('to', f.to);
  if (to) return to;
  const from = checkAddress('from', f.from);
  if (from) return from;
  if (!hasUpload && (typeof f.file !== 'string' || f.file === '')) return problem('file is required');
  if (f.color === undefined) return problem('color is required');
  const color = asBool(f.color);
  if (color === undefined) return problem('color must be a boolean');
  const doubleSided = f.double_sided === undefined ? true : asBool(f.double_sided);
  if (doubleSided === undefined) return problem('double_sided must be a boolean');
  if (f.use_type === undefined || f.use_type === null || f.use_type === '')
    return problem(
      'use_type must be one of "marketing" or "operational". Alternatively, an admin can set the account default use type in Account Settings.',
      'mail_use_type_can_not_be_null',
    );
  if (f.use_type !== 'marketing' && f.use_type !== 'operational')
    return problem('use_type must be one of [marketing, operational]');
  const placement = f.address_placement ?? 'top_first_page';
  const placements = ['top_first_page', 'insert_blank_page', 'bottom_first_page_center', 'bottom_first_page'];
  if (!placements.includes(String(placement)))
    return problem(`address_placement must be one of [${placements.join(', ')}]`);
  const mailType = f.mail_type ?? 'usps_first_class';
  if (mailType !== 'usps_first_class' && mailType !== 'usps_standard')
    return problem('mail_type must be one of [usps_first_class, usps_standard]');
  const extra = f.extra_service ?? null;
  if (extra !== null && !['certified', 'certified_return_receipt', 'registered'].includes(String(extra)))
    return problem('extra_service must be one of [certified, certified_return_receipt, registered]');
  if (f.metadata !== undefined && !isPlainObject(f.metadata)) return problem('metadata must be an object');
  return {
    color,
    doubleSided,
    addressPlacement: String(placement),
    mailType: String(mailType),
    useType: String(f.use_type),
    extraService: extra === null ? null : String(extra),
  };
}
