/** A multipart/form-data body of CSV files (name → content), as an upload form sends it. */
export function csvMultipart(files: Record<string, string>): {
  body: string;
  headers: Record<string, string>;
} {
  const boundary = '----plinth-test-boundary';
  const parts = Object.entries(files).map(
    ([name, content]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\n${content}\r\n`,
  );
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
