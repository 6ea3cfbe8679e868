"""Live connectors: a plain HTTP download and a paginated JSON API, sharing one error vocabulary."""
