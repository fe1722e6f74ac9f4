import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { HelmSynthError } from '../errors';
import { compareChartVersions } from './baseline';
import { FindingSeverity, UpgradeFinding } from './upgrade-rules';

/**
 * A breaking upgrade change the team intends, kept in the repository so `check-upgrade` prints it as
 * a note instead of failing: one entry of the acknowledgements file.
 */
export interface UpgradeAcknowledgement {
  /** The chart's name. */
  readonly chart: string;
  /** The object as `check-upgrade` prints it (`CronJob default/release-name-cleanup`), or `Kind name` without the namespace. */
  readonly object: string;
  /**
   * The field, or a prefix of it (`spec.selector` covers `spec.selector.matchLabels.app`).
   * @default every finding of the object
   */
  readonly field?: string;
  /** Why the change is intended: printed with the note. */
  readonly reason: string;
  /** The last chart version the entry applies to: a later version fails again, and the entry is reported as expired. */
  readonly until: string;
}

/** What the acknowledgements did to one chart's findings. */
export interface AcknowledgedFindings {
  /** The findings, with acknowledged errors turned into notes. */
  readonly findings: UpgradeFinding[];
  /** The entries for this chart that applied to a finding. */
  readonly used: ReadonlySet<UpgradeAcknowledgement>;
}

/**
 * Reads an acknowledgements file: YAML with an `acknowledgements:` list of entries
 * `{ chart, object, field?, reason, until }`. Every field is checked; an unknown key is an error.
 */
export function readUpgradeAcknowledgements(file: string): UpgradeAcknowledgement[] {
  if (!existsSync(file)) throw new HelmSynthError(file, 'acknowledgements file not found');
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HelmSynthError(file, `is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const list = (document as { acknowledgements?: unknown } | null)?.acknowledgements ?? [];
  if (!Array.isArray(list)) throw new HelmSynthError(file, 'acknowledgements must be a list of { chart, object, field, reason, until }');
  const keys = new Set(['chart', 'object', 'field', 'reason', 'until']);
  return list.map((entry, i) => {
    const where = `${file}: acknowledgements[${i}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new HelmSynthError(where, 'must be a map');
    const record = entry as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !keys.has(key));
    if (unknown.length) throw new HelmSynthError(where, `unknown key ${unknown.join(', ')} (keys: ${[...keys].join(', ')})`);
    const text = (key: string, optional = false): string | undefined => {
      const value = record[key];
      if (value === undefined && optional) return undefined;
      if (typeof value !== 'string' || value.trim() === '')
        throw new HelmSynthError(where, `${key} must be non-empty text, got ${JSON.stringify(value)}`);
      return value.trim();
    };
    const until = text('until')!;
    if (!/^v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(until)) {
      throw new HelmSynthError(where, `until must be a chart version such as 2.0.0, got ${JSON.stringify(until)}`);
    }
    return { chart: text('chart')!, object: text('object')!, field: text('field', true), reason: text('reason')!, until };
  });
}

/**
 * Turns the errors an entry acknowledges into notes. An entry applies while the new chart version is
 * at most its `until`; warnings are left as they are.
 */
export function applyAcknowledgements(
  chart: string,
  version: string,
  findings: readonly UpgradeFinding[],
  acknowledgements: readonly UpgradeAcknowledgement[],
): AcknowledgedFindings {
  const used = new Set<UpgradeAcknowledgement>();
  const current = acknowledgements.filter((entry) => entry.chart === chart && compareChartVersions(version, entry.until) <= 0);
  const result = findings.map((finding) => {
    if (finding.severity !== FindingSeverity.ERROR) return finding;
    const entry = current.find((candidate) => matches(candidate, finding));
    if (!entry) return finding;
    used.add(entry);
    return {
      ...finding,
      severity: FindingSeverity.NOTE,
      message: `${finding.message} (acknowledged until ${entry.until}: ${entry.reason})`,
    };
  });
  return { findings: result, used };
}

/** The entries that acknowledged nothing in any checked chart, each as one line saying why. */
export function unusedAcknowledgements(
  acknowledgements: readonly UpgradeAcknowledgement[],
  used: ReadonlySet<UpgradeAcknowledgement>,
  versions: ReadonlyMap<string, string>,
): string[] {
  return acknowledgements
    .filter((entry) => !used.has(entry) && versions.has(entry.chart))
    .map((entry) => {
      const version = versions.get(entry.chart)!;
      const what = `acknowledgement of ${entry.chart}: ${entry.object}${entry.field ? `: ${entry.field}` : ''}`;
      return compareChartVersions(version, entry.until) > 0
        ? `${what} expired (until ${entry.until}, the chart is ${version}): remove it`
        : `${what} matches no error of this check: remove it, or correct its object or field`;
    });
}

function matches(entry: UpgradeAcknowledgement, finding: UpgradeFinding): boolean {
  const [kind, rest] = splitOnce(finding.object, ' ');
  const name = rest.slice(rest.indexOf('/') + 1);
  const objectMatches = entry.object === finding.object || entry.object === `${kind} ${name}`;
  if (!objectMatches) return false;
  if (entry.field === undefined) return true;
  const path = finding.path ?? '';
  return path === entry.field || path.startsWith(`${entry.field}.`) || path.startsWith(`${entry.field}[`);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}
