import { describe, expect, it } from 'vitest';
import { splitShellWords, type ShellToken } from '../../src/lab/shell.js';

function words(line: string): string[] {
  const result = splitShellWords(line);
  if (!result.ok) throw new Error(`expected words, got ${result.problem.code}`);
  return result.tokens.map((t: ShellToken) => (t.type === 'word' ? t.value : `<${t.op}>`));
}

function problem(line: string) {
  const result = splitShellWords(line);
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.tokens)}`);
  return result.problem;
}

describe('splitShellWords', () => {
  it('splits on blanks and collapses runs of them', () => {
    expect(words('docker  run\t-d   alpine')).toEqual(['docker', 'run', '-d', 'alpine']);
  });

  it('keeps single-quoted text literal, including $, backslashes and double quotes', () => {
    expect(words(`sh -c 'echo $HOME \\n "x" | grep y'`)).toEqual(['sh', '-c', 'echo $HOME \\n "x" | grep y']);
    expect(words(`docker inspect -f '{{.Id}}' c`)).toEqual(['docker', 'inspect', '-f', '{{.Id}}', 'c']);
  });

  it('handles backslash escapes inside double quotes the POSIX way', () => {
    expect(words(String.raw`echo "a \"b\" c\\d \$x \n"`)).toEqual(['echo', String.raw`a "b" c\d $x \n`]);
  });

  it('joins quoted and unquoted parts into one word, like --memory="128m"', () => {
    expect(words('--memory="128m"')).toEqual(['--memory=128m']);
    expect(words(`a'b'"c"d`)).toEqual(['abcd']);
    expect(words(`--name='my container'`)).toEqual(['--name=my container']);
  });

  it('keeps empty quoted strings as empty words', () => {
    expect(words(`echo '' ""`)).toEqual(['echo', '', '']);
  });

  it('treats a backslash outside quotes as escaping the next character', () => {
    expect(words(String.raw`echo a\ b \| \; \'x\'`)).toEqual(['echo', 'a b', '|', ';', "'x'"]);
    expect(words('docker ps \\\n -a')).toEqual(['docker', 'ps', '-a']);
  });

  it('reports operators outside quotes and leaves them alone inside quotes', () => {
    expect(words('ps aux | grep "sleep 7777"')).toEqual(['ps', 'aux', '<|>', 'grep', 'sleep 7777']);
    expect(words('a&&b||c;d>e>>f<g&')).toEqual(['a', '<&&>', 'b', '<||>', 'c', '<;>', 'd', '<>>', 'e', '<>>>', 'f', '<<>', 'g', '<&>']);
    expect(words(`echo "a|b;c>d" 'e&&f'`)).toEqual(['echo', 'a|b;c>d', 'e&&f']);
  });

  it('drops comments, and blank or comment-only lines around the command', () => {
    expect(words('docker ps # list them')).toEqual(['docker', 'ps']);
    expect(words('# 1. start it\n\ndocker ps\n')).toEqual(['docker', 'ps']);
    expect(words('a#b')).toEqual(['a#b']);
    expect(words('docker ps\ndocker ps -a')).toEqual(['docker', 'ps', '<newline>', 'docker', 'ps', '-a']);
  });

  it('gives 1-based columns for words', () => {
    const result = splitShellWords('docker  ps');
    expect(result.ok && result.tokens.map((t) => t.column)).toEqual([1, 9]);
  });

  it('reports unbalanced quotes with the column where they open', () => {
    expect(problem(`echo 'abc`)).toEqual({ code: 'unclosed-single-quote', column: 6, text: "'" });
    expect(problem('echo "abc')).toEqual({ code: 'unclosed-double-quote', column: 6, text: '"' });
    expect(problem(String.raw`echo "abc\"`).code).toBe('unclosed-double-quote');
    expect(problem('echo abc\\').code).toBe('trailing-backslash');
  });

  it('reports command substitution and variables unless single-quoted', () => {
    expect(problem('echo $(id)')).toMatchObject({ code: 'command-substitution', text: '$(' });
    expect(problem('echo "$(id)"')).toMatchObject({ code: 'command-substitution', column: 7 });
    expect(problem('echo `id`')).toMatchObject({ code: 'command-substitution', text: '`' });
    expect(problem('echo "`id`"')).toMatchObject({ code: 'command-substitution' });
    expect(problem('echo $HOME')).toMatchObject({ code: 'shell-variable', text: '$HOME' });
    expect(problem('echo "${HOME}"')).toMatchObject({ code: 'shell-variable', text: '${HOME}' });
    expect(words(`echo '$(id) $HOME'`)).toEqual(['echo', '$(id) $HOME']);
    expect(words('echo $ 5$')).toEqual(['echo', '$', '5$']);
  });
});
