// Loads a scenario file: syntax, schema, then consistency between capabilities, channels and moves.
import { ModelFileError, parseModelText, zodIssues, type LoadResult, type ModelIssue, type PathSeg } from '../models/index.ts';
import { scenarioFileSchema } from './schema.ts';
import { AGENT_CAPABILITIES, type Scenario } from './types.ts';

/** Parses and validates scenario text; `file` names locations in errors. */
export function loadScenarioText(text: string, file: string): LoadResult<Scenario> {
  const p = parseModelText(text, file);
  if (!p.ok) return p;
  const parsed = p.parsed;
  const res = scenarioFileSchema.safeParse(parsed.value);
  if (!res.success) return { ok: false, issues: zodIssues(parsed, res.error) };
  const s = res.data;
  const issues: ModelIssue[] = [];
  const at = (path: PathSeg[], msg: string) => issues.push(parsed.at(path, msg));
  const caps = new Set(s.attacker.capabilities);
  s.attacker.capabilities.forEach((c, i) => {
    if (s.attacker.capabilities.indexOf(c) !== i) at(['attacker', 'capabilities', i], `capability "${c}" is listed twice`);
  });
  const hasAgent = AGENT_CAPABILITIES.some((c) => caps.has(c));
  s.strategy.channels.forEach((ch, i) => {
    if (s.strategy.channels.indexOf(ch) !== i) at(['strategy', 'channels', i], `channel "${ch}" is listed twice`);
    if (ch === 'agent_console' && !hasAgent) {
      at(['strategy', 'channels', i], `channel "agent_console" needs an agent identity: add ${AGENT_CAPABILITIES.join(' or ')} to the attacker's capabilities`);
    }
  });
  const allowed = new Set(s.strategy.exceptions ?? []);
  s.strategy.moves.forEach((m, i) => {
    const base: PathSeg[] = ['strategy', 'moves', i];
    if (m.channel && !s.strategy.channels.includes(m.channel)) at([...base, 'channel'], `channel "${m.channel}" is not among strategy.channels`);
    if (m.move === 'inject_ticket' && !caps.has('queue_ticket_injection')) at([...base, 'move'], `move "inject_ticket" needs the capability queue_ticket_injection`);
    if (m.move === 'act_as_agent' && !hasAgent) at([...base, 'move'], `move "act_as_agent" needs an agent identity (${AGENT_CAPABILITIES.join(', ')})`);
    if (m.move === 'tamper_logs' && !caps.has('log_tampering') && !caps.has('insider_bribed_agent')) at([...base, 'move'], `move "tamper_logs" needs the capability log_tampering`);
    if (m.move === 'pressure' && !caps.has('urgency_pressure') && !caps.has('authority_pressure')) at([...base, 'move'], `move "pressure" needs urgency_pressure or authority_pressure`);
    if (m.move === 'request_exception' && !allowed.has('request')) at([...base, 'move'], `move "request_exception" needs "request" in strategy.exceptions`);
  });
  if (s.attacker.contact_changed_days_ago !== undefined && !caps.has('contact_prepositioned')) {
    at(['attacker', 'contact_changed_days_ago'], 'contact_changed_days_ago needs the capability contact_prepositioned');
  }
  (s.injects ?? []).forEach((inj, i) => {
    if (i > 0 && inj.at_minute < s.injects![i - 1]!.at_minute) at(['injects', i, 'at_minute'], `injects must be in time order (${inj.at_minute} comes after ${s.injects![i - 1]!.at_minute})`);
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      id: s.id,
      name: s.name,
      ...(s.summary !== undefined ? { summary: s.summary } : {}),
      ...(s.reference !== undefined ? { reference: s.reference } : {}),
      attackTechniques: s.attack_techniques ?? [],
      examples: s.examples ?? [],
      attacker: {
        name: s.attacker.name,
        capabilities: s.attacker.capabilities,
        contactChangedDaysAgo: caps.has('contact_prepositioned') ? (s.attacker.contact_changed_days_ago ?? 7) : null,
        timeToObjectiveHours: s.attacker.time_to_objective_hours ?? null,
      },
      target: { accountClass: s.target.account_class, ...(s.target.description ? { description: s.target.description } : {}) },
      strategy: {
        channels: s.strategy.channels,
        claims: s.strategy.claims ?? [s.target.account_class],
        retries: s.strategy.retries ?? 1,
        exceptions: s.strategy.exceptions ?? [],
        moves: s.strategy.moves,
      },
      injects: (s.injects ?? []).map((i) => ({
        atMinute: i.at_minute,
        title: i.title,
        text: i.text,
        ...(i.decision ? { decision: i.decision } : {}),
      })),
      file,
    },
  };
}

/** Like loadScenarioText but throws a ModelFileError (for bundled data that must be valid). */
export function loadScenarioOrThrow(text: string, file: string): Scenario {
  const r = loadScenarioText(text, file);
  if (!r.ok) throw new ModelFileError(r.issues);
  return r.value;
}
