"""Storage: SQLAlchemy tables, migrations and one store per concern, composed by `database.Storage`."""
