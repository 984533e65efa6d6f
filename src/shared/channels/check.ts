/**
 * Runtime checks for messages that cross a process boundary. A union's checker is built from
 * one field check per member, keyed by the member's `type`: a member added to the union without
 * a check is a compile error, so every entry point checks every message the same way.
 */

/** A field-by-field check of one message whose `type` is already known. */
export type FieldCheck = (message: Record<string, unknown>) => boolean;

/** One field check per member of a union discriminated by `type`. */
export type UnionChecks<U extends { type: string }> = { [K in U['type']]: FieldCheck };

/** A type guard for the union `U`, from its members' field checks. */
export function unionChecker<U extends { type: string }>(checks: UnionChecks<U>): (value: unknown) => value is U {
  return (value: unknown): value is U => {
    if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(checks, value.type)) return false;
    return (checks as Record<string, FieldCheck>)[value.type](value);
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
export const isInteger = (value: unknown): value is number => Number.isInteger(value);
export const isNonNegativeInteger = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0;
export const isFiniteNumber = (value: unknown): value is number => Number.isFinite(value);
/** A smoothing factor: 0 (none) up to, not including, 1. */
export const isFraction = (value: unknown): value is number => isFiniteNumber(value) && value >= 0 && value < 1;
/** A finite range `{ start, end }` with 0 ≤ start < end (a viewport). */
export function isRange(value: unknown): value is { start: number; end: number } {
  return (
    isRecord(value) &&
    isFiniteNumber(value.start) &&
    isFiniteNumber(value.end) &&
    value.start >= 0 &&
    value.start < value.end
  );
}
export const isNullable =
  <T>(check: (value: unknown) => value is T) =>
  (value: unknown): value is T | null =>
    value === null || check(value);
export const isOptional =
  <T>(check: (value: unknown) => value is T) =>
  (value: unknown): value is T | undefined =>
    value === undefined || check(value);

/** True when `value` is one of `members`. */
export function isOneOf<T extends string>(members: readonly T[], value: unknown): value is T {
  return (members as readonly unknown[]).includes(value);
}
