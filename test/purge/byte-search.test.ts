import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { searchBytes } from '../../src/purge/byte-search.js';
import { tempDir } from '../helpers/cli.js';

const root = tempDir('purge-bytes-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('searchBytes', () => {
  it('finds an identifier wherever it lies, across chunk boundaries, exactly when grep would', () => {
    let round = 0;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (noise, identifier, offset, chunkBytes, plant) => {
          const bytes = Buffer.from(identifier, 'utf8');
          const at = offset % (noise.length + 1);
          const content = plant ? Buffer.concat([noise.subarray(0, at), bytes, noise.subarray(at)]) : Buffer.from(noise);
          const dir = path.join(root, `case-${(round += 1)}`);
          fs.mkdirSync(path.join(dir, 'nested'), { recursive: true });
          fs.writeFileSync(path.join(dir, 'nested', 'file.bin'), content);
          const result = searchBytes(dir, [{ kind: 'user_id', value: identifier }], { chunkBytes });
          // The oracle: the whole file in memory (what grep -F does).
          const expected = content.includes(bytes);
          expect(result.matches.length > 0).toBe(expected);
          if (plant) expect(expected).toBe(true);
          expect(result.bytesSearched).toBe(content.length);
          expect(result.filesSearched).toBe(1);
          fs.rmSync(dir, { recursive: true });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads every byte even with no identifier to look for (an empty store), across chunks', () => {
    const dir = path.join(root, 'empty-sample');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(100, 1));
    const result = searchBytes(dir, [], { chunkBytes: 7 });
    expect(result).toEqual({ filesSearched: 1, bytesSearched: 100, matches: [] });
  });

  it('reports files and kinds, never the identifier, and honours the exclusion list', () => {
    const dir = path.join(root, 'kinds');
    fs.mkdirSync(path.join(dir, 'landing'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'landing', 'a.ndjson'), 'xx usr-secret-1 yy FR*ST*42 zz');
    fs.writeFileSync(path.join(dir, 'skip.hex'), 'usr-secret-1');
    fs.writeFileSync(path.join(dir, 'clean.txt'), 'nothing here');
    const ids = [
      { kind: 'user_id' as const, value: 'usr-secret-1' },
      { kind: 'station_id' as const, value: 'FR*ST*42' },
      { kind: 'station_id' as const, value: 'FR*ST*43' },
    ];
    const result = searchBytes(dir, ids, { exclude: ['skip.hex'] });
    expect(result.filesSearched).toBe(2);
    expect(result.matches).toEqual([
      { file: 'landing/a.ndjson', kind: 'station_id', identifiers: 1 },
      { file: 'landing/a.ndjson', kind: 'user_id', identifiers: 1 },
    ]);
    expect(JSON.stringify(result)).not.toContain('usr-secret-1');
  });
});
