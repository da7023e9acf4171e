// The editor's checks and completions, off the UI thread: each text is loaded and linted (the
// located diagnostics CodeMirror marks) and, when it loads, its graph is laid out; completion parses
// the file around the cursor. At 200 steps the check and the layout take a few hundred milliseconds,
// and a completion's parse tens per key; on the UI thread they would hold back the keys typed
// meanwhile. Answers come in the order asked; the editor keeps what is still current.
import { answerCheck, type CheckRequest, type CheckResponse } from '../compute/computeEditor.ts';

const reply = (m: CheckResponse) => (self as unknown as { postMessage(m: CheckResponse): void }).postMessage(m);

self.onmessage = (e: MessageEvent<CheckRequest>) => reply(answerCheck(e.data));
