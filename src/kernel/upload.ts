import { type FieldIssue, failure, raise } from './result.js';
import { unstorableText } from './text.js';

/** One part of a multipart/form-data request, as @fastify/multipart yields it. */
export type UploadPart =
  | { type: 'file'; fieldname: string; filename?: string; toBuffer(): Promise<Buffer> }
  | { type: 'field'; fieldname: string; value: unknown };

export interface MultipartUpload {
  /** The one file, when the request carried it. */
  file?: { name: string | null; bytes: Buffer };
  /** The text fields, by name (a stray file part under another name reads as an empty field). */
  fields: Record<string, string>;
}

const refuse = (fields: FieldIssue[]): never =>
  raise(
    failure('invalid', 'validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), {
      fields,
    }),
  );

/**
 * Reads the parts of a multipart/form-data request that carries one file under `fileField` and text fields,
 * applying to them what the HTTP edge applies to JSON bodies: a field name, value or filename that cannot be
 * stored as text is a 400 naming it, and so is a second file (a 400 naming the file field, not a 413: nothing was
 * too large). The caller registers @fastify/multipart with `files: 1`, so its size and count limits hold while
 * reading.
 */
export async function readUpload(
  parts: AsyncIterable<UploadPart>,
  fileField: string,
): Promise<MultipartUpload> {
  const upload: MultipartUpload = { fields: {} };
  const issues: FieldIssue[] = [];
  const check = (path: string, text: string, what = '') => {
    const why = unstorableText(text);
    if (why) issues.push({ path, message: `${what}${why}` });
  };
  try {
    for await (const part of parts) {
      if (unstorableText(part.fieldname)) {
        issues.push({ path: JSON.stringify(part.fieldname), message: 'the field name is not storable text' });
        if (part.type === 'file') await part.toBuffer();
        continue;
      }
      if (part.type === 'file') {
        // Reading the whole part enforces the size limit (a 413) even for a part that is then refused.
        const bytes = await part.toBuffer();
        if (part.fieldname !== fileField) upload.fields[part.fieldname] = '';
        else {
          check(`${fileField}.filename`, part.filename ?? '', 'the file name ');
          upload.file = { name: part.filename || null, bytes };
        }
      } else {
        const value = String(part.value);
        check(part.fieldname, value);
        upload.fields[part.fieldname] = value;
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_FILES_LIMIT')
      refuse([{ path: fileField, message: 'send one file per request' }]);
    throw e;
  }
  if (issues.length > 0) refuse(issues);
  return upload;
}
