import { LocalWorkflow } from "../engine/engine";
import { sampleOrder } from "../tests/support/sampleOrder";
import * as fs from "fs";
(async () => {
  const w = await LocalWorkflow.start({ seed: "1", rates: { payment: 0, stock: 0, charge: 0.2 }, faults: { chaos: { probability: 0.3, seed: "1" } } });
  const t0 = Date.now();
  for (let i = 0; i < 10; i++) {
    const r = await w.run({ ...sampleOrder(`o-${i}`) }, `e-${i}`);
    console.log(r.orderId, r.status, r.error, r.record?.State, r.states.join(">"));
  }
  console.log("ms", Date.now() - t0);
  console.log(fs.readFileSync(w.ledgerFile!, "utf8"));
  console.log(w.chaosCalls().filter(c => c.fault).slice(0, 20));
  await w.close();
})();
