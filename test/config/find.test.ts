import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigFile } from '../../src/config/load.js';

/**
 * Every search passes `stopAt: tmp` (or stops at a `.git` below it), so that a stray
 * `.gatewarden.yaml` in the system's temporary directory cannot change the results.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gatewarden-find-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dir(...parts: string[]): string {
  const full = path.join(tmp, ...parts);
  mkdirSync(full, { recursive: true });
  return full;
}

function file(relative: string, text = '# config\n'): string {
  const full = path.join(tmp, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

describe('findConfigFile', () => {
  it('finds the file in the start directory', () => {
    const config = file('here/.gatewarden.yaml');
    expect(findConfigFile([path.join(tmp, 'here')], tmp)).toBe(config);
  });

  it('searches parent directories, the nearest first', () => {
    const top = file('nested/.gatewarden.yaml');
    const middle = file('nested/a/.gatewarden.yml');
    const start = dir('nested', 'a', 'b', 'c');
    expect(findConfigFile([start], tmp)).toBe(middle);
    expect(findConfigFile([dir('nested', 'other')], tmp)).toBe(top);
  });

  it('prefers .gatewarden.yaml over .gatewarden.yml in one directory', () => {
    const yaml = file('both/.gatewarden.yaml');
    file('both/.gatewarden.yml');
    expect(findConfigFile([path.join(tmp, 'both')], tmp)).toBe(yaml);
  });

  it('stops at the repository root (a directory with .git) after checking it', () => {
    file('outer/.gatewarden.yaml');
    dir('outer', 'repo', '.git');
    const start = dir('outer', 'repo', 'infra', 'prod');
    // outer/.gatewarden.yaml is above the repository: never read.
    expect(findConfigFile([start])).toBeUndefined();
    const atRoot = file('outer/repo/.gatewarden.yaml');
    expect(findConfigFile([start])).toBe(atRoot);
  });

  it('treats a .git file (worktree, submodule) as a repository root too', () => {
    file('wt/.gatewarden.yaml');
    file('wt/checkout/.git', 'gitdir: /elsewhere\n');
    expect(findConfigFile([dir('wt', 'checkout', 'src')])).toBeUndefined();
  });

  it('stops after checking stopAt', () => {
    file('bounded/.gatewarden.yaml');
    const start = dir('bounded', 'inner', 'deep');
    expect(findConfigFile([start], path.join(tmp, 'bounded', 'inner'))).toBeUndefined();
    expect(findConfigFile([start], path.join(tmp, 'bounded'))).toBe(path.join(tmp, 'bounded', '.gatewarden.yaml'));
  });

  it('starts from the directory of a file', () => {
    const config = file('files/.gatewarden.yaml');
    const template = file('files/api/template.yaml', 'Resources: {}\n');
    expect(findConfigFile([template], tmp)).toBe(config);
  });

  it('tries the start directories in order', () => {
    const none = dir('order', 'none');
    const second = file('order/second/.gatewarden.yaml');
    const third = file('order/third/.gatewarden.yaml');
    expect(findConfigFile([none, path.dirname(second), path.dirname(third)], path.join(tmp, 'order'))).toBe(second);
  });

  it('ignores a directory named like the config file', () => {
    dir('notafile', '.gatewarden.yaml');
    const real = file('notafile/.gatewarden.yml');
    expect(findConfigFile([path.join(tmp, 'notafile')], tmp)).toBe(real);
  });

  it('returns undefined when there is none, and for a start directory that does not exist', () => {
    expect(findConfigFile([dir('empty', 'a')], path.join(tmp, 'empty'))).toBeUndefined();
    expect(findConfigFile([path.join(tmp, 'missing', 'x')], path.join(tmp, 'missing'))).toBeUndefined();
    expect(findConfigFile([], tmp)).toBeUndefined();
  });
});
