import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInThread, parseOffThread } from './file-parsing.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`./domain/ofx/fixtures/${name}`, import.meta.url));

describe('parsing statement files in a worker thread', () => {
  it('gives what parsing in this thread gives: results, warnings and failures', async () => {
    const files = [
      fixture('bank-sgml.ofx'),
      fixture('investment.ofx'),
      fixture('multi-account.ofx'),
      fixture('xml-cdata.ofx'),
      Buffer.from('%PDF-1.7'),
      fixture('bank-sgml.ofx').subarray(0, 600),
    ];
    for (const bytes of files) {
      const inThread = await parseInThread(['ofx'], bytes);
      expect(await parseOffThread(['ofx'], bytes)).toEqual(inThread);
    }
  });
});
