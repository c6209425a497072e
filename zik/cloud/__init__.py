"""The Zik cloud backend: Cognito sign-in now; the remotes and the sync engine next (DESIGN.md §8)."""
