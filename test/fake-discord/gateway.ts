// The gateway: JSON text frames over a WebSocket. HELLO on connect; IDENTIFY answered with READY and then
// GUILD_CREATE (or closed with 4014 when it asks for a privileged intent the application lacks); heartbeats
// acknowledged; RESUME answered with RESUMED; dispatches numbered per session and shaped by its intents.

import type { Server } from 'node:http';
import { GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { asksForDisallowedIntent, DISALLOWED_INTENTS, shapeForIntents, type PrivilegedIntents } from './intents.js';
import { isJsonObject, numberField, objectOrEmpty, stringField, type Json, type JsonObject } from './json.js';

export const GATEWAY_PATH = '/gateway';

/** A frame the bot sent us, for tests that look at IDENTIFY, heartbeats or presence updates. */
export interface GatewayFrame {
  op: number;
  d: Json | undefined;
  at: number;
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** READY's `d`, given the new session's id and its shard ([id, count], as IDENTIFY said). */
  ready: (sessionId: string, shard: Shard) => JsonObject;
  /** What follows READY: GUILD_CREATE for each guild on that shard. */
  afterReady: (shard: Shard) => { event: string; data: JsonObject }[];
  newSessionId: () => string;
  /** The privileged intents the application may use; asking for another closes the connection (4014). */
  privilegedIntents: PrivilegedIntents;
  /** The bot's user id: its own messages keep their content without the Message Content intent. */
  botUserId: string;
}

/** [shard id, shard count], as in IDENTIFY and READY. */
export type Shard = readonly [number, number];

/** Discord's rule: a guild's events go to shard (guild_id >> 22) % count; DMs to shard 0. */
export function shardOfGuild(guildId: string | undefined, count: number): number {
  return guildId === undefined ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A dispatch the fake sent, and to which shard (for tests of sharded bots). */
export interface SentDispatch {
  event: string;
  shard: number;
}

interface Session {
  shard: Shard;
  socket: WebSocket;
  sequence: number;
  sessionId: string | undefined;
  /** As IDENTIFY asked; a RESUME keeps what the resumed session had. */
  intents: number;
}

// Gateway close codes the fake uses.
const AUTHENTICATION_FAILED = 4004;
const NOT_AUTHENTICATED = 4003;

export class FakeGateway {
  readonly received: GatewayFrame[] = [];
  readonly sent: SentDispatch[] = [];
  readonly #server: WebSocketServer;
  readonly #sessions = new Set<Session>();
  readonly #options: GatewayOptions;
  readonly #identifyListeners = new Set<() => void>();
  /** Each identified session's intents, so a RESUME on a new socket gets the same ones. */
  readonly #intentsOf = new Map<string, number>();
  readonly #shardOf = new Map<string, Shard>();

  constructor(httpServer: Server, options: GatewayOptions) {
    this.#options = options;
    this.#server = new WebSocketServer({ server: httpServer, path: GATEWAY_PATH });
    this.#server.on('connection', (socket) => this.#accept(socket));
  }

  /** Sessions that have identified (or resumed) and receive dispatches. */
  get readySessionCount(): number {
    return [...this.#sessions].filter((session) => session.sessionId !== undefined).length;
  }

  /**
   * Sends a dispatch (op 0) to every identified session of the shard it belongs to, as its intents allow; throws
   * when no bot is connected there.
   */
  dispatch(event: string, data: JsonObject, opts: { ifConnected?: boolean } = {}): void {
    const guildId = stringField(data, 'guild_id') ?? (event === 'GUILD_CREATE' ? stringField(data, 'id') : undefined);
    const ready = [...this.#sessions].filter(
      (session) => session.sessionId !== undefined && shardOfGuild(guildId, session.shard[1]) === session.shard[0],
    );
    if (ready.length === 0 && !opts.ifConnected) throw new Error(`fake Discord: no identified gateway session to receive ${event}`);
    for (const session of ready) {
      this.sent.push({ event, shard: session.shard[0] });
      const shaped = shapeForIntents(event, data, session.intents, this.#options.botUserId);
      if (shaped !== undefined) this.#dispatchTo(session, event, shaped);
    }
  }

  /** Resolves once some session has identified. */
  async waitForIdentify(timeoutMs: number): Promise<void> {
    if (this.readySessionCount > 0) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#identifyListeners.delete(listener);
        reject(new Error(`fake Discord: no IDENTIFY within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (): void => {
        clearTimeout(timer);
        this.#identifyListeners.delete(listener);
        resolve();
      };
      this.#identifyListeners.add(listener);
    });
  }

  async close(): Promise<void> {
    for (const session of this.#sessions) session.socket.terminate();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const session: Session = { shard: [0, 1], socket, sequence: 0, sessionId: undefined, intents: 0 };
    this.#sessions.add(session);
    socket.on('close', () => this.#sessions.delete(session));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.#receive(session, data.toString());
    });
    this.#send(session, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs } });
  }

  #receive(session: Session, text: string): void {
    const parsed: unknown = JSON.parse(text);
    const frame = objectOrEmpty(parsed);
    const op = numberField(frame, 'op') ?? -1;
    const d = frame['d'];
    this.received.push({ op, d, at: Date.now() });
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(session, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(session, isJsonObject(d) ? d : {});
        return;
      case GatewayOpcodes.Resume:
        this.#resume(session, isJsonObject(d) ? d : {});
        return;
      default:
        if (session.sessionId === undefined) session.socket.close(NOT_AUTHENTICATED, 'Not authenticated');
    }
  }

  #identify(session: Session, identify: JsonObject): void {
    if (stringField(identify, 'token') !== this.#options.token) {
      session.socket.close(AUTHENTICATION_FAILED, 'Authentication failed');
      return;
    }
    const intents = numberField(identify, 'intents') ?? 0;
    if (asksForDisallowedIntent(intents, this.#options.privilegedIntents)) {
      session.socket.close(DISALLOWED_INTENTS, 'Disallowed intent(s).');
      return;
    }
    session.intents = intents;
    const shard = identify['shard'];
    if (Array.isArray(shard) && typeof shard[0] === 'number' && typeof shard[1] === 'number') session.shard = [shard[0], shard[1]];
    session.sessionId = this.#options.newSessionId();
    this.#intentsOf.set(session.sessionId, intents);
    this.#shardOf.set(session.sessionId, session.shard);
    this.#dispatchTo(session, 'READY', this.#options.ready(session.sessionId, session.shard));
    for (const { event, data } of this.#options.afterReady(session.shard)) this.#dispatchTo(session, event, data);
    for (const listener of this.#identifyListeners) listener();
  }

  #resume(session: Session, resume: JsonObject): void {
    if (stringField(resume, 'token') !== this.#options.token) {
      session.socket.close(AUTHENTICATION_FAILED, 'Authentication failed');
      return;
    }
    session.sessionId = stringField(resume, 'session_id') ?? this.#options.newSessionId();
    session.intents = this.#intentsOf.get(session.sessionId) ?? 0;
    session.shard = this.#shardOf.get(session.sessionId) ?? session.shard;
    session.sequence = numberField(resume, 'seq') ?? 0;
    this.#dispatchTo(session, 'RESUMED', {});
  }

  #dispatchTo(session: Session, event: string, data: JsonObject): void {
    session.sequence += 1;
    this.#send(session, { op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data });
  }

  #send(session: Session, frame: JsonObject): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(frame));
  }
}
