// The governance team's screen: choose the workflows a report covers, name the people behind the
// catalogue's owner roles, keep a remediation item per gap, sign the report off, see what changed
// since the last sign-off, and export the report in any of its forms.
import { useEffect, useMemo, useRef, useState } from 'react';
import { REMEDIATION_STATUSES, REMEDIATION_TEXT, SIGNOFF_DECISIONS, type AccountabilityReport, type RemediationState, type SignOffDecision } from '../../analysis/index.ts';
import type { ApiErrorBody, ApiResponse, AppApi, ReportFormat } from '../../contract/index.ts';
import { offerDownload, onShellMessage, toErrorBody } from '../bridge.ts';
import { EXPORT_CHOICES, exportedContent, gapRows, ownerRows, remediationLine, trendView, type GapRow } from '../compute/computeAccountability.ts';
import { Badge, Empty, ErrorBox, ScreenTopbar, type Screen } from './common.tsx';

type Workflows = ApiResponse<'library.list'>['workflows'];
type Owners = ApiResponse<'owners.list'>['owners'];

export function AccountabilityApp({ api, mode, onMode, active }: { api: AppApi; mode: 'electron' | 'browser'; onMode: (screen: Screen) => void; active: boolean }) {
  return (
    <div className="app single">
      <ScreenTopbar current="accountability" mode={mode} onMode={onMode} />
      <Accountability api={api} active={active} />
    </div>
  );
}

/** Runs an API call with busy and error state; resolves to the response or null when it failed. */
function useCall(): { busy: string | null; error: { title: string; body: ApiErrorBody } | null; run<T>(label: string, title: string, f: () => Promise<T>): Promise<T | null>; clear(): void } {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; body: ApiErrorBody } | null>(null);
  return {
    busy,
    error,
    clear: () => setError(null),
    async run(label, title, f) {
      setBusy(label);
      setError(null);
      try {
        return await f();
      } catch (e) {
        setError({ title, body: toErrorBody(e) });
        return null;
      } finally {
        setBusy(null);
      }
    },
  };
}

