// What the tutor says when a typed command meets one of the sandbox's limits: the limit, and what it teaches.
// Warm and short, with a 💡 to try next. The rules that pick one are in ../limit-moments.ts.
import type { Lang } from '../../lessons/index.js';

export type LimitMomentId = 'fork-bomb' | 'fork-bomb-not-started' | 'network-tool-missing' | 'package-install' | 'network-failed' | 'tmp-full' | 'read-only-root' | 'nul-output';

/** The sandbox's limits in the units a learner reads. */
export interface ShownLimits {
  pids: number;
  tmpMiB: number;
  outputKiB: number;
}

type LimitWords = Readonly<Record<LimitMomentId, (l: ShownLimits) => string>>;

const en: LimitWords = {
  'fork-bomb': (l) =>
    `That was a fork bomb, and the sandbox held 🧯 Its cgroup allows ${l.pids} processes (\`pids.max\`), so once they were taken every new fork failed ("Resource temporarily unavailable") and the bomb could not spread to the host. That is exactly what Docker's \`--pids-limit\` is for.\n💡 \`cat /sys/fs/cgroup/pids/pids.max\` (cgroup v1) or \`cat /sys/fs/cgroup/pids.max\` (v2) shows the limit.`,
  'fork-bomb-not-started': (l) =>
    `That is the classic fork bomb, but it never started: this sandbox's \`sh\` is dash, which does not allow \`:\` as a function name ("Bad function name"), so the line stopped at a syntax error 🙂 Under bash it would run, and the cgroup's \`pids.max\` (${l.pids} processes here) is what would stop it from spreading: every fork past that fails.\n💡 \`cat /sys/fs/cgroup/pids/pids.max\` (cgroup v1) or \`cat /sys/fs/cgroup/pids.max\` (v2) shows the limit.`,
  'network-tool-missing': () =>
    `That tool is not in this image, and it would not help here anyway 🌐 The sandbox has no network on purpose (\`--network none\`): it gets an empty network namespace with only the loopback \`lo\`.\n💡 \`ip addr\` shows what the namespace holds.`,
  'package-install': () =>
    `Installing packages cannot work in this sandbox, on purpose 📦 It has no network (\`--network none\`, an empty network namespace) and its root filesystem is read-only. In real life you add tools when you build an image (a \`RUN apt-get install …\` line in a Dockerfile), not in a running container.\n💡 \`ip addr\` shows the empty network namespace.`,
  'network-failed': () =>
    `Nothing can go out from here 🌐 The sandbox runs with no network on purpose (\`--network none\`): its network namespace is empty apart from the loopback \`lo\`, so names do not resolve and no route leads anywhere.\n💡 \`ip addr\` and \`ip route\` show the empty namespace.`,
  'tmp-full': (l) =>
    `The disk is "full" at ${l.tmpMiB} MiB: \`/tmp\` (and your home) is a ${l.tmpMiB} MiB tmpfs, a filesystem in memory with a size cap, so a big write stops with "No space left on device" 💾 That keeps one learner from filling the host's disk.\n💡 \`df -h /tmp\` shows the size, and \`rm /tmp/FILE\` frees it again.`,
  'read-only-root': (l) =>
    `The root filesystem is read-only, so nothing outside the writable spots can be changed or removed 🔒 (the sandbox runs with \`--read-only\`). Only \`/tmp\` and your home are writable: each a ${l.tmpMiB} MiB tmpfs. Even \`rm -rf /\` just gets a "Read-only file system" for every file.\n💡 \`findmnt -no OPTIONS / | cut -d, -f1\` shows \`ro\`; \`touch /tmp/x\` works.`,
  'nul-output': (l) =>
    `That printed NUL bytes: \`/dev/zero\` hands out zero bytes forever, and they show as nothing 👀 So the output looks empty, yet it filled the ${l.outputKiB} KiB output cap and the sandbox stopped it there.\n💡 \`head -c 16 /dev/zero | od -c\` shows the zeros.`,
};

