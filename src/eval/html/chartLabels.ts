/** A point's label on the chart: where its text goes. */
export interface PlacedLabel {
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'end';
}

interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The text's box, estimated: SVG text cannot be measured without a browser. */
const CHAR_WIDTH = 7.4;
const LINE = 15;

/**
 * Labels beside their points without covering one another or another point: for each point, in
 * order, the first of right-above, right-below, left-above, left-below that is free and inside
 * `bounds`; else stacked above. Models of one tier often sit close, and overlapping names are unreadable.
 */
export function placeLabels(points: readonly { cx: number; cy: number; text: string }[], bounds: Box): PlacedLabel[] {
  const taken: Box[] = points.map((p) => ({ left: p.cx - 10, right: p.cx + 10, top: p.cy - 10, bottom: p.cy + 10 }));
  return points.map((p) => {
    const width = p.text.length * CHAR_WIDTH;
    const candidates: PlacedLabel[] = [
      { x: p.cx + 11, y: p.cy - 9, anchor: 'start' },
      { x: p.cx + 11, y: p.cy + 20, anchor: 'start' },
      { x: p.cx - 11, y: p.cy - 9, anchor: 'end' },
      { x: p.cx - 11, y: p.cy + 20, anchor: 'end' },
      ...[1, 2, 3].map((k): PlacedLabel => ({ x: p.cx + 11, y: p.cy - 9 - k * LINE, anchor: 'start' })),
    ];
    const boxOf = (l: PlacedLabel): Box => {
      const left = l.anchor === 'start' ? l.x : l.x - width;
      return { left, right: left + width, top: l.y - LINE + 3, bottom: l.y + 3 };
    };
    const fits = (b: Box): boolean =>
      b.left >= bounds.left &&
      b.right <= bounds.right &&
      b.top >= bounds.top &&
      b.bottom <= bounds.bottom &&
      !taken.some((t) => overlaps(t, b));
    const chosen = candidates.find((l) => fits(boxOf(l))) ?? candidates[0]!;
    taken.push(boxOf(chosen));
    return chosen;
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
