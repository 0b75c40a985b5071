/**
 * A unified diff of two texts by lines (longest common subsequence), with
 * `context` unchanged lines around each change. Small and dependency-free:
 * generated files are at most a few hundred lines.
 */
export function unifiedDiff(oldText: string, newText: string, oldLabel: string, newLabel: string, context = 2): string {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: { kind: ' ' | '-' | '+'; line: string; oldNo: number; newNo: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i]!, oldNo: i++, newNo: j++ });
    else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!))
      ops.push({ kind: '+', line: b[j]!, oldNo: i, newNo: j++ });
    else ops.push({ kind: '-', line: a[i]!, oldNo: i++, newNo: j });
  }
  const out = [`--- ${oldLabel}`, `+++ ${newLabel}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are closer than 2×context lines apart.
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]!.kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.kind === ' ') gap++;
      end = next;
      if (gap >= ops.length || gap - next > 2 * context) break;
      end = gap;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    out.push(`@@ -${hunk[0]!.oldNo + 1} +${hunk[0]!.newNo + 1} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    k = stop;
    start = stop;
  }
  return out.join('\n');
}
