/** Identity type literals shared across packages (docs/architecture.md). */
export type IdentityType = 'email' | 'phone';

/** How a DII value arrives: `raw` (`email`/`phone`, normalized by the server) or `hash` (§5.3). */
export type DiiForm = 'raw' | 'hash';

/**
 * The four DII request keys in the order the reference examines them (spec/api.md §6.1, §7.1):
 * `email`, `email_hash`, `phone`, `phone_hash`.
 */
export const DII_FIELDS = ['email', 'email_hash', 'phone', 'phone_hash'] as const;

/** One of {@link DII_FIELDS}. */
export type DiiField = (typeof DII_FIELDS)[number];

/** The identity type and input form each DII key stands for (spec/api.md §5.1–§5.3). */
export const DII_FIELD_INFO = {
  email: { type: 'email', form: 'raw' },
  email_hash: { type: 'email', form: 'hash' },
  phone: { type: 'phone', form: 'raw' },
  phone_hash: { type: 'phone', form: 'hash' },
} as const satisfies Record<DiiField, { type: IdentityType; form: DiiForm }>;

/**
 * One DII value taken from a request, not yet normalized or validated: `value` is the string
 * exactly as sent (a raw email/phone, or a 44-char Base64 / 64-char hex SHA-256 for hashes).
 */
export interface DiiInput {
  readonly field: DiiField;
  readonly type: IdentityType;
  readonly form: DiiForm;
  readonly value: string;
}

/** Options shared by the parsers whose rules change with `enable_phone_support` (§11). */
export interface PhoneSupportOptions {
  /** Config `enable_phone_support`; default `true`. When off, `phone`/`phone_hash` are ignored. */
  readonly phoneSupport?: boolean;
}
