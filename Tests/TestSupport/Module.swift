// Shared helpers for tests: locating Chromium, starting the replica.
