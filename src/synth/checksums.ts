import { HelmChart } from '../chart/helm-chart';
import { goString } from '../tokens/go-template';
import { Token, TokenUse } from '../tokens/token';
import { ChartObject } from './collect';
import { HookDependency } from './hook-dependencies';
import { POD_METADATA_PATHS } from '../chart/kinds';
import { ensureMaps, MapNode } from './template-tree';

/**
 * Kinds whose pod template is rolled out again when it changes. A Job's template is immutable once
 * created (a changed checksum would make `helm upgrade` fail), and a bare Pod is not rolled out.
 */
const ROLLED_OUT = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'CronJob']);

/**
 * Adds `checksum/config` and `checksum/secret` pod annotations to a workload that mounts or reads
 * ConfigMaps or Secrets of its chart: the sha256 of those objects' rendered templates, so a changed
 * value that feeds them restarts the pods (`helm create`'s pattern, computed by Helm at install).
 */
export function addChecksums(tree: MapNode, entry: ChartObject, reads: readonly HookDependency[], chart: HelmChart): void {
  const metadataPath = POD_METADATA_PATHS[entry.kind];
  if (!metadataPath || !ROLLED_OUT.has(entry.kind)) return;
  const read = new Map<'ConfigMap' | 'Secret', Set<string>>([
    ['ConfigMap', new Set()],
    ['Secret', new Set()],
  ]);
  for (const { resource } of reads) {
    if (resource.kind === 'ConfigMap' || resource.kind === 'Secret')
      read.get(resource.kind)!.add(resource.file.replace(/^templates\//, ''));
  }
  for (const [kind, files] of read) {
    if (files.size === 0) continue;
    const key = `checksum/${kind === 'ConfigMap' ? 'config' : 'secret'}`;
    const includes = [...files].sort().map((file) => `(include (print $.Template.BasePath ${goString(`/${file}`)}) $)`);
    const operand = `(${includes.length === 1 ? includes[0] : `print ${includes.join(' ')}`} | sha256sum)`;
    const token = new Token({
      use: TokenUse.STRING,
      owner: chart,
      description: `${key} of ${[...files].join(', ')}`,
      operand,
      preview: () => 'sha256',
    });
    for (const annotations of ensureMaps(tree, [...metadataPath, 'annotations'], entry.owner.node.path, `the ${key} annotation`)) {
      if (!annotations.entries.some((e) => e.kind === 'field' && e.key === key)) {
        annotations.entries.unshift({ kind: 'field', key, value: { kind: 'scalar', parts: [token], stringField: true } });
      }
    }
  }
}
