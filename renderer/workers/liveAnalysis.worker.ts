// The editor's live analysis, off the UI thread: the scenarios arrive once, then each text the
// editor sends is loaded and analysed exactly, with attribution so its path classes are the
// workbench's (minimal control sets are left to the workbench). The editor sends a text only when
// the worker is idle, so an answer is never for a text two edits old.
import { analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { loadWorkflowText } from '../../models/index.ts';
import { loadScenarioText, type Scenario } from '../../scenarios/index.ts';
import { liveSummary, type LiveRequest, type LiveResponse } from '../compute/computeLive.ts';

let scenarios: Scenario[] = [];
const reply = (m: LiveResponse) => (self as unknown as { postMessage(m: LiveResponse): void }).postMessage(m);

self.onmessage = (e: MessageEvent<LiveRequest>) => {
  const m = e.data;
  if (m.type === 'scenarios') {
    scenarios = m.files.flatMap((f) => {
      const r = loadScenarioText(f.text, f.fileName);
      return r.ok ? [r.value] : [];
    });
    return;
  }
  if (m.type === 'compare') {
    try {
      const side = (f: { text: string; fileName: string }) => {
        const r = loadWorkflowText(f.text, f.fileName);
        if (!r.ok) throw new Error(`${f.fileName} does not load: ${r.issues[0]?.message ?? 'invalid'}`);
        return liveSummary(buildAnalysisReport([analyzeWorkflow(r.value, scenarios, { minimalSets: false })]).workflows[0]!);
      };
      reply({ type: 'compared', seq: m.seq, a: side(m.a), b: side(m.b) });
    } catch (err) {
      reply({ type: 'compareFailed', seq: m.seq, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  const t0 = performance.now();
  try {
    const r = loadWorkflowText(m.text, m.fileName);
    if (!r.ok) return reply({ type: 'failed', seq: m.seq, message: 'the file does not load; see the errors in the editor' });
    const analysis = analyzeWorkflow(r.value, scenarios, { minimalSets: false });
    reply({ type: 'result', seq: m.seq, ms: performance.now() - t0, summary: liveSummary(buildAnalysisReport([analysis]).workflows[0]!) });
  } catch (err) {
    reply({ type: 'failed', seq: m.seq, message: err instanceof Error ? err.message : String(err) });
  }
};
