import { stringify } from 'yaml';

/**
 * Serializes to YAML the way every file of a chart is written: block style, no line folding, and
 * YAML 1.1 quoting, because Helm reads YAML 1.1 (an unquoted `on`, `yes` or `0777` would change type).
 */
export function stringifyYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
