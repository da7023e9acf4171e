import { analyzeWorkflow } from './analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from './backend/index.ts';
const ws = loadBundledWorkflows(); const ss = loadBundledScenarios();
const [w, s] = process.argv.slice(2);
const r = analyzeWorkflow(ws.find((x) => x.id === w)!, [ss.find((x) => x.id === s)!], { minimalSets: false }).scenarios[0]!;
console.log(r.outcome, String(r.paths));
for (const c of r.classes) console.log(c.id, String(c.count), c.outcome, c.detectedBy?.control ?? '', JSON.stringify(c.statuses), 'joint', JSON.stringify(c.joint.map((j) => j.controls.join('+'))), 'contrib', c.contributing.map((x) => x.control).join(','), 'cond', c.conditional.join(','), c.examples[0]!.channel);
