// Output is capped in bytes (what Redis and the engine carry), while text is handled as strings.

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

/** Cuts stdout and then stderr so that together they fit in `maxBytes`; `cut` says whether anything went. */
export function capStreams(stdout: string, stderr: string, maxBytes: number): { stdout: string; stderr: string; cut: boolean } {
  if (Buffer.byteLength(stdout, 'utf8') + Buffer.byteLength(stderr, 'utf8') <= maxBytes) return { stdout, stderr, cut: false };
  const out = cutUtf8(stdout, maxBytes);
  return { stdout: out, stderr: cutUtf8(stderr, Math.max(0, maxBytes - Buffer.byteLength(out, 'utf8'))), cut: true };
}
