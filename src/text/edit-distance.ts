/**
 * Edit distance: insertions, deletions and substitutions, and with `transpositions` a swap of two neighbours
 * (`netwrok`) counts as one edit too (optimal string alignment). With `max`, gives up early and returns
 * max + 1 as soon as the distance must exceed it, so typo lookups over a whole vocabulary stay cheap.
 */
export function editDistance(a: string, b: string, opts: { max?: number; transpositions?: boolean } = {}): number {
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rows, reused: the one before the previous is needed for transpositions.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (opts.transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
