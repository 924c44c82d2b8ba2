// Reads a REST request body the way Discord does: JSON, or multipart with `payload_json` and `files[n]` parts.

export interface RecordedFile {
  /** The multipart field, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedBody {
  /** Parsed JSON (for multipart: `payload_json`); undefined when there was no body. */
  body: unknown;
  files: RecordedFile[];
}

export async function parseRequestBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  if (type.startsWith('application/json')) return { body: parseJson(raw.toString('utf8')), files: [] };
  return { body: raw.toString('utf8'), files: [] };
}

function parseJson(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  return parsed;
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  // undici's Response parses multipart bodies; it is Node's own fetch implementation.
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const files: RecordedFile[] = [];
  let body: unknown;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = parseJson(value);
      continue;
    }
    files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
  }
  return { body, files };
}