function Accountability({ api, active }: { api: AppApi; active: boolean }) {
  const [workflows, setWorkflows] = useState<Workflows>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [doc, setDoc] = useState<AccountabilityReport | null>(null);
  const [owners, setOwners] = useState<Owners>([]);
  const [signed, setSigned] = useState<ApiResponse<'report.list'>['reports']>([]);
  const [readOnly, setReadOnly] = useState(false);
  const [status, setStatus] = useState('');
  const call = useCall();

  useEffect(() => {
    void call.run('Loading the library…', 'The library could not be listed', async () => {
      const [lib, info, own, reports] = await Promise.all([api['library.list']({}), api['app.info']({}), api['owners.list']({}), api['report.list']({ signedOnly: true })]);
      setWorkflows(lib.workflows);
      setReadOnly(info.readOnly);
      setOwners(own.owners);
      setSigned(reports.reports);
    });
    // Once, when the screen opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  /** Builds the report; after a change, `said` (what the change did) stays the status line. */
  const build = async (ids = chosen, said?: string) => {
    const r = await call.run('Analysing…', 'The report could not be built', () => api['report.accountability']({ workflowIds: ids }));
    if (r) {
      setDoc(r);
      setStatus(said ?? `Report built: ${remediationLine(r)}.`);
    }
  };
  const rebuild = (said: string) => build(doc!.scope.workflows.map((w) => w.id), said);

  // The desktop shell's File › Export Report, while this screen is on show: the Export section, ready.
  const menuRef = useRef({ active, built: false });
  menuRef.current = { active, built: doc !== null };
  useEffect(
    () =>
      onShellMessage((m) => {
        if (m.type !== 'menu.exportReport' || !menuRef.current.active) return;
        if (!menuRef.current.built) {
          setStatus('Build the report first: File › Export Report then offers every form of it.');
          return;
        }
        const select = document.getElementById('export-form');
        select?.scrollIntoView({ block: 'center' });
        select?.focus();
        setStatus('Choose the form and press Export report.');
      }),
    [],
  );
  const refreshOwners = async () => setOwners((await api['owners.list']({})).owners);

  return (
    <main className="center matrix-main accountability-main">
      <div className="matrix-head">
        <h1>Accountability report</h1>
        <p className="muted">Name who owns each gap, track its remediation, sign the report off, and export it for executives, auditors and GRC tools. Every change is written to the workspace's audit log.</p>
        {readOnly ? <p className="notice">This workspace is open read-only: the report can be built and exported, not changed or signed.</p> : null}
      </div>
      <Scope workflows={workflows} chosen={chosen} onChosen={setChosen} busy={call.busy !== null} onBuild={() => void build()} built={doc !== null} />
      <p className="run-status acc-status" role="status" aria-live="polite">
        {call.busy ?? status}
      </p>
      {call.error ? <ErrorBox title={call.error.title} error={call.error.body} /> : null}
      {!doc ? <Empty>Choose the workflows the report covers, then build it. A report on one or a few workflows takes a moment; the whole library takes longer.</Empty> : null}
      {doc ? (
        <>
          <Summary doc={doc} />
          <Trend doc={doc} />
          <Gaps doc={doc} readOnly={readOnly} api={api} call={call} onSaved={(line) => void rebuild(line)} />
          <OwnersPanel doc={doc} owners={owners} readOnly={readOnly} api={api} call={call} onSaved={async (line) => (await refreshOwners(), await rebuild(line))} />
          <SignOff
            doc={doc}
            readOnly={readOnly}
            api={api}
            call={call}
            onSigned={async (line) => {
              setSigned((await api['report.list']({ signedOnly: true })).reports);
              await rebuild(line);
            }}
          />
          <Export doc={doc} api={api} call={call} onExported={setStatus} />
        </>
      ) : null}
      <SignedReports reports={signed} />
    </main>
  );
}

function Scope({ workflows, chosen, onChosen, busy, onBuild, built }: { workflows: Workflows; chosen: string[]; onChosen: (ids: string[]) => void; busy: boolean; onBuild: () => void; built: boolean }) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? workflows.filter((w) => w.id.includes(f) || w.name.toLowerCase().includes(f)) : workflows;
  }, [workflows, filter]);
  const set = new Set(chosen);
  const toggle = (id: string) => onChosen(set.has(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  return (
    <section aria-labelledby="scope-title" className="acc-scope">
      <div className="matrix-bar">
        <h2 id="scope-title">Scope</h2>
        <label>
          Filter{' '}
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="id or name" />
        </label>
        <button type="button" className="btn-small" onClick={() => onChosen([...new Set([...chosen, ...shown.map((w) => w.id)])])}>
          Choose all shown
        </button>
        <button type="button" className="btn-small" onClick={() => onChosen([])} disabled={chosen.length === 0}>
          Clear
        </button>
        <span className="muted">
          {chosen.length} of {workflows.length} workflows chosen · every scenario of the library
        </span>
      </div>
      <fieldset className="acc-workflows">
        <legend className="sr-only">Workflows in the report</legend>
        {shown.map((w) => (
          <label key={w.id} className="acc-wf">
            <input type="checkbox" checked={set.has(w.id)} onChange={() => toggle(w.id)} />
            <span>{w.name}</span> <code>{w.id}</code>
          </label>
        ))}
      </fieldset>
      <button type="button" className="btn-primary" onClick={onBuild} disabled={busy || chosen.length === 0}>
        {built ? 'Build the report again' : 'Build the report'}
      </button>
    </section>
  );
}

function Summary({ doc }: { doc: AccountabilityReport }) {
  const s = doc.summary;
  const sign = doc.accountability?.signOff;
  return (
    <section aria-labelledby="acc-summary-title" className="acc-summary">
      <h2 id="acc-summary-title">Summary</h2>
      <p>
        {s.workflows} workflow{s.workflows === 1 ? '' : 's'} × {doc.scope.scenarios.length} scenarios: {s.scenariosWithTakeover} pair{s.scenariosWithTakeover === 1 ? '' : 's'} with a takeover path ({s.scenariosUndetected} undetected). {remediationLine(doc)}.
      </p>
      <p className="muted">
        Built {doc.generatedAt.slice(0, 16).replace('T', ' ')} UTC · {doc.scope.exhaustive ? 'exhaustive: every takeover path counted' : 'not exhaustive'}
        {sign ? ` · signed off by ${sign.signedBy}` : ' · not signed off'}
      </p>
    </section>
  );
}

function Trend({ doc }: { doc: AccountabilityReport }) {
  const t = trendView(doc);
  return (
    <section aria-labelledby="trend-title" className="acc-trend">
      <h2 id="trend-title">Since the last sign-off</h2>
      {!t ? (
        <p className="muted">No signed report of this scope yet: sign this one off, and the next report lists the gaps opened, closed and overdue since.</p>
      ) : (
        <>
          <p>
            {t.previous}; {t.unchanged}.
          </p>
          <div className="trend-lists">
            <TrendList title="Opened" tone="bad" items={t.opened} empty="No new gaps." />
            <TrendList title="Closed" tone="good" items={t.closed} empty="No gap closed." />
            <TrendList title="Overdue" tone="warn" items={t.overdue} empty="Nothing overdue." />
          </div>
        </>
      )}
    </section>
  );
}

function TrendList({ title, tone, items, empty }: { title: string; tone: 'bad' | 'good' | 'warn'; items: string[]; empty: string }) {
  return (
    <div className={`trend-list trend-${tone}`}>
      <h3>
        {title} <Badge tone={tone}>{items.length}</Badge>
      </h3>
      {items.length ? (
        <ul>
          {items.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </div>
  );
}

type Call = ReturnType<typeof useCall>;

function Gaps({ doc, readOnly, api, call, onSaved }: { doc: AccountabilityReport; readOnly: boolean; api: AppApi; call: Call; onSaved: (line: string) => void }) {
  const rows = useMemo(() => gapRows(doc), [doc]);
  const [editing, setEditing] = useState<string | null>(null);
  const row = rows.find((r) => r.key === editing) ?? null;
  return (
    <section aria-labelledby="gaps-title" className="acc-gaps">
      <h2 id="gaps-title">Gaps and remediation</h2>
      {rows.length === 0 ? (
        <p className="muted">No gaps in scope.</p>
      ) : (
        <div className="table-wrap">
          <table className="req-table acc-table">
            <thead>
              <tr>
                <th scope="col">Gap (missing or weak control)</th>
                <th scope="col">Workflow</th>
                <th scope="col">Owner</th>
                <th scope="col">What it would do</th>
                <th scope="col">Remediation</th>
                <th scope="col">
                  <span className="sr-only">Edit</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-gap={`${r.workflow}/${r.control}`} className={r.key === editing ? 'is-editing' : undefined}>
                  <th scope="row">
                    {r.name} <code>{r.control}</code>
                  </th>
                  <td title={r.workflow}>{r.workflowName}</td>
                  <td>
                    {r.owner ? <strong>{r.owner}</strong> : <Badge tone="warn">unassigned</Badge>}
                    <div className="muted small">{r.roleTitle}</div>
                  </td>
                  <td title={r.effect}>{r.impact}</td>
                  <td>
                    <Badge tone={r.status === 'done' ? 'good' : r.status === 'open' ? 'bad' : r.status === 'risk_accepted' ? 'muted' : 'info'}>{r.statusText}</Badge>
                    {r.due ? <span className={r.overdue ? 'overdue' : undefined}> due {r.due}{r.overdue ? ' (overdue)' : ''}</span> : null}
                    {r.ticket ? <span className="muted"> · {r.ticket}</span> : null}
                  </td>
                  <td>
                    <button type="button" className="btn-small" disabled={readOnly} onClick={() => setEditing(r.key === editing ? null : r.key)} aria-expanded={r.key === editing}>
                      Edit<span className="sr-only"> remediation of {r.name} in {r.workflowName}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {row ? <RemediationForm key={row.key} row={row} api={api} call={call} onClose={() => setEditing(null)} onSaved={(line) => (setEditing(null), onSaved(line))} /> : null}
    </section>
  );
}

function RemediationForm({ row, api, call, onClose, onSaved }: { row: GapRow; api: AppApi; call: Call; onClose: () => void; onSaved: (line: string) => void }) {
  const [state, setState] = useState<RemediationState>(row.status);
  const [due, setDue] = useState(row.due ?? '');
  const [ticket, setTicket] = useState(row.ticket ?? '');
  const [notes, setNotes] = useState(row.notes);
  const [reason, setReason] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const save = async () => {
    const r = await call.run('Saving…', 'The remediation item could not be saved', () =>
      api['remediation.set']({ workflowId: row.workflow, controlId: row.control, status: state, due: due || null, ticket: ticket.trim() || null, notes, ...(reason.trim() ? { reason } : {}) }),
    );
    if (r) onSaved(`Saved: ${row.name} in ${row.workflowName} is ${REMEDIATION_TEXT[state]}${due ? `, due ${due}` : ''} (audit entry ${r.auditHead.seq}).`);
  };
  return (
    <form
      className="setup-form acc-form"
      aria-label={`Remediation of ${row.name} in ${row.workflowName}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>
        Remediation: {row.name} <span className="muted">in {row.workflowName}</span>
      </h3>
      <div className="acc-form-row">
        <label>
          Status
          <select ref={first} value={state} onChange={(e) => setState(e.target.value as RemediationState)}>
            {REMEDIATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {REMEDIATION_TEXT[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Due date
          <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
        <label>
          Ticket
          <input value={ticket} onChange={(e) => setTicket(e.target.value)} placeholder="SEC-123" maxLength={200} />
        </label>
      </div>
      <label>
        Notes
        <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} maxLength={10_000} />
      </label>
      <label>
        Reason for the change (kept in the audit log)
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
      </label>
      <div className="acc-actions">
        <button type="submit" className="btn-primary" disabled={call.busy !== null}>
          Save remediation
        </button>
        <button type="button" className="btn-small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function OwnersPanel({ doc, owners, readOnly, api, call, onSaved }: { doc: AccountabilityReport; owners: Owners; readOnly: boolean; api: AppApi; call: Call; onSaved: (line: string) => Promise<void> }) {
  const rows = useMemo(() => ownerRows(owners, doc), [owners, doc]);
  const [role, setRole] = useState(rows.find((r) => r.gaps > 0)?.role ?? rows[0]!.role);
  const [scope, setScope] = useState('');
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const assign = async (remove: { role: string; workflow: string | null } | null) => {
    const target = remove ?? { role, workflow: scope || null };
    const r = await call.run('Saving…', 'The owner could not be saved', () =>
      api['owners.set']({ role: target.role, workflowId: target.workflow, name: remove ? null : name, ...(remove || !contact.trim() ? {} : { contact }) }),
    );
    if (r) {
      setName('');
      setContact('');
      await onSaved(remove ? `Removed the owner of ${target.role}${target.workflow ? ` for ${target.workflow}` : ''}.` : `${name.trim()} now owns ${target.role}${target.workflow ? ` for ${target.workflow}` : ' across the workspace'} (audit entry ${r.auditHead.seq}).`);
    }
  };
  return (
    <section aria-labelledby="owners-title" className="acc-owners">
      <h2 id="owners-title">Owners</h2>
      <p className="muted">Each control of the catalogue has an owner role; name the person or team who plays it, for the whole workspace or for one workflow (which takes precedence).</p>
      <div className="table-wrap">
        <table className="req-table acc-table">
          <thead>
            <tr>
              <th scope="col">Owner role</th>
              <th scope="col">Gaps in this report</th>
              <th scope="col">Named owner</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.role} data-role={r.role}>
                <th scope="row">
                  {r.title} <code>{r.role}</code>
                </th>
                <td>{r.gaps}</td>
                <td>
                  <ul className="owner-list">
                    {r.workspace ? (
                      <li>
                        <strong>{r.workspace.name}</strong>
                        {r.workspace.contact ? <span className="muted"> · {r.workspace.contact}</span> : null} <span className="muted">(whole workspace)</span>{' '}
                        <button type="button" className="btn-small" disabled={readOnly} onClick={() => void assign({ role: r.role, workflow: null })}>
                          Remove<span className="sr-only"> {r.workspace.name} as {r.role}</span>
                        </button>
                      </li>
                    ) : null}
                    {r.perWorkflow.map((o) => (
                      <li key={o.workflow}>
                        <strong>{o.name}</strong> <span className="muted">(for {o.workflow})</span>{' '}
                        <button type="button" className="btn-small" disabled={readOnly} onClick={() => void assign({ role: r.role, workflow: o.workflow })}>
                          Remove<span className="sr-only"> {o.name} as {r.role} for {o.workflow}</span>
                        </button>
                      </li>
                    ))}
                    {!r.workspace && r.perWorkflow.length === 0 ? (
                      <li>
                        <Badge tone={r.gaps ? 'warn' : 'muted'}>unassigned</Badge>
                      </li>
                    ) : null}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="setup-form acc-form"
        aria-label="Assign an owner"
        onSubmit={(e) => {
          e.preventDefault();
          void assign(null);
        }}
      >
        <h3>Assign an owner</h3>
        <div className="acc-form-row">
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              {rows.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.title}
                  {r.gaps ? ` (${r.gaps} gap${r.gaps === 1 ? '' : 's'})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            For
            <select value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="">the whole workspace</option>
              {doc.scope.workflows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.id} only
                </option>
              ))}
            </select>
          </label>
          <label>
            Person or team
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Priya Shah, IAM" maxLength={200} required />
          </label>
          <label>
            Contact (optional)
            <input value={contact} onChange={(e) => setContact(e.target.value)} placeholder="iam@example.org" maxLength={200} />
          </label>
        </div>
        <div className="acc-actions">
          <button type="submit" className="btn-primary" disabled={readOnly || call.busy !== null || name.trim() === ''}>
            Assign owner
          </button>
        </div>
      </form>
    </section>
  );
}

function SignOff({ doc, readOnly, api, call, onSigned }: { doc: AccountabilityReport; readOnly: boolean; api: AppApi; call: Call; onSigned: (line: string) => Promise<void> }) {
  const [by, setBy] = useState('');
  const [decision, setDecision] = useState<SignOffDecision>('remediate');
  const [why, setWhy] = useState('');
  const sign = async () => {
    const r = await call.run('Signing off…', 'The report could not be signed off', () =>
      api['report.signoff']({ workflowIds: doc.scope.workflows.map((w) => w.id), scenarioIds: doc.scope.scenarios.map((s) => s.id), signedBy: by, decision, justification: why }),
    );
    if (r) {
      setWhy('');
      const trend = r.trend ? `; since the previous sign-off ${r.trend.opened} opened, ${r.trend.closed} closed, ${r.trend.overdue} overdue` : '';
      await onSigned(`Signed off by ${r.signOff.signedBy} (${r.signOff.decision}): report ${r.reportId} stored with ${r.gaps} gap${r.gaps === 1 ? '' : 's'}${trend} (audit entry ${r.auditHead.seq}).`);
    }
  };
  return (
    <section aria-labelledby="signoff-title" className="acc-signoff">
      <h2 id="signoff-title">Sign off</h2>
      <form
        className="setup-form acc-form"
        aria-label="Sign the report off"
        onSubmit={(e) => {
          e.preventDefault();
          void sign();
        }}
      >
        <p className="muted">Signing stores this report, as it stands, in the workspace with your decision; the next report of the same scope is compared with it.</p>
        <div className="acc-form-row">
          <label>
            Signed off by
            <input value={by} onChange={(e) => setBy(e.target.value)} placeholder="Dana Lee, CISO" maxLength={200} required />
          </label>
          <fieldset className="acc-decision">
            <legend>Decision</legend>
            {SIGNOFF_DECISIONS.map((d) => (
              <label key={d} className="inline">
                <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} /> {d}
              </label>
            ))}
          </fieldset>
        </div>
        <label>
          Justification
          <textarea value={why} onChange={(e) => setWhy(e.target.value)} rows={3} maxLength={10_000} required />
        </label>
        <div className="acc-actions">
          <button type="submit" className="btn-primary" disabled={readOnly || call.busy !== null || by.trim() === '' || why.trim() === ''}>
            Sign off
          </button>
        </div>
      </form>
    </section>
  );
}

function Export({ doc, api, call, onExported }: { doc: AccountabilityReport; api: AppApi; call: Call; onExported: (line: string) => void }) {
  const [format, setFormat] = useState<ReportFormat>('html');
  const [paper, setPaper] = useState<'a4' | 'letter'>('a4');
  const run = async () => {
    const r = await call.run('Exporting…', 'The report could not be exported', () =>
      api['report.export']({ workflowIds: doc.scope.workflows.map((w) => w.id), scenarioIds: doc.scope.scenarios.map((s) => s.id), format, ...(format === 'pdf' ? { paper } : {}) }),
    );
    if (r) {
      offerDownload(r.fileName, exportedContent(r), r.mediaType);
      onExported(`Exported ${r.fileName} (${r.gaps} gap${r.gaps === 1 ? '' : 's'}).`);
    }
  };
  return (
    <section aria-labelledby="export-title" className="acc-export">
      <h2 id="export-title">Export</h2>
      <div className="matrix-bar">
        <label>
          Form{' '}
          <select id="export-form" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
            {EXPORT_CHOICES.map((c) => (
              <option key={c.format} value={c.format}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {format === 'pdf' ? (
          <label>
            Paper{' '}
            <select value={paper} onChange={(e) => setPaper(e.target.value as 'a4' | 'letter')}>
              <option value="a4">A4</option>
              <option value="letter">Letter</option>
            </select>
          </label>
        ) : null}
        <button type="button" className="btn-primary" onClick={() => void run()} disabled={call.busy !== null}>
          Export report
        </button>
      </div>
    </section>
  );
}

function SignedReports({ reports }: { reports: ApiResponse<'report.list'>['reports'] }) {
  if (reports.length === 0) return null;
  return (
    <section aria-labelledby="signed-title" className="acc-signed">
      <h2 id="signed-title">Signed reports</h2>
      <ul>
        {[...reports].reverse().map((r) => (
          <li key={r.id}>
            {r.signOff ? `${r.signOff.signedAt.slice(0, 16).replace('T', ' ')} UTC — ${r.signOff.signedBy} (${r.signOff.decision}): ` : ''}
            {r.title} <code>{r.id}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
