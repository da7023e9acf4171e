// The desk profile file format (YAML or JSON): who works the service desk and when, how requests
// arrive, the service-level target and the pressure curve. A profile is data with its assumptions
// stated next to the numbers; the published JSON Schema (schemas/desk.schema.json) is generated from
// this zod schema. docs/analysis-semantics.md, "Service-desk simulation", says how each field is used.
import { z } from 'zod';
import { ACCOUNT_CLASS_IDS, mergeIssues, parseModelText, plainTextIssues, zodIssues, type AccountClass, type LoadResult, type ModelIssue, type PathSeg } from '../../models/index.ts';

const accountClass = z.enum(ACCOUNT_CLASS_IDS as [AccountClass, ...AccountClass[]], {
  error: (iss) => `unknown account class ${JSON.stringify(iss.input)}; known: ${ACCOUNT_CLASS_IDS.join(', ')}`,
});
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof DAYS)[number];
export const WEEKDAYS: readonly Weekday[] = DAYS;

const share = z.number().min(0).max(1);
const hour = z.number().int().min(0).max(24);

const shiftSchema = z
  .strictObject({
    days: z.array(z.enum(DAYS)).min(1).describe('Days the shift starts on (the simulation starts on a Monday at 00:00 desk time)'),
    start_hour: hour.describe('Hour the shift starts (0-23)'),
    end_hour: hour.describe('Hour the shift ends; at or before start_hour: the shift runs past midnight'),
  })
  .describe('When a group of agents takes new requests (an agent finishes the request in hand after the shift ends)');

const agentGroupSchema = z.strictObject({
  name: z.string().min(1).max(80),
  count: z.number().int().min(1).max(10_000),
  tier: z.number().int().min(1).max(3).describe('Support tier: a request needs an agent of at least the tier of the workflow actor who takes it'),
  shifts: z.array(shiftSchema).min(1),
});

const arrivalsSchema = z.strictObject({
  account_class: accountClass,
  hourly: z
    .array(z.number().min(0).max(100_000))
    .length(24, { error: 'hourly must list 24 rates, one per hour of the day from 00:00' })
    .describe('Legitimate requests per hour on a weekday, one rate per hour from 00:00 (Poisson arrivals)'),
  weekend_factor: z.number().min(0).max(10).default(1).describe('Multiplier of the hourly rates on Saturday and Sunday'),
  cannot_complete_standard: share.describe('Share of this class who cannot complete standard verification (lost phone, travelling, no document) and take the fallback at the first verification step'),
});

const assumptionSchema = z.strictObject({
  field: z.string().min(1).max(120).describe('The profile field the assumption is about'),
  statement: z.string().min(1).max(2000),
  source: z.string().min(1).max(500).describe('A citation, or "our estimate" when no source backs the number'),
});

export const deskProfileSchema = z.strictObject({
  resetpath: z.literal('desk/1', { error: 'a desk profile starts with "resetpath: desk/1"' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'id must be lower-case letters, digits, ".", "_" or "-"' }).max(80),
  name: z.string().min(1).max(120),
  description: z.string().max(4000).optional(),
  service_level: z.strictObject({
    target_minutes: z.number().positive().max(10_080).describe('Minutes within which a request should be picked up by an agent'),
  }),
  agents: z.array(agentGroupSchema).min(1),
  handling: z.strictObject({
    minutes_per_step: z.number().min(0).max(240).describe('Median minutes an agent spends on a step besides its controls (reading the ticket, typing notes)'),
    spread: z.number().min(0).max(3).describe("Log-normal shape of handling times: each step's minutes are the median times exp(spread x a standard normal draw)"),
  }),
  arrivals: z.array(arrivalsSchema).min(1),
  hostile: z.strictObject({
    per_day: z.number().min(0).max(100_000).describe('Hostile attempts per day, drawn evenly from the scenarios playable against the workflow'),
    hourly_weights: z.array(z.number().min(0)).length(24).optional().describe('Relative weight of each hour for hostile arrivals (default: uniform)'),
  }),
  pressure: z
    .strictObject({
      baseline: share.describe('Skip probability with an empty queue and no wait over target'),
      max: share.describe('Skip probability the curve approaches under extreme load'),
      queue_per_agent_scale: z.number().positive().describe('Queued requests per on-shift agent at which the load term is 1'),
      over_target_scale: z.number().positive().describe('Wait over the target, in multiples of the target, at which the time term is 1'),
      attacker_pressure_exponent: z.number().min(1).max(10).default(1).describe('For an attacker with urgency or authority pressure: skip probability p becomes 1-(1-p)^exponent'),
    })
    .refine((p) => p.max >= p.baseline, { error: 'pressure.max must be at least pressure.baseline', path: ['max'] }),
  detection: z.strictObject({
    response_spread: z.number().min(0).max(3).describe("Log-normal shape of detection delays around the engine's delay (notification response, review turnaround)"),
  }),
  assumptions: z.array(assumptionSchema).min(1),
});

