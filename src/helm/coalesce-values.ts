/**
 * Values merged as Helm merges a values file over a chart's defaults (`chartutil.CoalesceValues`):
 * maps key by key, anything else replaced whole, and a `null` removes the default under its key.
 */
export function coalesceValues(defaults: unknown, values: unknown): unknown {
  if (!isMap(values) || !isMap(defaults)) return values === undefined ? defaults : values;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    if (value === null && key in defaults) delete merged[key];
    else merged[key] = key in defaults ? coalesceValues(defaults[key], value) : value;
  }
  return merged;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
