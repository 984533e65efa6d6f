/** The fields in which runs differ: every leaf of their configs (and a few facts of their manifests) as a dotted path. */

/** A flat view of a value: "training.batchSize" → "200". Arrays are leaves (written as JSON). */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  return out;
}

/** One differing field: its path and each run's value ("—" where a run has none). */
export interface FieldDifference {
  path: string;
  values: string[];
}

/** The paths whose values are not all the same across `objects`, in the order they first appear. */
export function configDifferences(objects: readonly unknown[]): FieldDifference[] {
  const flat = objects.map((o) => flatten(o));
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const map of flat)
    for (const path of map.keys())
      if (!seen.has(path)) {
        seen.add(path);
        paths.push(path);
      }
  return paths
    .map((path) => ({ path, values: flat.map((map) => map.get(path) ?? '—') }))
    .filter(({ values }) => values.some((v) => v !== values[0]));
}
