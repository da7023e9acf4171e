// Renderer entry: connect through the bridge, start the first calls at once (so the backend
// prepares the library listing while React mounts), then draw the workbench or say why not.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getConnection, startBoot } from './bridge.ts';

const connection = getConnection();
const boot = connection.ok ? startBoot(connection.api) : undefined;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {connection.ok ? (
      <App api={connection.api} mode={connection.mode} boot={boot} />
    ) : (
      <div className="fatal" role="alert">
        <h1>ResetPath</h1>
        <p>{connection.message}</p>
      </div>
    )}
  </StrictMode>,
);
