// `resetpath controls`: the control catalogue — what each control is, who owns it, what it costs,
// what defeats it and which framework requirements it maps to.
import type { Command } from 'commander';
import { CONTROLS, formatRef, OWNER_ROLES, findControl, ESCALATION_MINUTES, SOURCES, type ControlDef, type SourceId } from '../../models/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { table } from '../table.ts';

/** Registers the controls command. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('controls')
    .description('list the control catalogue, or show one control in full')
    .argument('[id]', 'a control id, e.g. callback.number_on_file')
    .option('-f, --format <format>', 'text | json', 'text')
    .action((id: string | undefined, opts: { format: string }) => {
      if (!['text', 'json'].includes(opts.format)) {
        io.err(`resetpath controls: --format must be text or json (got "${opts.format}")\n`);
        io.setExitCode(EXIT.badInput);
        return;
      }
      if (id !== undefined) {
        const c = findControl(id);
        if (!c) {
          io.err(`resetpath controls: unknown control "${id}"; known: ${CONTROLS.map((x) => x.id).join(', ')}\n`);
          io.setExitCode(EXIT.badInput);
          return;
        }
        io.out(opts.format === 'json' ? `${JSON.stringify(withSources(c), null, 2)}\n` : detail(c));
        return;
      }
      if (opts.format === 'json') {
        io.out(`${JSON.stringify(CONTROLS.map(withSources), null, 2)}\n`);
        return;
      }
      io.out(
        `${table(
          ['control', 'role', 'function', 'default enforcement', 'owner', 'friction', 'sits on'],
          CONTROLS.map((c) => [c.id, c.role, c.functions.join('/'), c.defaultEnforcement, c.owner, `${c.friction.minutesAdded} min, ${Math.round(c.friction.legitFailShare * 100)}% escalate`, sitsOn(c.attach)]),
        )}\n\n${CONTROLS.length} controls. "resetpath controls <id>" shows one in full. Friction figures are modelling estimates; an escalation is counted as ${ESCALATION_MINUTES} minutes.\n`,
      );
    });
}

/** Where a control may be placed in a workflow file, in the list's few words: step kinds, "workflow" or "exceptions". */
function sitsOn(a: ControlDef['attach']): string {
  return a.scope === 'step' ? a.kinds.join(', ') : a.scope === 'workflow' ? 'workflow' : 'exceptions';
}

function detail(c: ControlDef): string {
  const lines = [
    `${c.id} — ${c.name}`,
    '',
    c.summary,
    '',
    `role: ${c.role}; function: ${c.functions.join(', ')}; default enforcement: ${c.defaultEnforcement}`,
    `accountable owner: ${c.owner} — ${OWNER_ROLES[c.owner]}`,
    `friction (estimate): +${c.friction.minutesAdded} min per ${c.friction.privilegedOnly ? 'request for a privileged account class (the others do not take its path)' : 'request'}${c.friction.waitMinutes > 0 ? ` (${c.friction.waitMinutes} of them waiting, with no agent working on it)` : ''}; ${Math.round(c.friction.legitFailShare * 100)}% of ${c.friction.privilegedOnly ? 'those' : 'legitimate requests'} fail or escalate`,
    `sits on: ${c.attach.scope === 'step' ? `${c.attach.kinds.join(', ')} steps` : c.attach.scope === 'workflow' ? 'the whole workflow' : 'exceptions'}`,
  ];
  const params = Object.entries(c.params);
  if (params.length) {
    lines.push('', 'parameters:');
    for (const [name, p] of params) {
      const values = p.type === 'enum' || p.type === 'enum[]' ? p.values.join(' | ') : p.type === 'number' ? `${p.min}..${p.max}` : 'true | false';
      lines.push(`  ${name}: ${values} (hardened: ${JSON.stringify(p.hardened)}) — ${p.description}`);
    }
  }
  if (c.defeatedBy.length) {
    lines.push('', 'defeated by:');
    for (const r of c.defeatedBy) {
      const when = Object.entries(r.when ?? {}).map(([k, v]) => `${k} in [${v.join(', ')}]`);
      const unless = [
        ...(r.unlessAtStep ?? []).map((x) => `${x} on the step`),
        ...(r.unlessAtStepWith ?? []).map((x) => `${x.control} on the step with ${x.param} including ${x.includes}`),
        ...(r.unlessInWorkflow ?? []).map((x) => `${x} in the workflow`),
      ];
      lines.push(
        `  [${r.id}] ${r.capabilities.length ? r.capabilities.join(' + ') : r.attacker === 'agent_identity' ? 'any attacker holding an agent identity' : 'any requester'}${r.identityFrom ? ` (only while ${r.identityFrom} gives an agent identity)` : ''}${when.length ? ` when ${when.join(' and ')}` : ''}${unless.length ? `, unless ${unless.join(' or ')}` : ''}: ${r.reason}`,
      );
    }
  }
  lines.push('', 'evidence it leaves:', ...c.evidence.map((e) => `  ${e}`));
  lines.push('', 'framework mappings:', '  (fit: direct | partial | analogy; exists: whether the id is confirmed in the pinned framework version, and in which source)');
  for (const m of c.mappings) {
    lines.push(`  ${formatRef(m)} — fit: ${m.fit}; exists: ${m.existence.status} [${m.existence.source}]${m.note ? ` (${m.note})` : ''}`, `      ${m.rationale}`);
  }
  const used = [...new Set(c.mappings.map((m) => m.existence.source))];
  if (used.length) lines.push('', 'sources checked:', ...used.map((s) => `  [${s}] ${SOURCES[s].title}; ${SOURCES[s].checked}; checked by ${SOURCES[s].checkedBy}`));
  return `${lines.join('\n')}\n`;
}

/** The control as JSON, each mapping's existence spelled out with the source's title and the version or commit read. */
function withSources(c: ControlDef): unknown {
  return {
    ...c,
    mappings: c.mappings.map((m) => ({ ...m, existence: { ...m.existence, sourceTitle: SOURCES[m.existence.source as SourceId].title, checked: SOURCES[m.existence.source as SourceId].checked } })),
  };
}
