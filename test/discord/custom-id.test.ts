import { describe, expect, it } from 'vitest';
import {
  buttonIntent,
  customIdForChoice,
  CUSTOM_ID_VERSION_PREFIX,
  decodeCustomId,
  encodeCustomId,
  type CustomIdData,
} from '../../src/discord/custom-id.js';
import type { ChoiceAction } from '../../src/tutor/reply.js';

const learnerId = '123456789012345678';

describe('encodeCustomId / decodeCustomId', () => {
  it.each<CustomIdData>([
    { action: 'run', learnerId },
    { action: 'hint', learnerId, lessonId: 'namespaces-101', stepId: 'step_3' },
    { action: 'next', learnerId, lessonId: 'cgroups.memory' },
    { action: 'platform', learnerId, value: 'linux/arm64' },
    { action: 'run', learnerId, lessonId: 'a', stepId: 'b', value: 'c+d=e~f' },
  ])('round-trips %j', (data) => {
    const customId = encodeCustomId(data);
    expect(customId.startsWith(CUSTOM_ID_VERSION_PREFIX)).toBe(true);
    expect(customId.length).toBeLessThanOrEqual(100);
    expect(decodeCustomId(customId)).toEqual({ ok: true, data });
  });

  it('is compact and readable', () => {
    expect(encodeCustomId({ action: 'hint', learnerId, lessonId: 'ns', stepId: '2' })).toBe(`cs1:hint:${learnerId}:ns:2`);
    expect(encodeCustomId({ action: 'platform', learnerId, value: 'arm64' })).toBe(`cs1:platform:${learnerId}:::arm64`);
  });

  it('fits 100 characters with the longest ids it allows, and throws past that', () => {
    const fits: CustomIdData = { action: 'platform', learnerId: '9'.repeat(20), lessonId: 'l'.repeat(30), stepId: 's'.repeat(30), value: 'v'.repeat(4) };
    expect(encodeCustomId(fits)).toHaveLength(100);
    expect(() => encodeCustomId({ ...fits, value: 'v'.repeat(5) })).toThrow(/101 characters, limit 100/);
  });

  it('throws on data it could not decode again', () => {
    const bad = [
      { action: 'delete', learnerId },
      { action: 'run', learnerId: 'not-a-snowflake' },
      { action: 'run', learnerId, lessonId: 'has:colon' },
      { action: 'run', learnerId, stepId: '' },
      { action: 'run', learnerId, value: 'space here' },
      { action: 'run', learnerId, extra: 'field' },
    ];
    for (const data of bad) expect(() => encodeCustomId(data as CustomIdData), JSON.stringify(data)).toThrow();
  });

  it('tells foreign and older ids apart from broken ones', () => {
    expect(decodeCustomId('someone-elses-button')).toEqual({ ok: false, reason: 'notOurs' });
    expect(decodeCustomId('')).toEqual({ ok: false, reason: 'notOurs' });
    expect(decodeCustomId(`cs0:run:${learnerId}`)).toEqual({ ok: false, reason: 'otherVersion' });
    expect(decodeCustomId(`cs2:run:${learnerId}`)).toEqual({ ok: false, reason: 'otherVersion' });
  });

  it.each([
    'cs1:',
    'cs1:run',
    `cs1:explode:${learnerId}`,
    'cs1:run:abc',
    `cs1:run:${learnerId}:a:b:c:d`,
    `cs1:run:${learnerId}:bad lesson`,
    `cs1:run:${learnerId}:${'x'.repeat(49)}`,
    `cs1:run:${learnerId}:::${'v'.repeat(80)}`,
    `cs1:run:${learnerId}:<@1>`,
    `cs1:run:${learnerId}` + ':'.repeat(200),
    `cs1:RUN:${learnerId}`,
  ])('rejects garbage %j', (customId) => {
    expect(decodeCustomId(customId)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('custom ids for tutor choices', () => {
  it.each<ChoiceAction>([
    { type: 'run-step' },
    { type: 'hint' },
    { type: 'next' },
    { type: 'start', lessonId: 'container-is-a-process' },
    { type: 'platform', platform: 'windows' },
    { type: 'quiz', questionId: 'q1', choice: 3 },
  ])('round-trips %j through a button id', (action) => {
    const customId = customIdForChoice(learnerId, action);
    expect(customId.length).toBeLessThanOrEqual(100);
    const decoded = decodeCustomId(customId);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.data.learnerId).toBe(learnerId);
    expect(buttonIntent(decoded.data)).toEqual({ kind: 'choice', action });
  });

  it('decodes the /forget answers', () => {
    for (const [action, kind] of [['forget', 'forget-confirm'], ['keep', 'forget-cancel']] as const) {
      const decoded = decodeCustomId(encodeCustomId({ action, learnerId }));
      expect(decoded.ok && buttonIntent(decoded.data)).toEqual({ kind });
    }
  });

  it('gives no intent for ids missing what their action needs', () => {
    for (const customId of [`cs1:start:${learnerId}`, `cs1:platform:${learnerId}:::bsd`, `cs1:quiz:${learnerId}::q1`, `cs1:quiz:${learnerId}::q1:x`, `cs1:quiz:${learnerId}:::1`]) {
      const decoded = decodeCustomId(customId);
      expect(decoded.ok && buttonIntent(decoded.data), customId).toBeUndefined();
    }
  });

  it('throws for choices that cannot travel in an id', () => {
    expect(() => customIdForChoice(learnerId, { type: 'start', lessonId: 'has space' })).toThrow();
    expect(() => customIdForChoice('not-a-user', { type: 'hint' })).toThrow();
  });
});
