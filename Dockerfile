# The bot and worker image: one image, two processes (`node bin/sensei.js bot` / `... worker`).
# The TypeScript sources are transpiled into dist/ at build time (esbuild, which tsx brings): processes start
# without tsx's loader. (bin/sensei.js falls back to tsx when dist/ is missing.)
# NODE_IMAGE: the Node base; machines without a registry pass a local stand-in (scripts/compose-standins.sh).
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The worker runs as uid 1001, the lab containers' own user, for the host view (docker-compose.yml, docs/DEPLOY.md).
RUN groupadd -g 1001 sensei && useradd -u 1001 -g 1001 -M -d /nonexistent -s /usr/sbin/nologin sensei
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY lessons ./lessons
# The tutor's knowledge base (src/app.ts reads it at start-up).
COPY knowledge ./knowledge
# config.ts reads the sandbox image version from here; the worker sends the seccomp profiles to the engine.
COPY sandbox/VERSION sandbox/seccomp-userns.json ./sandbox/
RUN node bin/compiled-ask.js
# The bot needs no privileges at all; the worker reaches Docker only through the socket proxy (see docker-compose.yml).
USER node
# Small semi-spaces and V8's memory-saving mode (a slower-growing old space): the bot stays at 124-140 MB with
# 1,000 active learners (docs/BENCHMARKS.md), for a few per cent more CPU. Same flags: scripts/start.sh, bin/sensei.js.
ENTRYPOINT ["node", "--max-semi-space-size=2", "--optimize-for-size", "bin/sensei.js"]
CMD ["bot"]
