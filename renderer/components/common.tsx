// Small pieces every panel uses: tone badges (text first, colour second) and error boxes.
import type { ReactNode } from 'react';
import type { ApiErrorBody } from '../../contract/index.ts';
import type { ModelIssue } from '../../models/index.ts';
import { OUTCOMES, type Outcome, type Tone } from '../compute/format.ts';

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge tone-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function OutcomeBadge({ outcome, short = false }: { outcome: Outcome; short?: boolean }) {
  const o = OUTCOMES[outcome];
  return (
    <span className={`outcome tone-${o.tone}`} data-outcome={outcome}>
      <span className="outcome-glyph" aria-hidden="true">
        {o.glyph}
      </span>
      {short ? o.short : o.label}
    </span>
  );
}

export function IssueList({ issues }: { issues: readonly (ModelIssue | NonNullable<ApiErrorBody['issues']>[number])[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issues">
      {issues.map((i, n) => (
        <li key={n}>
          <code>
            {i.file}
            {i.line !== undefined ? `:${i.line}${i.column !== undefined ? `:${i.column}` : ''}` : ''}
          </code>
          {i.path ? <span className="issue-path"> {i.path}</span> : null} — {i.message}
        </li>
      ))}
    </ul>
  );
}

export function ErrorBox({ title, error, children }: { title: string; error: ApiErrorBody | null; children?: ReactNode }) {
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      {error?.issues?.length ? <IssueList issues={error.issues} /> : error ? <p>{error.message}</p> : null}
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export type Screen = 'workbench' | 'editor' | 'matrix' | 'accountability' | 'tabletop' | 'simulation';

const SCREENS: { id: Screen; label: string }[] = [
  { id: 'workbench', label: 'Workbench' },
  { id: 'editor', label: 'Editor' },
  { id: 'matrix', label: 'Gap matrix' },
  { id: 'accountability', label: 'Accountability' },
  { id: 'tabletop', label: 'Tabletop exercise' },
  { id: 'simulation', label: 'Simulation' },
];

/** The top bar's switch between the app's screens; the current one is marked for screen readers too. */
export function ModeNav({ current, onMode }: { current: Screen; onMode: (screen: Screen) => void }) {
  return (
    <nav className="modes" aria-label="Mode">
      {SCREENS.map((m) => (
        <button key={m.id} type="button" className={`mode${m.id === current ? ' is-active' : ''}`} aria-current={m.id === current ? 'page' : undefined} onClick={() => m.id !== current && onMode(m.id)}>
          {m.label}
        </button>
      ))}
    </nav>
  );
}

/**
 * The first Tab stop of a screen: moves focus past the top bar (and a library or session list) to the
 * screen's main content. Screens stay mounted while hidden, so it finds the <main> of its own screen.
 */
export function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#main"
      onClick={(e) => {
        e.preventDefault();
        const main = e.currentTarget.closest('.app')?.querySelector('main');
        if (!main) return;
        if (!main.hasAttribute('tabindex')) main.tabIndex = -1;
        main.focus();
      }}
    >
      Skip to main content
    </a>
  );
}

/** The top bar of the matrix and tabletop screens: the brand, the screen switch, and where the app runs. */
export function ScreenTopbar({ current, mode, onMode }: { current: Screen; mode: 'electron' | 'browser'; onMode: (screen: Screen) => void }) {
  return (
    <header className="topbar">
      <SkipLink />
      <span className="brand">ResetPath</span>
      <ModeNav current={current} onMode={onMode} />
      <span className="spacer" />
      <span className="ws">{mode === 'browser' ? 'browser mode' : 'desktop'}</span>
    </header>
  );
}
