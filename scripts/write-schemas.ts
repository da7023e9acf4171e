// Writes the published JSON Schemas (schemas/*.schema.json) from the zod schemas the loaders use,
// so editors autocomplete and validate exactly what ResetPath accepts. Run: npm run schemas.
// A test regenerates them in memory and fails when the committed files drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { accountabilityReportSchema } from '../analysis/accountability.ts';
import { deskProfileSchema } from '../analysis/simulation/profile.ts';
import { analysisReportSchema } from '../analysis/report.ts';
import { CONTROLS, controlInstanceSchema, workflowFileSchema, type ParamSpec } from '../models/index.ts';
import { scenarioFileSchema } from '../scenarios/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = join(ROOT, 'schemas');

type Json = Record<string, unknown>;

/** Per-parameter JSON Schema from the catalogue's parameter spec. */
function paramSchema(spec: ParamSpec): Json {
  switch (spec.type) {
    case 'enum':
      return { type: 'string', enum: [...spec.values], description: `${spec.description} (hardened: ${spec.hardened})` };
    case 'enum[]':
      return { type: 'array', items: { type: 'string', enum: [...spec.values] }, uniqueItems: true, description: `${spec.description} (hardened: ${spec.hardened.join(', ')})` };
    case 'number':
      return { type: 'number', minimum: spec.min, maximum: spec.max, description: `${spec.description} (hardened: ${spec.hardened})` };
    case 'boolean':
      return { type: 'boolean', description: `${spec.description} (hardened: ${String(spec.hardened)})` };
  }
}

/**
 * The zod schema can only say "params is a record"; the loader checks parameters against the
 * catalogue. Adding one if/then per control lets an editor offer each control's own parameters.
 */
function withCatalogueParams(json: Json): void {
  json['allOf'] = CONTROLS.map((c) => ({
    if: { properties: { control: { const: c.id } }, required: ['control'] },
    then: {
      description: c.summary,
      properties: {
        params: { type: 'object', additionalProperties: false, properties: Object.fromEntries(Object.entries(c.params).map(([k, spec]) => [k, paramSchema(spec)])) },
      },
    },
  }));
  const props = json['properties'] as Json | undefined;
  const control = props?.['control'] as Json | undefined;
  if (control) control['description'] = 'Catalogue id of the control (see "resetpath controls")';
}

/** Marks a generated subschema to be named in `definitions` instead of repeated inline. */
const DEF_MARK = 'x-resetpath-definition';

/** Moves every marked subschema into `definitions` (once) and leaves a $ref where it stood. */
function hoistMarked(node: unknown, definitions: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => hoistMarked(n, definitions));
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Json;
  const name = obj[DEF_MARK];
  const copy: Json = {};
  for (const [k, v] of Object.entries(obj)) if (k !== DEF_MARK) copy[k] = hoistMarked(v, definitions);
  if (typeof name !== 'string') return copy;
  definitions[name] ??= copy;
  return { $ref: `#/definitions/${name}` };
}

/**
 * One schema file. Model files are read by the loaders, so their schemas describe what is accepted
 * (`input`); the analysis report is written by ResetPath, so its schema describes what is produced (`output`).
 */
function generate(schema: z.ZodType, meta: { id: string; title: string; description: string }, catalogue: boolean, io: 'input' | 'output' = 'input'): string {
  const json = z.toJSONSchema(schema, {
    target: 'draft-07',
    io,
    override: (ctx) => {
      if (catalogue && ctx.zodSchema === controlInstanceSchema) {
        withCatalogueParams(ctx.jsonSchema as Json);
        (ctx.jsonSchema as Json)[DEF_MARK] = 'control_instance';
      }
    },
  }) as Json;
  const definitions: Json = {};
  const body = hoistMarked(json, definitions) as Json;
  const { $schema, ...rest } = body;
  // $schema first, then our identification, then the generated body, for a readable file.
  const out = { $schema, $id: meta.id, title: meta.title, description: meta.description, ...rest, ...(Object.keys(definitions).length ? { definitions } : {}) };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The schema files, by file name, exactly as they are committed. */
export function generateSchemas(): Record<string, string> {
  return {
    'workflow.schema.json': generate(
      workflowFileSchema,
      {
        id: 'urn:resetpath:schema:workflow/1',
        title: 'ResetPath workflow (workflow/1)',
        description:
          'A help-desk or self-service reset workflow: account classes served, routing, steps with their controls, exceptions and actors. Generated from models/workflow/schema.ts and the control catalogue; the loader also checks references between steps and where each control may sit.',
      },
      true,
    ),
    'scenario.schema.json': generate(
      scenarioFileSchema,
      {
        id: 'urn:resetpath:schema:scenario/1',
        title: 'ResetPath attack scenario (scenario/1)',
        description:
          'An attacker profile (capabilities), a target account class, a strategy of moves and optional tabletop injects. Generated from scenarios/schema.ts; the loader also checks that moves and channels fit the capabilities.',
      },
      false,
    ),
    'desk.schema.json': generate(
      deskProfileSchema,
      {
        id: 'urn:resetpath:schema:desk/1',
        title: 'ResetPath service-desk profile (desk/1)',
        description:
          'A service desk for `resetpath simulate`: agent groups with tiers and shifts, legitimate arrivals per account class and hour, hostile attempts per day, the service-level target, the pressure curve and the assumptions behind the numbers with their sources. Generated from analysis/simulation/profile.ts; the loader also checks that classes and group names are not repeated.',
      },
      false,
    ),
    'analysis.schema.json': generate(
      analysisReportSchema,
      {
        id: 'urn:resetpath:schema:analysis/1',
        title: 'ResetPath analysis report (resetpath/analysis@1)',
        description:
          'What `resetpath analyze --format json` writes: per workflow and scenario the outcome, every takeover path with the verdict of each control and the rule behind it, the gap (blocking and detecting controls with status, owner and framework mappings) and the minimal control sets. Generated from analysis/report.ts.',
      },
      false,
      'output',
    ),
    'accountability.schema.json': generate(
      accountabilityReportSchema,
      {
        id: 'urn:resetpath:schema:accountability/1',
        title: 'ResetPath accountability report (resetpath/accountability@1)',
        description:
          'What `resetpath report --format json` writes: the scope and assumptions of an analysis, an executive summary, one row per gap (control, accountable owner role, effect, exact path counts, statuses, friction, framework references with fit and existence, and the path classes that are its evidence), residual risk and lint findings. Generated from analysis/accountability.ts.',
      },
      false,
      'output',
    ),
  };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(generateSchemas())) {
    writeFileSync(join(SCHEMA_DIR, name), text);
    process.stdout.write(`wrote schemas/${name}\n`);
  }
}
