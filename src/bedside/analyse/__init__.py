"""Question analysis: intent, topic, red flags and scope."""
