"""Input model: chi bộ profile and roster, document kinds, Party arithmetic."""
