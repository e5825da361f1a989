type JsonSchema = Record<string, unknown>;

const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SUBSCHEMAS = ['items', 'not', 'if', 'then', 'else'] as const;

/**
 * The paths of every object in a JSON Schema that accepts fields it does not name. A provider config is
 * write-only where it holds secrets: a misspelled secret name accepted as an extra field would be stored, shown
 * in clear and written to the audit log, because masking only knows the declared names. So every object must be
 * closed (`additionalProperties: false`, zod's strictObject). A record (`propertyNames` and no `properties`, zod's
 * z.record) is a map whose keys are data, and is allowed; its values are checked like any other schema.
 */
export function openObjects(schema: unknown, at = '(root)'): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as JsonSchema;
  const found: string[] = [];
  const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
  const isRecord = s.propertyNames !== undefined && s.properties === undefined;
  if (isObject && s.additionalProperties !== false && !isRecord) found.push(at);
  const child = (name: string) => (at === '(root)' ? name : `${at}.${name}`);
  for (const [k, v] of Object.entries((s.properties as JsonSchema | undefined) ?? {}))
    found.push(...openObjects(v, child(k)));
  if (typeof s.additionalProperties === 'object')
    found.push(...openObjects(s.additionalProperties, child('*')));
  for (const key of SUBSCHEMAS) found.push(...openObjects(s[key], at));
  for (const key of SUBSCHEMA_LISTS)
    if (Array.isArray(s[key])) for (const v of s[key]) found.push(...openObjects(v, at));
  for (const v of Object.values((s.$defs as JsonSchema | undefined) ?? {})) found.push(...openObjects(v, at));
  return [...new Set(found)];
}
