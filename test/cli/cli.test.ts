import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('pipeline command line', () => {
  it('lists the commands in --help and prints the version', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['run', 'sample', 'status']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const version = runCli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with error[USAGE] on an unknown option or command', () => {
    const badOption = runCli(['status', '--bogus']);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toMatch(/^error\[USAGE\]: unknown option '--bogus'/m);
    const badCommand = runCli(['frobnicate']);
    expect(badCommand.status).toBe(2);
    expect(badCommand.stderr).toMatch(/^error\[USAGE\]/m);
  });

  it('exits 2 with a coded error on a malformed month', () => {
    const result = runCli(['run', '--month', '2024-13', '--data-dir', tempDir()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error\[INVALID_MONTH\]/m);
  });

  it('accepts the global options after the command', () => {
    const dataDir = tempDir();
    const result = runCli(['status', '--json', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).dataDir).toBe(dataDir);
  });
});
