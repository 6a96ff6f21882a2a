"""Archives at scale: `newsdigest batch`."""
