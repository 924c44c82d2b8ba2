// What the tutor should add when the lab ran (or would not run) a command, where the lab differs from a laptop.

export interface LabRuntimeNote {
  code: 'running-quota' | 'container-quota' | 'root-refused' | 'user-mapped' | 'timed-out' | 'oom-killed' | 'truncated' | 'no-interactive-shell' | 'host-view';
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
} as const;
