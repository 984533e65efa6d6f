/** A config that cannot run: names the field path (or file:line) and says what to do. */
export class ConfigError extends Error {
  /** Dotted field path in the config, e.g. `training.batchSize` or `model.units[1]`; '' for the whole file. */
  readonly field: string;
  /** File the error is located in (the config for JSON syntax errors, the CSV for bad cells). */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `file`, when known. */
  readonly column?: number;
  /** The message without its location prefix, for diagnostics that are already placed at the field. */
  readonly reason: string;

  /** `reason` says what is wrong and what to do; the message is prefixed with file:line or the field. */
  constructor(field: string, reason: string, location?: { file: string; line?: number; column?: number }) {
    // A reason that already names its field in backticks reads fine without a prefix.
    const named = location?.line === undefined && field !== '' && reason.includes(`\`${field}\``);
    super(named ? reason : `${prefix(field, location)}: ${reason}`);
    this.name = 'ConfigError';
    this.field = field;
    this.reason = reason;
    this.file = location?.file;
    this.line = location?.line;
    this.column = location?.column;
  }
}

function prefix(field: string, location?: { file: string; line?: number; column?: number }): string {
  // A file position is the most precise place a user can jump to; otherwise the field path.
  if (location?.line !== undefined) {
    return `${location.file}:${location.line}${location.column !== undefined ? `:${location.column}` : ''}`;
  }
  if (field) return field;
  return location?.file ?? 'config';
}
