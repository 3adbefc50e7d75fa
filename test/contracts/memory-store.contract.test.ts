import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { describeExperimentStoreContract } from "./experiment-store.contract.js";

describeExperimentStoreContract("MemoryStore", async () => {
  const store = new MemoryStore();
  return {
    store,
    // Process-local: "another instance" is the same store, holding the same live experiments.
    reopen: async () => store,
    cleanup: async () => {},
  };
});
