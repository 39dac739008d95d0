/** What a model source string names: a hub repo (`org/name[@revision]`) or a local folder. */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';

/** A parsed model source. */
export type ModelSource = { kind: 'hub'; repo: string; revision?: string } | { kind: 'local'; dir: string };

const HUB_ID = /^([A-Za-z0-9][\w.-]*)\/([A-Za-z0-9][\w.-]*)(?:@([\w./-]+))?$/;

/**
 * Parse a model source. A path (absolute, `./`, `../`, `~/`, or any existing directory) is a
 * local folder; `org/name` or `org/name@revision` is a hub repo. Anything else is INVALID_ARGUMENT.
 */
export function parseModelSource(source: string, cwd: string = process.cwd()): ModelSource {
  const s = source.trim();
  if (s === '')
    throw new ShortlistError('INVALID_ARGUMENT', 'model source is empty: give a hub id like `BAAI/bge-small-en-v1.5` or a folder path');
  if (s === '~' || s.startsWith('~/')) return { kind: 'local', dir: resolve(homedir(), s.slice(2)) };
  if (isAbsolute(s) || s === '.' || s === '..' || s.startsWith('./') || s.startsWith('../') || isDirectory(resolve(cwd, s))) {
    return { kind: 'local', dir: resolve(cwd, s) };
  }
  const m = HUB_ID.exec(s);
  if (!m || m[2].includes('..') || m[3]?.includes('..')) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `model source '${source}' is neither an existing folder nor a hub id: use \`org/name\`, \`org/name@revision\`, or a path such as \`./my-model\``,
    );
  }
  return { kind: 'hub', repo: `${m[1]}/${m[2]}`, revision: m[3] };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
