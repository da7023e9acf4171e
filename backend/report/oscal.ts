// The accountability report as OSCAL 1.0.6, for GRC tools that read NIST's exchange formats:
//
// - assessment-results: one result for the analysis. Each path class behind a gap is an observation
//   (its example path as the evidence); each gap is a risk and a finding: the finding targets the
//   ResetPath control as an objective that is "not-satisfied", carries the framework references as
//   props (fit as the prop's class, existence in its remarks), and points at its observations and
//   risk; the risk's remediation is a recommended task whose responsible role is the control's owner
//   role (with the named party once owners are assigned).
// - chained takeovers (a scenario whose own takeover leads to a later stage, as the Markdown report
//   lists them): each observation of the scenario's path classes says the chain in its remarks, in the
//   Markdown report's words (`chainText`), and carries it as props (chain-stages, chain-paths,
//   chain-outcome, chain-yields, one blast-radius per thing the chain unlocks); a chain no gap points at
//   is an observation of its own; a risk whose evidence includes the scenario says it chains on.
// - plan-of-action-and-milestones: the same observations, risks and findings, and one poam-item per
//   open gap with its remediation state (open until remediation items exist) and due date when set.
//
// Identifiers are UUID v5 (SHA-1) of content, so the same analysis gives the same document byte for
// byte, and a finding keeps its UUID from one report to the next; the document's own UUID includes
// generatedAt, as OSCAL asks for a new one per revision. Every text from a model, a file or a user
// is escaped so no OSCAL viewer that passes text to HTML meets a tag, link or override: markup
// fields (titles, descriptions, remarks) as Markdown (`markdownText`: HTML's `& < >` as entities,
// link and code characters backslashed, a javascript:/data: colon as an entity, control characters
// written visibly); string fields (prop values, party names) by `plain`, one line and trimmed, as
// OSCAL's string pattern requires; names are capped (`clip`) wherever they are written. A leading `=`, `+`, `-` or `@` is kept: JSON is data, not a spreadsheet (the CSV
// report is where formula prefixes are neutralised).
import { createHash } from 'node:crypto';
import { EFFECT_TEXT, formatCount, hardenedSettingsText, minutesText, remedyText, type AccountabilityGap, type AccountabilityReport, type RemediationState, type ReportMapping } from '../../analysis/index.ts';
import { displayText, markdownText } from '../../models/index.ts';
import { chains, chainText, statusesText, type Campaign } from './markdown.ts';
import { clip } from './text.ts';

export const OSCAL_VERSION = '1.0.6';
/** Namespace of ResetPath's own props (OSCAL asks for a URI; a URN needs no domain to stay valid). */
export const OSCAL_NS = 'urn:resetpath:oscal';
/** The UUID v5 namespace of ResetPath's OSCAL identifiers: v5 of OSCAL_NS in the URL namespace. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Longest text written into an OSCAL field; the rest is counted, not written. */
const OSCAL_TEXT_LIMIT = 1000;

/** A name-based UUID (RFC 4122 version 5, SHA-1) of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const RESETPATH_NS = uuidV5(OSCAL_NS, URL_NAMESPACE);
const id = (...parts: string[]) => uuidV5(JSON.stringify(parts), RESETPATH_NS);

/** A markup-line or markup-multiline field: Markdown-escaped, capped, never empty. */
const markup = (s: string, max = OSCAL_TEXT_LIMIT) => markdownText(clip(s, max)).trim() || '(empty)';
/** A markup-multiline field holding a person's text (notes): the same, its line breaks kept. */
const markupLines = (s: string, max = OSCAL_TEXT_LIMIT) => markdownText(clip(s, max), { multiline: true }).trim() || '(empty)';
/**
 * A string field (not markup, so no Markdown escapes that would corrupt "ATT&CK"): one line by the
 * display-text rule, `<` and `>` as entities so no viewer meets a tag, a javascript:/data: colon as
 * an entity, capped, trimmed (OSCAL: no edge whitespace), never empty.
 */
const plain = (s: string, max = OSCAL_TEXT_LIMIT) =>
  displayText(clip(s.trim(), max))
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\b(javascript|vbscript|data|file)(\s*):/gi, '$1$2&#58;')
    .trim() || '(empty)';
