import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { describeExperimentStoreContract } from "./experiment-store.contract.js";

describeExperimentStoreContract("MemoryStore", async () => {
  const store = new MemoryStore();
  return {
    store,
    // Process-local: "another instance" is the same store; its loads are rebuilt from what was saved.
    reopen: async () => store,
    cleanup: async () => {},
  };
});
