/** The manifest and writer lock of a collection in a local directory (protocol in `manifest.ts`). */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  acquireLock,
  MANIFEST_FILE,
  readManifest,
  writeManifest,
  type Manifest,
  type ManifestStorage,
  type WriterLock,
} from './manifest.ts';

/** `MANIFEST.json` (temporary file + fsync + rename) and a `LOCK` file holding the writer's pid in `dir`. */
export class FsManifestStorage implements ManifestStorage {
  readonly location: string;

  /** Manifest storage in `dir`. */
  constructor(dir: string) {
    this.location = dir;
  }

  /** {@inheritDoc ManifestStorage.prepare} */
  async prepare(): Promise<void> {
    mkdirSync(this.location, { recursive: true });
  }

  /** {@inheritDoc ManifestStorage.read} */
  async read(): Promise<Manifest | undefined> {
    return existsSync(join(this.location, MANIFEST_FILE)) ? readManifest(this.location) : undefined;
  }

  /** {@inheritDoc ManifestStorage.write} */
  async write(manifest: Manifest): Promise<void> {
    writeManifest(this.location, manifest);
  }

  /** {@inheritDoc ManifestStorage.lock} */
  async lock(): Promise<WriterLock> {
    const release = acquireLock(this.location);
    return { check: async () => {}, release: async () => release() };
  }

  /** {@inheritDoc ManifestStorage.close} */
  close(): void {}
}
