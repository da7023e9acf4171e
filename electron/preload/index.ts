// The preload of the main window (sandboxed, built as CommonJS). It exposes the contract's verbs
// as `window.api` and the shell's messages and presenter window as `window.desktop`, and nothing else: no ipcRenderer,
// no channel names, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi, createShellEvents } from './bridge.ts';

contextBridge.exposeInMainWorld('api', createPreloadApi((channel, payload) => ipcRenderer.invoke(channel, payload)));
contextBridge.exposeInMainWorld(
  'desktop',
  createShellEvents({
    on: (channel, handler) => void ipcRenderer.on(channel, handler),
    removeListener: (channel, handler) => void ipcRenderer.removeListener(channel, handler),
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  }),
);
