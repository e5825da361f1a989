/**
 * `Content-Disposition: attachment` with the file's name, RFC 6266: an ASCII fallback and the UTF-8 form, so a
 * browser saves the download under its name whatever characters it has.
 */
export function attachmentDisposition(filename: string | null | undefined): string {
  if (!filename) return 'attachment';
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
