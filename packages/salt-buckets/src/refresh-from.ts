/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * A previous raw UID is returned only while fewer than this many **whole** days have passed since
 * the bucket's last rotation (spec/internals.md §3.9, spec/api.md §5.4).
 */
export const PREVIOUS_UID_MAX_AGE_DAYS = 90;

/**
 * Start of the next UTC day strictly after `nowMs` (a time exactly at midnight gives the following
 * midnight), in epoch ms.
 *
 * @param nowMs - epoch ms.
 */
export function startOfNextUtcDay(nowMs: number): number {
  return Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
}

/**
 * Raw-UID refresh time reported by identity map v3 (`r`, after ÷ 1000) (spec/internals.md §3.9,
 * spec/api.md §5.4): the bucket's `refreshFrom` if it is ≥ now, otherwise the start of the next
 * UTC day after now.
 *
 * @param bucketRefreshFromMs - the bucket's `refreshFromMs`.
 * @param nowMs - epoch ms of the request.
 * @returns epoch ms.
 */
export function effectiveRefreshFromMs(bucketRefreshFromMs: number, nowMs: number): number {
  return bucketRefreshFromMs >= nowMs ? bucketRefreshFromMs : startOfNextUtcDay(nowMs);
}

/**
 * Whether a bucket rotated recently enough for its previous raw UID to be reported:
 * `trunc((now − lastUpdated) / 86,400,000) < 90` (Java long division; spec/internals.md §3.9).
 *
 * @param lastUpdatedMs - the bucket's `lastUpdatedMs`.
 * @param nowMs - epoch ms of the request.
 */
export function isWithinPreviousUidWindow(lastUpdatedMs: number, nowMs: number): boolean {
  return Math.trunc((nowMs - lastUpdatedMs) / DAY_MS) < PREVIOUS_UID_MAX_AGE_DAYS;
}