export type DeskProfileFile = z.output<typeof deskProfileSchema>;

/** A desk profile as the simulation uses it. */
export interface DeskProfile {
  id: string;
  name: string;
  description: string | null;
  targetMinutes: number;
  agents: { name: string; count: number; tier: number; shifts: { days: Weekday[]; startHour: number; endHour: number }[] }[];
  handling: { minutesPerStep: number; spread: number };
  arrivals: { accountClass: AccountClass; hourly: number[]; weekendFactor: number; cannotCompleteStandard: number }[];
  hostile: { perDay: number; hourlyWeights: number[] | null };
  pressure: PressureCurve;
  detection: { responseSpread: number };
  assumptions: { field: string; statement: string; source: string }[];
  file: string;
}

/** The pressure curve's parameters (analysis/simulation/pressure.ts). */
export interface PressureCurve {
  baseline: number;
  max: number;
  queuePerAgentScale: number;
  overTargetScale: number;
  attackerPressureExponent: number;
}

const PROSE: ReadonlySet<string> = new Set(['description', 'statement', 'source']);

/** Parses and validates a desk profile; errors name the file, line and field. */
export function loadDeskProfileText(text: string, file: string): LoadResult<DeskProfile> {
  const p = parseModelText(text, file);
  if (!p.ok) return p;
  const parsed = p.parsed;
  const textIssues = plainTextIssues(parsed, PROSE);
  const res = deskProfileSchema.safeParse(parsed.value);
  if (!res.success) return { ok: false, issues: mergeIssues(textIssues, zodIssues(parsed, res.error)) };
  const d = res.data;
  const issues: ModelIssue[] = [];
  const at = (path: PathSeg[], msg: string) => issues.push(parsed.at(path, msg));
  d.arrivals.forEach((a, i) => {
    if (d.arrivals.findIndex((b) => b.account_class === a.account_class) !== i) at(['arrivals', i, 'account_class'], `account class "${a.account_class}" has arrivals listed twice`);
  });
  d.agents.forEach((g, i) => {
    if (d.agents.findIndex((b) => b.name === g.name) !== i) at(['agents', i, 'name'], `agent group "${g.name}" is named twice`);
    g.shifts.forEach((s, j) => {
      if (s.start_hour === 24) at(['agents', i, 'shifts', j, 'start_hour'], 'start_hour must be 0-23');
    });
  });
  if (textIssues.length || issues.length) return { ok: false, issues: mergeIssues(textIssues, issues) };
  return {
    ok: true,
    value: {
      id: d.id,
      name: d.name,
      description: d.description ?? null,
      targetMinutes: d.service_level.target_minutes,
      agents: d.agents.map((g) => ({ name: g.name, count: g.count, tier: g.tier, shifts: g.shifts.map((s) => ({ days: s.days, startHour: s.start_hour, endHour: s.end_hour })) })),
      handling: { minutesPerStep: d.handling.minutes_per_step, spread: d.handling.spread },
      arrivals: d.arrivals.map((a) => ({ accountClass: a.account_class, hourly: a.hourly, weekendFactor: a.weekend_factor, cannotCompleteStandard: a.cannot_complete_standard })),
      hostile: { perDay: d.hostile.per_day, hourlyWeights: d.hostile.hourly_weights ?? null },
      pressure: {
        baseline: d.pressure.baseline,
        max: d.pressure.max,
        queuePerAgentScale: d.pressure.queue_per_agent_scale,
        overTargetScale: d.pressure.over_target_scale,
        attackerPressureExponent: d.pressure.attacker_pressure_exponent,
      },
      detection: { responseSpread: d.detection.response_spread },
      assumptions: d.assumptions,
      file,
    },
  };
}
