// Peer help: a stuck learner may ask the team. Their step, the command they ran, a trimmed output and what
// they expected become a card in the admins' help channel, posted as a thread (under their name only if they
// chose). Their lesson thread gets a link and a "Solved" button; pressing it thanks and credits the helpers.

import {
  ButtonStyle,
  ChannelType,
  MessageFlags,
  TextInputStyle,
  ThreadAutoArchiveDuration,
  type ButtonInteraction,
  type Client,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Curriculum, Lang } from '../../lessons/index.js';
import type { Logger } from '../../log.js';
import { DIRECT_GUILD } from '../../team/keys.js';
import type { HelpDraft, TeamEvent, TeamStore } from '../../team/store.js';
import { stripTerminalControls } from '../../text/sanitize.js';
import type { Reply } from '../../tutor/reply.js';
import { buildMessage, codeBlock } from '../format.js';
import { learnerIdFor } from '../messages.js';
import { actionButton, actionRow, type DiscordMessagePayload } from '../payload.js';
import { encodeTeamId, type AskId, type SolvedId } from './ids.js';
import { TEAM_TEXT } from './texts.js';

const OUTPUT_LINES = 12;
const OUTPUT_CHARS = 700;
const LAST_RUNS_KEPT = 5_000;

export interface PeerHelpDeps {
  client: () => Client | undefined;
  store: TeamStore;
  curriculum: Curriculum;
  log: Logger;
  /** The language of posts everyone in a server sees. */
  serverLang: (guildId: string) => Promise<Lang>;
  /** A learner's own language. */
  langOf: (userId: string, locale: string | undefined) => Promise<Lang>;
  /** A display name for the card, when the learner chose to be named. */
  displayName: (i: ModalSubmitInteraction) => string;
}

export class PeerHelp {
  /** Learners who just got stuck in a server, until their next reply is rendered (this process). */
  private readonly justStuck = new Map<string, { guildId: string; lessonId: string; step: number }>();
  /** Each learner's last run, trimmed, for the card (a hint, not a run, may be what makes them stuck). */
  private readonly lastRun = new Map<string, { command: string; output: string }>();

  constructor(private readonly deps: PeerHelpDeps) {}

  onEvent(event: TeamEvent): void {
    if (event.type === 'stuck' && event.guildId !== DIRECT_GUILD && event.lessonId && event.step) {
      this.justStuck.set(event.learnerId, { guildId: event.guildId, lessonId: event.lessonId, step: event.step });
    }
  }

  /** After the reply in which a learner got stuck: the offer to ask the team, when the server has a help channel. */
  async offerFor(reply: Reply, userId: string): Promise<DiscordMessagePayload[]> {
    const learnerId = learnerIdFor(userId);
    const output = [...reply.blocks].reverse().find((b) => b.kind === 'output');
    if (output?.kind === 'output') this.remember(learnerId, { command: output.command, output: trimOutput(`${output.result.stdout}${output.result.stderr}`) });
    const stuck = this.justStuck.get(learnerId);
    if (!stuck) return [];
    this.justStuck.delete(learnerId);
    if (!(await this.deps.store.settings(stuck.guildId)).helpChannel) return [];
    const draft = await this.deps.store.saveDraft(learnerId, { ...stuck, ...this.lastRun.get(learnerId) });
    const id = (named: boolean) => encodeTeamId({ action: 'ask', userId, draft, named });
    return [
      buildMessage({
        content: TEAM_TEXT.askOffer(reply.lang),
        components: [actionRow([actionButton(id(true), TEAM_TEXT.askNamed(reply.lang), ButtonStyle.Primary), actionButton(id(false), TEAM_TEXT.askAnon(reply.lang), ButtonStyle.Secondary)])],
      }),
    ];
  }

