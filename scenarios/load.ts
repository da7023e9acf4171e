// Loads a scenario file: syntax, schema, then consistency between capabilities, channels and moves,
// for the scenario and for each campaign stage (whose attacker holds what the stages before it gained).
import { mergeIssues, ModelFileError, parseModelText, plainTextIssues, zodIssues, type AccountClass, type Capability, type LoadResult, type ModelIssue, type PathSeg } from '../models/index.ts';
import { scenarioFileSchema, type ScenarioFile } from './schema.ts';
import { AGENT_CAPABILITIES, type Scenario, type Strategy } from './types.ts';

/** Fields of a scenario file that are prose: they may hold line breaks and tabs (names may not). */
const PROSE_FIELDS: ReadonlySet<string> = new Set(['summary', 'description', 'say', 'narration', 'text', 'prompt']);

/** Parses and validates scenario text; `file` names locations in errors. */
export function loadScenarioText(text: string, file: string): LoadResult<Scenario> {
  const p = parseModelText(text, file);
  if (!p.ok) return p;
  const parsed = p.parsed;
  // Names and texts are plain text (models/displayText.ts), in every field.
  const textIssues = plainTextIssues(parsed, PROSE_FIELDS);
  const res = scenarioFileSchema.safeParse(parsed.value);
  if (!res.success) return { ok: false, issues: mergeIssues(textIssues, zodIssues(parsed, res.error, scenarioFileSchema)) };
  const s = res.data;
  const issues: ModelIssue[] = [];
  const at = (path: PathSeg[], msg: string) => issues.push(parsed.at(path, msg));
  const caps = new Set(s.attacker.capabilities);
  s.attacker.capabilities.forEach((c, i) => {
    if (s.attacker.capabilities.indexOf(c) !== i) at(['attacker', 'capabilities', i], `capability "${c}" is listed twice`);
  });
  checkStrategy(s.strategy, caps, ['strategy'], at);
  if (s.attacker.contact_changed_days_ago !== undefined && !caps.has('contact_prepositioned')) {
    at(['attacker', 'contact_changed_days_ago'], 'contact_changed_days_ago needs the capability contact_prepositioned');
  }
  // Each stage's attacker holds everything held before it plus the stage's gains.
  const held = new Set(caps);
  (s.then ?? []).forEach((stage, k) => {
    const base: PathSeg[] = ['then', k];
    const gains = stage.gains ?? [];
    gains.forEach((c, i) => {
      if (gains.indexOf(c) !== i) at([...base, 'gains', i], `capability "${c}" is listed twice`);
      else if (held.has(c)) at([...base, 'gains', i], `capability "${c}" is already held at this stage (from the attacker's capabilities or an earlier stage)`);
    });
    for (const c of gains) held.add(c);
    checkStrategy(stage.strategy, held, [...base, 'strategy'], at);
  });
  (s.injects ?? []).forEach((inj, i) => {
    if (i > 0 && inj.at_minute < s.injects![i - 1]!.at_minute) at(['injects', i, 'at_minute'], `injects must be in time order (${inj.at_minute} comes after ${s.injects![i - 1]!.at_minute})`);
    for (const key of ['controls', 'step_kinds'] as const) {
      const list: readonly string[] = inj.assumes?.[key] ?? [];
      list.forEach((x, k) => {
        if (list.indexOf(x) !== k) at(['injects', i, 'assumes', key, k], `"${x}" is listed twice`);
      });
    }
  });
  if (textIssues.length > 0 || issues.length > 0) return { ok: false, issues: mergeIssues(textIssues, issues) };
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
        ...(s.attacker.objective !== undefined ? { objective: s.attacker.objective } : {}),
      },
      target: { accountClass: s.target.account_class, ...(s.target.description ? { description: s.target.description } : {}) },
      strategy: strategyOf(s.strategy, s.target.account_class),
      ...(s.then
        ? {
            then: s.then.map((t) => ({
              name: t.name,
              gains: t.gains ?? [],
              workflow: t.workflow ?? null,
              afterDays: t.after_days ?? null,
              target: { accountClass: t.target.account_class, ...(t.target.description ? { description: t.target.description } : {}) },
              strategy: strategyOf(t.strategy, t.target.account_class),
            })),
          }
        : {}),
      injects: (s.injects ?? []).map((i) => ({
        atMinute: i.at_minute,
        title: i.title,
        text: i.text,
        ...(i.decision ? { decision: i.decision } : {}),
        ...(i.assumes
          ? {
              assumes: {
                takeover: i.assumes.takeover === true || i.assumes.detected === true,
                detected: i.assumes.detected === true,
                controls: i.assumes.controls ?? [],
                stepKinds: i.assumes.step_kinds ?? [],
              },
            }
          : {}),
      })),
      file,
    },
  };
}

