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

function load(): Promise<OpenApi> {
  document ??= send<OpenApi>('GET', '/openapi.json').catch((e: unknown) => {
    document = undefined;
    throw e;
  });
  return document;
}

export async function queryChoices(path: string, name: string): Promise<string[]> {
  const op = (await load()).paths[path]?.get;
  return op?.parameters?.find((p) => p.in === 'query' && p.name === name)?.schema?.enum ?? [];
}

/** The values a JSON body's member accepts (`format` of a report run), from the same document. */
export async function bodyChoices(path: string, method: string, name: string): Promise<string[]> {
  const op = (await load()).paths[path]?.[method] as
    | {
        requestBody?: {
          content?: Record<string, { schema?: { properties?: Record<string, { enum?: string[] }> } }>;
        };
      }
    | undefined;
  return op?.requestBody?.content?.['application/json']?.schema?.properties?.[name]?.enum ?? [];
}
