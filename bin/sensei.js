#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `sensei` works on a fresh clone without a build step.
// `sensei ask` and `sensei team` must start fast, so they run transpiled JavaScript instead (see compiled-ask.js).
if (process.argv[2] === 'ask') {
  const { compiledAskModule } = await import('./compiled-ask.js');
  const compiled = await compiledAskModule();
  if (compiled) {
    const { commandAsk } = await import(compiled);
    process.exit(await commandAsk(process.argv.slice(3)));
  }
}
if (process.argv[2] === 'team') {
  const { compiledModule } = await import('./compiled-ask.js');
  const compiled = await compiledModule('team/cli.js');
  if (compiled) {
    const { commandTeamFromEnv } = await import(compiled);
    process.exit(await commandTeamFromEnv(process.argv.slice(3)));
  }
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli.ts');
