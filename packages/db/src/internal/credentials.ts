import type { RandomSource } from '../kek.js';

/** Identity scope letters used in key prefixes (spec/internals.md §5.1). */
export type CredentialScope = 'UID2' | 'EUID';

/** Deployment environment of a credential: the `L`/`T`/`I`/`P` letter of its prefix. */
export type CredentialEnvironment = 'local' | 'test' | 'integ' | 'prod';

const ENVIRONMENT_LETTER: Record<CredentialEnvironment, string> = {
  local: 'L',
  test: 'T',
  integ: 'I',
  prod: 'P',
};

/** `UID2-C-L-` style prefix: scope, kind letter (`C` client key, `X`/`Y` CSTG public/private key), environment. */
export function credentialPrefix(
  scope: CredentialScope,
  kind: 'C' | 'O' | 'X' | 'Y',
  environment: CredentialEnvironment,
): string {
  return `${scope}-${kind}-${ENVIRONMENT_LETTER[environment]}-`;
}

/** A freshly generated API key (spec/internals.md §5.1). */
export interface GeneratedApiKey {
  /** `UID2-C-L-<site>-<6 chars>.<38 chars>`: base64 of 32 random bytes with a `.` after 6 characters. */
  readonly key: string;
  /** Prefix through the site id plus the first 5 random characters, e.g. `UID2-C-L-999-fCXrM`. */
  readonly keyId: string;
}

/** Generates an API key for `siteId` from 32 random bytes. */
export function generateApiKey(
  random: RandomSource,
  siteId: number,
  scope: CredentialScope,
  environment: CredentialEnvironment,
): GeneratedApiKey {
  const body = random(32).toString('base64');
  const prefix = `${credentialPrefix(scope, 'C', environment)}${siteId}-`;
  return { key: `${prefix}${body.slice(0, 6)}.${body.slice(6)}`, keyId: `${prefix}${body.slice(0, 5)}` };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` uniformly random characters of [A-Za-z0-9] (rejection sampling, no modulo bias). */
export function randomAlphanumeric(random: RandomSource, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62] ?? '';
    }
  }
  return out;
}