/** A name inside a longer text: capped on its own, so the text around it survives its cap. */
const nm = (s: string) => clip(s, NAME_LIMIT);
const NAME_LIMIT = 200;

interface Prop {
  name: string;
  ns?: string;
  value: string;
  class?: string;
  remarks?: string;
}
const prop = (name: string, value: string, extra: Omit<Prop, 'name' | 'value'> = {}): Prop => ({ name, ns: OSCAL_NS, value: plain(value), ...extra });

type Json = Record<string, unknown>;

/** The `resetpath replay` command that re-runs an example path ("s01#2" class 2, "s01#2.3" example 3). */
function replayCommand(workflow: string, scenario: string, cls: string, example: string): string {
  const c = /#(\d+)$/.exec(cls)?.[1];
  const k = /\.(\d+)$/.exec(example)?.[1];
  return `resetpath replay ${nm(workflow)} -s ${nm(scenario)}${c ? ` --class ${c}` : ''}${k ? ` --example ${k}` : ''}`;
}

interface Parts {
  metadata: Json;
  backMatter: Json;
  planUuid: string;
  observations: Json[];
  risks: Json[];
  findings: Json[];
  /** Per gap: its finding's, risk's and observations' UUIDs. */
  links: Map<AccountabilityGap, { finding: string; risk: string; observations: string[] }>;
}

/** A campaign with each name in it capped on its own, so the chain's words around a long name survive. */
const clippedCampaign = (c: Campaign): Campaign => ({
  ...c,
  stages: c.stages.map((st) => ({ ...st, workflow: nm(st.workflow), targetClass: nm(st.targetClass), ...(st.yields !== undefined ? { yields: nm(st.yields) } : {}), blastRadius: st.blastRadius.map(nm) })),
  blastRadius: c.blastRadius.map(nm),
});

/** A chained takeover as OSCAL writes it: the shared words (`chainText`) and the chain's data as props. */
interface Chain {
  workflow: string;
  scenario: string;
  /** "stage 1 ... → stage 2 ...; 1 complete chain; the chain unlocks ...", the Markdown report's words, its names capped. */
  text: string;
  props: Prop[];
}

function chainOf(workflow: string, c: { scenario: string; campaign: Campaign }): Chain {
  const k = c.campaign;
  return {
    workflow,
    scenario: c.scenario,
    text: chainText(clippedCampaign(k)),
    props: [
      prop('chain-stages', String(k.stages.length)),
      prop('chain-paths', String(k.chainPaths)),
      prop('chain-outcome', k.outcome),
      ...(k.yields !== undefined ? [prop('chain-yields', k.yields)] : []),
      ...k.blastRadius.map((b) => prop('blast-radius', b)),
    ],
  };
}

const referenceText = (m: ReportMapping) => `${m.label}${m.fit ? ` (${m.fit})` : ''}${m.existence && m.existence.status !== 'confirmed' ? ` [${m.existence.status === 'unconfirmed' ? 'U' : 'C2'}]` : ''}`;

/** How a gap's control stands on the paths behind it, in words (docs/analysis-semantics.md, "gap status"). */
const STATUS_WORDS: Record<string, string> = {
  absent: 'missing',
  weak: 'weak (defeated or below its hardened setting)',
  not_enforced: 'not enforced (a procedure only)',
  waived: 'waived by an exception',
  flawed: 'flawed',
  insufficient: 'too slow for the attack',
  misplaced: 'placed where it cannot act',
};

/**
 * "missing", "weak (...) or missing": what the gap is, from its statuses. A gap that only blocks
 * jointly or contributes has no status counted (statuses are counted where a control blocks alone or
 * detects): it is "not in place where and as it would act", which says no more than the analysis knows.
 */
function gapStateText(g: AccountabilityGap): string {
  const keys = Object.keys(g.statuses);
  if (!keys.length) return 'not in place where and as it would act';
  return keys.map((k) => STATUS_WORDS[k] ?? k.replace(/_/g, ' ')).join(' or ');
}

/** What placing the control, hardened and enforced, would do on the paths: the finding's verb. */
const EFFECT_WORDS: Record<AccountabilityGap['effect'], string> = {
  blocks: 'would block takeover paths on its own',
  blocks_jointly: 'would block takeover paths together with other controls',
  detects: 'would detect takeover paths',
  contributes: 'would take a means away from takeover paths',
};