const ja: LimitWords = {
  'fork-bomb': (l) =>
    `いまのは fork 爆弾。でもサンドボックスはちゃんと耐えたよ 🧯 この cgroup はプロセスを ${l.pids} 個まで（\`pids.max\`）に制限していて、埋まったあとの fork はすべて失敗（「Resource temporarily unavailable」）するから、爆弾はホストまで広がれないんだ。Docker の \`--pids-limit\` はまさにこのためにあるよ。\n💡 \`cat /sys/fs/cgroup/pids/pids.max\`（cgroup v1）か \`cat /sys/fs/cgroup/pids.max\`（v2）で上限を見られるよ。`,
  'fork-bomb-not-started': (l) =>
    `有名な fork 爆弾だね。でも今回は始まってもいないんだ：このサンドボックスの \`sh\` は dash で、\`:\` を関数名に使えない（「Bad function name」）から、構文エラーで止まったんだよ 🙂 bash なら動き出すけど、そのときに広がりを止めるのが cgroup の \`pids.max\`（ここでは ${l.pids} プロセス）。それを超える fork はすべて失敗するんだ。\n💡 \`cat /sys/fs/cgroup/pids/pids.max\`（cgroup v1）か \`cat /sys/fs/cgroup/pids.max\`（v2）で上限を見られるよ。`,
  'network-tool-missing': () =>
    `その道具はこのイメージに入っていないし、あってもここでは役に立たないんだ 🌐 サンドボックスはわざとネットワークなし（\`--network none\`）で動いていて、ループバックの \`lo\` だけの空っぽの network namespace をもらっているんだよ。\n💡 \`ip addr\` で名前空間の中身を見てみよう。`,
  'package-install': () =>
    `このサンドボックスではパッケージを入れられないんだ、わざとね 📦 ネットワークがなく（\`--network none\`、空っぽの network namespace）、ルートファイルシステムも読み取り専用だから。実際の現場では、道具は動いているコンテナではなくイメージを作るとき（Dockerfile の \`RUN apt-get install …\`）に入れるんだよ。\n💡 \`ip addr\` で空っぽの network namespace を見てみよう。`,
  'network-failed': () =>
    `ここからは外に出られないんだ 🌐 サンドボックスはわざとネットワークなし（\`--network none\`）で動いていて、network namespace にはループバックの \`lo\` しかない。だから名前も引けないし、どこへの経路もないんだよ。\n💡 \`ip addr\` と \`ip route\` で空っぽの名前空間を見てみよう。`,
  'tmp-full': (l) =>
    `${l.tmpMiB} MiB で「ディスクがいっぱい」になったよ 💾 \`/tmp\`（とホーム）はサイズ上限 ${l.tmpMiB} MiB の tmpfs（メモリ上のファイルシステム）だから、大きく書くと「No space left on device」で止まるんだ。一人の学習者がホストのディスクを埋められないようにするためだよ。\n💡 \`df -h /tmp\` で大きさを確かめて、\`rm /tmp/ファイル名\` で空けられるよ。`,
  'read-only-root': (l) =>
    `ルートファイルシステムが読み取り専用だから、書き込める場所の外は変えることも消すこともできないんだ 🔒（サンドボックスは \`--read-only\` で動いているよ）。書き込めるのは \`/tmp\` とホームだけで、どちらも ${l.tmpMiB} MiB の tmpfs。\`rm -rf /\` でさえ、ファイルごとに「Read-only file system」が返ってくるだけなんだ。\n💡 \`findmnt -no OPTIONS / | cut -d, -f1\` で \`ro\` が見えるし、\`touch /tmp/x\` なら書けるよ。`,
  'nul-output': (l) =>
    `いま出てきたのは NUL バイトなんだ。\`/dev/zero\` はゼロのバイトを無限に返して、それは画面には何も見えないんだよ 👀 だから出力は空っぽに見えるけど、実は ${l.outputKiB} KiB の出力上限を使い切って、そこでサンドボックスが止めたんだ。\n💡 \`head -c 16 /dev/zero | od -c\` でゼロが見えるよ。`,
};

export const limitMomentWords: Readonly<Record<Lang, LimitWords>> = { en, ja };
