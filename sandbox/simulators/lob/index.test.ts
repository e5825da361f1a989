import { createHmac, timingSafeEqual } from 'node:crypto';
import { Configuration, LetterEditable, LettersApi } from '@lob/lob-typescript-sdk';
import { PageSizes, PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../shared/server.js';
import { type LobSimulator, SIGNATURE_HEADER, startLobSimulator, TIMESTAMP_HEADER } from './index.js';

// Lob's official SDK against the simulator (a Configuration of its own: API key as user name, base path), the
// letter's PDF given by URL or uploaded, and each webhook checked the way a tenant would.

const SECRET = 'lob_webhook_secret_for_tests';
let sim: LobSimulator;
let files: SimServer;
const pdfs: Record<string, Buffer> = {};

async function pdf(pages: number, size: [number, number] = PageSizes.Letter): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++)
    doc.addPage(size).drawText(`Adverse action notice, page ${i + 1}`, { x: 72, y: 600, size: 12, font });
  return Buffer.from(await doc.save());
}

beforeAll(async () => {
  pdfs['letter.pdf'] = await pdf(2);
  pdfs['a4.pdf'] = await pdf(1, PageSizes.A4);
  pdfs['long.pdf'] = await pdf(61);
  pdfs['text.pdf'] = Buffer.from('not a pdf');
  files = await startSimServer([
    {
      method: 'GET',
      path: '/files/:name',
      handler: (r) => ({ status: pdfs[r.params.name!] ? 200 : 404, body: pdfs[r.params.name!] ?? 'no' }),
    },
    { method: 'POST', path: '/hooks/lob', handler: () => ({ status: 200 }) },
  ]);
  sim = await startLobSimulator({ webhooks: [{ url: `${files.url}/hooks/lob`, secret: SECRET }] });
});
afterAll(async () => {
  await sim.close();
  await files.close();
});
beforeEach(() => {
  sim.clearFaults();
  files.requests.splice(0);
});

const hooks = () => files.requests.filter((r) => r.path === '/hooks/lob');
const api = (key = sim.apiKey) =>
  new LettersApi(new Configuration({ username: key, basePath: `${sim.url}/v1` }));

const to = {
  name: 'Bo Rower',
  address_line1: '210 King St',
  address_line2: '# 6100',
  address_city: 'San Francisco',
  address_state: 'CA',
  address_zip: '94107',
};
const from = {
  company: 'Plinth Lending',
  address_line1: '1 Main St',
  address_city: 'Austin',
  address_state: 'TX',
  address_zip: '78701',
};
const letter = (over: Record<string, unknown> = {}) =>
  new LetterEditable({
    to,
    from,
    file: `${files.url}/files/letter.pdf`,
    color: false,
    use_type: 'operational',
    metadata: { plinth_message_id: 'msg_9' },
    ...over,
  });

async function lobError(p: Promise<unknown>) {
  const e = (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  )) as {
    response: { status: number; data: { error: { code: string; message: string; status_code: number } } };
  };
  return { status: e.response.status, ...e.response.data.error };
}

interface LobEvent {
  id: string;
  event_type: { id: string };
  body: { tracking_events: { name: string }[] };
}

