// What the tutor should add when the lab ran (or would not run) a command, where the lab differs from a laptop.

export interface LabRuntimeNote {
  code: 'running-quota' | 'container-quota' | 'root-refused' | 'user-mapped' | 'timed-out' | 'oom-killed' | 'truncated' | 'no-interactive-shell' | 'host-view'
    | 'host-ns'
    | 'not-your-process'
    | 'proc-not-visible'
    | 'not-your-container'
    | 'cgroup-mapped'
    | 'cgroup-missing';
  ja: string;
  en: string;
}

export const labNotesAtRuntime = {
  runningQuota: (max: number): LabRuntimeNote => ({
    code: 'running-quota',
    ja: `ラボでは同時に動かせるコンテナは1人 ${max} 個までなんだ。\`docker ps\` で確認して、使っていないものを \`docker rm -f 名前\` で片付けてからもう一度試してね。`,
    en: `The lab runs at most ${max} containers per learner at a time. Check with \`docker ps\`, remove one you no longer need with \`docker rm -f NAME\`, then try again.`,
  }),
  containerQuota: (max: number): LabRuntimeNote => ({
    code: 'container-quota',
    ja: `止まっているものも含めて、ラボに置けるコンテナは1人 ${max} 個までなんだ。\`docker ps -a\` で確認して、要らないものを \`docker rm 名前\` で消してね。`,
    en: `The lab keeps at most ${max} containers per learner, stopped ones included. Check with \`docker ps -a\` and remove the ones you no longer need with \`docker rm NAME\`.`,
  }),
  rootRefused: (user: string): LabRuntimeNote => ({
    code: 'root-refused',
    ja: `--user ${user} は root（uid 0）として動かす指定だね。ラボは他の学習者と同じマシンを共有しているから、コンテナの中でも root では動かさないんだ。--user を付けずに試してみてね（ラボ用の一般ユーザーで動くよ）。`,
    en: `--user ${user} asks for root (uid 0). The lab shares one machine with other learners, so nothing runs as root, not even inside a container. Try it without --user: it runs as the lab's ordinary user.`,
  }),
  userMapped: (user: string): LabRuntimeNote => ({
    code: 'user-mapped',
    ja: `--user ${user} の代わりに、ラボ用の一般ユーザーで動かしたよ（メインのプロセスは uid 1001、docker exec のコマンドは uid 1000）。`,
    en: `In place of --user ${user}, the lab runs the container as its own ordinary users (the main process as uid 1001, docker exec commands as uid 1000).`,
  }),
  timedOut: (timeoutMs: number): LabRuntimeNote => ({
    code: 'timed-out',
    ja: `コマンドがラボの制限時間（${timeoutMs / 1000} 秒）を超えたから止めたよ。ずっと動かしたいときは \`docker run -d\` でバックグラウンドにしてね。`,
    en: `The command went past the lab's time limit (${timeoutMs / 1000} s) and was stopped. To keep something running, start it in the background with \`docker run -d\`.`,
  }),
  oomKilled: (): LabRuntimeNote => ({
    code: 'oom-killed',
    ja: 'メモリの上限（cgroup の memory limit）に達したから、カーネルの OOM killer がプロセスを止めたよ。',
    en: "The command hit its memory limit (the cgroup's memory limit) and the kernel's OOM killer ended it.",
  }),
  truncated: (bytes: number): LabRuntimeNote => ({
    code: 'truncated',
    ja: `出力が長すぎたから、最初の ${Math.round(bytes / 1024)} KiB だけ表示しているよ。`,
    en: `The output was too long; only the first ${Math.round(bytes / 1024)} KiB are shown.`,
  }),
  noInteractiveShell: (): LabRuntimeNote => ({
    code: 'no-interactive-shell',
    ja: 'チャットは端末じゃないから、シェルの中に「入る」ことはできないんだ。中で試したいコマンドは `docker exec 名前 コマンド` のように1つずつ送ってね（例: `docker exec 名前 ps aux`）。',
    en: 'Chat is not a terminal, so you cannot stay inside a shell. Send each command you want to run inside as `docker exec NAME COMMAND` (e.g. `docker exec NAME ps aux`).',
  }),
  hostView: (): LabRuntimeNote => ({
    code: 'host-view',
    ja: 'ラボの「ホスト」では、あなたのラボコンテナのプロセスだけを、ホストから見た PID で表示しているよ。',
    en: "The lab's host view shows only your own lab containers' processes, with the PIDs the host sees.",
  }),
  hostNs: (differing: readonly string[], shared: readonly string[], hostFrom: 'init' | 'worker' | 'none'): LabRuntimeNote => {
    const from = {
      init: { ja: 'ホストの PID 1（/proc/1/ns）', en: "the host's PID 1 (/proc/1/ns)" },
      worker: { ja: 'ホストで動いているラボのワーカー自身（/proc/self/ns。/proc/1/ns は読めなかったよ）', en: "the lab's worker on the host (/proc/self/ns; /proc/1/ns was not readable)" },
      none: { ja: '（ホスト側の値は読めなかったよ）', en: "(the host's own links were not readable)" },
    }[hostFrom];
    if (hostFrom === 'none') return { code: 'host-ns', ja: `各リンクの [ ] の数字が namespace の inode 番号だよ。${from.ja}`, en: `The number in [ ] is each namespace's inode. ${from.en}` };
    return {
      code: 'host-ns',
      ja: `「# host:」は${from.ja}の同じ種類の namespace だよ。${differing.length > 0 ? `${differing.join(', ')} はホストと番号が違う＝コンテナ専用の隔離空間なんだ。` : ''}${shared.length > 0 ? `${shared.join(', ')} はホストと同じ namespace を共有しているよ。` : ''}`,
      en: `"# host:" is the same type of namespace of ${from.en}. ${differing.length > 0 ? `${differing.join(', ')} differ from the host's: the container's own, isolated namespaces. ` : ''}${shared.length > 0 ? `${shared.join(', ')} are shared with the host.` : ''}`.trim(),
    };
  },
  notYourProcess: (pid: number): LabRuntimeNote => ({
    code: 'not-your-process',
    ja: `PID ${pid} は、あなたのラボコンテナのプロセスじゃないから見せられないんだ（ホストには他の学習者やシステムのプロセスもあるからね）。\`ps aux | grep 単語\` で、自分のコンテナのプロセスのホスト側 PID を探してから試してね。`,
    en: `PID ${pid} is not one of your lab containers' processes, so the lab will not show it (the host also runs other learners' and the system's processes). Find your container's host PID with \`ps aux | grep WORD\`, then try again.`,
  }),
  procNotVisible: (pid: number): LabRuntimeNote => ({
    code: 'proc-not-visible',
    ja: `ラボのワーカーからはホストの /proc/${pid} が見えないんだ（ワーカーがホストとは別の PID namespace で動いているから）。コンテナの PID は \`docker inspect -f '{{.State.Pid}}' 名前\` で、中から見た namespace は \`docker exec 名前 ls -l /proc/1/ns\` で確かめてね。`,
    en: `The lab's worker cannot see the host's /proc/${pid} (it runs in a PID namespace other than the host's). Check the container's PID with \`docker inspect -f '{{.State.Pid}}' NAME\` and its namespaces from inside with \`docker exec NAME ls -l /proc/1/ns\`.`,
  }),
  notYourContainer: (id: string): LabRuntimeNote => ({
    code: 'not-your-container',
    ja: `「${id}」は、あなたのラボコンテナの ID じゃないみたい。ID は \`docker inspect -f '{{.Id}}' 名前\` で取れるよ（他の人のコンテナの cgroup は見せられないんだ）。`,
    en: `"${id}" is not the id of one of your lab containers. Get the id with \`docker inspect -f '{{.Id}}' NAME\` (other people's containers' cgroups are not shown).`,
  }),
  cgroupMapped: (typed: string, version: 1 | 2, real: readonly string[]): LabRuntimeNote => {
    const files = real.join(' + ');
    return {
      code: 'cgroup-mapped',
      ja: `このラボのホストは cgroup v${version} だから、入力したパス（${typed}）はここには無いんだ。同じ値を、このホストでの本当のファイル ${files} から読んで表示したよ${version === 1 ? '（v2 の memory.max は v1 では memory.limit_in_bytes、cpu.max は cpu.cfs_quota_us と cpu.cfs_period_us に当たるよ）' : '（v1 の memory.limit_in_bytes は v2 では memory.max、cpu.cfs_quota_us / cpu.cfs_period_us は cpu.max に当たるよ）'}。`,
      en: `This lab's host uses cgroup v${version}, so the path you typed (${typed}) does not exist here. The same value was read from this host's real file ${files}${version === 1 ? " (v2's memory.max is v1's memory.limit_in_bytes; cpu.max is cpu.cfs_quota_us and cpu.cfs_period_us)" : " (v1's memory.limit_in_bytes is v2's memory.max; cpu.cfs_quota_us / cpu.cfs_period_us are cpu.max)"}.`,
    };
  },
  cgroupMissing: (): LabRuntimeNote => ({
    code: 'cgroup-missing',
    ja: 'そのコンテナの cgroup が見つからなかったよ。cgroup はコンテナが動いている間だけあるから、`docker ps` で動いているか確かめてね。',
    en: "That container's cgroup was not found. A container has its cgroup only while it runs; check with `docker ps` that it is running.",
  }),
} as const;
