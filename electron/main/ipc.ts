// Registers the contract on ipcMain: one handler per API key, all through the single wrapper in
// ./policy/ipc.ts. Nothing else is registered, so the renderer has no other way into main.
import type { IpcMain } from 'electron';
import { API_KEYS, ipcChannel } from '../../contract/index.ts';
import { createIpcHandler, type Dispatch, type WindowOf } from './policy/ipc.ts';

/** Registers every key's handler; returns the channels, for the log and the tests. */
export function registerApiHandlers(ipc: Pick<IpcMain, 'handle'>, dispatch: () => Dispatch, windowOf: WindowOf): string[] {
  return API_KEYS.map((key) => {
    const channel = ipcChannel(key);
    ipc.handle(channel, createIpcHandler(key, dispatch, windowOf));
    return channel;
  });
}