/** What a tenant's verifier does; the production one comes with the communications module. */
function verify(rawBody: string, signature: string, timestamp: string): boolean {
  const expected = createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest();
  const given = Buffer.from(signature ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('Lob simulator through @lob/lob-typescript-sdk', () => {
  it('creates a letter from a PDF URL, standardizing the addresses', async () => {
    const created = await api().create(letter());
    expect(created.id).toMatch(/^ltr_[0-9a-f]{16}$/);
    expect(created).toMatchObject({
      object: 'letter',
      carrier: 'USPS',
      color: false,
      use_type: 'operational',
      mail_type: 'usps_first_class',
      metadata: { plinth_message_id: 'msg_9' },
      tracking_events: [],
    });
    expect(created.to).toMatchObject({
      name: 'BO ROWER',
      address_line1: '210 KING ST',
      address_country: 'UNITED STATES',
    });
    expect(created.expected_delivery_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const stored = sim.letter(created.id)!;
    expect(stored.pages).toBe(2);
    expect(stored.pdf!.equals(pdfs['letter.pdf']!)).toBe(true);
    expect(created.url).toMatch(
      new RegExp(`^https://lob-assets.com/letters/${created.id}.pdf\\?version=v1&expires=\\d{10}&signature=`),
    );
    const served = await fetch(stored.assetUrl);
    expect(Buffer.from(await served.arrayBuffer()).equals(pdfs['letter.pdf']!)).toBe(true);
    expect(sim.requests.find((r) => r.method === 'POST')!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${sim.apiKey}:`).toString('base64')}`,
    );
  });

  it('takes the PDF as a multipart upload', async () => {
    const form = new FormData();
    form.set(
      'file',
      new Blob([new Uint8Array(pdfs['letter.pdf']!)], { type: 'application/pdf' }),
      'letter.pdf',
    );
    for (const [k, v] of Object.entries(to)) form.set(`to[${k}]`, v);
    for (const [k, v] of Object.entries(from)) form.set(`from[${k}]`, v);
    form.set('color', 'true');
    form.set('use_type', 'operational');
    const created = await api().create(form as unknown as LetterEditable, undefined, {
      headers: { 'Content-Type': 'multipart/form-data' },
    });
    expect(created.color).toBe(true);
    expect(sim.letter(created.id)!.pdf!.equals(pdfs['letter.pdf']!)).toBe(true);
  });

  it('returns the same letter for the same Idempotency-Key', async () => {
    const first = await api().create(letter(), 'idem-123');
    const again = await api().create(letter({ description: 'changed' }), 'idem-123');
    expect(again.id).toBe(first.id);
    expect(sim.requests.at(-1)!.headers['idempotency-key']).toBe('idem-123');
  });

  it('refuses bad addresses and files with Lob’s codes', async () => {
    expect(await lobError(api().create(letter({ to: { ...to, address_state: 'California' } })))).toEqual({
      status: 422,
      code: 'invalid',
      message: 'to.address_state must be a 2 letter state short-name code for US addresses',
      status_code: 422,
    });
    expect(await lobError(api().create(letter({ to: { ...to, name: undefined } })))).toMatchObject({
      message: 'to must contain at least one of [name, company]',
    });
    expect(await lobError(api().create(letter({ use_type: null })))).toMatchObject({
      code: 'mail_use_type_can_not_be_null',
    });
    expect(await lobError(api().create(letter({ file: `${files.url}/files/a4.pdf` })))).toMatchObject({
      code: 'invalid_file_dimensions',
    });
    expect(
      await lobError(api().create(letter({ file: `${files.url}/files/long.pdf`, double_sided: false }))),
    ).toMatchObject({
      code: 'file_pages_exceed_max',
    });
    expect(await lobError(api().create(letter({ file: `${files.url}/files/text.pdf` })))).toMatchObject({
      code: 'invalid_file',
    });
    expect(await lobError(api().create(letter({ file: `${files.url}/files/missing.pdf` })))).toMatchObject({
      code: 'invalid_file_url',
    });
    expect(await lobError(api().create(letter({ file: 'http://example.com/x.pdf' })))).toMatchObject({
      code: 'invalid_file_url',
    });
    sim.markUndeliverable('99999');
    expect(await lobError(api().create(letter({ to: { ...to, address_zip: '99999' } })))).toMatchObject({
      code: 'failed_deliverability_strictness',
    });
    expect(await lobError(api('test_wrong').create(letter()))).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect(sim.letters.filter((l) => l.to.address_zip === '99999')).toEqual([]);
  });

  it('answers 429 with Retry-After, 5xx and silence', async () => {
    sim.rateLimit({ retryAfter: 5 });
    const limited = await api()
      .create(letter())
      .catch((e: { response: { status: number; headers: Record<string, string> } }) => e.response);
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '5' } });
    sim.failWith({ status: 500 });
    expect(await lobError(api().create(letter()))).toMatchObject({
      status: 500,
      code: 'internal_server_error',
    });
    sim.hang();
    await expect(api().create(letter(), undefined, { timeout: 200 })).rejects.toThrow(/timeout/);
  });
});

