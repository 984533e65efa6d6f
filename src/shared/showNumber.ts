/** How every view writes a number that may be non-finite or unknown: as what it is, never as 0. */

/** "NaN", "Infinity", "-Infinity", "—" (not known), or the finite value written by `finite`. */
export function showNumber(value: number | null | undefined, finite: (value: number) => string): string {
  if (value === null || value === undefined) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return finite(value);
}
