/** The dev API key's Authorization header; `{KEY}` is filled in when the request is sent. */
export const VALID_AUTH = 'Bearer {KEY}';

/** How the request envelope is damaged after sealing (spec/api.md §3.1 steps b–h). */
export interface EnvelopeMutation {
  readonly op: 'flip' | 'cut' | 'insert' | 'version';
  readonly at: number;
  readonly byte: number;
}

/** A request body, described so that a failure can be reported without secrets. */
export type BodySpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'raw'; readonly bytes: Buffer }
  | {
      readonly kind: 'envelope';
      /** UTF-8 JSON after the nonce, or `null` for none. */
      readonly json: Buffer | null;
      /** Added to the current time for the envelope timestamp. */
      readonly tsOffsetMs: number;
      readonly wrongSecret: boolean;
      readonly mutation: EnvelopeMutation | undefined;
      /** Send raw bytes instead of base64 text. */
      readonly binary: boolean;
    };

/** The bad-input families of issue 7. */
export type Family = 'envelope' | 'json' | 'headers' | 'refresh' | 'token' | 'cstg' | 'routes' | 'oversize';

/** One fuzz case. `{KEY}` in `auth` stands for the dev API key (filled in when sending). */
export interface FuzzCase {
  readonly family: Family;
  readonly note: string;
  readonly method: string;
  readonly path: string;
  /** Authorization header value (with `{KEY}`), or `undefined` for none. */
  readonly auth: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: BodySpec;
  readonly framing: 'length' | 'chunked' | 'none';
}
