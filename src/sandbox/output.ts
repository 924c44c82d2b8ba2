import type { Readable } from 'node:stream';

/** Splits Docker's multiplexed attach stream (8-byte frame headers) into stdout and stderr payloads. */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size);
      // 1 = stdout, 2 = stderr; stdin echo (0) never happens without a TTY.
      if (type === 2) this.onFrame('stderr', payload);
      else this.onFrame('stdout', payload);
      buf = buf.subarray(8 + size);
    }
    this.pending = Buffer.from(buf);
  }
}

const TAIL_BYTES = 256;

/**
 * Keeps at most `limit` bytes of output in total across both streams, while always remembering the
 * last bytes of stderr (where the wrapper's trailer lives). Memory stays bounded whatever arrives.
 */
export class CappedOutput {
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private kept = 0;
  private seen = 0;
  private stderrSeen = 0;
  private stderrTail: Buffer = Buffer.alloc(0);
  /** Set once output passed the limit; the runner then stops the command early. */
  overflowed = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void = () => {},
  ) {}

  push(stream: 'stdout' | 'stderr', payload: Buffer): void {
    this.seen += payload.length;
    if (stream === 'stderr') {
      this.stderrSeen += payload.length;
      this.stderrTail = Buffer.concat([this.stderrTail, payload.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    }
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = payload.length <= room ? payload : payload.subarray(0, room);
      this.chunks[stream].push(Buffer.from(part));
      this.kept += part.length;
    }
    // The trailer (under 64 bytes) may push us past the limit without the command's output doing so.
    if (!this.overflowed && this.seen > this.limit + 64) {
      this.overflowed = true;
      this.onOverflow();
    }
  }

  /** Whether the command's own output (without the trailer) did not fit. */
  truncated(trailerBytes = 0): boolean {
    return this.overflowed || this.seen - trailerBytes > this.limit;
  }

  tail(): Buffer {
    return this.stderrTail;
  }

  /**
   * The collected text. `trailerBytes` are the last bytes of the whole stderr stream (the wrapper's
   * trailer); each stream's kept bytes are a prefix of it, so the cut point is simple arithmetic.
   */
  text(trailerBytes = 0): { stdout: string; stderr: string } {
    const stderr = Buffer.concat(this.chunks.stderr);
    const end = Math.max(0, Math.min(stderr.length, this.stderrSeen - trailerBytes));
    return { stdout: decode(Buffer.concat(this.chunks.stdout)), stderr: decode(stderr.subarray(0, end)) };
  }
}

/** Invalid UTF-8 becomes U+FFFD; NUL bytes are kept here and removed by each transport's renderer. */
function decode(buf: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(buf);
}

/**
 * Feeds a multiplexed Docker stream into `output` until the stream ends or closes (demuxStream never
 * ends its targets, so the source is watched). Rejects on a stream error before the end.
 */
export function drainFrames(stream: Readable, output: CappedOutput): Promise<void> {
  const demux = new FrameDemuxer((which, payload) => output.push(which, payload));
  return new Promise((resolve, reject) => {
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      resolve();
    };
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}
