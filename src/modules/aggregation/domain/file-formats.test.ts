import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFileFormat, FILE_FORMATS, isFileFormatKey } from './file-formats.js';
import { FILE_FORMAT_KEYS } from './parsed-file.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./ofx/fixtures/${name}`, import.meta.url));

describe('file formats registry', () => {
  it('describes every format completely', () => {
    for (const key of FILE_FORMAT_KEYS) {
      const format = FILE_FORMATS[key];
      expect(format.key).toBe(key);
      expect(format.displayName).not.toBe('');
      expect(format.extensions.length).toBeGreaterThan(0);
      for (const ext of format.extensions) expect(ext).toMatch(/^[a-z0-9]+$/);
      expect(format.mediaTypes.length).toBeGreaterThan(0);
    }
    expect(FILE_FORMATS.ofx.extensions).toEqual(['ofx', 'qfx']);
  });

  it('detects and parses OFX through the registry', () => {
    const bytes = fixture('chase-oneline.qfx');
    const format = detectFileFormat(bytes, ['ofx']);
    expect(format?.key).toBe('ofx');
    const result = format!.parse(bytes);
    expect(result.ok && result.value.statements[0]!.transactions).toHaveLength(4);
    expect(result.ok && result.value.format).toBe('ofx');
  });

  it('detects nothing for other content, and only among the accepted formats', () => {
    expect(detectFileFormat(Buffer.from('Date,Amount\n2024-01-01,1.00\n'))).toBeUndefined();
    expect(detectFileFormat(fixture('bank-sgml.ofx'), [])).toBeUndefined();
  });

  it('knows its keys', () => {
    expect(isFileFormatKey('ofx')).toBe(true);
    expect(isFileFormatKey('csv')).toBe(false);
    expect(isFileFormatKey('toString')).toBe(false);
  });
});
