/** Every file in examples/ runs from the checkout and prints what test/package/examples.ts expects. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { exampleRuns, runExample } from './package/examples.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'shortlist-examples-'));

describe('examples/', () => {
  after(() => rmSync(work, { recursive: true, force: true }));
  const runs = exampleRuns(work);

  it('every example has a run', () => {
    assert.deepEqual(
      readdirSync(join(root, 'examples'))
        .filter((f) => f.endsWith('.ts'))
        .sort(),
      runs.map((r) => r.file).sort(),
    );
  });

  for (const run of runs) {
    it(`examples/${run.file}`, async () => {
      const out = runExample(root, ['--conditions=shortlist-source', '--import', 'tsx'], join('examples', run.file), await run.args(), {
        SHORTLIST_BIN: join(root, 'bin/shortlist.js'),
      });
      run.check(out);
    });
  }
});
