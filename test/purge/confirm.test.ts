import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirmPurge, CONFIRMATION_WORD } from '../../src/cli/commands/purge.js';

/** A fake terminal: streams that say they are TTYs, with the operator's typing queued on the input. */
function terminal(typed: string | undefined, isTTY = true) {
  const input = Object.assign(new PassThrough(), { isTTY });
  const output = Object.assign(new PassThrough(), { isTTY });
  let printed = '';
  output.on('data', (chunk) => (printed += String(chunk)));
  if (typed !== undefined) setTimeout(() => input.write(`${typed}\n`), 10);
  return { io: { input, output }, printed: () => printed };
}

describe('purge confirmation', () => {
  it('goes ahead when the operator types the word on a terminal', async () => {
    const t = terminal(CONFIRMATION_WORD);
    await expect(confirmPurge(false, '/data', t.io)).resolves.toBeUndefined();
    expect(t.printed()).toContain(`Type ${CONFIRMATION_WORD}`);
  });

  it('refuses any other answer with PURGE_NOT_CONFIRMED (exit 2)', async () => {
    for (const answer of ['', 'yes', 'purge', 'PURG']) {
      await expect(confirmPurge(false, '/data', terminal(answer).io)).rejects.toMatchObject({ code: 'PURGE_NOT_CONFIRMED', exitCode: 2 });
    }
  });

  it('needs --yes when not on a terminal, and asks nothing with --yes', async () => {
    const piped = terminal(undefined, false);
    await expect(confirmPurge(false, '/data', piped.io)).rejects.toMatchObject({ code: 'PURGE_NOT_CONFIRMED' });
    await expect(confirmPurge(true, '/data', piped.io)).resolves.toBeUndefined();
    expect(piped.printed()).toBe('');
  });
});
