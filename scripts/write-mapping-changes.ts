// Writes docs/mapping-changes.md from the catalogue and the catalogue as it stood before issue 10
// (docs/data/mappings-before-issue10.json). test/models/mappings.test.ts fails when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mappingChangesMarkdown, type PreviousCatalogue } from '../models/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const previous = JSON.parse(readFileSync(join(root, 'docs/data/mappings-before-issue10.json'), 'utf8')) as PreviousCatalogue;
writeFileSync(join(root, 'docs/mapping-changes.md'), mappingChangesMarkdown(previous));
process.stdout.write('wrote docs/mapping-changes.md\n');
