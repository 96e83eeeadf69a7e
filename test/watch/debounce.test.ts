import t from "tap";
import { Debounce } from "../../lib/watch/debounce.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test("a burst of changes comes out as one batch once it is quiet", async (t) => {
  const batches: string[][] = [];
  const debounce = new Debounce(50, (paths) => batches.push(paths));
  for (const path of ["a", "b", "a", "c"]) {
    debounce.add(path);
    await sleep(5);
  }
  t.same(batches, [], "nothing while the burst goes on");
  await sleep(150);
  t.same(batches, [["a", "b", "c"]], "each path once");
  debounce.add("d");
  debounce.close();
  await sleep(150);
  t.same(batches.length, 1, "closed: nothing more");
});
