// The command line of the build scripts: `--name VALUE` or `--name=VALUE` options and -h/--help,
// read the same way and refused with the same words in each.

/**
 * Reads `argv` into `{ key: value }` for the options in `flags` (`{ '--out': 'out', … }`),
 * starting from `defaults`. -h/--help prints `usage` and exits; an unknown argument or a missing
 * value calls `fail(message)`, which does not return.
 */
export function parseFlags(argv, { flags, defaults = {}, usage, fail }) {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(usage);
      process.exit(0);
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!Object.hasOwn(flags, name)) fail('unknown argument ' + a + ' (try --help)');
    if (eq > 0) args[flags[name]] = a.slice(eq + 1);
    else if (i + 1 < argv.length) args[flags[name]] = argv[++i];
    else fail(a + ' needs a value');
  }
  return args;
}
