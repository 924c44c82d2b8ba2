// Discord's checks on a message body, written independently of src/discord/limits.ts so that the fake is a
// second opinion: Discord answers 50035 "Invalid Form Body" or 50006 "Cannot send an empty message".

import { arrayField, isJsonObject, objectOrEmpty, objectsIn, stringField, type JsonObject } from './json.js';

export type MessageBodyVerdict = { ok: true } | { ok: false; code: 50006 | 50035; message: string; problems: string[] };

export function checkMessageBody(body: JsonObject, fileCount: number, options: { isEdit: boolean }): MessageBodyVerdict {
  const problems: string[] = [];
  const tooLong = (path: string, text: string | undefined, max: number): void => {
    if (text !== undefined && text.length > max) problems.push(`${path}: Must be ${max} or fewer in length.`);
  };
  tooLong('content', stringField(body, 'content'), 2000);

  const embeds = objectsIn(arrayField(body, 'embeds'));
  if (embeds.length > 10) problems.push('embeds: Must be 10 or fewer in length.');
  let embedTotal = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds.${i}`;
    const title = stringField(embed, 'title');
    const description = stringField(embed, 'description');
    const footer = stringField(objectOrEmpty(embed['footer']), 'text');
    const author = stringField(objectOrEmpty(embed['author']), 'name');
    tooLong(`${at}.title`, title, 256);
    tooLong(`${at}.description`, description, 4096);
    tooLong(`${at}.footer.text`, footer, 2048);
    tooLong(`${at}.author.name`, author, 256);
    const fields = objectsIn(arrayField(embed, 'fields'));
    if (fields.length > 25) problems.push(`${at}.fields: Must be 25 or fewer in length.`);
    fields.forEach((field, j) => {
      tooLong(`${at}.fields.${j}.name`, stringField(field, 'name'), 256);
      tooLong(`${at}.fields.${j}.value`, stringField(field, 'value'), 1024);
      embedTotal += (stringField(field, 'name') ?? '').length + (stringField(field, 'value') ?? '').length;
    });
    embedTotal += [title, description, footer, author].reduce((sum, text) => sum + (text ?? '').length, 0);
  });
  if (embedTotal > 6000) problems.push('embeds: Embed size exceeds maximum size of 6000');

  const rows = objectsIn(arrayField(body, 'components'));
  if (rows.length > 5) problems.push('components: Must be 5 or fewer in length.');
  rows.forEach((row, i) => {
    const children = objectsIn(arrayField(row, 'components'));
    if (children.length > 5) problems.push(`components.${i}.components: Must be 5 or fewer in length.`);
    children.forEach((child, j) => {
      const at = `components.${i}.components.${j}`;
      const customId = stringField(child, 'custom_id');
      if (customId !== undefined && (customId.length === 0 || customId.length > 100)) {
        problems.push(`${at}.custom_id: Must be between 1 and 100 in length.`);
      }
      tooLong(`${at}.label`, stringField(child, 'label'), 80);
    });
  });

  if (problems.length > 0) return { ok: false, code: 50035, message: 'Invalid Form Body', problems };
  const hasSomething =
    (stringField(body, 'content') ?? '') !== '' || embeds.length > 0 || rows.length > 0 || fileCount > 0 || isJsonObject(body['poll']);
  if (!options.isEdit && !hasSomething) {
    return { ok: false, code: 50006, message: 'Cannot send an empty message', problems: [] };
  }
  return { ok: true };
}
