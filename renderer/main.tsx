// Renderer entry: connect through the bridge, start the first calls at once (so the backend
// prepares the library listing while React mounts), then draw the workbench or say why not.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppApi } from '../contract/index.ts';
import { App } from './App.tsx';
import { getConnection, startBoot, type Boot } from './bridge.ts';
import { PresenterApp } from './components/Presenter.tsx';
import { TabletopApp } from './components/Tabletop.tsx';

/** The workbench, or the tabletop console; the workbench stays mounted so its state survives a visit to the console. */
function Root({ api, mode, boot }: { api: AppApi; mode: 'electron' | 'browser'; boot: Boot | undefined }) {
  const [screen, setScreen] = useState<'workbench' | 'tabletop'>('workbench');
  return (
    <>
      <div hidden={screen !== 'workbench'} className="screen">
        <App api={api} mode={mode} boot={boot} onTabletop={() => setScreen('tabletop')} />
      </div>
      {screen === 'tabletop' ? <TabletopApp api={api} mode={mode} onWorkbench={() => setScreen('workbench')} /> : null}
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