type StrategyFile = ScenarioFile['strategy'];

/** Consistency of a strategy with the capabilities its attacker holds (at `base`: the top level or a stage). */
function checkStrategy(st: StrategyFile, caps: ReadonlySet<Capability>, base: PathSeg[], at: (path: PathSeg[], msg: string) => void): void {
  const hasAgent = AGENT_CAPABILITIES.some((c) => caps.has(c));
  st.channels.forEach((ch, i) => {
    if (st.channels.indexOf(ch) !== i) at([...base, 'channels', i], `channel "${ch}" is listed twice`);
    if (ch === 'agent_console' && !hasAgent) {
      at([...base, 'channels', i], `channel "agent_console" needs an agent identity: add ${AGENT_CAPABILITIES.join(' or ')} to the attacker's capabilities`);
    }
  });
  const allowed = new Set(st.exceptions ?? []);
  st.moves.forEach((m, i) => {
    const path: PathSeg[] = [...base, 'moves', i];
    if (m.channel && !st.channels.includes(m.channel)) at([...path, 'channel'], `channel "${m.channel}" is not among ${pathText(base)}.channels`);
    if (m.move === 'inject_ticket' && !caps.has('queue_ticket_injection')) at([...path, 'move'], `move "inject_ticket" needs the capability queue_ticket_injection`);
    if (m.move === 'act_as_agent' && !hasAgent) at([...path, 'move'], `move "act_as_agent" needs an agent identity (${AGENT_CAPABILITIES.join(', ')})`);
    if (m.move === 'tamper_logs' && !caps.has('log_tampering') && !caps.has('insider_bribed_agent')) at([...path, 'move'], `move "tamper_logs" needs the capability log_tampering`);
    if (m.move === 'pressure' && !caps.has('urgency_pressure') && !caps.has('authority_pressure')) at([...path, 'move'], `move "pressure" needs urgency_pressure or authority_pressure`);
    if (m.at && m.move !== 'present_evidence') at([...path, 'at'], `"at" ties a present_evidence move to the steps it answers; a "${m.move}" move has no step of its own`);
    if (m.move === 'request_exception' && !allowed.has('request')) at([...path, 'move'], `move "request_exception" needs "request" in ${pathText(base)}.exceptions`);
  });
}

/** A location as people write it: then[0].strategy. */
const pathText = (path: readonly PathSeg[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

/** A strategy with its defaults: claims default to the target class, one retry, no exceptions. */
function strategyOf(st: StrategyFile, target: AccountClass): Strategy {
  return { channels: st.channels, claims: st.claims ?? [target], retries: st.retries ?? 1, exceptions: st.exceptions ?? [], moves: st.moves };
}

/** Like loadScenarioText but throws a ModelFileError (for bundled data that must be valid). */
export function loadScenarioOrThrow(text: string, file: string): Scenario {
  const r = loadScenarioText(text, file);
  if (!r.ok) throw new ModelFileError(r.issues);
  return r.value;
}
