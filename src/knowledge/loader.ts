import { join } from 'node:path';
import type { Curriculum } from '../lessons/curriculum.js';
import { readLessonSources } from '../lessons/loader.js';
import { checkCardSources, KnowledgeError, type Knowledge } from './cards.js';

/**
 * Reads `<dir>/<lang>/<id>.yaml` for every language and checks the cards (schema, parity, and with a
 * curriculum their lessons and steps). Throws a KnowledgeError naming every problem with file and line.
 */
export async function loadKnowledge(dir: string, opts: { curriculum?: Curriculum } = {}): Promise<Knowledge> {
  const { sources, problems } = await readLessonSources(dir, 'card');
  const checked = checkCardSources(sources, opts.curriculum);
  // Name files by the path an author can open, e.g. knowledge/ja/netns.yaml.
  const all = [...problems, ...checked.problems].map((p) => ({ ...p, file: join(dir, p.file) }));
  if (all.length > 0 || !checked.knowledge) throw new KnowledgeError(all);
  return checked.knowledge;
}
