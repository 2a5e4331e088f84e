import { hash, timingSafeEqual } from 'node:crypto';

/** API-key roles the operator checks (spec/internals.md §5.1). */
export type Role = 'GENERATOR' | 'MAPPER' | 'ID_READER' | 'SHARER' | 'OPTOUT';

/** An API key ("client key") as the operator holds it: only the salted hash, never the key. */
export interface ApiClient {
  readonly keyId: string;
  /** Base64 SHA-512(salt ‖ UTF-8 key). */
  readonly keyHash: string;
  /** Base64 salt (32 bytes). */
  readonly keySalt: string;
  /** The 32-byte AES-256-GCM key of this client's request/response envelopes. */
  readonly secret: Buffer;
  readonly roles: readonly string[];
  readonly siteId: number;
  readonly disabled: boolean;
  readonly serviceId: number;
  readonly name: string;
}

interface Candidate {
  readonly client: ApiClient;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const SITE_IN_KEY = /^(?:UID2|EUID)-[CO]-[LTIP]-([0-9]+)-.{6}\..{38}$/;
const CACHE_LIMIT = 100_000;

/**
 * Finds the client of a presented API key by recomputing SHA-512(salt ‖ key) for the candidates
 * and comparing in constant time (spec/api.md §2.2). The site id embedded in modern keys narrows
 * the candidates to that site's clients. Results (including misses) are cached under a SHA-256 of
 * the key, never the key itself, up to 100,000 entries; the cache lives as long as this snapshot.
 */
export class ApiKeyIndex {
  private readonly bySite = new Map<number, Candidate[]>();
  private readonly all: Candidate[] = [];
  private readonly cache = new Map<string, ApiClient | null>();

  constructor(clients: readonly ApiClient[]) {
    for (const client of clients) {
      const candidate = {
        client,
        salt: Buffer.from(client.keySalt, 'base64'),
        hash: Buffer.from(client.keyHash, 'base64'),
      };
      this.all.push(candidate);
      const list = this.bySite.get(client.siteId);
      if (list) list.push(candidate);
      else this.bySite.set(client.siteId, [candidate]);
    }
  }

  /** Number of API keys in the snapshot. */
  get size(): number {
    return this.all.length;
  }

  /** Returns the client whose key hash matches `key`, or `undefined` (disabled clients included). */
  find(key: string): ApiClient | undefined {
    const cacheKey = hash('sha256', key, 'base64');
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.search(key);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(cacheKey, found ?? null);
    return found;
  }

  private search(key: string): ApiClient | undefined {
    const site = SITE_IN_KEY.exec(key)?.[1];
    const candidates = (site === undefined ? undefined : this.bySite.get(Number(site))) ?? this.all;
    const keyBytes = Buffer.from(key, 'utf8');
    let match: ApiClient | undefined;
    for (const candidate of candidates) {
      const digest = hash('sha512', Buffer.concat([candidate.salt, keyBytes]), 'buffer');
      // Compare every candidate (no early exit) so timing does not reveal which one matched.
      if (digest.length === candidate.hash.length && timingSafeEqual(digest, candidate.hash)) {
        match ??= candidate.client;
      }
    }
    return match;
  }
}

/**
 * Reads `Authorization: Bearer <key>`: the header is trimmed, the `bearer ` prefix compared
 * case-insensitively with exactly one space, and the rest taken verbatim (spec/api.md §2.2).
 * @returns the key, or `undefined` when the header is absent or malformed.
 */
export function bearerKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value.length <= 7 || value.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return value.slice(7);
}
