import { LocalWorkflow } from "../engine/engine";
import { sampleOrder } from "../tests/support/sampleOrder";
(async () => {
  const w = await LocalWorkflow.start({ seed: "1", rates: { payment: 0, stock: 0, charge: 0.2 }, faults: { chaos: { probability: 0.3, seed: "1" } } });
  const r = await w.run({ ...sampleOrder(`o-0`) }, `e-0`);
  console.log(JSON.stringify(r, null, 1).slice(0, 3000));
  console.log(w.chaosCalls());
  console.log(w.lambdaLogs);
  await w.close();
})();
