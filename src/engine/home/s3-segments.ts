/** BM25 segment blobs as objects under `<collection prefix>/segments/` (see `SegmentStore`). */
import { ShortlistError } from '../../core/errors.ts';
import { checkSegmentName, type SegmentStore } from '../../retrieve/bm25/segment-store.ts';
import type { S3Objects } from './s3-objects.ts';

const SUB = 'segments';

/** Segment blobs on object storage: one PUT per blob (objects never change once written). */
export class S3SegmentStore implements SegmentStore {
  constructor(private readonly objects: S3Objects) {}

  get display(): string {
    return this.objects.place(SUB);
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    checkSegmentName(name);
    await this.objects.putBytes(`${SUB}/${name}`, bytes);
  }

  async get(name: string): Promise<Uint8Array> {
    checkSegmentName(name);
    const bytes = await this.objects.getBytes(`${SUB}/${name}`);
    if (!bytes) throw new ShortlistError('NOT_FOUND', `segment object ${name} is missing from ${this.display}`);
    return bytes;
  }

  async list(): Promise<string[]> {
    return this.objects.names(SUB);
  }

  /** Sizes of the stored objects by name (for `check`). */
  sizes(): Promise<Map<string, number>> {
    return this.objects.sizes(SUB);
  }

  async delete(name: string): Promise<void> {
    checkSegmentName(name);
    await this.objects.delete(`${SUB}/${name}`);
  }
}
