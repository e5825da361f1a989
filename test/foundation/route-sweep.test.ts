import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardProgram } from '../card-authorizations/fixture.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { activeLoan, setup } from '../lending/fixtures.js';

/**
 * Every route in the OpenAPI document, swept with input that PostgreSQL cannot store or that no id can be: a NUL
 * character, lone UTF-16 surrogates, over-long and non-UUID path parameters, in every path parameter, query
 * parameter and JSON body field (and the upload's filename and fields). Nothing may answer 5xx; every refusal is
 * problem+json, and text that cannot be stored is refused naming the field it was in. A new route is swept the day
 * it is added, because the sweep reads the document.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
};
type Operation = {
  parameters?: { in: 'path' | 'query'; name: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};

const NUL = 'a\u0000b';
const HIGH = 'a\ud800b';
const LOW = 'a\udc00b';
/** What no UTF-8 decoder turns into a character: the three bytes a lone surrogate would take. */
const URL_SURROGATE = 'a%ED%A0%80b';

const PLATFORM_ADMIN = [/^POST \/v1\/tenants$/, /^POST \/v1\/tenants\/[^/]+\/api-keys$/];
/** Public routes whose body is itself a credential: an unknown one is rightly a 401. */
const CREDENTIAL_EXCHANGE = [/^POST \/v1\/console\/sessions /];

/** Multipart routes (their bodies are not in the document): the file part and the text fields they read. */
const MULTIPART: Record<string, { file: string; fields: () => Record<string, string> }> = {
  'POST /v1/imports': {
    file: 'file',
    fields: () => ({ customer_id: ids.get('/v1/customers')!, provider: 'chase_file' }),
  },
};

/** A value of the schema's shape, good enough to carry one bad field to the edge. */
function sample(s: JsonSchema | undefined): unknown {
  if (!s) return 'x';
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0]);
  if (s.allOf) return sample(s.allOf[0]);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) o[k] = sample(v);
      if (!s.properties && typeof s.additionalProperties === 'object') o.x = sample(s.additionalProperties);
      return o;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date') return '2024-01-15';
      if (s.format === 'date-time') return '2024-01-15T00:00:00Z';
      if (s.format === 'email') return 'a@example.com';
      if (s.format === 'uri') return 'https://example.com/';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return 'x';
  }
}

/** A sample JSON body for an operation that takes one. */
const bodyOf = (op: Operation): unknown => {
  const schema = op.requestBody?.content['application/json']?.schema;
  return schema && sample(schema);
};

/** The paths of every string in a sampled value. */
function stringPaths(v: unknown, at: string[] = []): string[][] {
  if (typeof v === 'string') return [at];
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, item]) => stringPaths(item, [...at, k]));
}

function withValue(v: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string, unknown>;
  let cur = copy;
  for (const part of path.slice(0, -1)) cur = cur[part] as Record<string, unknown>;
  cur[path.at(-1)!] = value;
  return copy;
}

