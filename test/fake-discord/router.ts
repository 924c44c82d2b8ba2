// A tiny REST router: `/channels/:channelId/messages`-style templates matched against decoded paths.

import type { Json } from './json.js';
import type { RecordedFile } from './request-body.js';

export interface RouteRequest {
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

export interface RouteReply {
  status: number;
  json?: Json;
}

export type RouteHandler = (request: RouteRequest) => RouteReply | Promise<RouteReply>;

/** `bot`: needs `Authorization: Bot <token>`. `none`: interaction callbacks and webhooks, which discord.js sends without it. */
export type RouteAuth = 'bot' | 'none';

export interface Route {
  method: string;
  template: string;
  auth: RouteAuth;
  handler: RouteHandler;
}

export function route(method: string, template: string, auth: RouteAuth, handler: RouteHandler): Route {
  return { method, template, auth, handler };
}

/** Splits a raw path into decoded segments; `%40original` becomes `@original`. */
export function decodePath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const pathSegments = path.split('/');
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const templateSegments = candidate.template.split('/');
    if (templateSegments.length !== pathSegments.length) continue;
    const params: Record<string, string> = {};
    const matches = templateSegments.every((segment, i) => {
      const actual = pathSegments[i] ?? '';
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = actual;
        return actual !== '';
      }
      return segment === actual;
    });
    if (matches) return { route: candidate, params };
  }
  return undefined;
}

/** Discord's JSON error shape. */
export function apiError(status: number, code: number, message: string, errors?: Json): RouteReply {
  return { status, json: errors === undefined ? { code, message } : { code, message, errors } };
}

export const NO_CONTENT: RouteReply = { status: 204 };
