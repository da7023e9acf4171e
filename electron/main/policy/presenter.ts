// The tabletop presenter window: which page asks for it and for which session. Only the main
// window's own page may open one, for a session id of the contract's form; the window loads the
// app's entry page with nothing in its fragment but that id (no token exists in the desktop app),
// and reads that session alone: the shell records the id with the window (WindowOf) and the IPC
// wrapper refuses a request of the window for another session (policy/ipc.ts).
import { PRESENTER_SESSION_ID } from '../../../contract/index.ts';
import { senderRefusal, type IpcSenderEvent, type WindowOf } from './ipc.ts';
import { APP_ENTRY_URL } from './origin.ts';

/** The page a presenter window loads for a session. */
export function presenterEntryUrl(sessionId: string): string {
  if (!PRESENTER_SESSION_ID.test(sessionId)) throw new Error(`not a tabletop session id: ${JSON.stringify(sessionId).slice(0, 80)}`);
  return `${APP_ENTRY_URL}#presenter=${sessionId}`;
}

/** The session a request to open a presenter window is for, or why it is refused. */
export function presenterRequest(event: IpcSenderEvent, payload: unknown, windowOf: WindowOf): { sessionId: string } | { refused: string } {
  const refusal = senderRefusal(event, windowOf);
  if (refusal) return { refused: refusal };
  if (windowOf(event.sender.id)?.kind !== 'main') return { refused: 'only the main window opens a presenter window' };
  if (typeof payload !== 'string' || !PRESENTER_SESSION_ID.test(payload)) return { refused: 'the session id is not of the contract\'s form' };
  return { sessionId: payload };
}
