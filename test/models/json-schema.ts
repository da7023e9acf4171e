// A small JSON Schema (draft-07) validator for the keywords our published schemas and NIST's OSCAL
// 1.0.6 schemas use, so tests can check documents without a validator dependency (ajv is only in
// node_modules as a dependency of a dev tool: 6.x at the top, which lacks the \p{L} patterns OSCAL
// needs, and 8.x nested under another package). Unknown keywords fail loudly: a schema that grows a
// keyword this file does not understand must not pass silently. Patterns are Unicode regular
// expressions; `$ref` is a JSON pointer into definitions or a `#name` that a definition's `$id`
// declares (OSCAL's style); `format` is checked for date-time, email, uri and uri-reference.
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['$id', '$schema', '$comment', 'title', 'description', 'definitions', 'default', 'examples', 'contentEncoding']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'propertyNames',
  'items', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'pattern',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'format',
]);

/** What the `format` keyword checks (draft-07's meaning, as ajv-formats' "fast" mode reads it). */
const FORMATS: Record<string, (v: string) => boolean> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
  uri: (v) => /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/.test(v),
  'uri-reference': (v) => !/\s/.test(v),
};

const anchors = new WeakMap<Record<string, unknown>, Map<string, Schema>>();

/** The schema a `$ref` names: `#/definitions/<name>`, or `#<anchor>` declared by a definition's `$id`. */
function resolveRef(root: Record<string, unknown>, ref: string): Schema {
  const defs = (root['definitions'] ?? {}) as Record<string, Schema>;
  const name = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
  if (name !== undefined) {
    if (!defs[name]) throw new Error(`unresolvable $ref ${ref}`);
    return defs[name];
  }
  let byId = anchors.get(root);
  if (!byId) {
    byId = new Map(Object.values(defs).flatMap((d) => (typeof d === 'object' && typeof d['$id'] === 'string' ? [[d['$id'], d] as [string, Schema]] : [])));
    anchors.set(root, byId);
  }
  const found = byId.get(ref);
  if (!found) throw new Error(`unresolvable $ref ${ref}`);
  return found;
}

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
  if (typeof s['$ref'] === 'string') check(root, resolveRef(root, s['$ref']), v, at, errors);
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
    if (typeof s['format'] === 'string' && FORMATS[s['format']] && !FORMATS[s['format']]!(v)) errors.push(`${at}: not a ${s['format']}`);
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