function parts(r: AccountabilityReport, kind: string): Parts {
  const wfNames = new Map(r.scope.workflows.map((w) => [w.id, w.name]));
  const scope = JSON.stringify([r.scope.workflows.map((w) => w.id), r.scope.scenarios.map((s) => s.id)]);
  const wfTitle = (wid: string) => `${nm(wfNames.get(wid) ?? wid)} (${nm(wid)})`;

  // Roles: every owner role a gap names; parties: every named owner (none until owners are assigned).
  const roles = new Map<string, string>();
  const parties = new Map<string, { uuid: string; name: string; roles: Set<string> }>();
  for (const g of r.gaps) {
    roles.set(g.owner.role, g.owner.title);
    if (g.owner.name !== null) {
      const p = parties.get(g.owner.name) ?? { uuid: id('party', g.owner.name), name: g.owner.name, roles: new Set<string>() };
      p.roles.add(g.owner.role);
      parties.set(g.owner.name, p);
    }
  }
  const sortedRoles = [...roles].sort(([a], [b]) => (a < b ? -1 : 1));
  const sortedParties = [...parties.values()].sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
  const titles = r.scope.workflows.map((w) => w.name);
  const metadata: Json = {
    title: markup(`ResetPath ${kind}: ${titles.length === 1 ? titles[0]! : `${titles.length} help-desk reset workflows`}`, 300),
    published: r.generatedAt,
    'last-modified': r.generatedAt,
    version: plain(r.tool.version),
    'oscal-version': OSCAL_VERSION,
    props: [prop('tool', `resetpath ${r.tool.version}`), prop('source-format', r.format), prop('analysis-format', r.tool.analysisFormat)],
    ...(sortedRoles.length ? { roles: sortedRoles.map(([role, title]) => ({ id: role, title: markup(title, 300) })) } : {}),
    ...(sortedParties.length ? { parties: sortedParties.map((p) => ({ uuid: p.uuid, type: 'organization', name: plain(p.name, 300) })) } : {}),
    ...(sortedParties.length
      ? {
          'responsible-parties': sortedRoles
            .map(([role]) => ({ 'role-id': role, 'party-uuids': sortedParties.filter((p) => p.roles.has(role)).map((p) => p.uuid) }))
            .filter((x) => x['party-uuids'].length > 0),
        }
      : {}),
  };

  // There is no OSCAL assessment plan behind a ResetPath analysis: the import points at a back-matter
  // resource that states the scope and assumptions the plan would have held.
  const planUuid = id('scope', scope);
  const backMatter: Json = {
    resources: [
      {
        uuid: planUuid,
        title: markup('ResetPath analysis scope (no OSCAL assessment plan exists for it)'),
        description: markup(
          [
            `Workflows: ${r.scope.workflows.map((w) => `${nm(w.name)} (${nm(w.id)}, ${nm(w.file)})`).join('; ')}.`,
            `Scenarios: ${r.scope.scenarios.map((s) => `${nm(s.id)} (${s.capabilities.join(', ')})`).join('; ')}.`,
            `Exhaustive: ${r.scope.exhaustive ? 'yes' : 'no'}. Minimal control sets up to size ${r.scope.maxControlSetSize}.`,
            ...r.scope.assumptions,
          ].join(' '),
          20_000,
        ),
      },
    ],
  };

  // Chained takeovers by workflow and scenario: the scenarios whose own takeover leads on to a later
  // stage (the selection the Markdown report lists as "Chained takeover").
  const chainKey = (workflow: string, scenario: string) => JSON.stringify([workflow, scenario]);
  const chained = new Map<string, Chain>();
  for (const w of r.summary.perWorkflow) for (const c of chains(w)) chained.set(chainKey(w.workflow, c.scenario), chainOf(w.workflow, c));

  // One observation per path class behind some gap (a class behind several gaps is observed once);
  // a class of a chained scenario says the chain in its remarks and carries it as props.
  const observations = new Map<string, Json>();
  const observedChains = new Set<string>();
  const links: Parts['links'] = new Map();
  const risks: Json[] = [];
  const findings: Json[] = [];
  for (const g of r.gaps) {
    const obs: string[] = [];
    for (const e of g.evidence) {
      const key = JSON.stringify([g.workflow, e.class]);
      const uuid = id('observation', g.workflow, e.class);
      obs.push(uuid);
      if (observations.has(key)) continue;
      const chain = chained.get(chainKey(g.workflow, e.scenario));
      if (chain) observedChains.add(chainKey(g.workflow, e.scenario));
      observations.set(key, {
        uuid,
        title: markup(`Takeover path class ${e.class} in ${wfTitle(g.workflow)}`, 300),
        description: markup(`${formatCount(e.paths)} takeover path${BigInt(e.paths) === 1n ? '' : 's'} of scenario ${e.scenario} against ${wfTitle(g.workflow)}, counted exactly by ResetPath's analysis of the workflow as its file describes it (examined as a model, not tested on the live desk).${e.conditional.length ? ` CONDITIONAL: holds only if ${e.conditional.join('; ')}.` : ''}`),
        props: [prop('workflow', g.workflow), prop('scenario', e.scenario), prop('path-class', e.class), prop('paths', String(e.paths)), ...(e.conditional.length ? [prop('conditional', 'true')] : []), ...(chain?.props ?? [])],
        methods: ['EXAMINE'],
        types: ['finding'],
        'relevant-evidence': [{ description: markup(`Example path ${e.example.id}, ${e.example.steps} step${e.example.steps === 1 ? '' : 's'}: ${e.example.trace.map((s) => clip(s, 120)).join(' → ')}. Replay it with: ${replayCommand(g.workflow, e.scenario, e.class, e.example.id)}.`, 4000) }],
        collected: r.generatedAt,
        ...(chain ? { remarks: markup(`Chained takeover ${nm(e.scenario)}: ${chain.text}.`, 4000) } : {}),
      });
    }
    const riskUuid = id('risk', g.workflow, g.control);
    const findingUuid = id('finding', g.workflow, g.control);
    const effect = [
      BigInt(g.blocksPaths) > 0n ? `blocks ${formatCount(g.blocksPaths)} takeover paths on its own` : null,
      BigInt(g.jointPaths) > 0n ? `blocks ${formatCount(g.jointPaths)} jointly with other controls` : null,
      BigInt(g.detectsPaths) > 0n ? `detects ${formatCount(g.detectsPaths)}` : null,
      BigInt(g.contributesPaths) > 0n ? `contributes on ${formatCount(g.contributesPaths)}` : null,
    ].filter((x): x is string => x !== null);
    const party = g.owner.name !== null ? parties.get(g.owner.name) : undefined;
    // The chained scenarios among the gap's evidence, once each, in evidence order.
    const gapChains = [...new Set(g.evidence.map((e) => chainKey(g.workflow, e.scenario)))].flatMap((k) => chained.get(k) ?? []);
    risks.push({
      uuid: riskUuid,
      title: markup(`${g.name} (${g.control}) ${gapStateText(g)} in ${wfTitle(g.workflow)}`, 400),
      description: markup(
        `With ${g.control} ${gapStateText(g)}, takeover paths stay open in ${wfTitle(g.workflow)}. Placed hardened and enforced by the system, the control ${effect.join('; ')}${statusesText(g) ? ` (status on the paths: ${statusesText(g)})` : ''}.${gapChains.map((c) => ` The takeover of scenario ${nm(c.scenario)} chains on: ${c.text}.`).join('')}`,
        4000,
      ),
      statement: markup(`An attacker in the scenarios analysed takes over accounts through this workflow where ${g.control} is ${gapStateText(g)}.`),
      props: [prop('control', g.control), prop('effect', EFFECT_TEXT[g.effect]), ...(g.remediation ? [prop('remediation-status', g.remediation.status)] : [])],
      status: RISK_STATUS[g.remediation?.status ?? 'open'],
      // The end of the due day, UTC: OSCAL's deadline is a date-time with a time zone.
      ...(g.remediation?.due ? { deadline: `${g.remediation.due}T23:59:59Z` } : {}),
      remediations: [
        {
          uuid: id('remediation', g.workflow, g.control),
          lifecycle: g.remediation?.status === 'done' ? 'completed' : g.remediation?.status === 'planned' || g.remediation?.status === 'in_progress' ? 'planned' : 'recommendation',
          title: markup(remedyText(`${g.control} (${g.name})`, Object.keys(g.statuses), `in ${g.workflow}`, hardenedSettingsText(g.control)), 400),
          description: markup(`By the catalogue's friction estimate (a modelling estimate, not a measurement of this desk), adds about ${minutesText(g.frictionMinutes)} min to a legitimate request and fails ${Math.round(g.legitFailShare * 1000) / 10}% of them.${g.inLeastFrictionSet ? ' Part of the least-friction control set ResetPath verified for this workflow.' : ''}`),
          props: [prop('friction-minutes', minutesText(g.frictionMinutes)), prop('in-least-friction-set', g.inLeastFrictionSet ? 'true' : 'false')],
          tasks: [
            {
              uuid: id('task', g.workflow, g.control),
              type: 'action',
              title: markup(remedyText(g.control, Object.keys(g.statuses), `in ${g.workflow}`, hardenedSettingsText(g.control)), 400),
              'responsible-roles': [{ 'role-id': g.owner.role, ...(party ? { 'party-uuids': [party.uuid] } : {}) }],
            },
          ],
        },
      ],
      'related-observations': [...new Set(obs)].map((u) => ({ 'observation-uuid': u })),
    });
    findings.push({
      uuid: findingUuid,
      title: markup(`${g.control} ${gapStateText(g)} in ${wfTitle(g.workflow)}: hardened and enforced, it ${EFFECT_WORDS[g.effect]}`, 400),
      description: markup(`${g.name}: ${effect.join('; ')}. Owner role: ${g.owner.title}${g.owner.name !== null ? ` (${nm(g.owner.name)})` : ' (unassigned)'}. Framework references: ${g.references.map(referenceText).join('; ') || 'none recorded'}.`, 4000),
      props: [
        prop('owner-role', g.owner.role),
        prop('owner', g.owner.name ?? 'unassigned'),
        prop('blocks-paths', String(g.blocksPaths)),
        prop('joint-paths', String(g.jointPaths)),
        prop('detects-paths', String(g.detectsPaths)),
        prop('contributes-paths', String(g.contributesPaths)),
        ...g.references.map((m) => ({ ...prop('framework-reference', m.label), ...(m.fit ? { class: m.fit } : {}), ...(m.existence ? { remarks: markup(`exists: ${m.existence.status} (${m.existence.sourceTitle}, ${m.existence.checked})`) } : {}) })),
      ],
      target: { type: 'objective-id', 'target-id': g.control, title: markup(g.name, 300), status: { state: 'not-satisfied' } },
      'related-observations': [...new Set(obs)].map((u) => ({ 'observation-uuid': u })),
      'related-risks': [{ 'risk-uuid': riskUuid }],
    });
    links.set(g, { finding: findingUuid, risk: riskUuid, observations: [...new Set(obs)] });
  }
  // A chained takeover whose path classes no gap points at is still said: an observation of its own
  // (related to no finding or risk), in scope order.
  for (const [key, c] of chained) {
    if (observedChains.has(key)) continue;
    observations.set(JSON.stringify(['chain', c.workflow, c.scenario]), {
      uuid: id('chain-observation', c.workflow, c.scenario),
      title: markup(`Chained takeover of scenario ${nm(c.scenario)} in ${wfTitle(c.workflow)}`, 300),
      description: markup(`Chained takeover ${nm(c.scenario)}: ${c.text}. No gap points at its paths, so no finding or risk relates to this observation.`, 4000),
      props: [prop('workflow', c.workflow), prop('scenario', c.scenario), ...c.props],
      methods: ['EXAMINE'],
      types: ['finding'],
      collected: r.generatedAt,
    });
  }
  return { metadata, backMatter, planUuid, observations: [...observations.values()], risks, findings, links };
}

