"""The team lead's daily report: figures aggregated in the database, as text, JSON, CSV and a chart."""
