// Renderer entry: connect through the bridge, start the first calls at once (so the backend
// prepares the library listing while React mounts), then draw the workbench or say why not.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppApi } from '../contract/index.ts';
import { App } from './App.tsx';
import { getConnection, startBoot, type Boot } from './bridge.ts';
import type { Screen } from './components/common.tsx';
import { GapMatrixApp } from './components/GapMatrix.tsx';
import { PresenterApp } from './components/Presenter.tsx';
import { SimulationApp } from './components/Simulation.tsx';
import { TabletopApp } from './components/Tabletop.tsx';

/**
 * The workbench, the gap matrix or the tabletop console. The workbench and the matrix stay mounted
 * so their state (an analysis, a what-if, the matrix's analysis) survives a visit to another screen.
 */
function Root({ api, mode, boot }: { api: AppApi; mode: 'electron' | 'browser'; boot: Boot | undefined }) {
  const [screen, setScreen] = useState<Screen>('workbench');
  const [request, setRequest] = useState<{ workflowId: string; scenarioId: string; nonce: number } | null>(null);
  const [matrixSeen, setMatrixSeen] = useState(false);
  const go = (s: Screen) => {
    if (s === 'matrix') setMatrixSeen(true);
    setScreen(s);
  };
  return (
    <>
      <div hidden={screen !== 'workbench'} className="screen">
        <App api={api} mode={mode} boot={boot} onMode={go} request={request} />
      </div>
      {matrixSeen ? (
        <div hidden={screen !== 'matrix'} className="screen">
          <GapMatrixApp api={api} mode={mode} onMode={go} onOpen={(workflowId, scenarioId) => (setRequest({ workflowId, scenarioId, nonce: Date.now() }), setScreen('workbench'))} />
        </div>
      ) : null}
      {screen === 'tabletop' ? <TabletopApp api={api} mode={mode} onMode={go} /> : null}
      {screen === 'simulation' ? <SimulationApp api={api} mode={mode} onMode={go} /> : null}
    </>
  );
}

const connection = getConnection();
const boot = connection.ok && !connection.presenter ? startBoot(connection.api) : undefined;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {connection.ok && connection.presenter ? (
      <PresenterApp api={connection.api} sessionId={connection.presenter} />
    ) : connection.ok ? (
      <Root api={connection.api} mode={connection.mode} boot={boot} />
    ) : (
      <div className="fatal" role="alert">
        <h1>ResetPath</h1>
        <p>{connection.message}</p>
      </div>
    )}
  </StrictMode>,
);