describe('Lob webhooks', () => {
  it('posts signed letter events that walk the lifecycle and add tracking events', async () => {
    const created = await api().create(letter());
    for (let i = 0; i < 5; i++) await sim.advance(created.id);
    const events = hooks().map((r) => ({ r, e: JSON.parse(r.body) as LobEvent }));
    expect(events.map(({ e }) => e.event_type.id)).toEqual([
      'letter.created',
      'letter.rendered_pdf',
      'letter.rendered_thumbnails',
      'letter.mailed',
      'letter.in_transit',
    ]);
    for (const { r, e } of events) {
      expect(
        verify(
          r.body,
          r.headers[SIGNATURE_HEADER.toLowerCase()] as string,
          r.headers[TIMESTAMP_HEADER.toLowerCase()] as string,
        ),
      ).toBe(true);
      expect(e).toMatchObject({
        object: 'event',
        reference_id: created.id,
        body: { id: created.id, metadata: { plinth_message_id: 'msg_9' } },
      });
      expect(e.id).toMatch(/^evt_/);
    }
    expect(Math.abs(Number(events[0]!.r.headers[TIMESTAMP_HEADER.toLowerCase()]) - Date.now())).toBeLessThan(
      60_000,
    );
    expect(events[4]!.e.body.tracking_events.map((t) => t.name)).toEqual(['Mailed', 'In Transit']);
    expect((await api().get(created.id)).tracking_events).toHaveLength(2);
    expect(sim.letter(created.id)!.status).toBe('rendered');
  });

  it('sends an event twice and out of order, and returned-to-sender', async () => {
    const created = await api().create(letter());
    const delivered = sim.buildEvent(created.id, 'letter.delivered');
    const transit = sim.buildEvent(created.id, 'letter.in_transit');
    await sim.sendEvent(delivered);
    await sim.sendEvent(transit);
    await sim.sendEvent(delivered);
    await sim.emit(created.id, 'letter.returned_to_sender');
    const got = hooks().map((r) => JSON.parse(r.body) as { id: string; event_type: { id: string } });
    expect(got.map((e) => e.event_type.id)).toEqual([
      'letter.delivered',
      'letter.in_transit',
      'letter.delivered',
      'letter.returned_to_sender',
    ]);
    expect(got[0]!.id).toBe(got[2]!.id);
  });

  it.each([
    'tampered',
    'wrong_secret',
    'stale',
  ] as const)('sends a %s signature a verifier must refuse', async (mode) => {
    const created = await api().create(letter());
    await sim.emit(created.id, 'letter.created', { signature: mode });
    const r = hooks().at(-1)!;
    const sig = r.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    const ts = r.headers[TIMESTAMP_HEADER.toLowerCase()] as string;
    if (mode === 'stale') expect(Date.now() - Number(ts)).toBeGreaterThan(3_500_000);
    else expect(verify(r.body, sig, ts)).toBe(false);
  });

  it('runs the whole lifecycle on its own for subscribed event types only', async () => {
    const auto = await startLobSimulator({
      lifecycle: 'auto',
      webhooks: [
        { url: `${files.url}/hooks/lob`, secret: SECRET, eventTypes: ['letter.created', 'letter.delivered'] },
      ],
    });
    const created = await new LettersApi(
      new Configuration({ username: auto.apiKey, basePath: `${auto.url}/v1` }),
    ).create(letter());
    await expect.poll(() => auto.webhookDeliveries.length).toBe(2);
    expect(
      auto.webhookDeliveries.map((d) => (JSON.parse(d.body) as { event_type: { id: string } }).event_type.id),
    ).toEqual(['letter.created', 'letter.delivered']);
    expect(auto.letter(created.id)!.trackingEvents).toHaveLength(5);
    await auto.close();
  });
});
