// A row of labelled figures (totals for the chosen days), shared by the overview and the payments page.
export function FigureTiles({ label, tiles }: { label: string; tiles: readonly (readonly [string, string])[] }) {
  return (
    <dl class="tiles" aria-label={label}>
      {tiles.map(([name, value]) => (
        <div class="tile" key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
