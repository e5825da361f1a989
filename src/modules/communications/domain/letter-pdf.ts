import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

/**
 * A letter's PDF, rendered by Plinth (pdf-lib) from the block markup of its template:
 *
 *   # Heading            ## Subheading          - bullet item
 *   | label | value |    a row: the label on the left, the value right-aligned
 *   ---                  a rule
 *   any other line       a line of text, wrapped to the page; a blank line is a paragraph break
 *
 * US Letter (8.5" × 11"), one-inch margins. The top of the first page is left blank for the recipient and return
 * addresses the mail house prints there (Lob's `top_first_page` placement shows them through the envelope's
 * windows). Each page has a footer with the sender and page number. The standard fonts speak WinAnsi: characters
 * outside it are replaced, so no template text can make rendering fail.
 */
export interface LetterInput {
  body: string;
  /** Shown in the footer of each page and as the document's author. */
  sender: string;
  title?: string;
  /** The PDF's creation date (defaults to now; fixed in tests for reproducible files). */
  date?: Date;
}

const PAGE = { width: 612, height: 792 };
const MARGIN = 72;
const ADDRESS_AREA = 3.6 * 72;
const WIDTH = PAGE.width - 2 * MARGIN;
const TEXT = { size: 10.5, leading: 14 };

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

const REPLACEMENTS: Record<string, string> = { '\u2212': '-', '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ' };

/** The text with every character the font cannot encode replaced. */
function encodable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return [...text]
    .map((c) => REPLACEMENTS[c] ?? c)
    .map((c) => (supported.has(c.codePointAt(0)!) ? c : '?'))
    .join('');
}

/** Breaks text into lines no wider than `width`; a word longer than a line is broken by characters. */
export function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

class Cursor {
  page!: PDFPage;
  y = 0;
  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.#newPage(true);
  }

  #newPage(first: boolean) {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - (first ? ADDRESS_AREA : MARGIN);
  }

  /** Room for `height` more points on this page, or a new page. */
  need(height: number) {
    if (this.y - height < MARGIN) this.#newPage(false);
  }

  gap(points: number) {
    this.y -= points;
  }

  text(s: string, o: { bold?: boolean; size?: number; indent?: number; leading?: number } = {}) {
    const font = o.bold ? this.fonts.bold : this.fonts.regular;
    const size = o.size ?? TEXT.size;
    const leading = o.leading ?? Math.max(TEXT.leading, size * 1.3);
    const indent = o.indent ?? 0;
    for (const line of wrap(font, size, encodable(font, s), WIDTH - indent)) {
      this.need(leading);
      this.y -= leading;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font });
    }
  }

  row(label: string, value: string) {
    const font = this.fonts.regular;
    const v = encodable(font, value);
    const valueWidth = font.widthOfTextAtSize(v, TEXT.size);
    const labelLines = wrap(font, TEXT.size, encodable(font, label), WIDTH - valueWidth - 18);
    labelLines.forEach((line, i) => {
      this.need(TEXT.leading);
      this.y -= TEXT.leading;
      this.page.drawText(line, { x: MARGIN, y: this.y, size: TEXT.size, font });
      if (i === 0)
        this.page.drawText(v, { x: MARGIN + WIDTH - valueWidth, y: this.y, size: TEXT.size, font });
    });
  }

  rule() {
    this.need(10);
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: MARGIN + WIDTH, y: this.y },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
    this.y -= 4;
  }
}

export async function renderLetterPdf(input: LetterInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const date = input.date ?? new Date();
  doc.setTitle(input.title ?? 'Letter');
  doc.setAuthor(input.sender);
  doc.setProducer('Plinth');
  doc.setCreator('Plinth');
  doc.setCreationDate(date);
  doc.setModificationDate(date);

  const c = new Cursor(doc, fonts);
  for (const raw of input.body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const row = /^\|(.*)\|(.*)\|$/.exec(line.trim());
    if (line.trim() === '') c.gap(TEXT.leading / 2);
    else if (line.startsWith('## ')) {
      c.gap(6);
      c.text(line.slice(3), { bold: true, size: 11.5 });
      c.gap(2);
    } else if (line.startsWith('# ')) {
      c.text(line.slice(2), { bold: true, size: 15 });
      c.gap(6);
    } else if (line.startsWith('- ')) {
      c.need(TEXT.leading);
      c.page.drawText('•', { x: MARGIN + 8, y: c.y - TEXT.leading, size: TEXT.size, font: fonts.regular });
      c.text(line.slice(2), { indent: 22 });
    } else if (row) c.row(row[1]!.trim(), row[2]!.trim());
    else if (line.trim() === '---') c.rule();
    else c.text(line);
  }

  const pages = doc.getPages();
  const footerFont = fonts.regular;
  pages.forEach((page, i) => {
    const footer = encodable(footerFont, `${input.sender} · Page ${i + 1} of ${pages.length}`);
    page.drawText(footer, { x: MARGIN, y: 36, size: 8, font: footerFont, color: rgb(0.4, 0.4, 0.4) });
  });
  return doc.save({ useObjectStreams: false });
}
