import { describe, expect, it } from 'vitest';
import { parseLabLine } from '../../src/lab/parse.js';
import { labRefusalText } from '../../src/tutor/lab-text.js';

/** The refusal of a line, worded in both languages. */
function refusal(line: string): { code: string; en: string; ja: string } {
  const parsed = parseLabLine(line);
  if (parsed.ok) throw new Error(`expected ${line} to be refused`);
  return { code: parsed.refusal.code, en: labRefusalText('en', parsed.refusal), ja: labRefusalText('ja', parsed.refusal) };
}

describe("the host's view says no briefly and truly", () => {
  it('refuses a host shell (sudo su, sudo -i, sudo bash) in a few words, pointing at what the host view shows', () => {
    for (const line of ['sudo su', 'sudo -i', 'sudo bash']) {
      const r = refusal(line);
      expect(r.code, line).toBe('host-shell');
      expect(r.en.split(/\s+/).length, line).toBeLessThan(50);
      expect(r.en).toContain('ps aux | grep');
      expect(r.en).not.toMatch(/docker exec NAME su/);
      expect(r.ja).toContain('ps aux | grep');
    }
  });

  it('says a cgroup file of the learner\'s own container is not one the view reads, not that the container is not theirs', () => {
    const r = refusal(`sudo cat /sys/fs/cgroup/memory/docker/${'a'.repeat(64)}/memory.usage_in_bytes`);
    expect(r.code).toBe('cgroup-file-not-offered');
    expect(r.en).toMatch(/only the limit files/);
    expect(r.en).not.toMatch(/only your own lab containers/);
    expect(r.en).toContain('memory.usage_in_bytes');
    expect(r.ja).toContain('memory.usage_in_bytes');
    // Files with two dots, and a limit file read together with a usage file, get the same real rule.
    const id = 'b'.repeat(64);
    for (const line of [`sudo cat /sys/fs/cgroup/memory/docker/${id}/memory.kmem.usage_in_bytes`, `sudo cat /sys/fs/cgroup/memory/docker/${id}/memory.limit_in_bytes /sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`]) {
      const each = refusal(line);
      expect(each.code, line).toBe('cgroup-file-not-offered');
      expect(each.en, line).toMatch(/only the limit files/);
    }
  });

  it('words a host-view line in another form by the forms it answers, not as someone else\'s container', () => {
    const r = refusal('sudo cat /proc/1/environ');
    expect(r.code).toBe('host-view-only');
    expect(r.en).not.toMatch(/read only your own lab containers/);
    expect(r.en).toMatch(/one path at a time/);
    expect(r.ja).toMatch(/一度に一つ/);
  });
});
