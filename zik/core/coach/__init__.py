"""The chat coach: the session (context, streaming turns, history) and the tools it may call."""
