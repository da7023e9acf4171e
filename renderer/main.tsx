// Renderer entry: connect through the bridge, start the first calls at once (so the backend
// prepares the library listing while React mounts), then draw the workbench or say why not.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppApi } from '../contract/index.ts';
import { App, type WorkbenchRequest } from './App.tsx';
import { getConnection, startBoot, type Boot } from './bridge.ts';
import type { Screen } from './components/common.tsx';
import { AccountabilityApp } from './components/Accountability.tsx';
import { EditorApp } from './components/Editor.tsx';
import { GapMatrixApp } from './components/GapMatrix.tsx';
import { PresenterApp } from './components/Presenter.tsx';
import { SimulationApp } from './components/Simulation.tsx';
import { TabletopApp } from './components/Tabletop.tsx';

/**
 * The workbench, the editor, the gap matrix, the accountability report or the tabletop console.
 * All but the tabletop stay mounted once opened, so their state (an analysis, a what-if, a file
 * being edited, the matrix's analysis, a report being worked on) survives a visit to another screen.
 */
function Root({ api, mode, boot }: { api: AppApi; mode: 'electron' | 'browser'; boot: Boot | undefined }) {
  const [screen, setScreen] = useState<Screen>('workbench');
  const [request, setRequest] = useState<WorkbenchRequest | null>(null);
  const [matrixSeen, setMatrixSeen] = useState(false);
  const [accountabilitySeen, setAccountabilitySeen] = useState(false);
  const [editorSeen, setEditorSeen] = useState(false);
  const go = (s: Screen) => {
    if (s === 'editor') setEditorSeen(true);
    if (s === 'matrix') setMatrixSeen(true);
    if (s === 'accountability') setAccountabilitySeen(true);
    setScreen(s);
  };
  return (
    <>
      <div hidden={screen !== 'workbench'} className="screen">
        <App api={api} mode={mode} boot={boot} onMode={go} request={request} active={screen === 'workbench'} />
      </div>
      {matrixSeen ? (
        <div hidden={screen !== 'matrix'} className="screen">
          <GapMatrixApp api={api} mode={mode} onMode={go} onOpen={(workflowId, scenarioId, classId) => (setRequest({ workflowId, scenarioId, ...(classId ? { classId } : {}), nonce: Date.now() }), setScreen('workbench'))} />
        </div>
      ) : null}
      {editorSeen ? (
        <div hidden={screen !== 'editor'} className="screen">
          <EditorApp api={api} mode={mode} onMode={go} />
        </div>
      ) : null}
      {accountabilitySeen ? (
        <div hidden={screen !== 'accountability'} className="screen">
          <AccountabilityApp api={api} mode={mode} onMode={go} active={screen === 'accountability'} />
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