  /** "Ask the team": what did they expect? (a modal). */
  async pressAsk(i: ButtonInteraction, id: AskId): Promise<void> {
    const lang = await this.deps.langOf(i.user.id, i.locale);
    const draft = await this.deps.store.draft(learnerIdFor(i.user.id), id.draft);
    if (!draft || draft.postedIn) {
      await i.reply({ ...buildMessage({ content: draft?.postedIn ? TEAM_TEXT.askPosted(lang, draft.postedIn) : TEAM_TEXT.askGone(lang) }), flags: MessageFlags.Ephemeral });
      return;
    }
    await i.showModal({
      custom_id: encodeTeamId({ ...id, action: 'ask-modal' }),
      title: TEAM_TEXT.askModalTitle(lang),
      components: [{ type: 1, components: [{ type: 4, custom_id: 'expected', label: TEAM_TEXT.askModalLabel(lang), style: TextInputStyle.Paragraph, required: false, max_length: 500 }] }],
    });
  }

  async submitAsk(i: ModalSubmitInteraction, id: AskId): Promise<void> {
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const learnerId = learnerIdFor(i.user.id);
    const lang = await this.deps.langOf(i.user.id, i.locale);
    const draft = await this.deps.store.takeDraft(learnerId, id.draft);
    if (!draft) {
      const posted = (await this.deps.store.draft(learnerId, id.draft))?.postedIn;
      return void (await i.editReply(buildMessage({ content: posted ? TEAM_TEXT.askPosted(lang, posted) : TEAM_TEXT.askGone(lang) })));
    }
    let posted = false;
    try {
      posted = await this.post(i, id, draft, lang);
    } finally {
      // Not posted: the draft is theirs again, to try once more.
      if (!posted) await this.deps.store.putDraft(learnerId, id.draft, draft);
    }
  }

  /** Posts the card and its thread, and links it in the learner's thread; false when there is no help channel (they are told). */
  private async post(i: ModalSubmitInteraction, id: AskId, draft: HelpDraft, lang: Lang): Promise<boolean> {
    const learnerId = learnerIdFor(i.user.id);
    const helpChannelId = (await this.deps.store.settings(draft.guildId)).helpChannel;
    const channel = helpChannelId ? await i.client.channels.fetch(helpChannelId).catch(() => null) : null;
    if (!channel || channel.type !== ChannelType.GuildText) {
      await i.editReply(buildMessage({ content: TEAM_TEXT.noHelpChannel(lang) }));
      return false;
    }
    const serverLang = await this.deps.serverLang(draft.guildId);
    const lesson = this.deps.curriculum.get(serverLang, draft.lessonId);
    const stepTitle = lesson?.steps[draft.step - 1]?.title ?? '';
    const expected = i.fields.getTextInputValue('expected').trim();
    const none = TEAM_TEXT.cardNothing(serverLang);
    const card = await channel.send(
      buildMessage({
        embeds: [
          {
            title: TEAM_TEXT.cardTitle(serverLang, lesson?.title ?? draft.lessonId, draft.step, stepTitle),
            author: { name: TEAM_TEXT.cardAsker(serverLang, id.named ? this.deps.displayName(i) : undefined) },
            fields: [
              { name: TEAM_TEXT.cardCommand(serverLang), value: draft.command ? codeBlock(draft.command, 'sh') : none },
              { name: TEAM_TEXT.cardOutput(serverLang), value: draft.output ? codeBlock(draft.output) : none },
              { name: TEAM_TEXT.cardExpected(serverLang), value: expected || none },
            ],
          },
        ],
      }),
    );
    const thread = await card.startThread({ name: TEAM_TEXT.threadName(serverLang, lesson?.title ?? draft.lessonId, draft.step).slice(0, 100), autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek });
    await thread.send(buildMessage({ content: TEAM_TEXT.threadIntro(serverLang) }));
    await this.deps.store.saveHelp(draft.guildId, { threadId: thread.id, askerId: learnerId, lessonId: draft.lessonId, step: draft.step, status: 'open' });
    // Posted: a later press of either button hears where.
    await this.deps.store.putDraft(learnerId, id.draft, { ...draft, postedIn: thread.id });
    const solved = actionRow([actionButton(encodeTeamId({ action: 'solved', userId: i.user.id, threadId: thread.id }), TEAM_TEXT.solvedButton(lang), ButtonStyle.Success)]);
    const here = i.channel;
    if (here?.isSendable()) await here.send(buildMessage({ content: TEAM_TEXT.askLink(lang, thread.id), components: [solved] }));
    await i.editReply(buildMessage({ content: TEAM_TEXT.askPosted(lang, thread.id), ...(here?.isSendable() ? {} : { components: [solved] }) }));
    return true;
  }

