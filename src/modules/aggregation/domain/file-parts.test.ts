import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeOfx } from '../../../../sandbox/bank-files/write-ofx.js';
import { parseStatementFile } from './file-formats.js';
import { joinParsedFile, type ParsedFilePart, parsedFileParts } from './file-parts.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./ofx/fixtures/${name}`, import.meta.url));

describe('parse result parts', () => {
  it('cut a result into slices and join them back into the same result', () => {
    const big = writeOfx(
      {
        statements: [0, 1].map((n) => ({
          kind: 'bank' as const,
          accountId: `100${n}`,
          transactions: Array.from({ length: 2_345 }, (_, i) => ({
            type: 'POS',
            posted: '20240105',
            amount: `-${i}.25`,
            fitId: `F${n}-${i}`,
            name: `SHOP ${i}`,
          })),
        })),
      },
      { dialect: 'sgml' },
    );
    for (const bytes of [
      Buffer.from(big, 'latin1'),
      fixture('investment.ofx'),
      fixture('multi-account.ofx'),
    ]) {
      const result = parseStatementFile(['ofx'], bytes);
      const parts = [...parsedFileParts(result, 1_000)];
      expect(parts.every((p) => p.kind === 'head' || p.items.length <= 1_000)).toBe(true);
      expect(structuredClone(joinParsedFile(structuredClone(parts)))).toEqual(result);
    }
    const sizes = [...parsedFileParts(parseStatementFile(['ofx'], Buffer.from(big, 'latin1')), 1_000)].map(
      (p) => (p.kind === 'head' ? 'head' : `${p.statement}:${p.items.length}`),
    );
    expect(sizes).toEqual(['head', '0:1000', '0:1000', '0:345', '1:1000', '1:1000', '1:345']);
  });

  it('carry a failure whole in the head', () => {
    const result = parseStatementFile(['ofx'], Buffer.from('%PDF-1.7'));
    const parts: ParsedFilePart[] = [...parsedFileParts(result)];
    expect(parts).toEqual([{ kind: 'head', result }]);
    expect(joinParsedFile(parts)).toMatchObject({ ok: false, error: { code: 'unsupported_file_format' } });
  });
});
