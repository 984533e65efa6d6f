/** Errors of a nested data section (e.g. `validation.data`) named by their full field path. */
import { ConfigError } from './configError';

/** Runs `check`, rethrowing its ConfigError with `prefix` before the field (and before `data.` fields its reason names). */
export function withFieldPrefix<T>(prefix: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const reason = error.reason.replace(/(^|[^.\w])data\.(?=[a-z])/g, `$1${prefix}data.`);
    const location =
      error.file !== undefined ? { file: error.file, line: error.line, column: error.column } : undefined;
    throw new ConfigError(error.field ? `${prefix}${error.field}` : error.field, reason, location);
  }
}
