import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Reference, ReferenceUse, References } from '../values/reference';
import { helperName } from './helpers-tpl';
import { resolveTemplateOptions } from './template-options';

const IMPLICIT_IDS = new Set(['Resource', 'Default']);

/**
 * The name suffix of an object: set with `Template.nameSuffix`, else its construct path below the
 * chart in kebab case (`Server/Service` gives `server-service`).
 */
export function nameSuffixOf(object: ApiObject, chart: IConstruct, options = resolveTemplateOptions(object)): string {
  const explicit = options.nameSuffix;
  if (explicit !== undefined) return explicit;
  const below = object.node.scopes.slice(chart.node.scopes.length);
  return below
    .map((scope) => scope.node.id)
    .filter((id) => !IMPLICIT_IDS.has(id))
    .map(kebabCase)
    .filter((part) => part !== '')
    .join('-');
}

/** `DbBootstrap_Hook 2` → `db-bootstrap-hook-2`. */
export function kebabCase(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The template expression of a resource's release-scoped name. */
export function resourceNameExpression(chartName: string, suffix: string): string {
  return `(include ${JSON.stringify(helperName(chartName, 'resourceName'))} (list . ${JSON.stringify(suffix)}))`;
}

/**
 * A string token for the release-scoped name of an object, resolved at synthesis (so a later
 * `Template.nameSuffix` still applies). Use it inside other strings, e.g. a URL.
 */
export function resourceNameToken(object: ApiObject, chartName: () => string, chart: IConstruct): string {
  const reference: Reference = {
    get expression() {
      return resourceNameExpression(chartName(), nameSuffixOf(object, chart));
    },
    use: ReferenceUse.STRING,
    description: `name of ${object.node.path}`,
  };
  return References.marker(reference, `name\u0000${object.node.path}`);
}
