/** What every part of the suite is given: the size of the run and a way to say what it is doing. */
export interface Step {
  quick: boolean;
  progress(line: string): void;
}

export function stepper(quick: boolean): Step {
  const started = performance.now();
  return {
    quick,
    progress(line) {
      const s = Math.round((performance.now() - started) / 1000);
      process.stderr.write(
        `[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}\n`,
      );
    },
  };
}
