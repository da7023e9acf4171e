// A small JSON Schema (draft-07) validator for the keywords our published schemas use, so tests can
// check the schemas against real files without a validator dependency. Unknown keywords fail loudly:
// a schema that grows a keyword this file does not understand must not pass silently.
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['$id', '$schema', 'title', 'description', 'definitions', 'default', 'examples']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'propertyNames',
  'items', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else',
]);

/** Errors of `value` against `schema` ("path: problem"); empty when valid. */
export function validate(root: Record<string, unknown>, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '', errors);
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function check(root: Record<string, unknown>, schema: Schema, v: unknown, at: string, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${at}: not allowed`);
    return;
  }
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`validator does not understand keyword "${k}" at ${at}`);
  const s = schema as Record<string, unknown>;
  if (typeof s['$ref'] === 'string') {
    const name = /^#\/definitions\/(.+)$/.exec(s['$ref'])?.[1];
    const defs = root['definitions'] as Record<string, Schema> | undefined;
    if (!name || !defs?.[name]) throw new Error(`unresolvable $ref ${s['$ref']}`);
    check(root, defs[name], v, at, errors);
  }
  const t = typeOf(v);
  if (s['type'] !== undefined) {
    const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) {
      errors.push(`${at}: expected ${types.join('|')}, got ${t}`);
      return;
    }
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((e) => JSON.stringify(e) === JSON.stringify(v))) errors.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if ('const' in s && JSON.stringify(s['const']) !== JSON.stringify(v)) errors.push(`${at}: expected ${JSON.stringify(s['const'])}`);
  if (typeof v === 'string') {
    if (typeof s['minLength'] === 'number' && v.length < s['minLength']) errors.push(`${at}: shorter than ${s['minLength']}`);
    if (typeof s['maxLength'] === 'number' && v.length > s['maxLength']) errors.push(`${at}: longer than ${s['maxLength']}`);
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(v)) errors.push(`${at}: does not match ${s['pattern']}`);
  }
  if (typeof v === 'number') {
    if (typeof s['minimum'] === 'number' && v < s['minimum']) errors.push(`${at}: below ${s['minimum']}`);
    if (typeof s['maximum'] === 'number' && v > s['maximum']) errors.push(`${at}: above ${s['maximum']}`);
    if (typeof s['exclusiveMinimum'] === 'number' && v <= s['exclusiveMinimum']) errors.push(`${at}: not above ${s['exclusiveMinimum']}`);
    if (typeof s['exclusiveMaximum'] === 'number' && v >= s['exclusiveMaximum']) errors.push(`${at}: not below ${s['exclusiveMaximum']}`);
  }
  if (Array.isArray(v)) {
    if (typeof s['minItems'] === 'number' && v.length < s['minItems']) errors.push(`${at}: fewer than ${s['minItems']} items`);
    if (typeof s['maxItems'] === 'number' && v.length > s['maxItems']) errors.push(`${at}: more than ${s['maxItems']} items`);
    if (s['uniqueItems'] === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errors.push(`${at}: items not unique`);
    if (s['items'] !== undefined) v.forEach((x, i) => check(root, s['items'] as Schema, x, `${at}[${i}]`, errors));
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    const props = (s['properties'] ?? {}) as Record<string, Schema>;
    for (const r of (s['required'] ?? []) as string[]) if (!(r in o)) errors.push(`${at}: missing ${r}`);
    for (const [k, x] of Object.entries(o)) {
      if (props[k] !== undefined) check(root, props[k], x, `${at}.${k}`, errors);
      else if (s['additionalProperties'] !== undefined) check(root, s['additionalProperties'] as Schema, x, `${at}.${k}`, errors);
      if (s['propertyNames'] !== undefined) check(root, s['propertyNames'] as Schema, k, `${at}.${k} (name)`, errors);
    }
  }
  if (Array.isArray(s['allOf'])) for (const sub of s['allOf'] as Schema[]) check(root, sub, v, at, errors);
  if (Array.isArray(s['anyOf']) && !(s['anyOf'] as Schema[]).some((sub) => validateSub(root, sub, v))) errors.push(`${at}: matches none of anyOf`);
  if (Array.isArray(s['oneOf']) && (s['oneOf'] as Schema[]).filter((sub) => validateSub(root, sub, v)).length !== 1) errors.push(`${at}: does not match exactly one of oneOf`);
  if (s['not'] !== undefined && validateSub(root, s['not'] as Schema, v)) errors.push(`${at}: matches "not"`);
  if (s['if'] !== undefined) {
    const branch = validateSub(root, s['if'] as Schema, v) ? s['then'] : s['else'];
    if (branch !== undefined) check(root, branch as Schema, v, at, errors);
  }
}

function validateSub(root: Record<string, unknown>, schema: Schema, v: unknown): boolean {
  const e: string[] = [];
  check(root, schema, v, '', e);
  return e.length === 0;
}
