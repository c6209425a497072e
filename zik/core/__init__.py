"""The rules of zik. Functions here take a connection (and a clock) and return data; they never print."""
