// Discord does not count interaction endpoints against a bot's 50 requests a second: the callback (the defer) and
// the interaction's own webhook (editing the deferred reply, follow-ups). @discordjs/rest exempts the callback but
// paces the webhook edits under its global limit all the same: past 50 a second, every reply waits for the next
// second and they all go out together at its start, a burst that the next learner's defer then waits behind.

import { REST, type Client, type InternalRequest } from 'discord.js';

/**
 * Sends the interaction-webhook requests of `client` through a REST manager of their own, without the global
 * pacing; their per-route limits (per interaction token, from Discord's headers) still hold. Everything else
 * (thread creates, channel messages: bot-authenticated) stays under the global limit.
 */
export function exemptInteractionWebhooks(client: Client): REST {
  const interactions = new REST({ ...client.options.rest, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  const rest = client.rest;
  const paced = rest.queueRequest.bind(rest);
  rest.queueRequest = (request: InternalRequest) => {
    const appId = client.application?.id;
    const ours = request.auth === false && appId !== undefined && request.fullRoute.startsWith(`/webhooks/${appId}/`);
    return ours ? interactions.queueRequest(request) : paced(request);
  };
  const destroy = client.destroy.bind(client);
  client.destroy = async () => {
    interactions.clearHashSweeper();
    interactions.clearHandlerSweeper();
    await destroy();
  };
  return interactions;
}
