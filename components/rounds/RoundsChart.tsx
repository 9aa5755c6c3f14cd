// The curves over a source's rounds: agreement with the reference and the refined set's share of the answers, per
// round. Plain SVG (two lines, a handful of points): the palette's classes follow the light and dark themes.

export interface RoundPoint {
  number: number;
  agreement: number | null;
  refinedShare: number | null;
}

const SERIES = [
  { key: "agreement", label: "Agreement with the reference", line: "stroke-accent-600", dot: "fill-accent-600" },
  { key: "refinedShare", label: "Refined set (share of answers)", line: "stroke-violet-600", dot: "fill-violet-600" },
] as const;

const W = 560;
const H = 200;
const PAD = { left: 40, right: 40, top: 12, bottom: 28 };

export function RoundsChart({ points, title }: { points: RoundPoint[]; title: string }) {
  const xs = points.map((p) => p.number);
  const [min, max] = [Math.min(...xs), Math.max(...xs)];
  const x = (n: number) => PAD.left + (max === min ? (W - PAD.left - PAD.right) / 2 : ((n - min) / (max - min)) * (W - PAD.left - PAD.right));
  const y = (share: number) => PAD.top + (1 - share) * (H - PAD.top - PAD.bottom);
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-2xl" role="img" aria-label={title}>
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-stone-200" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="fill-stone-500 text-[10px]">
              {t * 100}%
            </text>
          </g>
        ))}
        {points.map((p) => (
          <text key={p.number} x={x(p.number)} y={H - 8} textAnchor="middle" className="fill-stone-500 text-[10px]">
            round {p.number}
          </text>
        ))}
        {SERIES.map((series) => {
          const shown = points.filter((p) => p[series.key] !== null);
          return (
            <g key={series.key} data-series={series.key}>
              <polyline
                fill="none"
                className={series.line}
                strokeWidth={2}
                points={shown.map((p) => `${x(p.number)},${y(p[series.key]!)}`).join(" ")}
              />
              {shown.map((p) => (
                <circle key={p.number} cx={x(p.number)} cy={y(p[series.key]!)} r={3.5} className={series.dot}>
                  <title>{`${series.label}, round ${p.number}: ${(p[series.key]! * 100).toFixed(1)}%`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-stone-600">
        {SERIES.map((series) => (
          <span key={series.key} className="inline-flex items-center gap-1.5">
            <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden>
              <circle cx={5} cy={5} r={5} className={series.dot} />
            </svg>
            {series.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