function multipart(parts: { name: string; filename?: string; value: string }[]): {
  body: Buffer;
  contentType: string;
} {
  const boundary = `sweep${randomUUID()}`;
  const chunks = parts.map(
    (p) =>
      `--${boundary}\r\ncontent-disposition: form-data; name="${p.name}"` +
      `${p.filename === undefined ? '' : `; filename="${p.filename}"`}\r\n` +
      `${p.filename === undefined ? '' : 'content-type: application/octet-stream\r\n'}\r\n${p.value}\r\n`,
  );
  return {
    body: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`, 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

let t: TestApp;
let ops: { method: string; path: string; op: Operation }[];
/** Real ids for path parameters, by the path's collection, so the handler behind the edge runs for real. */
const ids = new Map<string, string>();
let key: string;

beforeAll(async () => {
  t = await startTestApp();
  const lending = await setup(t);
  key = lending.tenant.key;
  const loan = await activeLoan(lending.call, lending.programId);
  const cards = await cardProgram(t, { tenant: lending.tenant });
  const holder = await cards.cardholder({ all: 10_000 });
  const customer = await t.call('POST', '/v1/customers', { key, body: { legal_name: 'Sweep' } });
  await t.call('POST', '/v1/provider-configs', {
    key,
    body: { label: 'files', service_type: 'financial_data', provider_key: 'chase_file', config: {} },
  });
  const card = await t.call('GET', `/v1/card-authorizations/cards?card_id=${holder.cardId}`, { key });
  ids.set('/v1/customers', customer.json().id);
  ids.set('/v1/programs', lending.programId);
  ids.set('/v1/loans', loan);
  ids.set('/v1/provider-configs', cards.relayId);
  ids.set('/v1/card-authorizations/relay', cards.relayId);
  ids.set('/v1/card-authorizations/expense-categories', cards.categories.all!);
  ids.set('/v1/card-authorizations/lines-of-credit', holder.lines.all!);
  ids.set('/v1/card-authorizations/cards', card.json().data[0].id);
  const doc = (await t.call('GET', '/openapi.json')).json() as {
    paths: Record<string, Record<string, Operation>>;
  };
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}, 120_000);
afterAll(() => t.close());

/** A good value for a path parameter: a real id of its collection, an enum's first value, or a fresh UUID. */
function goodParam(path: string, name: string, schema?: JsonSchema): string {
  if (schema?.enum) return String(schema.enum[0]);
  if (name === 'provider') return 'schwab';
  const collection = path.slice(0, path.indexOf(`/{${name}}`));
  return ids.get(collection) ?? randomUUID();
}

function urlOf(path: string, op: Operation, params: Record<string, string> = {}, query = ''): string {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name in params) return params[name]!;
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    return encodeURIComponent(goodParam(path, name, schema));
  });
  return query ? `${url}?${query}` : url;
}

async function send(
  method: string,
  url: string,
  opts: { body?: unknown; raw?: { body: Buffer; contentType: string } } = {},
): Promise<LightMyRequestResponse> {
  // The platform admin's routes take the admin token (a wrong credential would count as a failed guess).
  const route = `${method} ${url.split('?')[0]}`;
  const bearer = PLATFORM_ADMIN.some((r) => r.test(route)) ? ADMIN_TOKEN : key;
  return t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(opts.raw && { 'content-type': opts.raw.contentType }),
    },
    ...(opts.raw ? { payload: opts.raw.body } : opts.body !== undefined && { payload: opts.body as object }),
  });
}

/** What went wrong across a sweep, reported together (one line per request). */
let problems: string[] = [];

/** No 5xx, and every refusal is problem+json. */
function sound(r: LightMyRequestResponse, what: string): boolean {
  const credential = CREDENTIAL_EXCHANGE.some((rx) => rx.test(what));
  if ((r.statusCode === 401 && !credential) || r.statusCode === 429)
    problems.push(`${what}: not authenticated: ${r.body.slice(0, 200)}`);
  else if (r.statusCode >= 500) problems.push(`${what}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  else if (r.statusCode >= 400 && !String(r.headers['content-type']).includes('application/problem+json'))
    problems.push(`${what}: ${r.statusCode} not problem+json: ${r.body.slice(0, 200)}`);
  else return true;
  return false;
}

/** A 4xx problem naming `field`. */
function refused(r: LightMyRequestResponse, field: string, what: string): void {
  if (!sound(r, what)) return;
  if (r.statusCode < 400) return void problems.push(`${what}: accepted (${r.statusCode})`);
  const paths = ((r.json().errors ?? []) as { path: string }[]).map((e) => e.path);
  if (!paths.includes(field))
    problems.push(`${what}: ${r.statusCode} does not name ${field}: ${r.body.slice(0, 200)}`);
}

beforeEach(() => {
  problems = [];
});

describe('every route in the OpenAPI document', () => {
  it('is swept (the document lists the routes of every module)', () => {
    expect(ops.length).toBeGreaterThan(60);
  });

  it('refuses unstorable text and impossible ids in path parameters with a 4xx naming the parameter', async () => {
    for (const { method, path, op } of ops) {
      for (const p of op.parameters?.filter((x) => x.in === 'path') ?? []) {
        const field = `params.${p.name}`;
        for (const [bad, label] of [
          ['a%00b', 'NUL'],
          [URL_SURROGATE, 'undecodable'],
          ['x'.repeat(101), 'over 100 characters'],
        ] as const) {
          const url = urlOf(path, op, { [p.name]: bad });
          refused(
            await send(method, url, { body: bodyOf(op) }),
            field,
            `${method} ${path} ${p.name} ${label}`,
          );
        }
        const url = urlOf(path, op, { [p.name]: 'not-a-uuid' });
        sound(await send(method, url, { body: bodyOf(op) }), `${method} ${path} ${p.name} not-a-uuid`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses unstorable text in query parameters with a 4xx naming the parameter', async () => {
    for (const { method, path, op } of ops) {
      for (const q of op.parameters?.filter((x) => x.in === 'query') ?? []) {
        const what = `${method} ${path} ?${q.name}`;
        const query = (value: string) =>
          send(method, urlOf(path, op, {}, `${q.name}=${value}`), { body: bodyOf(op) });
        refused(await query('a%00b'), `querystring.${q.name}`, what);
        sound(await query(URL_SURROGATE), `${what} undecodable`);
        sound(await query('not-a-uuid'), `${what} not-a-uuid`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses unstorable text in every JSON body field (and field name) with a 4xx naming the field', async () => {
    for (const { method, path, op } of ops) {
      const body = bodyOf(op);
      if (body === undefined) continue;
      const url = urlOf(path, op);
      for (const at of stringPaths(body)) {
        const what = `${method} ${path} body ${at.join('.')}`;
        for (const bad of [NUL, HIGH, LOW])
          refused(await send(method, url, { body: withValue(body, at, bad) }), at.join('.'), what);
        sound(await send(method, url, { body: withValue(body, at, 'not-a-uuid') }), `${what} not-a-uuid`);
      }
      if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
        const r = await send(method, url, { body: { ...body, [NUL]: 'x' } });
        refused(r, JSON.stringify(NUL), `${method} ${path} body key with NUL`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses unstorable upload filenames and fields, and a second file, with a 4xx naming the field', async () => {
    for (const [route, form] of Object.entries(MULTIPART)) {
      const [method, path] = route.split(' ') as [string, string];
      expect(ops.some((o) => o.method === method && o.path === path)).toBe(true);
      const fields = Object.entries(form.fields()).map(([name, value]) => ({ name, value }));
      const file = (filename: string) => ({ name: form.file, filename, value: 'OFXHEADER:100' });
      // Multipart text is UTF-8 bytes: a NUL can be sent, a lone surrogate cannot (its bytes decode as U+FFFD).
      const r = await send(method, path, { raw: multipart([...fields, file(`s${NUL}.ofx`)]) });
      refused(r, `${form.file}.filename`, `${route} filename with NUL`);
      sound(
        await send(method, path, { raw: multipart([...fields, file(`s${HIGH}.ofx`)]) }),
        `${route} ${HIGH}`,
      );
      for (const f of fields) {
        const others = fields.map((o) => (o === f ? { ...o, value: NUL } : o));
        const r2 = await send(method, path, { raw: multipart([...others, file('s.ofx')]) });
        refused(r2, f.name, `${route} field ${f.name} with NUL`);
      }
      const two = await send(method, path, { raw: multipart([...fields, file('a.ofx'), file('b.ofx')]) });
      refused(two, form.file, `${route} two files`);
      if (two.statusCode !== 400) problems.push(`${route} two files: ${two.statusCode}, not 400`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the answers the sweep relies on', () => {
  it('an over-long path parameter is a 414 problem naming it; a non-UUID id is not found', async () => {
    const long = await send('GET', `/v1/provider-configs/${'x'.repeat(101)}`);
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'params.id' }] });
    expect(long.headers['x-request-id']).toBeDefined();
    const odd = await send('GET', '/v1/provider-configs/not-a-uuid');
    expect(odd.statusCode).toBe(404);
    const assign = await send(
      'PUT',
      `/v1/programs/${ids.get('/v1/programs')}/provider-assignments/card_issuing`,
      {
        body: { provider_config_id: 'not-a-uuid' },
      },
    );
    expect(assign.statusCode).toBe(422);
    expect(assign.json().errors).toEqual([
      { path: 'provider_config_id', message: 'no such provider config' },
    ]);
  });

  it('a NUL in a body field is a 400 that writes nothing', async () => {
    const before = (await send('GET', '/v1/customers?limit=200')).json().data.length;
    const r = await send('POST', '/v1/customers', { body: { legal_name: 'Jane\u0000Doe' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'legal_name', message: 'contains a NUL character' }],
    });
    expect((await send('GET', '/v1/customers?limit=200')).json().data.length).toBe(before);
  });
});
