// The shape of what the tutor says about a real output or a typed line that the lessons alone cannot word:
// a search that found only itself, a placeholder typed as written, the output cap. One sentence set per language.

export interface ExplainWords {
  /** `ps … | grep X` in the sandbox found only grep itself. */
  onlyGrep: string;
}
