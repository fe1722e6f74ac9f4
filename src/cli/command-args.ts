import { HelmSynthError } from '../errors';

/** How a command-line flag is read. */
export enum FlagKind {
  /** Present or not: `--merge`. */
  SWITCH = 'switch',
  /** One value, the last one wins: `--destination DIR`. */
  VALUE = 'value',
  /** Repeatable, every value kept in order: `-f a.yaml -f b.yaml`. */
  LIST = 'list',
}

/** Flags a command accepts: each name (`--set`, `-f`) with its kind, and the key it is stored under. */
export type FlagSpec = Readonly<Record<string, { readonly kind: FlagKind; readonly key: string }>>;

/** Parsed arguments: flag values by key, and the arguments that are not flags. */
export interface ParsedArgs {
  readonly switches: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
}

/**
 * Reads `--flag value`, `--flag=value`, switches and positionals; an unknown `-x` is an error.
 *
 * @param command named in errors
 */
export function parseArgs(command: string, args: readonly string[], spec: FlagSpec): ParsedArgs {
  const switches = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = spec[name];
    if (!flag) {
      if (arg.startsWith('-') && arg !== '-') throw new HelmSynthError(command, `unknown option ${JSON.stringify(arg)}`);
      positionals.push(arg);
      continue;
    }
    if (flag.kind === FlagKind.SWITCH) {
      if (eq > 0) throw new HelmSynthError(command, `${name} takes no value`);
      switches.add(flag.key);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new HelmSynthError(command, `${name} needs a value`);
    if (flag.kind === FlagKind.VALUE) values.set(flag.key, value);
    else lists.set(flag.key, [...(lists.get(flag.key) ?? []), value]);
  }
  return { switches, values, lists, positionals };
}
