// Values the API publishes in its OpenAPI document (a filter's choices): read at run time, once, so the console
// offers exactly what the API accepts.
import { send } from './client.js';

let document: Promise<OpenApi> | undefined;

interface OpenApi {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string; schema?: { enum?: string[] } }[] }>
  >;
}

export async function queryChoices(path: string, name: string): Promise<string[]> {
  document ??= send<OpenApi>('GET', '/openapi.json').catch((e: unknown) => {
    document = undefined;
    throw e;
  });
  const op = (await document).paths[path]?.get;
  return op?.parameters?.find((p) => p.in === 'query' && p.name === name)?.schema?.enum ?? [];
}