/** The accountability report as an OSCAL 1.0.6 assessment-results document. */
export function oscalAssessmentResults(r: AccountabilityReport): Json {
  const p = parts(r, 'assessment results');
  const s = r.summary;
  const result: Json = {
    uuid: id('result', r.generatedAt, JSON.stringify(r.scope.workflows.map((w) => w.id))),
    title: markup(`ResetPath analysis of ${s.workflows} workflow${s.workflows === 1 ? '' : 's'} against ${r.scope.scenarios.length} attack scenario${r.scope.scenarios.length === 1 ? '' : 's'}`),
    description: markup(
      `${formatCount(s.scenariosWithTakeover)} workflow-scenario runs end in a takeover (${formatCount(s.privilegedScenariosWithTakeover)} against a privileged account class, ${formatCount(s.scenariosUndetected)} with undetected paths); ${formatCount(s.paths)} takeover paths, ${formatCount(s.undetectedPaths)} undetected. Every path was ${r.scope.exhaustive ? '' : 'not '}counted exhaustively.`,
    ),
    start: r.generatedAt,
    end: r.generatedAt,
    'reviewed-controls': {
      description: markup('The ResetPath control catalogue: each finding targets one catalogue control as an objective, with its framework references as props.'),
      'control-selections': [{ 'include-all': {} }],
    },
    ...(p.observations.length ? { observations: p.observations } : {}),
    ...(p.risks.length ? { risks: p.risks } : {}),
    ...(p.findings.length ? { findings: p.findings } : {}),
  };
  return {
    'assessment-results': {
      uuid: id('assessment-results', r.generatedAt, JSON.stringify(r.scope.workflows.map((w) => w.id)), JSON.stringify(r.scope.scenarios.map((x) => x.id))),
      metadata: p.metadata,
      'import-ap': { href: `#${p.planUuid}`, remarks: markup('ResetPath analyses have no OSCAL assessment plan; the back-matter resource states the scope and assumptions instead.') },
      results: [result],
      'back-matter': p.backMatter,
    },
  };
}

