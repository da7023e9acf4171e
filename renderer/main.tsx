// Renderer entry: connect through the bridge once, then draw the workbench (or say why not).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getConnection } from './bridge.ts';

const root = createRoot(document.getElementById('root')!);
const connection = getConnection();
root.render(
  <StrictMode>
    {connection.ok ? (
      <App api={connection.api} mode={connection.mode} />
    ) : (
      <div className="fatal" role="alert">
        <h1>ResetPath</h1>
        <p>{connection.message}</p>
      </div>
    )}
  </StrictMode>,
);
