// `npm run e2e`: builds the renderer once, then runs each end-to-end file in its own process, in
// order, stopping at the first that fails (its exit code is the run's). Each file can also be run
// alone with `npx tsx test/e2e/<name>.e2e.ts`; it then builds the renderer itself.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildRenderer, ROOT, TSX } from './harness.ts';

const FILES = ['app', 'tabletop', 'runs', 'accountability', 'editor', 'simulation', 'a11y', 'biggraph'];

buildRenderer();
for (const name of FILES) {
  const r = spawnSync(TSX, [join(ROOT, 'test', 'e2e', `${name}.e2e.ts`)], { stdio: 'inherit', env: { ...process.env, RESETPATH_E2E_RENDERER_BUILT: '1' } });
  if (r.status !== 0) {
    process.stderr.write(`e2e: test/e2e/${name}.e2e.ts failed (${r.signal ? `signal ${r.signal}` : `exit ${r.status}`}); the files after it were not run\n`);
    process.exit(r.status ?? 1);
  }
}
