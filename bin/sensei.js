#!/usr/bin/env -S node --max-semi-space-size=2 --optimize-for-size
// The bot's node flags, as the Dockerfile and scripts/start.sh give them, when this runs as `sensei` (npm's bin link).
// `sensei` works on a fresh clone without a build step: the TypeScript sources are transpiled once into dist/
// (bin/compiled-ask.js; again only after a source file changes) and run as plain JavaScript. That keeps tsx's
// loader (about a second of start-up and 35 MB of memory in the bot) out of every process. When dist/ cannot
// be written, tsx runs the sources directly. `sensei ask` and `sensei team` load only their own modules.
const { compiledModule } = await import('./compiled-ask.js');
const narrow = { ask: ['knowledge/cli.js', 'commandAsk'], team: ['team/cli.js', 'commandTeamFromEnv'] }[process.argv[2] ?? ''];
if (narrow) {
  const compiled = await compiledModule(narrow[0]);
  if (compiled) {
    const entry = (await import(compiled))[narrow[1]];
    process.exit(await entry(process.argv.slice(3)));
  }
}
const cli = process.env.SENSEI_TSX === '1' ? undefined : await compiledModule('cli.js');
if (cli) {
  await import(cli);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
