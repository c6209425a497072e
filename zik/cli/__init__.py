"""The command line: Typer commands that parse, call one core function, and hand the result to IO."""
