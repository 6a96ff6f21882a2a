"""Rule and glossary data files shipped with the package."""
