// Preload (`node --import ./trace-modules.mjs …`) that appends to $TRACE_MODULES every module the
// process loads: ESM through a resolve hook, CommonJS from require.cache at exit. Tests use it to
// assert which packages a command or an import pulls in.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.TRACE_MODULES;
if (out) {
  const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(out)}, r.url + '\\n');
  return r;
}`;
  register('data:text/javascript,' + encodeURIComponent(hook));
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () =>
    appendFileSync(
      out,
      Object.keys(cache)
        .map((f) => pathToFileURL(f).href + '\n')
        .join(''),
    ),
  );
}
