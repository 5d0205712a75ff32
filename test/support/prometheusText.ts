// Reads samples out of a Prometheus text exposition, so tests check figures, not formatting.

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export function samplesOf(text: string, name: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    // prom-client writes NaN as "Nan"; Number() reads both spellings as NaN.
    return [{ labels: labels as Record<string, string>, value: Number(match[3]) }];
  });
}

/** The sample of `name` whose labels include `labels`; 0 when there is none (a counter not yet raised). */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = samplesOf(text, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples; name every label`);
  return found[0]?.value ?? 0;
}
