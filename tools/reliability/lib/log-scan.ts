import { hash } from 'node:crypto';
import { tryNormalizeEmail } from '@uid2-operator/dii-normalize';

/** One place a sensitive value (or a DII/secret-shaped text) appeared in a captured log. */
export interface LogHit {
  readonly log: string;
  readonly line: number;
  /** What matched: the registered label (never the value itself). */
  readonly what: string;
}

/** Result of {@link scanLogs}. */
export interface LogScan {
  readonly logs: number;
  readonly lines: number;
  readonly registeredValues: number;
  readonly hits: readonly LogHit[];
  /** Lines of the development seed banner, which prints the new API key and secret once by design. */
  readonly seedBannerLines: number;
}

/**
 * Values that must never reach a log line: every test email/phone (raw, normalized, hashed as
 * base64 and hex), API keys, client secrets, key secrets, the KEK, tokens. Labels are kept so a
 * hit can be reported without printing the value.
 */
export class SensitiveValues {
  private readonly values = new Map<string, string>();

  add(label: string, value: string | Buffer): void {
    const text = typeof value === 'string' ? value : value.toString('base64');
    if (text.length >= 8) this.values.set(text, label);
    if (Buffer.isBuffer(value)) this.values.set(value.toString('hex'), `${label} (hex)`);
  }

  /** An email or phone with its normalized form and SHA-256 hashes. */
  addDii(label: string, dii: string): void {
    const normalized = dii.includes('@') ? (tryNormalizeEmail(dii) ?? dii) : dii;
    this.add(label, dii);
    this.add(`${label} (normalized)`, normalized);
    this.add(`${label} (sha256)`, hash('sha256', normalized, 'buffer'));
  }

  get size(): number {
    return this.values.size;
  }

  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }
}

/** DII- and secret-shaped texts, whoever produced them. */
const PATTERNS: readonly [string, RegExp][] = [
  ['email address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/],
  ['phone number', /\+\d{10,15}\b/],
  ['API key', /\b(?:UID2|EUID)-[CO]-[LTIP]-\d+-[A-Za-z0-9]{6}\./],
  ['CSTG private key', /\b(?:UID2|EUID)-Y-[LTIP]-/],
  ['base64 of 32 bytes (hash, secret or key)', /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=/],
  ['token-like base64 (100+ chars)', /[A-Za-z0-9+/_-]{100,}/],
];

const SEED_BANNER =
  /^(?:Development environment seeded|\s+(?:URL|API key|Secret|Site id|CSTG subscription|CSTG public key):)/;

/**
 * Greps every captured log line for the registered values and for DII/secret-shaped text. The
 * one-time development seed banner (`npm start` on an empty database prints the new credentials
 * by design) is counted separately, not as a hit.
 */
export function scanLogs(
  logs: readonly { name: string; text: string }[],
  sensitive: SensitiveValues,
): LogScan {
  const hits: LogHit[] = [];
  let lines = 0;
  let seedBannerLines = 0;
  const registered = [...sensitive.entries()];
  for (const log of logs) {
    const all = log.text.split('\n');
    all.forEach((line, index) => {
      if (line === '') return;
      lines += 1;
      if (SEED_BANNER.test(line)) {
        seedBannerLines += 1;
        return;
      }
      for (const [value, label] of registered) {
        if (line.includes(value)) hits.push({ log: log.name, line: index + 1, what: label });
      }
      for (const [label, pattern] of PATTERNS) {
        if (pattern.test(line)) hits.push({ log: log.name, line: index + 1, what: `pattern: ${label}` });
      }
    });
  }
  return { logs: logs.length, lines, registeredValues: registered.length, hits, seedBannerLines };
}
