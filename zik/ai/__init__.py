"""The AI layer: providers (Bedrock, offline), prompts, output schemas, and the call log."""
