// Intentionally empty: the module a baseline process imports in the start-up benchmark.
export {};
