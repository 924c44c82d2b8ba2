// The team features' stateless custom ids: what goes in comes back out, and nothing else is taken for ours.
import { describe, expect, it } from 'vitest';
import { decodeTeamId, encodeTeamId, type TeamId } from '../../src/discord/team/ids.js';

describe('team custom ids', () => {
  it('round-trip every kind within Discord’s 100 characters', () => {
    const ids: TeamId[] = [
      { action: 'board', period: 'week' },
      { action: 'board', period: 'all', cohort: 'spring-2026' },
      { action: 'remind', userId: '12345678901234567890', on: true },
      { action: 'ask', userId: '1', draft: 'AbC-_9', named: false },
      { action: 'ask-modal', userId: '1', draft: 'AbC-_9', named: true },
      { action: 'solved', userId: '42', threadId: '99999999999999999999' },
    ];
    for (const id of ids) {
      const encoded = encodeTeamId(id);
      expect(encoded.length).toBeLessThanOrEqual(100);
      expect(decodeTeamId(encoded)).toEqual(id);
    }
  });

  it('refuses what is not ours or is broken, and never encodes a bad part', () => {
    for (const bad of ['cs1:run:1', 'ct1:board:year', 'ct1:remind:abc:on', 'ct1:remind:1:maybe', 'ct1:solved:1:x', 'ct1:ask:1:d:named:extra', 'ct1:board:week:a b', `ct1:board:week:${'a'.repeat(120)}`]) {
      expect(decodeTeamId(bad), bad).toBeUndefined();
    }
    expect(() => encodeTeamId({ action: 'board', period: 'week', cohort: 'has space' })).toThrow(RangeError);
  });
});
