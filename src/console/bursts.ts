// Lines that reach a terminal together are a paste: readline hands them over one by one, so the console
// gathers the ones that arrive within a few milliseconds of each other into one message, as Discord gets it.

const QUIET = Symbol('quiet');

/** A burst is every line that arrived within `windowMs` of the one before it; a line typed alone is a burst of one. */
export class LineBursts {
  private pending: Promise<IteratorResult<string>> | undefined;

  constructor(
    private readonly lines: AsyncIterator<string>,
    private readonly windowMs = 30,
  ) {}

  /** The next burst of lines, or undefined at the end of the input. */
  async next(): Promise<string[] | undefined> {
    const first = await this.take();
    if (first.done) return undefined;
    const burst = [first.value];
    for (;;) {
      const more = this.take();
      const got = await Promise.race([more, new Promise<typeof QUIET>((r) => setTimeout(() => r(QUIET), this.windowMs))]);
      // Nothing more came (or the input ended): the line still on its way belongs to the next burst.
      if (got === QUIET || got.done) {
        this.pending = more;
        return burst;
      }
      burst.push(got.value);
    }
  }

  private take(): Promise<IteratorResult<string>> {
    const next = this.pending ?? this.lines.next();
    this.pending = undefined;
    return next;
  }
}
