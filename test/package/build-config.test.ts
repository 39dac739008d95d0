/**
 * The build and the API docs cover the same public entry points as package.json's `exports`, so a
 * new subpath cannot ship unbundled or undocumented.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { entryPoints, type ExportsMap } from '../../scripts/build.ts';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { exports: ExportsMap; bin: Record<string, string>; scripts: Record<string, string> };
const sources = Object.values(pkg.exports).flatMap((t) =>
  typeof t === 'string' || !t['shortlist-source'] ? [] : [t['shortlist-source'].replace(/^\.\//, '')],
);

describe('build and API docs configuration', () => {
  it('bundles every exported entry point at the path `exports` names, and the CLI', () => {
    const entries = entryPoints(pkg.exports);
    assert.deepEqual(Object.values(entries).sort(), [...sources, 'src/cli/main.ts'].sort());
    assert.equal(entries.index, 'src/index.ts');
    assert.equal(entries['server/index'], 'src/server/index.ts');
    assert.equal(entries['cli/main'], 'src/cli/main.ts');
    assert.throws(() => entryPoints({ '.': { 'shortlist-source': './src/index.ts', default: './lib/index.mjs' } }), /not \.\/dist\//);
  });

  it('documents every exported entry point with TypeDoc, failing on broken links and unexported types', () => {
    const typedoc = read('typedoc.json') as {
      entryPoints: string[];
      treatValidationWarningsAsErrors: boolean;
      validation: Record<string, boolean>;
    };
    assert.deepEqual([...typedoc.entryPoints].sort(), [...sources].sort());
    assert.equal(typedoc.treatValidationWarningsAsErrors, true);
    assert.equal(typedoc.validation.invalidLink, true);
    assert.equal(typedoc.validation.notExported, true);
    assert.equal(pkg.scripts['docs:api'], 'typedoc');
  });

  it('names each entry point by its import specifier in the API docs', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string' || !target['shortlist-source']) continue;
      const header = readFileSync(new URL(`../../${target['shortlist-source']}`, import.meta.url), 'utf8').split('*/')[0];
      assert.match(header, new RegExp(`@module shortlist${subpath === '.' ? '' : subpath.slice(1)}\\n`), subpath);
    }
  });
});
