/** A horizontal bar chart in SVG, with the numbers written out (readable without the bars, and by screen readers). */
export function BarChart(props: { title: string; bars: { label: string; value: number; text: string }[] }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const rowH = 28;
  const labelW = 110;
  const width = 420;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${props.bars.length * rowH + 4}`}
        role="img"
        aria-label={`${props.title}: ${props.bars.map((b) => `${b.label} ${b.text}`).join(', ')}`}
      >
        {props.bars.map((b, i) => {
          const w = ((width - labelW - 90) * b.value) / max;
          return (
            <g key={b.label} transform={`translate(0 ${i * rowH + 2})`}>
              <text x="0" y="17" class="chart-label">
                {b.label}
              </text>
              <rect
                x={labelW}
                y="4"
                width={Math.max(w, b.value > 0 ? 2 : 0)}
                height="18"
                rx="3"
                class="chart-bar"
              />
              <text x={labelW + w + 6} y="17" class="chart-value">
                {b.text}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
