/**
 * Strict `util.parseArgs` for one CLI command: an unknown or renamed option, a missing value
 * or a wrong number of operands is a UsageError that names the problem; main prints the usage.
 */
import { parseArgs, type ParseArgsConfig } from 'util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values parseArgs gives for `O` (single-valued options only: no command uses `multiple`). */
type Values<O extends Options> = { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string };

/** A mistake in the command line (not in a config or a run): main prints it with the command's usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** How one command is called. */
export interface CommandSpec<O extends Options> {
  name: string;
  usage: string;
  options: O;
  /** Options this command once had, with what to use instead, e.g. `{ out: '--runs-dir DIR' }`. */
  renamed?: Record<string, string>;
  /** How many operands (e.g. the config or the run folder) and what they are called in errors. */
  operands: { count: number; what: string };
}

/** The parsed values and operands; `help` is true for `-h`/`--help` (then nothing else is checked). */
export function parseCommandArgs<O extends Options>(
  args: string[],
  spec: CommandSpec<O>,
): { values: Values<O>; operands: string[]; help: boolean } {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as const;
  // A lenient pass first, to name an unknown or renamed option in our own words.
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option' || Object.hasOwn(options, token.name)) continue;
    const instead = spec.renamed && Object.hasOwn(spec.renamed, token.name) ? spec.renamed[token.name] : undefined;
    throw new UsageError(
      instead
        ? `${token.rawName} is no longer an option of "${spec.name}": use ${instead}`
        : `unknown option ${token.rawName} for "${spec.name}"`,
      spec.usage,
    );
  }
  let parsed: { values: Values<O> & { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), spec.usage);
  }
  const { help = false, ...values } = parsed.values;
  if (!help && parsed.positionals.length !== spec.operands.count) {
    const { count, what } = spec.operands;
    const got =
      parsed.positionals.length === 0 ? 'none' : `${parsed.positionals.length}: ${parsed.positionals.join(' ')}`;
    throw new UsageError(`"${spec.name}" takes ${count === 1 ? 'one' : count} ${what}, got ${got}`, spec.usage);
  }
  return { values: values as unknown as Values<O>, operands: parsed.positionals, help };
}
