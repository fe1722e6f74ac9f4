import { describeValue, HelmSynthError } from '../../errors';

/** The URL scheme of chart references in OCI registries. */
export const OCI_SCHEME = 'oci://';

/** A repository in a registry, optionally with a tag and a digest: `oci://HOST[:PORT]/PATH[:TAG][@sha256:HEX]`. */
export interface OciReference {
  /** `host[:port]`. */
  readonly registry: string;
  /** Repository path inside the registry (may be empty for a push target: charts go to `<name>` then). */
  readonly repository: string;
  /** Tag (`+` already written as `_`). */
  readonly tag?: string;
  /** Manifest digest, `sha256:<hex>`. */
  readonly digest?: string;
}

/** A path component of a repository name (distribution's reference grammar). */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Reads `oci://HOST[:PORT]/PATH[:TAG][@DIGEST]`. A tag's `+` becomes `_` (Helm's rule: `+` is not
 * allowed in OCI tags). The repository must follow the registry's grammar (lower case, digits,
 * separators), the tag at most 128 word characters, dots and dashes, the digest `sha256:<64 hex>`.
 *
 * @param context named in errors (a flag, a dependency)
 * @param allowEmptyRepository true for a push target, whose charts go under the registry's root
 */
export function parseOciReference(text: string, context: string, allowEmptyRepository = false): OciReference {
  const fail = (why: string): never => {
    throw new HelmSynthError(
      context,
      `${why}; got ${describeValue(text)} (expected oci://HOST[:PORT]/PATH, e.g. oci://registry.example.com/charts)`,
    );
  };
  if (!text.startsWith(OCI_SCHEME)) fail('an OCI reference starts with oci://');
  let rest = text.slice(OCI_SCHEME.length).replace(/\/+$/, '');
  let digest: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`digest ${describeValue(digest)} is not sha256:<64 lower-case hex digits>`);
  }
  const slash = rest.indexOf('/');
  const registry = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '' : rest.slice(slash + 1);
  if (!REGISTRY.test(registry)) fail(`registry ${describeValue(registry)} is not a host name with an optional port`);
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0 && !path.slice(colon).includes('/')) {
    tag = path.slice(colon + 1).replace(/\+/g, '_');
    path = path.slice(0, colon);
    if (!TAG.test(tag)) fail(`tag ${describeValue(tag)} is not a valid tag (letters, digits, "_", ".", "-"; at most 128)`);
  }
  if (path === '' && !allowEmptyRepository) fail('the reference names no repository');
  if (path !== '' && !path.split('/').every((part) => PATH_COMPONENT.test(part))) {
    fail(
      `repository ${describeValue(path)} is not valid: lower-case letters, digits and single ".", "_", "-" between them, "/" between parts`,
    );
  }
  return { registry, repository: path, tag, digest };
}

/**
 * Where Helm pushes a chart under a target `oci://HOST/PATH`: repository `PATH/<name>`, tag the
 * version with `+` written as `_`. A target holding a tag or digest is refused (Helm adds its own).
 */
export function chartPushReference(target: string, chart: { readonly name: string; readonly version: string }): OciReference {
  const base = parseOciReference(target, target, true);
  if (base.tag !== undefined || base.digest !== undefined) {
    throw new HelmSynthError(
      target,
      'a push target names a repository path only (oci://HOST/PATH): the chart name and version make the reference',
    );
  }
  const repository = base.repository ? `${base.repository}/${chart.name}` : chart.name;
  if (!repository.split('/').every((part) => PATH_COMPONENT.test(part))) {
    throw new HelmSynthError(
      chart.name,
      `chart name ${describeValue(chart.name)} cannot be an OCI repository name: use lower-case letters, digits, ".", "_", "-"`,
    );
  }
  return { registry: base.registry, repository, tag: chart.version.replace(/\+/g, '_') };
}

/** `oci://HOST/REPOSITORY[:TAG][@DIGEST]`. */
export function formatOciReference(reference: OciReference): string {
  return `${OCI_SCHEME}${reference.registry}/${reference.repository}${reference.tag !== undefined ? `:${reference.tag}` : ''}${
    reference.digest !== undefined ? `@${reference.digest}` : ''
  }`;
}

/** Whether the registry is this machine (127.0.0.1, ::1, localhost), spoken to over plain HTTP. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
