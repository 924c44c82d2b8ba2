import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { startTutorApp } from '../app.js';
import { parseLang } from '../tutor/intent.js';
import type { Reply } from '../tutor/reply.js';
import type { Progress } from '../queue/jobs.js';
import { whereOf } from '../tutor/engine.js';
import { placeName } from '../tutor/persona-talk.js';
import { configuredLogger } from '../log.js';
import { interruptedReply, outageReply } from '../tutor/outage.js';
import { LineBursts } from './bursts.js';
import { CONSOLE_USAGES, parseConsoleLine, type ConsoleInput } from './input.js';
import { consoleStreak, consoleTeam } from './team.js';
import { renderForTerminal } from './render.js';

/**
 * `sensei chat`: the tutor in a terminal, over the same engine, queue and sandbox as Discord.
 * On a TTY it is an interactive chat with colours; otherwise it reads one message per line and
 * prints each reply, so a transcript can be piped through it.
 */
export async function runConsoleChat(config: Config, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { learner: { type: 'string' }, lang: { type: 'string' } } });
  const explicitLang = values.lang === undefined ? undefined : parseLang(values.lang);
  if (values.lang !== undefined && !explicitLang) {
    process.stderr.write(`sensei: --lang must be ja or en (got "${values.lang}")\n`);
    return 2;
  }
  const learner = values.learner ?? `console-${userInfo().username.replace(/[^A-Za-z0-9_.-]/g, '') || 'you'}`;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  // Take the line iterator before any await: lines piped in arrive at once, and readline does not
  // keep lines emitted before someone listens.
  const lines = rl[Symbol.asyncIterator]();
  // The learner's terminal hears the tutor, not the plumbing: an outage is worded by the tutor; logs on request.
  const log = configuredLogger(config, process.env.SENSEI_LOG ? config.SENSEI_LOG : 'error');
  let app: Awaited<ReturnType<typeof startTutorApp>>;
  try {
    app = await startTutorApp(config, log, { defaultLang: explicitLang ?? 'ja', inlineWorkerPool: 1, endSessionsOnClose: true, commandUsages: CONSOLE_USAGES });
  } catch (err) {
    rl.close();
    throw err;
  }
  const say = (reply: Reply) => {
    const { text } = renderForTerminal(reply, { color: tty });
    process.stdout.write(`${text}\n\n`);
  };
  // Other learners' notices belong to their own consoles.
  app.deliverNoticesWith(async (learnerId, reply) => {
    if (learnerId === learner) say(reply);
  });
  let lang = explicitLang ?? 'ja';
  try {
    const known = await app.tutor.whereIs(learner);
    lang = explicitLang ?? known?.state.lang ?? lang;
    // A new learner starts in the language asked for; a returning one switches to it.
    if (known && explicitLang && known.state.lang !== explicitLang) await app.tutor.handle(learner, { type: 'language', lang: explicitLang });
    say(await app.tutor.handle(learner, { type: 'hello' }, explicitLang ? { langHint: explicitLang } : {}));
    // A chat killed mid-command left it unanswered: say so, and let it go rather than leave "still running".
    const left = await app.queue.abandonPrevious(learner);
    if (left !== undefined) say(interruptedReply(lang, left));
    const prompt = async () => {
      if (!tty) return;
      const where = await app.tutor.whereIs(learner).catch(() => undefined);
      const lesson = where?.lesson ? `${where.lesson.id} ${where.state.stepIndex + 1}/${where.lesson.steps.length}` : 'practice';
      const place = where ? placeName(where.state.lang, whereOf(where.state)) : '';
      rl.setPrompt(`\u001b[2m[${lesson} · ${place}]\u001b[0m you> `);
      rl.prompt();
    };
    await prompt();
    const onProgress = tty
      ? (p: Progress) => {
          if (p.stage === 'queued' && p.position > 1) process.stdout.write(`\u001b[2m⏳ queued: ${p.position}\u001b[0m\n`);
          if (p.stage === 'started') process.stdout.write('\u001b[2m▶ running…\u001b[0m\n');
        }
      : undefined;
    // On a terminal, lines that arrive together are a paste and go to the tutor as one message (its paste
    // limit and silent comments apply); piped input stays one message per line, so a transcript runs as written.
    const bursts = new LineBursts(lines);
    const nextMessage = async (): Promise<string[] | undefined> => {
      if (tty) return bursts.next();
      const one = await lines.next();
      return one.done ? undefined : [one.value];
    };
    for (let burst = await nextMessage(); burst; burst = await nextMessage()) {
      const typed = burst.map(parseConsoleLine);
      const paste = tty && burst.length > 1 && typed.every((i) => i.kind === 'nothing' || (i.kind === 'event' && i.event.type === 'line'));
      const inputs: ConsoleInput[] = paste ? [{ kind: 'event', event: { type: 'line', text: burst.join('\n') } }] : typed;
      let quit = false;
      for (const [index, input] of inputs.entries()) {
        const line = paste ? '' : burst[index]!;
        if (!tty && line.trim() !== '') process.stdout.write(`> ${line}\n`);
        if (input.kind === 'quit') {
          quit = true;
          break;
        }
        if (input.kind === 'event') {
          // A typed line goes through `typed`; a paste runs line by line, each line shown as it is answered.
          // An outage (Redis gone a moment) is answered kindly, and the chat goes on to the next line.
          // In a paste, the line being answered is shown before its progress and reply.
          const onLine = paste ? (answered: string) => void process.stdout.write(`\u001b[2m› ${answered}\u001b[0m\n`) : undefined;
          try {
            if (input.event.type === 'line') await app.tutor.typed(learner, input.event.text, { ...(onProgress ? { onProgress } : {}), ...(onLine ? { onLine } : {}), onReply: say });
            else say(await app.tutor.handle(learner, input.event, onProgress ? { onProgress } : {}));
          } catch (err) {
            log.warn('a line could not be answered', (err as Error).message);
            say(outageReply(lang));
          }
          if (input.event.type === 'progress') process.stdout.write(`${await consoleStreak(app, learner)}\n\n`);
        }
        if (input.kind === 'team') process.stdout.write(`${await consoleTeam(app, learner, input.action)}\n\n`);
      }
      if (quit) break;
      await prompt();
    }
  } finally {
    rl.close();
    await app.close();
  }
  return 0;
}
