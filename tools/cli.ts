/**
 * The entry point shared by the course's command-line tools: run `main`, turn its result into the
 * exit code, and turn an unexpected error into one line on stderr and exit code 2 (a usage or set-up
 * problem), so no tool prints a stack trace at a learner or an instructor.
 *
 *     if (require.main === module) runMain(main);
 */
export function runMain(main: (argv: string[]) => number | Promise<number>): void {
  ignoreBrokenPipes();
  Promise.resolve()
    .then(() => main(process.argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exitCode = 2;
      },
    );
}

/**
 * Output piped into a reader that stops early (`| head`) must not crash the tool with EPIPE: the work
 * goes on (its files are what matters) and the unread output is dropped.
 */
export function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount("error") > 0) continue;
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  }
}
