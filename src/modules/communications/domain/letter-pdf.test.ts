import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderLetterPdf } from './letter-pdf.js';

describe('letter PDF', () => {
  it('renders US Letter pages that a PDF reader opens, breaking long letters across pages', async () => {
    const body = [
      '# Notice',
      '',
      '| Amount due | $438.17 |',
      '---',
      ...Array.from({ length: 120 }, (_, i) => `- item ${i} ${'word '.repeat(20)}`),
    ].join('\n');
    const bytes = await renderLetterPdf({
      body,
      sender: 'Plinth Lending',
      title: 'Notice',
      date: new Date('2026-03-05T00:00:00Z'),
    });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    for (const page of doc.getPages()) expect(page.getSize()).toEqual({ width: 612, height: 792 });
    expect(doc.getTitle()).toBe('Notice');
    expect(doc.getAuthor()).toBe('Plinth Lending');
  });

  it('is reproducible for a fixed date, and never fails on characters the font lacks', async () => {
    const input = {
      body: 'Ünïcödé → 日本 ✓ − done',
      sender: 'Plinth',
      date: new Date('2026-03-05T00:00:00Z'),
    };
    const a = await renderLetterPdf(input);
    const b = await renderLetterPdf(input);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
