// The library: workflows grouped by family with weak/hardened badges, and the scenarios.
import type { SidebarFamily, SidebarScenario } from '../compute/computeSidebar.ts';

interface Props {
  id: string;
  /** Collapsed by the user: kept in the page (the toggle's aria-controls points at it), not shown. */
  hidden: boolean;
  families: SidebarFamily[];
  scenarios: SidebarScenario[];
  openId: string | null;
  selectedScenario: string | null;
  /** Per scenario, the outcome tone on the open workflow once analysed. */
  scenarioTone: ReadonlyMap<string, { tone: string; short: string; glyph: string }>;
  onOpen(id: string): void;
  onScenario(id: string): void;
}

export function Sidebar({ id, hidden, families, scenarios, openId, selectedScenario, scenarioTone, onOpen, onScenario }: Props) {
  return (
    <nav className="sidebar" aria-label="Library" id={id} hidden={hidden}>
      <section aria-labelledby="wf-heading">
        <h2 id="wf-heading" className="side-heading">
          Workflows <span className="count">{families.reduce((n, f) => n + f.workflows.length, 0)}</span>
        </h2>
        <ul className="families" data-testid="workflow-list">
          {families.map((f) => (
            <li key={f.family} className="family">
              <div className="family-title" title={f.title}>
                {f.title}
              </div>
              <div className="variants">
                {f.workflows.map((w) => (
                  <button
                    key={w.id}
                    type="button"
                    className={`variant tone-${w.badgeTone}${w.id === openId ? ' is-open' : ''}`}
                    aria-current={w.id === openId ? 'true' : undefined}
                    data-workflow-id={w.id}
                    title={`${w.name}\n${w.id}\n${w.served}${w.note ? `\n${w.note}` : ''}`}
                    onClick={() => onOpen(w.id)}
                  >
                    {w.badge}
                    {w.source === 'workspace' && w.variant === 'custom' && w.label ? <span className="variant-note"> · {w.label}</span> : null}
                  </button>
                ))}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="sc-heading">
        <h2 id="sc-heading" className="side-heading">
          Scenarios <span className="count">{scenarios.length}</span>
        </h2>
        <ul className="scenarios">
          {scenarios.map((s) => {
            const t = scenarioTone.get(s.id);
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`sc-item${s.id === selectedScenario ? ' is-selected' : ''}`}
                  aria-pressed={s.id === selectedScenario}
                  data-scenario-id={s.id}
                  title={`${s.name}\nTarget: ${s.target}${t ? `\nOn the open workflow: ${t.short}` : ''}`}
                  onClick={() => onScenario(s.id)}
                >
                  <span className="sc-code">{s.code}</span>
                  <span className="sc-name">{s.name}</span>
                  {/* The outcome by shape as well as colour (● takeover, ▲ detected, ■ blocked), and in words for screen readers. */}
                  {t ? (
                    <span className={`sc-dot tone-${t.tone}`} data-outcome-glyph={t.glyph}>
                      <span aria-hidden="true">{t.glyph}</span>
                      <span className="sr-only">{t.short}</span>
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </nav>
  );
}
