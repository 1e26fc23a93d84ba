// diff.js -- a word-level diff of two texts (longest common subsequence
// over words, after trimming the common head and tail), for showing a
// duplicate beside the item it copies.

// Words with their trailing spaces: "a b" -> ["a ", "b"].
function words(text) {
  return (text || "").match(/\S+\s*/g) || [];
}

const MAX_CELLS = 4e6;  // beyond this the middle is shown as all changed

// Returns [{op: "=", a, b} | {op: "-", a} | {op: "+", b}], where a is a
// word of the first text and b of the second.
export function wordDiff(textA, textB) {
  const A = words(textA), B = words(textB);
  const same = (i, j) => A[i].trimEnd() === B[j].trimEnd();
  let head = 0;
  while (head < A.length && head < B.length && same(head, head)) head++;
  let tail = 0;
  while (tail < A.length - head && tail < B.length - head &&
         same(A.length - 1 - tail, B.length - 1 - tail)) tail++;
  const ops = [];
  for (let i = 0; i < head; i++) ops.push({ op: "=", a: A[i], b: B[i] });
  middle(A.slice(head, A.length - tail), B.slice(head, B.length - tail), ops);
  for (let k = tail; k > 0; k--)
    ops.push({ op: "=", a: A[A.length - k], b: B[B.length - k] });
  return ops;
}

function middle(A, B, ops) {
  const n = A.length, m = B.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    A.forEach(a => ops.push({ op: "-", a }));
    B.forEach(b => ops.push({ op: "+", b }));
    return;
  }
  // L[i][j] = LCS length of A[i..] and B[j..].
  const w = m + 1, L = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      L[i * w + j] = A[i].trimEnd() === B[j].trimEnd()
        ? L[(i + 1) * w + j + 1] + 1
        : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && A[i].trimEnd() === B[j].trimEnd()) {
      ops.push({ op: "=", a: A[i++], b: B[j++] });
    } else if (j < m && (i === n || L[i * w + j + 1] >= L[(i + 1) * w + j])) {
      ops.push({ op: "+", b: B[j++] });
    } else {
      ops.push({ op: "-", a: A[i++] });
    }
  }
}
