import { SaltError } from './salt-error.js';

const DAY_MS = 86_400_000;
// ISO_LOCAL_DATE_TIME (case-insensitive `T`): 4-digit year, or a signed longer year; seconds and
// 1-9 fraction digits optional. No offset, no `Z`.
const LOCAL_DATE_TIME =
  /^(\d{4}|\+\d{5,9}|-\d{4,9})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const MIN_ISO_STRING_MS = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z (year 0 is 0001 BC for `yyyy`)
const MAX_ISO_STRING_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses `since_timestamp` of `/v2/identity/buckets` like Java
 * `LocalDateTime.parse(text, ISO_LOCAL_DATE_TIME).toInstant(UTC).toEpochMilli()` (spec/api.md §7.3):
 * `yyyy-MM-ddTHH:mm`, optionally `:ss` and `.` with 1–9 fraction digits, interpreted as UTC;
 * sub-millisecond digits are truncated. Offsets, `Z`, date-only values, integers, impossible dates
 * (Feb 30, hour 24, second 60) are rejected.
 *
 * @param text - the `since_timestamp` string.
 * @returns epoch ms, or `null` if it does not parse.
 */
export function tryParseSinceTimestamp(text: string): number | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (match === null) return null;
  const [, yearText = '', monthText = '', dayText = '', hourText = '', minuteText = ''] = match;
  const secondText = match[6] ?? '0';
  const fraction = match[7] ?? '';
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = fraction === '' ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const ms = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * Throwing variant of {@link tryParseSinceTimestamp} (spec/api.md §7.3).
 *
 * @param text - the `since_timestamp` string.
 * @returns epoch ms.
 * @throws SaltError `ERR_SALT_INVALID_TIMESTAMP` if the text is not an ISO local date-time; the
 *   operator answers 400 `invalid date, must conform to ISO 8601`.
 */
export function parseSinceTimestamp(text: string): number {
  const ms = typeof text === 'string' ? tryParseSinceTimestamp(text) : null;
  if (ms === null) throw new SaltError('ERR_SALT_INVALID_TIMESTAMP');
  return ms;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Formats a bucket's `lastUpdatedMs` as `/v2/identity/buckets` reports it (spec/api.md §7.3):
 * `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, always three fraction digits, no zone suffix
 * (e.g. `2024-01-01T00:00:00.000`). Years above 9999 get a `+` sign and years before 1 are
 * written as year-of-era, like Java's `yyyy` pattern.
 *
 * @param ms - epoch ms (integer).
 */
export function formatLastUpdated(ms: number): string {
  if (ms >= MIN_ISO_STRING_MS && ms <= MAX_ISO_STRING_MS) return new Date(ms).toISOString().slice(0, 23);
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const yearText = year > 9999 ? `+${year}` : pad(1 - year, 4);
  return (
    `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}`
  );
}
