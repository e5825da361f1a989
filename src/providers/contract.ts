import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT as ROOT } from '../kernel/paths.js';
import { configJsonSchema } from './registry.js';
import { openObjects } from './strict-schema.js';
import { type AnyProviderDefinition, SERVICE_TYPES } from './types.js';

/** The top-level and nested keys a config schema declares, as dotted paths. */
function schemaPaths(schema: unknown, prefix = ''): string[] {
  const json = schema as { properties?: Record<string, unknown> };
  if (!json?.properties) return [];
  return Object.entries(json.properties).flatMap(([k, v]) => [
    `${prefix}${k}`,
    ...schemaPaths(v, `${prefix}${k}.`),
  ]);
}

/** The dotted paths of every property whose schema is a URL (`format: uri`, directly or in a union). */
function urlPaths(schema: unknown, prefix = ''): string[] {
  const json = schema as { properties?: Record<string, unknown> };
  if (!json?.properties) return [];
  return Object.entries(json.properties).flatMap(([k, v]) => {
    const node = v as { format?: string; anyOf?: { format?: string }[] };
    const isUrl = node.format === 'uri' || node.anyOf?.some((a) => a.format === 'uri');
    return [...(isUrl ? [`${prefix}${k}`] : []), ...urlPaths(v, `${prefix}${k}.`)];
  });
}

/**
 * What every provider definition must satisfy (the seed's "self-enforcing tests"): complete metadata, a config
 * schema, documentation, and a simulator or an explicit `built-in`. Returns the problems found, empty when sound.
 */
export function definitionProblems(def: AnyProviderDefinition): string[] {
  const problems: string[] = [];
  const where = `${def.serviceType}/${def.key}`;
  if (!(SERVICE_TYPES as readonly string[]).includes(def.serviceType))
    problems.push(`${where}: unknown service type`);
  if (!/^[a-z][a-z0-9_]*$/.test(def.key)) problems.push(`${where}: key must be snake_case`);
  if (!def.displayName?.trim()) problems.push(`${where}: displayName is empty`);
  if (!def.metadata?.documentation?.trim()) problems.push(`${where}: metadata.documentation is empty`);
  if (!Array.isArray(def.metadata?.requiredSettings))
    problems.push(`${where}: metadata.requiredSettings missing`);
  if (!(def.configSchema instanceof z.ZodType)) {
    problems.push(`${where}: configSchema is not a zod schema`);
    return problems;
  }
  let paths: string[] = [];
  try {
    const json = configJsonSchema(def);
    paths = schemaPaths(json);
    for (const at of openObjects(json))
      problems.push(`${where}: config schema accepts unknown fields at ${at}`);
    // A URL field is an endpoint a tenant could point anywhere: the framework checks only those declared.
    for (const url of urlPaths(json))
      if (!def.endpoints?.[url]) problems.push(`${where}: URL field ${url} is not declared in endpoints`);
  } catch (e) {
    problems.push(`${where}: configSchema has no JSON Schema form (${String(e)})`);
  }
  for (const field of Object.keys(def.endpoints ?? {})) {
    if (!paths.includes(field))
      problems.push(`${where}: endpoint field ${field} is not in the config schema`);
  }
  for (const field of def.secretFields) {
    if (!paths.includes(field)) problems.push(`${where}: secret field ${field} is not in the config schema`);
  }
  for (const setting of def.metadata?.requiredSettings ?? []) {
    if (!paths.includes(setting))
      problems.push(`${where}: required setting ${setting} is not in the config schema`);
  }
  const tested = def.metadata?.testedWith;
  if (!tested) problems.push(`${where}: metadata.testedWith is empty (a simulator path or "built-in")`);
  else if (tested !== 'built-in' && !existsSync(join(ROOT, tested))) {
    problems.push(`${where}: metadata.testedWith ${tested} does not exist`);
  }
  if (typeof def.create !== 'function') problems.push(`${where}: create is not a function`);
  return problems;
}
