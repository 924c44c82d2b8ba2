// The team features' scheduled work, run by whichever bot process takes the job: each server's weekly (and
// monthly) digest at the weekday and hour its admins set, streak reminders each hour, and a sweep that
// gives completion roles still pending. A digest is posted once per period: a claim in Redis, taken before
// posting, decides which run posts it, across restarts and any number of bot processes.

import type { Client } from 'discord.js';
import type { Config } from '../../config.js';
import type { Lang } from '../../lessons/index.js';
import type { Logger } from '../../log.js';
import { startSchedules, type Repeat, type Schedules } from '../../queue/schedules.js';
import { DIRECT_GUILD } from '../../team/keys.js';
import type { TeamService } from '../../team/service.js';
import { digestSchedule } from '../../team/settings.js';
import { duePeriod } from '../../team/time.js';
import { teamWords } from '../../team/words.js';
import { buildMessage } from '../format.js';
import { userIdOf } from '../messages.js';
import type { DiscordStore } from '../store.js';
import { digestPayload } from './embeds.js';

type TeamJob = { kind: 'digest'; guildId: string; period: 'weekly' | 'monthly' } | { kind: 'reminders' } | { kind: 'roles' };

const QUEUE = 'team';
const HOUR_MS = 3_600_000;
const ROLE_SWEEP_MS = 20_000;
/** A period's claim outlives the period, so a late retry never posts it twice. */
const DIGEST_CLAIM_SECONDS = 62 * 86_400;

export interface TeamJobsDeps {
  config: Config;
  log: Logger;
  team: TeamService;
  discordStore: DiscordStore;
  client: () => Client | undefined;
  serverLang: (guildId: string) => Promise<Lang>;
  learnerLang: (learnerId: string) => Promise<Lang | undefined>;
  grantPending: (guildId: string) => Promise<void>;
  /** Tests: every schedule repeats at this interval instead of its cron pattern. */
  everyMs?: number;
}

export class TeamJobs {
  private constructor(
    private readonly deps: TeamJobsDeps,
    private readonly schedules: Schedules<TeamJob>,
  ) {}

  static async start(deps: TeamJobsDeps): Promise<TeamJobs> {
    let jobs: TeamJobs | undefined;
    const schedules = await startSchedules<TeamJob>(deps.config, deps.log, QUEUE, (data) => jobs!.run(data));
    jobs = new TeamJobs(deps, schedules);
    await schedules.upsert('reminders', { every: deps.everyMs ?? HOUR_MS }, { kind: 'reminders' });
    await schedules.upsert('roles', { every: deps.everyMs ?? ROLE_SWEEP_MS }, { kind: 'roles' });
    for (const guildId of await deps.team.store.guilds()) if (guildId !== DIRECT_GUILD) await jobs.sync(guildId);
    return jobs;
  }

  /** Declares (or removes) a server's digest schedules from its settings; the same from every process. */
  async sync(guildId: string): Promise<void> {
    const settings = await this.deps.team.store.settings(guildId);
    const schedule = digestSchedule(settings);
    const repeat = (pattern: string): Repeat => (this.deps.everyMs ? { every: this.deps.everyMs } : { pattern, tz: settings.tz });
    const weekly = `digest-weekly-${guildId}`;
    const monthly = `digest-monthly-${guildId}`;
    if (!schedule) {
      await this.schedules.remove(weekly);
      await this.schedules.remove(monthly);
      return;
    }
    // Cron counts Sunday as 0; our weekdays run Monday 1 … Sunday 7.
    await this.schedules.upsert(weekly, repeat(`0 ${schedule.hour} * * ${schedule.weekday % 7}`), { kind: 'digest', guildId, period: 'weekly' });
    if (schedule.monthly) await this.schedules.upsert(monthly, repeat(`0 ${schedule.hour} 1 * *`), { kind: 'digest', guildId, period: 'monthly' });
    else await this.schedules.remove(monthly);
  }

  scheduleIds(): Promise<string[]> {
    return this.schedules.ids();
  }

  close(): Promise<void> {
    return this.schedules.close();
  }

  private async run(job: TeamJob): Promise<void> {
    switch (job.kind) {
      case 'digest':
        await this.digest(job.guildId, job.period);
        return;
      case 'reminders':
        return this.reminders();
      case 'roles':
        for (const guildId of this.deps.client()?.guilds.cache.keys() ?? []) await this.deps.grantPending(guildId);
    }
  }

  /** Posts the period's digest if it is due and no run (here or in another process) has posted it. */
  async digest(guildId: string, period: 'weekly' | 'monthly'): Promise<boolean> {
    const { team } = this.deps;
    const settings = await team.store.settings(guildId);
    const schedule = digestSchedule(settings);
    const now = team.clock();
    if (!schedule || (period === 'monthly' && !schedule.monthly)) return false;
    const due = duePeriod(period, now, settings.tz, schedule.weekday, schedule.hour);
    if (!due) return false;
    const claim = `digest:${period}:${due.key}`;
    const channel = await this.deps.client()?.channels.fetch(schedule.channelId).catch(() => null);
    if (!channel?.isSendable()) {
      this.deps.log.warn(`digest for ${guildId}: channel ${schedule.channelId} is not reachable`);
      return false;
    }
    if (!(await team.store.claim(guildId, claim, DIGEST_CLAIM_SECONDS))) return false;
    try {
      const lang = await this.deps.serverLang(guildId);
      await channel.send(digestPayload(await team.digest(guildId, period, lang, due.at), lang));
      return true;
    } catch (err) {
      // Not posted: let a retry (BullMQ's attempts) claim it again.
      await team.store.release(guildId, claim);
      throw err;
    }
  }

  /** Streak reminders for learners who opted in, once a day each, in their own thread (or a DM). */
  private async reminders(): Promise<void> {
    const client = this.deps.client();
    if (!client) return;
    const { team } = this.deps;
    for (const guildId of await team.store.guilds()) {
      if (guildId !== DIRECT_GUILD && !client.guilds.cache.has(guildId)) continue;
      for (const due of await team.dueReminders(guildId)) {
        const userId = userIdOf(due.learnerId);
        if (!userId || !(await team.store.claim(guildId, `remind:${due.learnerId}:${due.day}`, 2 * 86_400))) continue;
        const lang = (await this.deps.learnerLang(due.learnerId)) ?? (await this.deps.serverLang(guildId));
        const payload = buildMessage({ content: teamWords(lang).reminder(due.days) });
        const threadId = guildId === DIRECT_GUILD ? undefined : await this.deps.discordStore.threadOf(userId, guildId);
        const thread = threadId ? await client.channels.fetch(threadId).catch(() => null) : null;
        const sent = thread?.isSendable() ? thread.send(payload) : client.users.send(userId, payload);
        await sent.catch((err: unknown) => this.deps.log.warn(`streak reminder for ${userId}: ${String(err)}`));
      }
    }
  }
}
