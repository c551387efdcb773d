/**
 * The written bytes of a file as sorted, disjoint, merged `[start, end)`
 * ranges, for uploads in parts.
 *
 * @module
 */

/** Sorted, disjoint ranges; touching ranges are merged. */
export type ByteRanges = [start: number, end: number][];

/** Most separate ranges an upload may have (parts far out of order). */
export const MAX_RANGES = 4096;

/** What {@linkcode addRange} did. */
export type AddRangeOutcome = "added" | "overlap" | "scattered";

/**
 * Adds `[start, end)` to `ranges` unless it overlaps one of them, or would
 * make more than {@linkcode MAX_RANGES} separate ranges. An empty range
 * never overlaps.
 */
export function addRange(ranges: ByteRanges, start: number, end: number): AddRangeOutcome {
  if (end <= start) return "added";
  // First range that ends after start.
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  const next = ranges[lo];
  if (next !== undefined && next[0] < end) return "overlap";
  const previous = ranges[lo - 1];
  const joinsPrevious = previous !== undefined && previous[1] === start;
  const joinsNext = next !== undefined && next[0] === end;
  if (joinsPrevious && joinsNext) {
    previous[1] = next[1];
    ranges.splice(lo, 1);
  } else if (joinsPrevious) {
    previous[1] = end;
  } else if (joinsNext) {
    next[0] = start;
  } else {
    if (ranges.length >= MAX_RANGES) return "scattered";
    ranges.splice(lo, 0, [start, end]);
  }
  return "added";
}
