// The checked cards as retrieval and the tutor use them. Free of the YAML parser and zod, so the fast
// `sensei ask` path can rebuild it from its cached index without loading either.

import { lessonLanguages, type Lang } from '../lessons/languages.js';
import type { CardData } from './schema.js';

/** A checked knowledge card in one language, as retrieval and the tutor use it. */
export interface Card extends CardData {
  lang: Lang;
  /** Relative to the knowledge directory, e.g. `ja/netns.yaml`. */
  file: string;
}

/** The cards of every language; the same ids in each (parity is checked when they are built). */
export class Knowledge {
  private readonly byLang: ReadonlyMap<Lang, readonly Card[]>;
  private readonly byId: ReadonlyMap<string, Card>;

  constructor(cards: readonly Card[]) {
    const byLang = new Map<Lang, Card[]>(lessonLanguages.map((lang) => [lang, []]));
    for (const card of cards) byLang.get(card.lang)?.push(card);
    // Ids are ASCII: a plain comparison, not localeCompare, which loads ICU collation data on a cold start.
    for (const list of byLang.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.byLang = byLang;
    this.byId = new Map(cards.map((card) => [`${card.lang}:${card.id}`, card]));
  }

  list(lang: Lang): readonly Card[] {
    return this.byLang.get(lang) ?? [];
  }

  get(lang: Lang, id: string): Card | undefined {
    return this.byId.get(`${lang}:${id}`);
  }

  get size(): number {
    return this.list(lessonLanguages[0]).length;
  }
}

