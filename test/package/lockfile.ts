/**
 * A lockfile for a project that installs the packed tarball: the entries of this repository's
 * package-lock.json that the project's dependencies reach, so `npm ci --offline` installs them
 * from npm's cache by integrity (no registry metadata needed).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [k: string]: unknown;
}

/** package.json + package-lock.json of a project depending on `tarball` (a file name beside them) and `extra` packages. */
export function projectFiles(
  repoLock: string,
  repoPackage: string,
  tarball: string,
  tarballPath: string,
  extra: readonly string[],
): { pkg: object; lock: object } {
  const lock = JSON.parse(readFileSync(repoLock, 'utf8')) as { packages: Record<string, LockEntry> };
  const self = JSON.parse(readFileSync(repoPackage, 'utf8')) as LockEntry & { name: string };
  const rootDeps: Record<string, string> = { [self.name]: `file:${tarball}` };
  for (const name of extra) {
    const v = lock.packages[`node_modules/${name}`]?.version;
    if (!v) throw new Error(`${name} is not in package-lock.json`);
    rootDeps[name] = v;
  }
  const integrity = 'sha512-' + createHash('sha512').update(readFileSync(tarballPath)).digest('base64');
  const packages: Record<string, LockEntry> = {
    '': { name: 'shortlist-pack-test', version: '1.0.0', dependencies: rootDeps },
    [`node_modules/${self.name}`]: {
      version: self.version,
      resolved: `file:${tarball}`,
      integrity,
      dependencies: self.dependencies,
      peerDependencies: self.peerDependencies,
      peerDependenciesMeta: self.peerDependenciesMeta,
      bin: (self as { bin?: unknown }).bin,
      engines: (self as { engines?: unknown }).engines,
      license: (self as { license?: unknown }).license,
    },
  };
  const queue: [string, string, boolean][] = [
    ...extra.map((n): [string, string, boolean] => ['', n, false]),
    ...Object.keys(self.dependencies ?? {}).map((n): [string, string, boolean] => [`node_modules/${self.name}`, n, false]),
  ];
  while (queue.length) {
    const [from, name, optional] = queue.shift()!;
    const at = locate(from, name, (p) => p in packages || p in lock.packages);
    if (!at) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${from || 'the project'}) is not in package-lock.json`);
    }
    if (at in packages) continue;
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = lock.packages[at];
    packages[at] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push([at, dep, false]);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) queue.push([at, dep, true]);
    for (const dep of Object.keys(entry.peerDependencies ?? {}))
      if (!entry.peerDependenciesMeta?.[dep]?.optional) queue.push([at, dep, true]);
  }
  return {
    pkg: { name: 'shortlist-pack-test', version: '1.0.0', private: true, type: 'module', dependencies: rootDeps },
    lock: { name: 'shortlist-pack-test', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
  };
}

/** Where node finds `name` from the package at lock path `from` (nested node_modules first). */
function locate(from: string, name: string, has: (p: string) => boolean): string | undefined {
  let dir = from;
  for (;;) {
    const p = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (has(p)) return p;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}