  /** "Solved": the loop closes; everyone who answered is thanked, and credited if they chose to be shown. */
  async pressSolved(i: ButtonInteraction, id: SolvedId): Promise<void> {
    const lang = await this.deps.langOf(i.user.id, i.locale);
    const guildId = i.guildId ?? (await this.guildOfThread(id.threadId));
    const record = guildId ? await this.deps.store.help(guildId, id.threadId) : undefined;
    if (!guildId || !record || record.status === 'solved') {
      await i.update(buildMessage({ content: TEAM_TEXT.alreadySolved(lang), components: [] }));
      return;
    }
    await i.deferUpdate();
    const thread = await i.client.channels.fetch(id.threadId).catch(() => null);
    const helpers = new Set<string>();
    if (thread?.isThread()) {
      const messages = await thread.messages.fetch({ limit: 100 }).catch(() => undefined);
      for (const m of messages?.values() ?? []) if (!m.author.bot && m.author.id !== i.user.id) helpers.add(m.author.id);
    }
    const visible = await this.deps.store.visibleNames(guildId);
    const credited = [...helpers].map(learnerIdFor).filter((learner) => visible.has(learner));
    if (!(await this.deps.store.solveHelp(guildId, id.threadId, credited, Date.now()))) {
      await i.editReply(buildMessage({ content: TEAM_TEXT.alreadySolved(lang), components: [] }));
      return;
    }
    if (thread?.isThread()) {
      const serverLang = await this.deps.serverLang(guildId);
      await thread.send(buildMessage({ content: TEAM_TEXT.solvedInThread(serverLang, [...helpers].map((u) => `<@${u}>`)) })).catch(() => undefined);
      await thread.setArchived(true).catch((err: unknown) => this.deps.log.warn(`could not archive help thread ${id.threadId}: ${String(err)}`));
    }
    await i.editReply(buildMessage({ content: TEAM_TEXT.solvedDone(lang), components: [] }));
  }

  /** Forgets a learner's last run here (on /forget). */
  forgetUser(userId: string): void {
    this.lastRun.delete(learnerIdFor(userId));
    this.justStuck.delete(learnerIdFor(userId));
  }

  private remember(learnerId: string, run: { command: string; output: string }): void {
    this.lastRun.delete(learnerId);
    this.lastRun.set(learnerId, run);
    // Bounded: the oldest learners' runs go first.
    if (this.lastRun.size > LAST_RUNS_KEPT) this.lastRun.delete(this.lastRun.keys().next().value!);
  }

  private async guildOfThread(threadId: string): Promise<string | undefined> {
    const thread = await this.deps.client()?.channels.fetch(threadId).catch(() => null);
    return thread && 'guildId' in thread ? thread.guildId : undefined;
  }
}

/** The end of a run's output, where errors are: at most a dozen lines. */
export function trimOutput(text: string): string {
  const lines = stripTerminalControls(text).replace(/\n+$/, '').split('\n');
  const tail = lines.slice(-OUTPUT_LINES).join('\n');
  return tail.length > OUTPUT_CHARS ? `…${tail.slice(-OUTPUT_CHARS)}` : tail;
}