/** OSCAL's risk status for a remediation status (a done item whose gap the analysis still finds is still being remediated). */
const RISK_STATUS: Record<RemediationState, string> = { open: 'open', planned: 'remediating', in_progress: 'remediating', done: 'remediating', risk_accepted: 'deviation-approved' };

/** The accountability report as an OSCAL 1.0.6 plan of action and milestones: one poam-item per open gap. */
export function oscalPoam(r: AccountabilityReport): Json {
  const p = parts(r, 'plan of action and milestones');
  const ids = JSON.stringify(r.scope.workflows.map((w) => w.id));
  return {
    'plan-of-action-and-milestones': {
      uuid: id('poam', r.generatedAt, ids, JSON.stringify(r.scope.scenarios.map((x) => x.id))),
      metadata: p.metadata,
      'system-id': { 'identifier-type': 'https://ietf.org/rfc/rfc4122', id: id('system', ids) },
      ...(p.observations.length ? { observations: p.observations } : {}),
      ...(p.risks.length ? { risks: p.risks } : {}),
      ...(p.findings.length ? { findings: p.findings } : {}),
      'poam-items': r.gaps.map((g) => {
        const l = p.links.get(g)!;
        return {
          uuid: id('poam-item', g.workflow, g.control),
          title: markup(remedyText(`${g.control} (${g.name})`, Object.keys(g.statuses), `in ${g.workflow}`, hardenedSettingsText(g.control)), 400),
          description: markup(`Owner role: ${g.owner.title}; owner: ${nm(g.owner.name ?? 'unassigned')}. ${g.control} is now ${gapStateText(g)}; placed hardened and enforced, it blocks ${formatCount(g.blocksPaths)} takeover paths on its own and ${formatCount(g.jointPaths)} jointly, detects ${formatCount(g.detectsPaths)} and takes a means away on ${formatCount(g.contributesPaths)}. Friction about ${minutesText(g.frictionMinutes)} min per legitimate request (the catalogue's estimate).`),
          // Without a workspace every gap is open with no due date; with one, the item's state (the
          // risk it relates to carries the deadline and OSCAL's risk status).
          props: [
            prop('remediation-status', g.remediation?.status ?? 'open'),
            prop('owner-role', g.owner.role),
            ...(g.remediation?.due ? [prop('due-date', g.remediation.due), prop('overdue', g.remediation.overdue ? 'true' : 'false')] : []),
            ...(g.remediation?.ticket ? [prop('ticket', g.remediation.ticket)] : []),
          ],
          ...(g.remediation?.notes || g.residualRisk ? { remarks: markupLines([g.residualRisk, g.remediation?.notes?.trim()].filter(Boolean).join('\n\n')) } : {}),
          'related-findings': [{ 'finding-uuid': l.finding }],
          'related-observations': l.observations.map((u) => ({ 'observation-uuid': u })),
          'related-risks': [{ 'risk-uuid': l.risk }],
        };
      }),
      'back-matter': p.backMatter,
    },
  };
}
