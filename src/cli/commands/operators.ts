import { Command } from 'commander';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { commandContext } from '../context.js';
import { addOperator, readOperators, removeOperator, setOperatorEnabled } from '../../serve/operators.js';
import { AppError } from '../../errors.js';
import { assertDataDirNotPurged } from '../../purge/marker.js';

/**
 * `pipeline operators add|list|remove`: the accounts of the collection service (issue 7).
 * Passwords are never taken from the command line (shell history, ps): stdin, or a prompt on a terminal.
 */
export function registerOperatorsCommand(program: Command): void {
  const operators = program.command('operators').description('manage the operator accounts of the collection service');

  operators
    .command('add')
    .description('create an account; the password is read from stdin (or prompted on a terminal)')
    .requiredOption('--login <login>', 'HTTP Basic login (also the CN of its client certificate)')
    .requiredOption('--user-id <uuid>', 'a UserID (beneficiary) the operator sends data for; repeat the option', collect, [])
    .option('--json', 'print the account (without its hash) as JSON')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      // An account holds UserIDs: none may come back into a purged data folder.
      assertDataDirNotPurged(paths.dataDir, 'operators add');
      const password = await readPassword();
      const operator = await addOperator(paths.dataDir, { login: options.login, password, userIds: options.userId });
      const summary = { login: operator.login, user_ids: operator.user_ids.length, created_at: operator.created_at };
      output.result(summary, () => `operator '${operator.login}' added with ${operator.user_ids.length} UserID(s)`);
    });

  operators
    .command('list')
    .description('list the accounts (UserIDs are counted; --show-user-ids prints them)')
    .option('--show-user-ids', 'print the UserIDs of each account')
    .option('--json', 'print as JSON')
    .action(async (options, command: Command) => {
      const { paths, output } = commandContext(command);
      const accounts = (await readOperators(paths.dataDir)).map((o) => ({
        login: o.login,
        enabled: o.enabled,
        created_at: o.created_at,
        user_id_count: o.user_ids.length,
        ...(options.showUserIds ? { user_ids: o.user_ids } : {}),
      }));
      output.result(accounts, () =>
        accounts.length === 0
          ? 'no operator account'
          : accounts
              .map((a) => `${a.login}\t${a.enabled ? 'enabled' : 'disabled'}\t${a.user_id_count} UserID(s)\t${a.created_at}${a.user_ids ? `\t${a.user_ids.join(',')}` : ''}`)
              .join('\n'),
      );
    });

  operators
    .command('remove')
    .description('delete an account (a running service notices within a second)')
    .argument('<login>', 'the login to remove')
    .option('--json', 'print as JSON')
    .action(async (login: string, _options, command: Command) => {
      const { paths, output } = commandContext(command);
      await removeOperator(paths.dataDir, login);
      output.result({ removed: login }, () => `operator '${login}' removed`);
    });

  for (const [verb, enabled] of [['disable', false], ['enable', true]] as const) {
    operators
      .command(verb)
      .description(enabled ? 'restore a disabled account' : 'suspend an account: its requests get 401 until it is enabled again')
      .argument('<login>', 'the login')
      .option('--json', 'print as JSON')
      .action(async (login: string, _options, command: Command) => {
        const { paths, output } = commandContext(command);
        await setOperatorEnabled(paths.dataDir, login, enabled);
        output.result({ login, enabled }, () => `operator '${login}' ${enabled ? 'enabled' : 'disabled'}`);
      });
  }

  // createCli() configures top-level commands only; usage errors of subcommands must reach main() too.
  for (const sub of operators.commands) sub.exitOverride().configureOutput({ outputError: () => undefined });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Whole stdin when piped (one trailing newline dropped), else a prompt without echo. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
    if (!text) throw new AppError('USAGE', 'no password on stdin');
    return text;
  }
  let muted = false;
  const silent = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    let closed = false;
    rl.once('close', () => (closed = true));
    const ask = (question: string) =>
      new Promise<string>((resolve, reject) => {
        // End of input (Ctrl-D) before an answer: fail loudly instead of exiting with nothing done.
        if (closed) return reject(new AppError('USAGE', 'no password entered'));
        rl.once('close', () => reject(new AppError('USAGE', 'no password entered')));
        muted = false;
        rl.question(question, (answer) => resolve(answer));
        muted = true;
      });
    const first = await ask('password: ');
    process.stderr.write('\n');
    const second = await ask('password again: ');
    process.stderr.write('\n');
    if (first !== second) throw new AppError('USAGE', 'the two passwords differ');
    return first;
  } finally {
    rl.close();
  }
}
