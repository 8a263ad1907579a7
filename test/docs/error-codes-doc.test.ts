import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_ERRORS } from '../../src/errors.js';
import { allSessionCodes } from '../../src/ingest/codes.js';
import '../../src/formats/format-codes.js';
import { repoRoot } from '../helpers/cli.js';

/** docs/error-codes.md is the operator's reference: every code in the catalogues must be documented there. */
const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'error-codes.md'), 'utf8');

describe('docs/error-codes.md', () => {
  it('documents every command error code with its exit code', () => {
    for (const [code, { exitCode }] of Object.entries(COMMAND_ERRORS)) {
      expect(doc, code).toMatch(new RegExp(`^\\| ${code} \\| ${exitCode} \\|`, 'm'));
    }
  });

  it('documents every session outcome code', () => {
    const codes = allSessionCodes();
    expect(codes.length).toBeGreaterThan(15);
    for (const { code } of codes) expect(doc, String(code)).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
