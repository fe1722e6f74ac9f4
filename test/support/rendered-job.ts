import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Manifest = Record<string, any>;

/** Secrets that exist outside the rendered chart: name → key → value. */
export type ExistingSecrets = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** What a Job's container would run: its command line and its environment, every reference resolved. */
export interface ResolvedJob {
  /** `command` followed by `args`. */
  readonly command: readonly string[];
  /** Every env variable with its value: literals as rendered, secretKeyRef/configMapKeyRef read from the rendered objects or `existing`. */
  readonly env: Readonly<Record<string, string>>;
  /** Mount path in the pod → folder holding the mounted ConfigMap or emptyDir here. */
  readonly mounts: Readonly<Record<string, string>>;
  /** The Secret keys the container reads, as `<secret>/<key>`. */
  readonly secretKeys: readonly string[];
}

/** Finds one rendered object by kind and a predicate on it; fails when there is not exactly one. */
export function findOne(docs: readonly Manifest[], kind: string, match: (doc: Manifest) => boolean = () => true): Manifest {
  const found = docs.filter((doc) => doc.kind === kind && match(doc));
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}: ${found.map((d) => d.metadata?.name).join(', ')}`);
  return found[0];
}

/**
 * Resolves the first container of a rendered Job as the kubelet would start it: env values from
 * the rendered Secrets and ConfigMaps (or from `existing`, for Secrets made outside the chart),
 * ConfigMap volumes written into folders under `workDir`, and env values that point into a mount
 * rewritten to the folder. Fails on any reference nothing provides.
 */
export function resolveJob(docs: readonly Manifest[], job: Manifest, existing: ExistingSecrets, workDir: string): ResolvedJob {
  const pod = job.spec.template.spec;
  const container = pod.containers[0];
  const secretKeys: string[] = [];
  const secretValue = (name: string, key: string): string => {
    secretKeys.push(`${name}/${key}`);
    const rendered = docs.find((doc) => doc.kind === 'Secret' && doc.metadata.name === name);
    if (rendered) {
      if (rendered.stringData && key in rendered.stringData) return String(rendered.stringData[key]);
      if (rendered.data && key in rendered.data) return Buffer.from(rendered.data[key], 'base64').toString('utf8');
      throw new Error(`rendered Secret ${name} has no key ${key}`);
    }
    const value = existing[name]?.[key];
    if (value === undefined) throw new Error(`the Job reads Secret ${name} key ${key}, which neither the chart nor the test provides`);
    return value;
  };
  const configMap = (name: string): Manifest => findOne(docs, 'ConfigMap', (doc) => doc.metadata.name === name);

  const mounts: Record<string, string> = {};
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((v: Manifest) => v.name === mount.name);
    const folder = join(workDir, mount.name);
    mkdirSync(folder, { recursive: true });
    if (volume?.configMap) {
      for (const [file, content] of Object.entries(configMap(volume.configMap.name).data ?? {}))
        writeFileSync(join(folder, file), String(content));
    } else if (!volume?.emptyDir) {
      throw new Error(`volume ${mount.name} is neither a ConfigMap nor an emptyDir`);
    }
    mounts[mount.mountPath] = folder;
  }
  const inMount = (value: string): string => {
    for (const [path, folder] of Object.entries(mounts)) {
      if (value === path || value.startsWith(`${path}/`)) return folder + value.slice(path.length);
    }
    return value;
  };

  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    const from = entry.valueFrom;
    if (from?.secretKeyRef) env[entry.name] = secretValue(from.secretKeyRef.name, from.secretKeyRef.key);
    else if (from?.configMapKeyRef) env[entry.name] = String(configMap(from.configMapKeyRef.name).data[from.configMapKeyRef.key]);
    else if (from) throw new Error(`env ${entry.name}: unsupported valueFrom ${JSON.stringify(from)}`);
    else env[entry.name] = inMount(String(entry.value ?? ''));
  }
  return { command: [...(container.command ?? []), ...(container.args ?? [])], env, mounts, secretKeys };
}
