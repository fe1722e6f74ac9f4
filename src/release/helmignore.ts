import { HelmSynthError } from '../errors';

/** File name of a chart's ignore file. */
export const HELMIGNORE_FILE = '.helmignore';

/** How a rule is matched: against the base name (no `/` in it), the relative path, or the path from the chart root (leading `/`). */
enum RuleScope {
  BASE_NAME = 'base-name',
  PATH = 'path',
}

interface IgnoreRule {
  readonly raw: string;
  readonly negate: boolean;
  readonly directoriesOnly: boolean;
  readonly scope: RuleScope;
  readonly pattern: RegExp;
}

/**
 * A chart's `.helmignore`, read and applied the way Helm 3's `pkg/ignore` does when `helm package`
 * loads a chart directory: one pattern a line (`#` comments, surrounding spaces trimmed), Go
 * `filepath.Match` globs (`*` and `?` never cross `/`), a trailing `/` for directories only, a
 * leading `/` or any inner `/` for a path from the chart root, else the base name; `**` is an
 * error. Rules are tried in order and the first that decides wins. A `!` rule is Helm's, not git's:
 * it ignores every path that does NOT match it (helm/helm#3622), so it cannot re-include files.
 * Helm always adds `templates/.?*` (hidden files under templates/).
 */
export class HelmIgnore {
  /**
   * Parses a `.helmignore` text plus Helm's default rule.
   *
   * @param file named in errors (the `.helmignore` path)
   */
  public static parse(text: string, file = HELMIGNORE_FILE): HelmIgnore {
    const rules: IgnoreRule[] = [];
    for (const line of text.split(/\r?\n/)) {
      const rule = parseRule(line, file);
      if (rule) rules.push(rule);
    }
    rules.push(parseRule('templates/.?*', file)!);
    return new HelmIgnore(rules);
  }

  private constructor(private readonly rules: readonly IgnoreRule[]) {}

  /**
   * Whether Helm leaves this path out of the chart.
   *
   * @param path relative to the chart root, `/`-separated
   * @param isDirectory the path is a directory (an ignored directory drops everything below it)
   */
  public ignores(path: string, isDirectory: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const rule of this.rules) {
      const subject = rule.scope === RuleScope.BASE_NAME ? path.slice(path.lastIndexOf('/') + 1) : path;
      if (rule.negate) {
        if (rule.directoriesOnly && !isDirectory) return true;
        if (!rule.pattern.test(subject)) return true;
        continue;
      }
      if (rule.directoriesOnly && !isDirectory) continue;
      if (rule.pattern.test(subject)) return true;
    }
    return false;
  }
}

function parseRule(line: string, file: string): IgnoreRule | undefined {
  const raw = line.trim();
  if (raw === '' || raw.startsWith('#')) return undefined;
  if (raw.includes('**'))
    throw new HelmSynthError(file, `pattern ${JSON.stringify(raw)}: double-star (**) syntax is not supported by Helm`);
  let rule = raw;
  const negate = rule.startsWith('!');
  if (negate) rule = rule.slice(1);
  const directoriesOnly = rule.endsWith('/');
  if (directoriesOnly) rule = rule.slice(0, -1);
  let scope = RuleScope.BASE_NAME;
  if (rule.startsWith('/')) {
    rule = rule.slice(1);
    scope = RuleScope.PATH;
  } else if (rule.includes('/')) {
    scope = RuleScope.PATH;
  }
  return { raw, negate, directoriesOnly, scope, pattern: goGlob(rule, raw, file) };
}

/**
 * Compiles a Go `path/filepath.Match` pattern (Unix separator) to an anchored RegExp, rejecting
 * what Go rejects with ErrBadPattern: an unclosed or empty `[...]`, a trailing `\`, a misplaced `-` or `]`.
 */
function goGlob(pattern: string, raw: string, file: string): RegExp {
  const chars = [...pattern];
  const bad = (why: string): never => {
    throw new HelmSynthError(file, `pattern ${JSON.stringify(raw)} is not a valid Go filepath.Match pattern: ${why}`);
  };
  const literal = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;
  const escaped = (i: number): [string, number] => {
    if (chars[i] === '\\') {
      if (i + 1 >= chars.length) bad('it ends with a backslash');
      return [chars[i + 1], i + 2];
    }
    if (i >= chars.length) bad('unclosed [');
    if (chars[i] === '-' || chars[i] === ']') bad(`unexpected ${chars[i]} in a character class`);
    return [chars[i], i + 1];
  };
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (c === '*') {
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= chars.length) bad('it ends with a backslash');
      out += literal(chars[i + 1]);
      i += 2;
    } else if (c === '[') {
      i++;
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      let items = '';
      let ranges = 0;
      for (;;) {
        if (i < chars.length && chars[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const [lo, next] = escaped(i);
        i = next;
        let item = literal(lo);
        if (chars[i] === '-') {
          const [hi, after] = escaped(i + 1);
          i = after;
          item += `-${literal(hi)}`;
          if (lo.codePointAt(0)! > hi.codePointAt(0)!) item = '';
        }
        items += item;
        ranges++;
      }
      out += items === '' ? (negated ? '[^]' : '[]') : `[${negated ? '^' : ''}${items}]`;
    } else {
      out += literal(c);
      i++;
    }
  }
  return new RegExp(`^${out}$`, 'su');
}
