// The command line of the build scripts, one convention for all of them: the library functions
// throw a BuildError (a clear message, never a process exit or a console write), and
// `runCommand`, the only place that prints or sets the exit status, turns a thrown error into
// one line `NAME: message` on stderr and exit status 1. Options are `--name VALUE` or
// `--name=VALUE` and -h/--help (Node's `util.parseArgs`), refused with the same words in each.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** What a build script refuses, with why: thrown, so a test importing the script sees it. */
export class BuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BuildError';
  }
}

/** Throws a BuildError with `message`. */
export function fail(message) {
  throw new BuildError(message);
}

/**
 * Reads `argv` into `{ key: value }` for the options in `flags` (`{ '--out': 'out', … }`),
 * starting from `defaults`; returns null when -h/--help is asked for. Node's `util.parseArgs`
 * splits the words; its tokens, in order, are held to this convention: an unknown argument (a
 * positional one too) or a missing value throws a BuildError.
 */
export function parseFlags(argv, { flags, defaults = {} }) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const flag of Object.keys(flags)) options[flag.slice(2)] = { type: 'string' };
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const args = { ...defaults };
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'help') return null;
    const flag = token.kind === 'option' ? token.rawName : null;
    if (!Object.hasOwn(flags, flag)) fail('unknown argument ' + argv[token.index] + ' (try --help)');
    if (token.value === undefined) fail(flag + ' needs a value');
    args[flags[flag]] = token.value;
  }
  return args;
}

/**
 * When the module of `meta` (its `import.meta`) is the script Node was started with: reads the
 * command line with `parseFlags(argv, options)` and calls `main(args)`, printing the line it
 * returns on stdout. -h/--help prints `options.usage` and exits 0. Anything thrown, by the
 * parsing or by `main`, is one line `NAME: message` on stderr and exit status 1 (a BuildError
 * says what was refused; any other error, what failed).
 */
export async function runCommand(meta, { name, usage, ...options }, main) {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(meta.url)) return;
  try {
    const args = parseFlags(process.argv.slice(2), options);
    if (args === null) {
      process.stdout.write(usage);
      return;
    }
    const line = await main(args);
    if (line) process.stdout.write(line + '\n');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(name + ': ' + message.trim().replace(/\s*\n\s*/g, ' ') + '\n');
    process.exitCode = 1;
  }
}
