import { EncryptedPDFError, PDFDocument } from 'pdf-lib';
import type { LobProblem } from './validate.js';

/**
 * The letter's `file`: a PDF uploaded with the request, a remote URL Lob downloads (5 MB, 40 s), an HTML string
 * or a template id (both rendered by Lob, not checked here). A PDF must be 8.5"x11" on every page, unencrypted,
 * and within the page limit, or Lob refuses the letter with the matching error code.
 */

export interface LetterFile {
  pdf: Buffer | null;
  pages: number | null;
}

const LETTER_WIDTH = 612;
const LETTER_HEIGHT = 792;
const MAX_REMOTE_BYTES = 5 * 1024 * 1024;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

const problem = (code: string, message: string): LobProblem => ({ status: 422, code, message });

export async function checkPdf(bytes: Buffer, doubleSided: boolean): Promise<LetterFile | LobProblem> {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    return problem('invalid_file', 'file is not a valid PDF');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (e) {
    if (e instanceof EncryptedPDFError) return problem('pdf_encrypted', 'file must not be an encrypted PDF');
    return problem('invalid_file', 'file is not a valid PDF');
  }
  const pages = doc.getPages();
  if (pages.length === 0) return problem('file_pages_below_min', 'file must have at least 1 page');
  const max = doubleSided ? 120 : 60;
  if (pages.length > max)
    return problem(
      'file_pages_exceed_max',
      `file must be no more than ${max} pages for ${doubleSided ? 'double' : 'single'}-sided letters`,
    );
  const sizes = pages.map((p) => p.getSize());
  const first = sizes[0]!;
  if (sizes.some((s) => Math.abs(s.width - first.width) > 1 || Math.abs(s.height - first.height) > 1))
    return problem('inconsistent_page_dimensions', 'all pages of the file must have the same dimensions');
  if (Math.abs(first.width - LETTER_WIDTH) > 1 || Math.abs(first.height - LETTER_HEIGHT) > 1)
    return problem(
      'invalid_file_dimensions',
      `file dimensions must be 8.5x11 inches, got ${(first.width / 72).toFixed(2)}x${(first.height / 72).toFixed(2)}`,
    );
  return { pdf: bytes, pages: pages.length };
}

/** Lob downloads only over https; the simulator also takes http on loopback, where test servers live. */
async function download(url: string, timeoutMs: number): Promise<Buffer | LobProblem> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return problem('invalid_file_url', 'file must be a valid URL, an HTML string or a template id');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)))
    return problem('invalid_file_url', 'file URL must use https');
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return problem('invalid_file_url', `file URL could not be downloaded (HTTP ${res.status})`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_REMOTE_BYTES)
      return problem('file_size_exceeds_limit', 'remote file must be no larger than 5 MB');
    return bytes;
  } catch (e) {
    return (e as Error).name === 'TimeoutError'
      ? problem('invalid_file_download_time', 'file download took too long')
      : problem('invalid_file_url', 'file URL could not be downloaded');
  }
}

export async function loadLetterFile(
  file: unknown,
  upload: Buffer | null,
  doubleSided: boolean,
  downloadTimeoutMs = 40_000,
): Promise<LetterFile | LobProblem> {
  if (upload) return checkPdf(upload, doubleSided);
  const value = String(file);
  if (value.trimStart().startsWith('<')) {
    if (value.length > 10_000) return problem('invalid', 'file HTML must be less than 10000 characters');
    return { pdf: null, pages: null };
  }
  if (/^tmpl_[A-Za-z0-9]+$/.test(value)) return { pdf: null, pages: null };
  const bytes = await download(value, downloadTimeoutMs);
  return Buffer.isBuffer(bytes) ? checkPdf(bytes, doubleSided) : bytes;
}
