import fs from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from './durable-fs.js';

/**
 * An append-only file with group commit: lines appended while a flush is running are written and fsync'd
 * together by the next flush, so 16 concurrent requests cost one fsync instead of 16.
 */
export class GroupCommitLog {
  private pending: { text: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  /** After a failed write the file may end with a torn line: refuse further appends (answers become 500). */
  private broken: unknown;

  private constructor(private readonly handle: fs.FileHandle) {}

  static async open(file: string): Promise<GroupCommitLog> {
    return new GroupCommitLog(await fs.open(file, 'a', PRIVATE_FILE_MODE));
  }

  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.pending.push({ text, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        if (this.broken) throw this.broken;
        await this.handle.appendFile(batch.map((entry) => entry.text).join(''));
        await this.handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        this.broken ??= error;
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }
}
