"""newsdigest: multilingual news digest pipeline."""
