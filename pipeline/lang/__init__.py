"""The language layer under every stage: scripts and character classes (`scripts`), and the
dictionaries the glosses share (`cedict`). Nothing here imports a stage."""
