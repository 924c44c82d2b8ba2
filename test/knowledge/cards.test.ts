import { describe, expect, it } from 'vitest';
import { checkCardSources, KnowledgeError } from '../../src/knowledge/cards.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { renderedLength } from '../../src/knowledge/schema.js';
import { lineOf } from '../lessons/fixtures.js';
import { FIXTURE_KNOWLEDGE, fixtureSources, realCurriculum, withChange } from './fixtures.js';

const curriculum = await realCurriculum();

function problemsAfter(file: string, change: (text: string) => string) {
  const sources = withChange(fixtureSources(), file, change);
  const { knowledge, problems } = checkCardSources(sources, curriculum);
  expect(knowledge).toBeUndefined();
  return { problems, text: sources.find((s) => s.file === file)!.text };
}

describe('knowledge cards', () => {
  it('loads the fixture cards in both languages, checked against the curriculum', async () => {
    const knowledge = await loadKnowledge(FIXTURE_KNOWLEDGE, { curriculum });
    expect(knowledge.size).toBe(6);
    expect(knowledge.list('ja').map((c) => c.id)).toEqual(knowledge.list('en').map((c) => c.id));
    const netns = knowledge.get('ja', 'netns');
    expect(netns).toMatchObject({ lang: 'ja', file: 'ja/netns.yaml', lesson: 'network-namespace', step: 1 });
    expect(netns?.try?.expect[0]?.match.stdout).toEqual(['^1: lo']);
  });

  it('places a missing field on the line of the mapping that lacks it', () => {
    const { problems } = problemsAfter('en/netns.yaml', (t) => t.replace(/^answer: \|\n(?: {2}.*\n)+/m, ''));
    expect(problems).toEqual([expect.objectContaining({ file: 'en/netns.yaml', path: 'answer', message: 'is missing', line: 1 })]);
  });

  it('names a misspelt field and suggests the right one', () => {
    const { problems, text } = problemsAfter('ja/memory-max.yaml', (t) => t.replace('aliases:', 'alias:'));
    expect(problems).toContainEqual(expect.objectContaining({ path: 'alias', message: 'is not a field here; did you mean `aliases`?', line: lineOf(text, 'alias:') }));
  });

  it('reports invalid YAML with its line, and advice for an unquoted ": "', () => {
    const { problems, text } = problemsAfter('en/overlayfs.yaml', (t) => t.replace('  - what is overlayfs', '  - what is overlayfs: really'));
    expect(problems[0]).toMatchObject({ file: 'en/overlayfs.yaml', path: 'asked[0]', line: lineOf(text, 'overlayfs: really') });
    expect(problems[0]?.message).toMatch(/put text that contains ": " in quotes/);
  });

  it('reports a bad regular expression in a try expectation on its own line', () => {
    const { problems, text } = problemsAfter('ja/netns.yaml', (t) => t.replace(`stdout: '^1: lo'`, `stdout: '^(1: lo'`));
    expect(problems[0]).toMatchObject({ path: 'try.expect[0].match.stdout[0]', line: lineOf(text, `'^(1: lo'`) });
    expect(problems[0]?.message).toMatch(/is not a valid regular expression/);
  });

  it('refuses an answer longer than 700 characters once rendered, and counts markdown as rendered', () => {
    expect(renderedLength('`memory.max` is **the** [limit](https://example.org)')).toBe('memory.max is the limit'.length);
    const long = `answer: |\n  ${'A namespace wraps a global resource. '.repeat(20)}\n`;
    const { problems } = problemsAfter('en/netns.yaml', (t) => t.replace(/^answer: \|\n(?: {2}.*\n)+/m, long));
    expect(problems).toEqual([expect.objectContaining({ path: 'answer', message: expect.stringMatching(/^is 7\d\d characters once rendered; keep it at most 700$/) })]);
  });

  it('needs the id to equal the file name', () => {
    const { problems } = problemsAfter('en/netns.yaml', (t) => t.replace('id: netns', 'id: net-ns'));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'en/netns.yaml', path: 'id', line: 1, message: expect.stringMatching(/named netns\.yaml/) }));
  });

  it('refuses a source that is not an https URL, and more than three sources', () => {
    const url = 'https://docs.kernel.org/filesystems/overlayfs.html';
    const bad = problemsAfter('ja/overlayfs.yaml', (t) => t.replace(`  - ${url}`, '  - docs.kernel.org/filesystems/overlayfs.html'));
    expect(bad.problems).toEqual([expect.objectContaining({ path: 'sources[0]', message: 'should be an https:// URL of a primary source' })]);
    const many = problemsAfter('ja/overlayfs.yaml', (t) => t.replace(`  - ${url}`, [1, 2, 3, 4].map((n) => `  - ${url}#${n}`).join('\n')));
    expect(many.problems).toEqual([expect.objectContaining({ path: 'sources', message: 'has more than 3 sources; keep the primary ones' })]);
  });

  describe('parity', () => {
    it('needs every card in both languages', () => {
      const sources = fixtureSources().filter((s) => s.file !== 'en/exit-code-137.yaml');
      const { problems } = checkCardSources(sources, curriculum);
      expect(problems).toEqual([expect.objectContaining({ file: 'ja/exit-code-137.yaml', message: 'has no en version; add en/exit-code-137.yaml' })]);
    });

    it('needs the same try, lesson, step, sources and tags in both; only the words differ', () => {
      let sources = withChange(fixtureSources(), 'en/netns.yaml', (t) => t.replace('command: ip -o link', 'command: ip link').replace('tags: [namespace, network]', 'tags: [network]'));
      sources = withChange(sources, 'en/memory-max.yaml', (t) => t.replace('lesson: memory-and-oom', 'lesson: cgroup-versions'));
      const { problems } = checkCardSources(sources, curriculum);
      expect(problems.map((p) => `${p.file} ${p.path}`).sort()).toEqual(['en/memory-max.yaml lesson', 'en/netns.yaml tags', 'en/netns.yaml try']);
      expect(problems[0]?.message).toMatch(/differs from ja\//);
    });

    it('does not blame the other language for a card that is broken', () => {
      const sources = withChange(fixtureSources(), 'ja/netns.yaml', (t) => t.replace('title:', 'titel:'));
      const { problems } = checkCardSources(sources, curriculum);
      expect(problems.every((p) => p.file === 'ja/netns.yaml')).toBe(true);
    });
  });

  describe('against the curriculum', () => {
    it('needs the lesson to exist', () => {
      const { problems, text } = problemsAfter('ja/overlayfs.yaml', (t) => t.replace('lesson: overlayfs', 'lesson: overlay-fs'));
      expect(problems).toContainEqual(expect.objectContaining({ path: 'lesson', line: lineOf(text, 'lesson: overlay-fs'), message: expect.stringMatching(/is "overlay-fs", which is not a lesson; the lessons are container-is-a-process/) }));
    });

    it('needs the step to be within the lesson', () => {
      let sources = withChange(fixtureSources(), 'ja/netns.yaml', (t) => t.replace('step: 1', 'step: 99'));
      sources = withChange(sources, 'en/netns.yaml', (t) => t.replace('step: 1', 'step: 99'));
      const { problems } = checkCardSources(sources, curriculum);
      expect(problems).toContainEqual(expect.objectContaining({ file: 'ja/netns.yaml', path: 'step', message: expect.stringMatching(/^is 99, but lesson network-namespace has \d+ steps$/) }));
    });
  });

  it('throws one KnowledgeError naming every file and line', async () => {
    const error = await loadKnowledge('/nonexistent/knowledge').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KnowledgeError);
    expect((error as KnowledgeError).message).toMatch(/cannot be read as the cards directory/);
  });
});
