// argon2id verifications per second with the server's parameters, in a process of its own sized as
// the server is (UV_THREADPOOL_SIZE = cores, set by the parent): the bound a full sign-in cannot beat.
//   node bench/suite/argon2-rate.mjs <concurrency> <seconds> <memoryKib> <timeCost>
import argon2 from 'argon2';

const [concurrency, seconds, memoryCost, timeCost] = process.argv.slice(2).map(Number);
const password = 'bench fjalëkalim i gjatë';
const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost, parallelism: 1 });
let count = 0;
const started = performance.now();
const end = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      await argon2.verify(hash, password);
      count += 1;
    }
  }),
);
// Timed until the last verification in flight has finished, as the sign-ins are.
process.stdout.write(`${JSON.stringify({ count, seconds: (performance.now() - started) / 1000 })}\n`);
