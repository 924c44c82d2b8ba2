// The gateway: JSON text frames over a WebSocket. HELLO on connect; IDENTIFY answered with READY and then
// GUILD_CREATE; heartbeats acknowledged; RESUME answered with RESUMED; dispatches numbered per session.

import type { Server } from 'node:http';
import { GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
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
  /** READY's `d`, given the new session's id. */
  ready: (sessionId: string) => JsonObject;
  /** What follows READY: GUILD_CREATE for each guild. */
  afterReady: () => { event: string; data: JsonObject }[];
  newSessionId: () => string;
}

interface Session {
  socket: WebSocket;
  sequence: number;
  sessionId: string | undefined;
}

// Gateway close codes the fake uses.
const AUTHENTICATION_FAILED = 4004;
const NOT_AUTHENTICATED = 4003;

export class FakeGateway {
  readonly received: GatewayFrame[] = [];
  readonly #server: WebSocketServer;
  readonly #sessions = new Set<Session>();
  readonly #options: GatewayOptions;
  readonly #identifyListeners = new Set<() => void>();

  constructor(httpServer: Server, options: GatewayOptions) {
    this.#options = options;
    this.#server = new WebSocketServer({ server: httpServer, path: GATEWAY_PATH });
    this.#server.on('connection', (socket) => this.#accept(socket));
  }

  /** Sessions that have identified (or resumed) and receive dispatches. */
  get readySessionCount(): number {
    return [...this.#sessions].filter((session) => session.sessionId !== undefined).length;
  }

  /** Sends a dispatch (op 0) to every identified session; throws when no bot is connected. */
  dispatch(event: string, data: JsonObject): void {
    const ready = [...this.#sessions].filter((session) => session.sessionId !== undefined);
    if (ready.length === 0) throw new Error(`fake Discord: no identified gateway session to receive ${event}`);
    for (const session of ready) this.#dispatchTo(session, event, data);
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
    const session: Session = { socket, sequence: 0, sessionId: undefined };
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
    session.sessionId = this.#options.newSessionId();
    this.#dispatchTo(session, 'READY', this.#options.ready(session.sessionId));
    for (const { event, data } of this.#options.afterReady()) this.#dispatchTo(session, event, data);
    for (const listener of this.#identifyListeners) listener();
  }

  #resume(session: Session, resume: JsonObject): void {
    if (stringField(resume, 'token') !== this.#options.token) {
      session.socket.close(AUTHENTICATION_FAILED, 'Authentication failed');
      return;
    }
    session.sessionId = stringField(resume, 'session_id') ?? this.#options.newSessionId();
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
