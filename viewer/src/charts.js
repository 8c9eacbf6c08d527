// Small line charts for the live training curves (no library: a 2D canvas and a min/max scale).

/** Draws y(x) with its label and latest value; `log` plots log10(y). */
export function drawChart(canvas, xs, ys, { label, color, log = false, digits = 3 }) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 4, top = 16;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = "#aaa";
  ctx.font = "11px system-ui, sans-serif";
  const last = ys.length ? ys[ys.length - 1] : NaN;
  ctx.fillText(`${label}  ${Number.isFinite(last) ? last.toFixed(digits) : "–"}`, pad, 11);
  if (xs.length < 2) return;
  const f = log ? (v) => Math.log10(Math.max(v, 1e-12)) : (v) => v;
  let lo = Infinity, hi = -Infinity;
  for (const v of ys) if (Number.isFinite(v)) { lo = Math.min(lo, f(v)); hi = Math.max(hi, f(v)); }
  if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
  const x0 = xs[0], x1 = Math.max(xs[xs.length - 1], x0 + 1);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  // At most one point per pixel column keeps long runs cheap to draw.
  const step = Math.max(1, Math.floor(xs.length / w));
  for (let i = 0; i < xs.length; i += step) {
    const px = pad + (xs[i] - x0) / (x1 - x0) * (w - 2 * pad);
    const py = top + (1 - (f(ys[i]) - lo) / (hi - lo)) * (h - top - pad);
    if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  }
  ctx.stroke();
}
