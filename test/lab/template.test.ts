import { describe, expect, it } from 'vitest';
import { NO_VALUE, parseInspectTemplate, renderInspectTemplate } from '../../src/lab/template.js';

// The shape of `docker inspect deep-dive-container` (one element of the array), trimmed.
const inspect = {
  Id: '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b',
  Name: '/deep-dive-container',
  State: { Status: 'running', Running: true, Pid: 12345, ExitCode: 0, OOMKilled: false, Error: '' },
  HostConfig: { Memory: 134217728, NanoCpus: 500000000, PidsLimit: null, CapDrop: ['ALL'] },
  Config: { Cmd: ['sleep', '7777'], Env: ['PATH=/usr/bin'], Labels: { b: '2', a: '1' }, Entrypoint: null },
};

function render(template: string, data: unknown = inspect): string {
  const result = renderInspectTemplate(template, data);
  if (!result.ok) throw new Error(`expected text, got error: ${result.error}`);
  return result.text;
}

function renderError(template: string, data: unknown = inspect): string {
  const result = renderInspectTemplate(template, data);
  if (result.ok) throw new Error(`expected an error, got text: ${result.text}`);
  return result.error;
}

describe('renderInspectTemplate', () => {
  it('renders the fields the lessons use', () => {
    expect(render('{{.Id}}')).toBe(inspect.Id);
    expect(render('{{.State.Pid}}')).toBe('12345');
    expect(render('{{.HostConfig.Memory}}')).toBe('134217728');
    expect(render('{{.Name}}')).toBe('/deep-dive-container');
    expect(render('{{.State.Status}}')).toBe('running');
    expect(render('{{.State.Running}} {{.State.OOMKilled}}')).toBe('true false');
  });

  it('keeps literal text around actions and allows spaces inside them', () => {
    expect(render('pid={{ .State.Pid }} mem={{.HostConfig.Memory}}\n')).toBe('pid=12345 mem=134217728\n');
    expect(render('no actions at all')).toBe('no actions at all');
    expect(render('')).toBe('');
    expect(render('a }} b')).toBe('a }} b');
  });

  it('prints <no value> for missing fields, at any depth, like Go does for maps', () => {
    expect(render('{{.Nope}}')).toBe(NO_VALUE);
    expect(render('{{.State.Nope}}')).toBe('<no value>');
    expect(render('{{.Nope.Deeper.Still}}')).toBe('<no value>');
    expect(render('{{.state.pid}}')).toBe('<no value>'); // field names are case-sensitive
    expect(render('{{.HostConfig.PidsLimit}}')).toBe('<no value>'); // JSON null
  });

  it('does not reach JavaScript prototype properties', () => {
    expect(render('{{.constructor}} {{.__proto__}} {{.State.toString}}')).toBe('<no value> <no value> <no value>');
  });

  it('formats lists and maps the way Go prints them', () => {
    expect(render('{{.Config.Cmd}}')).toBe('[sleep 7777]');
    expect(render('{{.Config.Labels}}')).toBe('map[a:1 b:2]');
    expect(render('{{.}}', { A: [1, null], B: { C: true } })).toBe('map[A:[1 <nil>] B:map[C:true]]');
  });

  it('renders {{json .X}} compactly, null for missing values', () => {
    expect(render('{{json .State}}')).toBe(JSON.stringify(inspect.State));
    expect(render('{{json .Config.Cmd}}')).toBe('["sleep","7777"]');
    expect(render('{{json .Nope}}')).toBe('null');
    expect(render('{{json .Config.Entrypoint}}')).toBe('null');
    expect(render('{{json .}}', { a: '<&>' })).toBe('{"a":"<&>"}');
  });

  it('supports comments and trim markers', () => {
    expect(render('{{/* the pid */}}{{.State.Pid}}')).toBe('12345');
    expect(render('a   {{- .State.Pid -}}   b')).toBe('a12345b');
  });

  it('reports Go-style errors for fields of non-objects', () => {
    expect(renderError('{{.Id.Short}}')).toBe("executing template: can't evaluate field Short in type string");
    expect(renderError('{{.State.Pid.X}}')).toContain('in type float64');
    expect(renderError('{{.Config.Cmd.X}}')).toContain('in type []interface {}');
    expect(renderError('{{.HostConfig.PidsLimit.X}}')).toContain('nil pointer evaluating');
  });

  it('refuses functions, pipelines, variables and control words with a clear error', () => {
    for (const template of [
      '{{index .Config.Cmd 0}}',
      '{{range .Config.Cmd}}{{.}}{{end}}',
      '{{if .State.Running}}yes{{end}}',
      '{{printf "%d" .State.Pid}}',
      '{{len .Config.Cmd}}',
      '{{upper .Name}}',
      '{{.State | json}}',
      '{{$x := .Id}}',
      '{{"text"}}',
      '{{(.Id)}}',
      '{{.Id .Name}}',
      '{{json}}',
      '{{json .A .B}}',
    ]) {
      const parsed = parseInspectTemplate(template);
      expect(parsed.ok, template).toBe(false);
      if (!parsed.ok) expect(parsed.error, template).toMatch(/not supported|json takes exactly one field|no arguments/);
    }
  });

  it('reports malformed templates', () => {
    expect(renderError('{{.Id')).toMatch(/unclosed action.*column 1/);
    expect(renderError('x {{.Id}} {{.Name')).toMatch(/column 11/);
    expect(renderError('{{}}')).toMatch(/missing value for command/);
    expect(renderError('{{ }}')).toMatch(/missing value for command/);
    expect(renderError('{{.}}{{..Id}}')).toMatch(/empty field name/);
    expect(renderError('{{.State.}}')).toMatch(/empty field name/);
    expect(renderError('{{.9lives}}')).toMatch(/not a field name/);
    expect(renderError('{{/* open }}')).toMatch(/unclosed comment/);
    expect(renderError('x'.repeat(1001))).toMatch(/longer than/);
  });
});
