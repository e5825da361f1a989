// Files the API serves only to a signed-in caller (a report's output): fetched with the key, then handed to the
// browser as a download. The key never goes into a URL.
import { ApiError } from './client.js';
import { session } from './session.js';

/** The body of `GET path` as a Blob, with the file name the server gave (Content-Disposition). */
export async function fetchFile(path: string): Promise<{ blob: Blob; filename: string | null }> {
  const key = session.get()?.key;
  let res: Response;
  try {
    res = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  } catch {
    throw new ApiError(0, 'network', 'The server did not answer. Check the connection and try again.');
  }
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, p.code ?? 'http_error', p.detail ?? `The server answered ${res.status}.`);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  return { blob: await res.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
}

export async function download(path: string, fallbackName: string): Promise<void> {
  const { blob, filename } = await fetchFile(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename ?? fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
