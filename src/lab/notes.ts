// What the lab tells the learner about a command it will run, where the lab differs from their laptop.
import { formatBytes, type Clamp } from './limits.js';

export interface LabNote {
  code: 'image-mapped' | 'interactive' | 'clamped' | 'sudo-ignored' | 'stats-no-stream' | 'typography';
  ja: string;
  en: string;
}

export const notes = {
  imageMapped: (asked: string): LabNote => ({
    code: 'image-mapped',
    ja: `ラボにはレジストリがないから、「${asked}」の代わりにラボ用のサンドボックスイメージでコンテナを動かすよ。カーネルの機能（namespaces や cgroups）は本物と同じだけど、入っているコマンドやバージョンは少し違うかもしれないよ。`,
    en: `The lab has no registry, so the container runs the lab's sandbox image in place of "${asked}". The kernel features (namespaces, cgroups) are the real thing; the commands and versions inside may differ a little.`,
  }),
  interactive: (): LabNote => ({
    code: 'interactive',
    ja: '-i / -t は端末でやり取りするためのオプションだけど、チャットは端末じゃないんだ。コマンドは1回実行されて、その出力がここに表示されるよ。',
    en: '-i/-t ask for an interactive terminal, and chat is not one: the command runs once and its output shows up here.',
  }),
  clamped: (clamp: Clamp): LabNote => {
    const unlimited = clamp.asked <= 0;
    const show = (n: number): string => (clamp.field === 'memory' ? formatBytes(n) : String(n));
    const flag = clamp.field === 'memory' ? '--memory' : `--${clamp.field}`;
    return {
      code: 'clamped',
      ja: unlimited
        ? `${flag} の「無制限」はラボでは使えないから、上限の ${show(clamp.used)} にしたよ。`
        : `${flag} の ${show(clamp.asked)} はラボの上限を超えているから、${show(clamp.used)} にしたよ。`,
      en: unlimited
        ? `${flag} "unlimited" is not available in the lab, so it is set to the lab's maximum, ${show(clamp.used)}.`
        : `${flag} ${show(clamp.asked)} is above the lab's maximum, so it is set to ${show(clamp.used)}.`,
    };
  },
  sudoIgnored: (): LabNote => ({
    code: 'sudo-ignored',
    ja: 'ラボでは sudo は要らないよ（付けなくても同じように実行するよ）。',
    en: 'No sudo needed in the lab; the command runs the same without it.',
  }),
  typography: (): LabNote => ({
    code: 'typography',
    ja: '全角スペースや “ ” ‘ ’ のような飾りのクォートは、シェルでは普通の文字として扱われてしまうから、半角のスペースと " \' に置き換えて読んだよ。',
    en: 'Full-width spaces and curly quotes (“ ” ‘ ’) are plain characters to a shell, so they were read as ordinary spaces and " \' quotes.',
  }),
  statsNoStream: (): LabNote => ({
    code: 'stats-no-stream',
    ja: 'docker stats は本来ずっと更新し続けるけど、チャットでは1回分だけ表示するよ（--no-stream と同じ）。',
    en: 'docker stats normally keeps updating forever; in chat it shows one snapshot, as with --no-stream.',
  }),
} as const;
