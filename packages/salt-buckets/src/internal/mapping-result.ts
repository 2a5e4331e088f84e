import type { Buffer } from 'node:buffer';
import type { MappedIdentity } from '../map-identity.js';
import type { SaltBucket, SaltSource } from '../salt-bucket.js';
import { CompactSaltTable } from './compact-salt-table.js';

/**
 * Result of one identity mapping. `bucket` and `bucketId` are read from the source on access, so
 * identity map v3 (which needs neither) pays nothing for them.
 */
export class Mapping implements MappedIdentity {
  constructor(
    readonly firstLevelHash: Buffer,
    readonly rawUid: Buffer,
    readonly previousRawUid: Buffer | null,
    readonly refreshFromMs: number,
    readonly bucketIndex: number,
    private readonly source: SaltSource,
  ) {}

  get bucket(): SaltBucket {
    return this.source.bucket(this.bucketIndex);
  }

  get bucketId(): string {
    const source = this.source;
    return source instanceof CompactSaltTable
      ? source.bucketIdAt(this.bucketIndex)
      : source.bucket(this.bucketIndex).bucketId;
  }
}
