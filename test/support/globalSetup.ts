// Prepared once per test run; filled in by the database harness.
export default async function setup(): Promise<void> {}
