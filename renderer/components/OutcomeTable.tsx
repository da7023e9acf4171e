// The scenario x outcome table: every scenario's outcome on the open workflow, with exact counts,
// its classes of takeover paths (select one to see what closes it and example traces), a campaign's
// chain of takeovers under its row, and, during what-if, what the change moved.
import { Fragment } from 'react';
import type { CampaignView, OutcomeRow } from '../compute/computeResults.ts';
import { OUTCOMES } from '../compute/format.ts';
import { OutcomeBadge } from './common.tsx';

/** Class buttons per row; the rest are reached from the Path tab's previous/next. */
const MAX_CLASS_BUTTONS = 2;

interface Props {
  rows: OutcomeRow[];
  /** The headline: exact total now, before the what-if changes (when they moved it), and the rest. */
  headline: { was: string | null; now: string; rest: string };
  selectedScenario: string | null;
  selectedClass: string | null;
  onScenario(id: string): void;
  onClass(id: string): void;
}

export function OutcomeTable({ rows, headline, selectedScenario, selectedClass, onScenario, onClass }: Props) {
  return (
    <section className="outcomes" aria-labelledby="outcomes-heading">
      <header className="section-head">
        <h2 id="outcomes-heading">Scenarios × outcome</h2>
        <p className="summary" data-testid="totals">
          {headline.was ? (
            <>
              <span className="was">{headline.was}</span> → <strong>{headline.now}</strong>
            </>
          ) : (
            <strong>{headline.now}</strong>
          )}{' '}
          {headline.rest}
        </p>
      </header>
      <div className="table-wrap">
        <table className="outcome-table" data-testid="outcome-table">
          <colgroup>
            <col className="c-scenario" />
            <col className="c-outcome" />
            <col className="c-paths" />
            <col className="c-why" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Scenario and target</th>
              <th scope="col">Outcome</th>
              <th scope="col" title="Classes of takeover paths: paths that end alike and that the same controls close">
                Classes
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Fragment key={r.scenario}>
                <tr
                  className={`${r.scenario === selectedScenario ? 'is-selected' : ''} row-${r.outcome}${r.change ? ` changed-${r.change}` : ''}`}
                  data-scenario={r.scenario}
                  data-outcome={r.outcome}
                  aria-selected={r.scenario === selectedScenario}
                >
                  <th scope="row">
                    <button type="button" className="link" onClick={() => onScenario(r.scenario)} title={`${r.name}\nTarget: ${r.target}${r.privileged ? ' (privileged)' : ''}`}>
                      <span className="sc-code">{r.code}</span>
                      <span className="sc-title">{r.name}</span>
                      <span className="target">
                        {r.targetShort}
                        {r.privileged ? <span className="priv" role="img" aria-label="privileged"> ★</span> : null}
                      </span>
                    </button>
                  </th>
                  <td>
                    <OutcomeBadge outcome={r.outcome} />
                    {r.was ? (
                      <span className={`was-line change-${r.change}`} title={r.was.title}>
                        (was {OUTCOMES[r.was.outcome].short})
                      </span>
                    ) : null}
                  </td>
                  <td className="paths">
                    {r.classes.slice(0, MAX_CLASS_BUTTONS).map((c) => (
                      <button
                        type="button"
                        key={c.id}
                        className={`path-btn tone-${c.outcome === 'takeover_undetected' ? 'bad' : 'warn'}${c.id === selectedClass ? ' is-selected' : ''}`}
                        aria-pressed={c.id === selectedClass}
                        aria-label={c.title}
                        data-class={c.id}
                        title={`${c.title}: show what closes it and example paths`}
                        onClick={() => onClass(c.id)}
                      >
                        {c.label}
                      </button>
                    ))}
                    {r.classes.length > MAX_CLASS_BUTTONS ? (
                      <button
                        type="button"
                        className="path-btn more"
                        title={`${r.classes.length} classes: step through them in the Path tab`}
                        aria-label={`${r.classes.length - MAX_CLASS_BUTTONS} more classes`}
                        onClick={() => onClass(r.classes[MAX_CLASS_BUTTONS]!.id)}
                      >
                        +{r.classes.length - MAX_CLASS_BUTTONS}
                      </button>
                    ) : null}
                  </td>
                  <td className="why" title={r.detail}>
                    <span className="why-text">{r.detail}</span>
                  </td>
                </tr>
                {r.campaign ? <CampaignRow scenario={r.scenario} code={r.code} campaign={r.campaign} /> : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A campaign's chain under its scenario's row: one line per stage, then the chain's count and blast radius. */
function CampaignRow({ scenario, code, campaign }: { scenario: string; code: string; campaign: CampaignView }) {
  const { chain } = campaign;
  return (
    <tr className="campaign-row" data-campaign-of={scenario}>
      <td colSpan={4}>
        <ol className="campaign" aria-label={`${code} campaign: ${chain.title}`}>
          {campaign.stages.map((st) => (
            <li key={st.stage} className="stage" data-stage={st.stage} data-outcome={st.outcome} title={st.name}>
              <span className="stage-label">{st.label}</span>
              <span className="stage-target">
                {st.target}
                {st.privileged ? <span className="priv" role="img" aria-label="privileged"> ★</span> : null}
              </span>
              <span className={`outcome tone-${st.tone}`} data-outcome={st.outcome}>
                <span className="outcome-glyph" aria-hidden="true">
                  {st.glyph}
                </span>
                {st.outcomeLabel}
              </span>
              <span className="stage-detail">{st.detail}</span>
              <span className="stage-workflow">via {st.workflow}</span>
              {st.gained ? <span className="stage-gained">{st.gained}</span> : null}
              {st.downgrade ? <span className="stage-downgrade">{st.downgrade}</span> : null}
            </li>
          ))}
        </ol>
        <p className="campaign-chain" data-testid="campaign-chain" data-outcome={chain.outcome}>
          <span className="stage-label">Chain</span>
          <span className={`outcome tone-${chain.tone}`}>{chain.label}</span>
          <span>{chain.paths}</span>
          <span className="chain-radius">blast radius: {chain.blastRadius}</span>
        </p>
      </td>
    </tr>
  );
}
