// The shape of what the tutor says about a real output or a typed line that the lessons alone cannot word:
// a search that found only itself, a placeholder typed as written, the output cap. One sentence set per language.

export interface ExplainWords {
  /** `ps … | grep X` in the sandbox found only grep itself. */
  onlyGrep: string;
  /** Before a lab step's command, after the lesson's first lab step has said what the lab is. */
  labLeadAgain: string;
  /** After a one-off `sudo …` sent from the sandbox: it ran on the host's view, and the learner is still in the sandbox. */
  hostOneOff: string;
  /** A step's own-machine lines need a Linux host, which on this platform is Docker Desktop's hidden VM. */
  hostOnlyElsewhere: (p: { platform: string }) => string;
  /** `docker run -d` printed the new container's ID. */
  started: (p: { name?: string }) => string;
  /** `docker rm` printed the names of what it removed. */
  removed: (p: { names: string }) => string;
  /** `docker run IMAGE PROGRAM` whose program is not in the image (exit 127): the container exists, created but never started. */
  notInImage: (p: { program: string; near?: string; name?: string }) => string;
}
