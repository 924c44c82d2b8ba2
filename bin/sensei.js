#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `sensei` works on a fresh clone without a build step.
// `sensei ask` must start fast, so it runs transpiled JavaScript instead (see compiled-ask.js).
if (process.argv[2] === 'ask') {
  const { compiledAskModule } = await import('./compiled-ask.js');
  const compiled = await compiledAskModule();
  if (compiled) {
    const { commandAsk } = await import(compiled);
    process.exit(await commandAsk(process.argv.slice(3)));
  }
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli.ts');
